"""The figures behind "my impact" and the campaign page: an ambassador's and a campaign's
shares, clicks, reach and engagements.

Every figure says whether it is measured (clicks we counted, metrics a network reported) or
estimated (potential reach); a figure no network provided is None ("not available"), never 0.
"""

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery, Sum

from advocacy.models import MetricSnapshot, Share, User
from advocacy.sharing.selectors import HUMAN_CLICKS, shares_for_user
from campaigns.models import Campaign, ContentItem

METRIC_NAMES = ("impressions", "reactions", "comments", "reposts")
BOT_CLICKS = Count("clicks", filter=Q(clicks__is_bot=True), distinct=True)


@dataclass
class Figures:
    shares: int = 0
    clicks: int = 0  # measured: tracked-link clicks by people (bots excluded)
    bot_visits: int = 0  # measured, shown apart
    # Estimated: followers at share time; None when no share went to a network that gives
    # an audience (LinkedIn gives none): a sum of nothing is not 0.
    potential_reach: int | None = 0
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
        potential_reach=counts["reach"] if counts["shares"] else 0,
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
            # django-stubs check order_by against the model's fields: human_clicks is an
            # annotation of shares_for_user.
            .order_by("-human_clicks", "-published_at")[:5]  # type: ignore[misc]
        ),
    }


def stats_for_campaign(*, campaign: Campaign) -> dict[str, Any]:
    shares = Share.objects.filter(content_item__campaign=campaign)
    figures = _figures(shares)
    achieved = {
        Campaign.Goal.SHARES: figures.shares,
        Campaign.Goal.CLICKS: figures.clicks,
        Campaign.Goal.REACH: figures.potential_reach or 0,
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
