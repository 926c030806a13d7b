"""The campaign report (marketing, leadership): progress against the goal over the campaign's
run, its results per network, per team and per content item, and beside them what its posts
cost on the networks that bill per post (X), from the budget's own figures."""

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db.models import Sum
from django.utils import timezone

from advocacy.models import Network
from advocacy.publishing.costs import CampaignCost, campaign_costs
from campaigns.models import Campaign, ContentItem
from reports.days import report_zone
from reports.models import ItemDailyRollup, NetworkDailyRollup
from reports.selectors.figures import (
    Period,
    Totals,
    built_at,
    compared,
    currency,
    daily,
    network_rates,
    per_item,
    per_network,
    totals_of,
)
from reports.selectors.organisation import per_team

LONGEST_RUN = 366  # days drawn in the progress chart
GOAL_FIGURE = {
    Campaign.Goal.SHARES: "shares",
    Campaign.Goal.CLICKS: "clicks",
    Campaign.Goal.REACH: "potential_reach",
}
GOAL_SUM = {"shares": "shares", "clicks": "human_clicks", "potential_reach": "potential_reach"}


@dataclass
class NetworkCost:
    """What the campaign's posts cost on one network; `cost` is None when the network does
    not bill per post (LinkedIn, the sandbox)."""

    network: str
    label: str
    cost: CampaignCost | None


@dataclass
class CampaignReport:
    campaign: Campaign
    period: Period  # the run so far
    window: Period | None  # the days asked for (the API's period); None: everything
    totals: Totals  # everything the campaign's items earned
    current: Totals  # what they earned in the window (the totals when there is none)
    achieved: int
    target: int
    percent: int | None
    estimated: bool  # a reach goal is an estimate
    progress: list[tuple[date, int]]  # the goal's figure, cumulative per day
    days: list[dict[str, Any]]  # the figures per day of the window, or of the run
    networks: list[dict[str, Any]]
    teams: list[dict[str, Any]]
    items: list[dict[str, Any]]
    costs: list[NetworkCost]  # every network, in the order of Network
    currency: str
    built_at: Any


def campaign_run(*, campaign: Campaign, today: date | None = None) -> Period:
    today = today or timezone.localdate(timezone=report_zone())
    until = max(min(campaign.ends_on, today), campaign.starts_on)
    since = max(campaign.starts_on, until - timedelta(days=LONGEST_RUN - 1))
    return Period((until - since).days + 1, since, until)


def campaign_window(*, run: Period, days: int | None) -> Period | None:
    """The last `days` days of the run (up to today while it runs); None: everything."""
    if days is None:
        return None
    return Period(days, run.until - timedelta(days=days - 1), run.until)


def network_costs(*, campaign: Campaign) -> list[NetworkCost]:
    """Every network with what the campaign's posts cost on it, through the budget's own
    reads (one aggregate per billing network, never one query per share)."""
    billed = {cost.network: cost for cost in campaign_costs(campaign=campaign)}
    return [
        NetworkCost(network=network, label=str(label), cost=billed.get(network))
        for network, label in Network.choices
    ]


def campaign_report(
    *, campaign: Campaign, days: int | None = None, today: date | None = None
) -> CampaignReport:
    """The whole campaign, or with `days` its figures per day, network, team and item in the
    last `days` days of its run; the goal and its progress always count the whole run."""
    period = campaign_run(campaign=campaign, today=today)
    window = campaign_window(run=period, days=days)
    rates = network_rates()
    rows = NetworkDailyRollup.objects.filter(campaign=campaign, team__isnull=True).order_by()
    compared_totals = compared(rows, window or period, rates)
    totals = compared_totals["all_time"]
    figure = GOAL_FIGURE[Campaign.Goal(campaign.goal_metric)]
    # Shares made before the campaign started (an item added to it later) count towards it.
    running = int(rows.filter(day__lt=period.since).aggregate(n=Sum(GOAL_SUM[figure]))["n"] or 0)
    progress = []
    run_days = daily(rows, period)
    for row in run_days:
        running += getattr(row["totals"], figure)
        progress.append((row["day"], running))
    achieved = int(getattr(totals, figure))
    target = campaign.goal_target or 0
    per_content = ItemDailyRollup.objects.filter(campaign=campaign).order_by()
    earned = {row["content_item_id"]: row for row in per_item(per_content, window, limit=None)}
    items: list[dict[str, Any]] = [
        {"content_item_id": pk, "content_item__title": title, "totals": totals_of({})}
        | earned.get(pk, {})
        for pk, title in ContentItem.objects.filter(campaign=campaign)
        .order_by("title")
        .values_list("pk", "title")
    ]
    items.sort(key=lambda row: (-row["totals"].clicks, -row["totals"].shares))
    return CampaignReport(
        campaign=campaign,
        period=period,
        window=window,
        totals=totals,
        current=totals if window is None else compared_totals["current"],
        achieved=achieved,
        target=target,
        percent=round(100 * achieved / target) if target else None,
        estimated=figure == "potential_reach",
        progress=progress,
        days=run_days if window is None else daily(rows, window),
        networks=per_network(rows, window, rates),
        teams=per_team(
            NetworkDailyRollup.objects.filter(campaign=campaign, team__isnull=False).order_by(),
            window,
        ),
        items=items,
        costs=network_costs(campaign=campaign),
        currency=currency(rates),
        built_at=built_at(),
    )
