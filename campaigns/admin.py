"""Admin for marketing's bulk work on the content library. Status changes and suggestion
reviews go through the services (publishing checks the policy), one item at a time, and a
refusal is reported instead of stopping the batch."""

from collections.abc import Callable
from typing import Any, TypedDict, TypeVar

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count, Model, QuerySet
from django.forms import ModelForm
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django_stubs_ext import WithAnnotations

from advocacy.people.request import request_user
from campaigns.models import Campaign, CaptionVariant, ContentItem, Suggestion, Topic
from campaigns.services import content_item_set_status, suggestion_approve, suggestion_reject
from campaigns.variants import variant_check_text

M = TypeVar("M", bound=Model)
# Links are checked to be http(s) by the model; the form need not guess a scheme.
URL_FORM_FIELD: "dict[type[models.Field[Any, Any]], dict[str, Any]]" = {
    models.URLField: {"assume_scheme": "https"}
}


def _each(
    modeladmin: admin.ModelAdmin[M],
    request: HttpRequest,
    objects: QuerySet[M],
    apply: Callable[[M], Any],
    done: Callable[[int], str],
) -> None:
    """Apply a service to every selected object; report each refusal with its reason."""
    succeeded = 0
    for obj in objects:
        try:
            apply(obj)
        except ValidationError as error:
            modeladmin.message_user(
                request,
                _("“%(object)s”: %(reason)s") % {"object": obj, "reason": " ".join(error.messages)},
                level=messages.ERROR,
            )
        else:
            succeeded += 1
    if succeeded:
        modeladmin.message_user(request, done(succeeded), level=messages.SUCCESS)


class TopicTotals(TypedDict):
    item_total: int


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin[Topic]):
    list_display = ("name", "item_count")
    search_fields = ("name", "description")

    def get_queryset(self, request: HttpRequest) -> QuerySet[Topic]:
        topics: QuerySet[Topic] = super().get_queryset(request)
        return topics.annotate(item_total=Count("items"))

    @admin.display(description=gettext_lazy("items"), ordering="item_total")
    def item_count(self, topic: "WithAnnotations[Topic, TopicTotals]") -> int:
        return topic.item_total


@admin.register(Campaign)
class CampaignAdmin(admin.ModelAdmin[Campaign]):
    list_display = ("name", "starts_on", "ends_on", "goal_metric", "goal_target", "utm_campaign")
    list_filter = ("goal_metric", "starts_on", "audience")
    search_fields = ("name", "utm_campaign", "description")
    filter_horizontal = ("audience",)
    date_hierarchy = "starts_on"


class CaptionVariantForm(ModelForm[CaptionVariant]):
    """The variant rules of campaigns.variants: a caption over the network's limit (with the
    tracked link) is refused here like on the content page and in the API."""

    class Meta:
        model = CaptionVariant
        fields = ("network", "text")

    def clean(self) -> dict[str, Any]:
        cleaned: dict[str, Any] = super().clean() or {}
        network, text = cleaned.get("network"), cleaned.get("text")
        if network and text:
            try:
                variant_check_text(network, text)
            except ValidationError as error:
                self.add_error(None, error)
        return cleaned


class CaptionVariantInline(admin.TabularInline[CaptionVariant, ContentItem]):
    model = CaptionVariant
    form = CaptionVariantForm
    fields = ("network", "text")
    extra = 1


@admin.register(ContentItem)
class ContentItemAdmin(admin.ModelAdmin[ContentItem]):
    list_display = (
        "title",
        "status",
        "campaign",
        "published_at",
        "available_from",
        "available_until",
    )
    list_filter = ("status", "campaign", "topics")
    search_fields = ("title", "url", "caption_linkedin", "caption_x")
    list_select_related = ("campaign",)
    filter_horizontal = ("topics", "audience")
    formfield_overrides = URL_FORM_FIELD
    # The status changes through the actions only, so publishing always passes the policy
    # checks (allowed link domains, a caption).
    readonly_fields = ("status", "published_at", "created_by", "created_at", "updated_at")
    actions = ("publish_selected", "archive_selected", "send_to_review_selected", "draft_selected")
    inlines = (CaptionVariantInline,)

    def save_model(
        self,
        request: HttpRequest,
        obj: ContentItem,
        form: ModelForm[ContentItem],
        change: bool,
    ) -> None:
        if not change:
            obj.created_by = request_user(request)
        super().save_model(request, obj, form, change)

    def _set_status(
        self, request: HttpRequest, queryset: QuerySet[ContentItem], status: str
    ) -> None:
        label = ContentItem.Status(status).label
        _each(
            self,
            request,
            queryset,
            lambda item: content_item_set_status(item=item, status=status),
            lambda n: (
                ngettext(
                    "%(count)d item is now %(status)s.", "%(count)d items are now %(status)s.", n
                )
                % {"count": n, "status": label}
            ),
        )

    @admin.action(description=gettext_lazy("Publish selected"), permissions=["change"])
    def publish_selected(self, request: HttpRequest, queryset: QuerySet[ContentItem]) -> None:
        self._set_status(request, queryset, ContentItem.Status.PUBLISHED)

    @admin.action(description=gettext_lazy("Archive selected"), permissions=["change"])
    def archive_selected(self, request: HttpRequest, queryset: QuerySet[ContentItem]) -> None:
        self._set_status(request, queryset, ContentItem.Status.ARCHIVED)

    @admin.action(description=gettext_lazy("Send selected to review"), permissions=["change"])
    def send_to_review_selected(
        self, request: HttpRequest, queryset: QuerySet[ContentItem]
    ) -> None:
        self._set_status(request, queryset, ContentItem.Status.IN_REVIEW)

    @admin.action(description=gettext_lazy("Move selected back to draft"), permissions=["change"])
    def draft_selected(self, request: HttpRequest, queryset: QuerySet[ContentItem]) -> None:
        self._set_status(request, queryset, ContentItem.Status.DRAFT)


@admin.register(Suggestion)
class SuggestionAdmin(admin.ModelAdmin[Suggestion]):
    list_display = ("title", "submitted_by", "status", "topic", "created_at", "reviewed_by")
    list_filter = ("status", "topic")
    search_fields = ("title", "url", "note", "submitted_by__username")
    list_select_related = ("submitted_by", "topic", "reviewed_by")
    formfield_overrides = URL_FORM_FIELD
    # Reviewing goes through the actions (approving creates the draft content item); a note
    # to the sender written in the change form first goes along with the decision.
    readonly_fields = (
        "submitted_by",
        "status",
        "reviewed_by",
        "reviewed_at",
        "content_item",
        "created_at",
    )
    actions = ("approve_selected", "reject_selected")

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # employees suggest on /suggest/

    @admin.action(
        description=gettext_lazy("Approve selected (add to the library as drafts)"),
        permissions=["change"],
    )
    def approve_selected(self, request: HttpRequest, queryset: QuerySet[Suggestion]) -> None:
        reviewer = request_user(request)
        _each(
            self,
            request,
            queryset,
            lambda suggestion: suggestion_approve(
                suggestion=suggestion, reviewer=reviewer, note=suggestion.review_note
            ),
            lambda n: (
                ngettext(
                    "%(count)d suggestion added to the library as a draft.",
                    "%(count)d suggestions added to the library as drafts.",
                    n,
                )
                % {"count": n}
            ),
        )

    @admin.action(description=gettext_lazy("Decline selected"), permissions=["change"])
    def reject_selected(self, request: HttpRequest, queryset: QuerySet[Suggestion]) -> None:
        reviewer = request_user(request)
        _each(
            self,
            request,
            queryset,
            lambda suggestion: suggestion_reject(
                suggestion=suggestion, reviewer=reviewer, note=suggestion.review_note
            ),
            lambda n: (
                ngettext("%(count)d suggestion declined.", "%(count)d suggestions declined.", n)
                % {"count": n}
            ),
        )
