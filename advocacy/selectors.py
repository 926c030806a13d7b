"""Reads of the advocacy domain: access checks (404 for what a person may not see) and the
figures behind "my impact", the team page and the campaign page.

Every figure says whether it is measured (clicks we counted, metrics a network reported) or
estimated (potential reach); a figure no network provided is None ("not available"), never 0.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery, Sum
from django.http import Http404
from django.utils import timezone

from campaigns.models import Campaign, ContentItem

from .models import AutoShareConsent, MetricSnapshot, NetworkAccount, Share, Team, User
from .roles import can_view_team, sees_everything

METRIC_NAMES = ("impressions", "reactions", "comments", "reposts")
HUMAN_CLICKS = Count("clicks", filter=Q(clicks__is_bot=False), distinct=True)
BOT_CLICKS = Count("clicks", filter=Q(clicks__is_bot=True), distinct=True)


def share_access(*, user: User, share_id: int) -> Share:
    """The user's own share, or 404: another person's share does not exist for them."""
    share = (
        Share.objects.select_related("content_item", "content_item__campaign", "account")
        .filter(pk=share_id, user=user)
        .first()
    )
    if share is None:
        raise Http404("No such share.")
    return share


def account_access(*, user: User, account_id: int) -> NetworkAccount:
    account = NetworkAccount.objects.filter(pk=account_id, user=user).first()
    if account is None:
        raise Http404("No such account.")
    return account


def consent_access(*, user: User, consent_id: int) -> AutoShareConsent:
    """The user's own auto-sharing consent, or 404."""
    consent = AutoShareConsent.objects.filter(pk=consent_id, user=user).first()
    if consent is None:
        raise Http404("No such consent.")
    return consent


def team_access(*, user: User, team_id: int) -> Team:
    team = Team.objects.filter(pk=team_id).first()
    if team is None or not can_view_team(user, team):
        raise Http404("No such team.")
    return team


def campaign_access(*, user: User, campaign_id: int) -> Campaign:
    if not sees_everything(user):
        raise Http404("No such campaign.")
    campaign = Campaign.objects.filter(pk=campaign_id).first()
    if campaign is None:
        raise Http404("No such campaign.")
    return campaign


def teams_visible(*, user: User) -> QuerySet[Team]:
    if sees_everything(user):
        return Team.objects.all()
    return Team.objects.filter(motivators=user)


def shares_for_user(*, user: User) -> QuerySet[Share]:
    latest = MetricSnapshot.objects.filter(share=OuterRef("pk")).order_by("-taken_at")
    return (
        Share.objects.filter(user=user)
        .select_related("content_item", "account")
        .annotate(
            human_clicks=HUMAN_CLICKS,
            impressions=Subquery(latest.values("impressions")[:1]),
            reactions=Subquery(latest.values("reactions")[:1]),
        )
    )


def accounts_for_user(*, user: User) -> QuerySet[NetworkAccount]:
    return NetworkAccount.objects.filter(user=user)


@dataclass
class Figures:
    shares: int = 0
    clicks: int = 0  # measured: tracked-link clicks by people (bots excluded)
    bot_visits: int = 0  # measured, shown apart
    potential_reach: int = 0  # estimated: followers at share time
    impressions: int | None = None  # measured by the network; None = not available
    engagements: int | None = None
    extra: dict[str, Any] = field(default_factory=dict)


def _figures(shares: QuerySet[Share]) -> Figures:
    published = shares.filter(status=Share.Status.PUBLISHED)
    counts = published.aggregate(
        shares=Count("pk", distinct=True),
        reach=Sum("potential_reach"),
    )
    clicks = published.aggregate(human=HUMAN_CLICKS, bots=BOT_CLICKS)
    # Each share's latest snapshot, summed in the database. A figure no network reported is
    # NULL in every row, so its sum stays None ("not available"), never 0.
    latest = MetricSnapshot.objects.filter(share=OuterRef("pk")).order_by("-taken_at")
    metrics = published.annotate(
        **{f"latest_{name}": Subquery(latest.values(name)[:1]) for name in METRIC_NAMES}
    ).aggregate(**{name: Sum(f"latest_{name}") for name in METRIC_NAMES})
    parts = [metrics[name] for name in ("reactions", "comments", "reposts")]
    engagements = (
        sum(p for p in parts if p is not None) if any(p is not None for p in parts) else None
    )
    return Figures(
        shares=counts["shares"] or 0,
        clicks=clicks["human"] or 0,
        bot_visits=clicks["bots"] or 0,
        potential_reach=counts["reach"] or 0,
        impressions=metrics["impressions"],
        engagements=engagements,
    )


def stats_for_user(*, user: User) -> dict[str, Any]:
    shares = Share.objects.filter(user=user)
    by_status = dict(shares.values_list("status").annotate(n=Count("pk")))
    figures = _figures(shares)
    return {
        "figures": figures,
        "by_status": {status: by_status.get(status, 0) for status in Share.Status.values},
        "best_shares": list(
            shares_for_user(user=user)
            .filter(status=Share.Status.PUBLISHED)
            .order_by("-human_clicks", "-published_at")[:5]  # type: ignore[misc]
        ),
    }


def period_bounds(*, days: int = 30, until: datetime | None = None) -> tuple[datetime, datetime]:
    until = until or timezone.now()
    return until - timedelta(days=days), until


def stats_for_team(*, team: Team, since: datetime, until: datetime) -> dict[str, Any]:
    members = User.objects.filter(teams=team, is_active=True)
    shares = Share.objects.filter(user__teams=team)
    in_period = shares.filter(published_at__gte=since, published_at__lt=until)
    active = in_period.filter(status=Share.Status.PUBLISHED).values("user").distinct().count()
    top_items = (
        ContentItem.objects.filter(shares__in=in_period.filter(status=Share.Status.PUBLISHED))
        .annotate(
            share_count=Count("shares", distinct=True),
            click_count=Count(
                "shares__clicks",
                filter=Q(shares__clicks__is_bot=False, shares__user__teams=team),
                distinct=True,
            ),
        )
        .order_by("-click_count", "-share_count")[:5]
    )
    return {
        "team": team,
        "since": since,
        "until": until,
        "eligible": members.count(),
        "opted_in": members.filter(ambassador_since__isnull=False).count(),
        "active": active,
        "period": _figures(in_period),
        "all_time": _figures(shares),
        "top_items": list(top_items),
    }


def stats_for_campaign(*, campaign: Campaign) -> dict[str, Any]:
    shares = Share.objects.filter(content_item__campaign=campaign)
    figures = _figures(shares)
    achieved = {
        Campaign.Goal.SHARES: figures.shares,
        Campaign.Goal.CLICKS: figures.clicks,
        Campaign.Goal.REACH: figures.potential_reach,
    }[Campaign.Goal(campaign.goal_metric)]
    target = campaign.goal_target or 0
    return {
        "campaign": campaign,
        "figures": figures,
        "goal_metric": campaign.goal_metric,
        "goal_target": target,
        "goal_achieved": achieved,
        "goal_percent": round(100 * achieved / target) if target else None,
        "items": list(
            ContentItem.objects.filter(campaign=campaign).annotate(
                share_count=Count(
                    "shares", filter=Q(shares__status=Share.Status.PUBLISHED), distinct=True
                ),
                click_count=Count(
                    "shares__clicks", filter=Q(shares__clicks__is_bot=False), distinct=True
                ),
            )
        ),
    }


def today_local() -> date:
    return timezone.localdate()
