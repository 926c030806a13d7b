"""The campaign report (marketing, leadership): progress against the goal over the campaign's
run, and its results per network, per team and per content item."""

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db.models import Sum
from django.utils import timezone

from campaigns.models import Campaign, ContentItem

from ..models import ItemDailyRollup, NetworkDailyRollup
from ..services import report_zone
from .figures import (
    Period,
    Totals,
    _totals,
    built_at,
    compared,
    currency,
    daily,
    network_rates,
    per_item,
    per_network,
)
from .organisation import per_team

LONGEST_RUN = 366  # days drawn in the progress chart
GOAL_FIGURE = {
    Campaign.Goal.SHARES: "shares",
    Campaign.Goal.CLICKS: "clicks",
    Campaign.Goal.REACH: "potential_reach",
}
GOAL_SUM = {"shares": "shares", "clicks": "human_clicks", "potential_reach": "potential_reach"}


@dataclass
class CampaignReport:
    campaign: Campaign
    period: Period  # the run so far
    totals: Totals  # everything the campaign's items earned
    achieved: int
    target: int
    percent: int | None
    estimated: bool  # a reach goal is an estimate
    progress: list[tuple[date, int]]  # the goal's figure, cumulative per day
    networks: list[dict[str, Any]]
    teams: list[dict[str, Any]]
    items: list[dict[str, Any]]
    currency: str
    built_at: Any


def campaign_run(*, campaign: Campaign, today: date | None = None) -> Period:
    today = today or timezone.localdate(timezone=report_zone())
    until = max(min(campaign.ends_on, today), campaign.starts_on)
    since = max(campaign.starts_on, until - timedelta(days=LONGEST_RUN - 1))
    return Period((until - since).days + 1, since, until)


def campaign_report(*, campaign: Campaign, today: date | None = None) -> CampaignReport:
    period = campaign_run(campaign=campaign, today=today)
    rates = network_rates()
    rows = NetworkDailyRollup.objects.filter(campaign=campaign, team__isnull=True).order_by()
    totals = compared(rows, period, rates)["all_time"]
    figure = GOAL_FIGURE[Campaign.Goal(campaign.goal_metric)]
    # Shares made before the campaign started (an item added to it later) count towards it.
    running = int(rows.filter(day__lt=period.since).aggregate(n=Sum(GOAL_SUM[figure]))["n"] or 0)
    progress = []
    for row in daily(rows, period):
        running += getattr(row["totals"], figure)
        progress.append((row["day"], running))
    achieved = int(getattr(totals, figure))
    target = campaign.goal_target or 0
    per_content = ItemDailyRollup.objects.filter(campaign=campaign).order_by()
    earned = {row["content_item_id"]: row for row in per_item(per_content, None, limit=None)}
    items: list[dict[str, Any]] = [
        {"content_item_id": pk, "content_item__title": title, "totals": _totals({})}
        | earned.get(pk, {})
        for pk, title in ContentItem.objects.filter(campaign=campaign)
        .order_by("title")
        .values_list("pk", "title")
    ]
    items.sort(key=lambda row: (-row["totals"].clicks, -row["totals"].shares))
    return CampaignReport(
        campaign=campaign,
        period=period,
        totals=totals,
        achieved=achieved,
        target=target,
        percent=round(100 * achieved / target) if target else None,
        estimated=figure == "potential_reach",
        progress=progress,
        networks=per_network(rows, None, rates),
        teams=per_team(
            NetworkDailyRollup.objects.filter(campaign=campaign, team__isnull=False).order_by(),
            None,
        ),
        items=items,
        currency=currency(rates),
        built_at=built_at(),
    )
