"""Admin for the fair-use policy. A published version never changes (every share records the
version it was made under); the one draft is edited here or on the policy page and published
with the action, which gives it the next number."""

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from advocacy.people.request import request_user
from policy.models import Acknowledgement, PolicyVersion
from policy.selectors import policy_draft
from policy.services import clean_domains, clean_terms, policy_publish


class PolicyVersionForm(forms.ModelForm[PolicyVersion]):
    """Blocked terms and allowed domains are cleaned the same way the policy page does."""

    class Meta:
        model = PolicyVersion
        fields = (
            "title",
            "body",
            "blocked_terms",
            "required_disclosure",
            "allowed_domains",
            "max_shares_per_day",
            "sharing_hours_start",
            "sharing_hours_end",
        )

    @staticmethod
    def _texts(value: Any) -> list[str]:
        value = value or []
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ValidationError(_('Enter a list of texts, e.g. ["first", "second"].'))
        return value

    def clean_blocked_terms(self) -> list[str]:
        return clean_terms(self._texts(self.cleaned_data.get("blocked_terms")))

    def clean_allowed_domains(self) -> list[str]:
        try:
            return clean_domains(self._texts(self.cleaned_data.get("allowed_domains")))
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                raise ValidationError(error.message_dict["allowed_domains"]) from error
            raise


@admin.register(PolicyVersion)
class PolicyVersionAdmin(admin.ModelAdmin[PolicyVersion]):
    form = PolicyVersionForm
    list_display = ("__str__", "number", "status", "published_at", "published_by")
    list_filter = ("status",)
    search_fields = ("title", "body")
    readonly_fields = (
        "number",
        "status",
        "created_by",
        "created_at",
        "published_at",
        "published_by",
    )
    actions = ("publish_draft",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        # There is one draft at a time: edit it rather than start a second one.
        return policy_draft() is None

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if obj is not None and obj.status == PolicyVersion.Status.PUBLISHED:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if obj is not None and obj.status == PolicyVersion.Status.PUBLISHED:
            return False
        return super().has_delete_permission(request, obj)

    def save_model(
        self,
        request: HttpRequest,
        obj: PolicyVersion,
        form: forms.ModelForm[PolicyVersion],
        change: bool,
    ) -> None:
        if not change:
            obj.created_by = request_user(request)
        super().save_model(request, obj, form, change)

    @admin.action(description=gettext_lazy("Publish draft"), permissions=["change"])
    def publish_draft(self, request: HttpRequest, queryset: QuerySet[PolicyVersion]) -> None:
        user = request_user(request)
        for version in queryset.order_by("created_at"):
            try:
                published = policy_publish(version=version, user=user)
            except ValidationError as error:
                self.message_user(
                    request,
                    _("“%(version)s”: %(reason)s")
                    % {"version": version, "reason": " ".join(error.messages)},
                    level=messages.ERROR,
                )
            else:
                self.message_user(
                    request,
                    _(
                        "Version %(number)d is now the current policy. Ambassadors acknowledge "
                        "it before their next share."
                    )
                    % {"number": published.number},
                    level=messages.SUCCESS,
                )


@admin.register(Acknowledgement)
class AcknowledgementAdmin(admin.ModelAdmin[Acknowledgement]):
    list_display = ("user", "version", "created_at")
    list_filter = ("version",)
    search_fields = ("user__username", "user__email")
    list_select_related = ("user", "version")
    date_hierarchy = "created_at"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
