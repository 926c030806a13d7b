"""Admin for marketing's bulk work on people and teams. Everything that records what happened
(shares, consents, clicks, metrics, sandbox posts) is read-only here: it changes only through
the services. Network tokens are never shown, not even encrypted."""

from typing import Any, TypedDict, TypeVar

from allauth.socialaccount.models import SocialApp, SocialToken
from django import forms
from django.conf import settings
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db.models import Count, Model, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import WithAnnotations

from advocacy.models import (
    BudgetSpend,
    Click,
    Consent,
    MetricSnapshot,
    Network,
    NetworkAccount,
    NetworkBudget,
    SandboxPost,
    Share,
    Team,
    User,
)
from advocacy.publishing.budget import budget_set

M = TypeVar("M", bound=Model)


class ReadOnlyAdmin(admin.ModelAdmin[M]):
    """A record of what happened: viewable, never added, changed or deleted by hand."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(User)
class UserAdmin(DjangoUserAdmin[User]):
    fieldsets = (
        *(DjangoUserAdmin.fieldsets or ()),
        (
            _("Advocacy"),
            {"fields": ("teams", "interests", "ambassador_since", "show_on_leaderboard")},
        ),
    )
    # Opting in and appearing on the leaderboard are the employee's own choices (principle 1):
    # shown here, changed only by the employee.
    readonly_fields = ("ambassador_since", "show_on_leaderboard", "last_login", "date_joined")
    filter_horizontal = (*DjangoUserAdmin.filter_horizontal, "teams", "interests")
    list_display = (
        "username",
        "email",
        "first_name",
        "last_name",
        "ambassador_since",
        "is_staff",
        "is_active",
    )
    list_filter = (
        *DjangoUserAdmin.list_filter,
        ("ambassador_since", admin.EmptyFieldListFilter),
        "teams",
    )


class TeamTotals(TypedDict):
    member_total: int
    motivator_total: int


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin[Team]):
    list_display = ("name", "member_count", "motivator_count")
    search_fields = ("name",)
    filter_horizontal = ("motivators",)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Team]:
        teams: QuerySet[Team] = super().get_queryset(request)
        return teams.annotate(
            member_total=Count("members", distinct=True),
            motivator_total=Count("motivators", distinct=True),
        )

    @admin.display(description=_("members"), ordering="member_total")
    def member_count(self, team: "WithAnnotations[Team, TeamTotals]") -> int:
        return team.member_total

    @admin.display(description=_("motivators"), ordering="motivator_total")
    def motivator_count(self, team: "WithAnnotations[Team, TeamTotals]") -> int:
        return team.motivator_total


@admin.register(NetworkAccount)
class NetworkAccountAdmin(admin.ModelAdmin[NetworkAccount]):
    """Accounts are connected through OAuth by their owner only. The tokens are excluded from
    every form and list so that no admin page ever renders them."""

    exclude = ("access_token", "refresh_token")
    readonly_fields = (
        "user",
        "network",
        "status",
        "external_id",
        "display_name",
        "scopes",
        "token_expires_at",
        "followers_count",
        "connected_at",
        "updated_at",
    )
    list_display = ("user", "network", "display_name", "status", "followers_count", "updated_at")
    list_filter = ("network", "status")
    search_fields = ("user__username", "user__email", "display_name")
    list_select_related = ("user",)

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # Disconnecting (which deletes the tokens and cancels waiting shares) is the owner's
        # action on "My networks".
        return False


@admin.register(Share)
class ShareAdmin(ReadOnlyAdmin[Share]):
    list_display = (
        "pk",
        "user",
        "network",
        "content_item",
        "status",
        "scheduled_at",
        "published_at",
        "attempts",
    )
    list_filter = ("status", "network")
    search_fields = ("text", "code", "user__username", "content_item__title")
    list_select_related = ("user", "content_item")
    date_hierarchy = "scheduled_at"


@admin.register(Consent)
class ConsentAdmin(ReadOnlyAdmin[Consent]):
    list_display = ("user", "action", "policy_version", "created_at")
    list_filter = ("action",)
    search_fields = ("user__username",)
    list_select_related = ("user", "policy_version")


@admin.register(Click)
class ClickAdmin(ReadOnlyAdmin[Click]):
    # No IP address or user agent exists to show: only the bot flag and a daily visitor hash.
    list_display = ("share", "created_at", "is_bot", "agent")
    list_filter = ("is_bot", "agent")
    exclude = ("visitor_hash",)
    raw_id_fields = ("share",)
    date_hierarchy = "created_at"
    show_full_result_count = False  # tens of millions of rows: no COUNT(*) per page


@admin.register(MetricSnapshot)
class MetricSnapshotAdmin(ReadOnlyAdmin[MetricSnapshot]):
    list_display = ("share", "taken_at", "impressions", "reactions", "comments", "reposts")
    raw_id_fields = ("share",)
    date_hierarchy = "taken_at"
    show_full_result_count = False


@admin.register(SandboxPost)
class SandboxPostAdmin(ReadOnlyAdmin[SandboxPost]):
    list_display = ("author_name", "created_at", "audience")
    search_fields = ("author_name", "text")


class NetworkBudgetForm(forms.ModelForm[NetworkBudget]):
    class Meta:
        model = NetworkBudget
        fields = ("network", "monthly_limit")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        network = self.fields.get("network")
        if isinstance(network, forms.ChoiceField):
            # Only a network that bills per post (NETWORK_POST_COSTS) has a budget.
            network.choices = [
                (value, label)
                for value, label in Network.choices
                if value in settings.NETWORK_POST_COSTS
            ]

    def clean_monthly_limit(self) -> Any:
        limit = self.cleaned_data["monthly_limit"]
        if limit is not None and limit < 0:
            raise forms.ValidationError(_("A budget cannot be negative."), code="negative_budget")
        return limit


@admin.register(NetworkBudget)
class NetworkBudgetAdmin(admin.ModelAdmin[NetworkBudget]):
    """The monthly budget of a network that bills per post; also on /manage/budget/."""

    form = NetworkBudgetForm
    list_display = ("network", "monthly_limit", "updated_at")

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> tuple[str, ...]:
        return ("network",) if obj is not None else ()

    def save_model(self, request: HttpRequest, obj: NetworkBudget, form: Any, change: bool) -> None:
        # The one write path for budgets (the page and the API use it too).
        saved = budget_set(network=obj.network, monthly_limit=obj.monthly_limit)
        obj.pk, obj.updated_at = saved.pk, saved.updated_at


@admin.register(BudgetSpend)
class BudgetSpendAdmin(ReadOnlyAdmin[BudgetSpend]):
    """What each month cost: changed only by the workers' reservations."""

    list_display = ("network", "month", "spent")
    list_filter = ("network",)
    date_hierarchy = "month"


# The networks' apps are configured from the environment and their tokens live encrypted in
# NetworkAccount (allauth keeps none: SOCIALACCOUNT_STORE_TOKENS = False). allauth's pages for
# them would only invite a client secret or a token into the database in plain text.
for _model in (SocialApp, SocialToken):
    if admin.site.is_registered(_model):
        admin.site.unregister(_model)
