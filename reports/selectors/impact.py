"""My impact: one ambassador's shares, clicks, engagements, reach and points in a period
against the period before, from their own rollup rows, their best shares, and what colleagues
found worked (`tips`). Every read is a fixed number of queries, whatever the size of the data.
"""

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Count, Q

from advocacy.models import Share, User
from advocacy.networks import Network
from campaigns.models import ContentItem

from ..models import AmbassadorDailyRollup, DailyRollup, PointsRule
from .figures import (
    ENGAGEMENTS,
    Change,
    Period,
    Rollups,
    Totals,
    _row,
    _sums,
    built_at,
    changes,
    compared,
    currency,
    daily,
    in_period,
    network_rates,
    per_item,
    per_network,
    period_of,
)
from .leaderboard import points_rule
from .tips import Tip, impact_tips

BEST_SHARES = 5


def points_of(totals: Totals, rule: PointsRule) -> int:
    """The leaderboard's sum: a figure no network reported earns no points."""
    return (
        totals.shares * rule.per_share
        + totals.clicks * rule.per_click
        + (totals.engagements or 0) * rule.per_engagement
    )


@dataclass(frozen=True)
class Points:
    current: int
    previous: int
    all_time: int
    rule: PointsRule


@dataclass(frozen=True)
class BestShare:
    share_id: int | None  # None: the share was removed since
    content_item_id: int
    title: str
    network: str
    label: str
    totals: Totals
    points: int


@dataclass
class Impact:
    user: User
    period: Period
    totals: Totals
    previous: Totals
    all_time: Totals
    changes: dict[str, Change]
    points: Points
    days: list[dict[str, Any]]  # each with totals and points
    networks: list[dict[str, Any]]
    items: list[dict[str, Any]]
    best_shares: list[BestShare]
    tips: list[Tip]
    by_status: dict[str, int]
    currency: str
    built_at: Any


def my_rollups(*, user: User) -> Rollups:
    return DailyRollup.objects.filter(user=user).order_by()


def _engagements(row: dict[str, Any]) -> int:
    return sum(row.get(name) or 0 for name in ENGAGEMENTS)


def best_shares(*, user: User, period: Period, rule: PointsRule) -> list[BestShare]:
    """The person's shares with most clicks by people in the period, then engagements (one
    published share per item and network, so item and network name the share)."""
    found = sorted(
        my_rollups(user=user)
        .filter(in_period(period))
        .values("content_item_id", "network")
        .annotate(**_sums())
        .filter(
            Q(shares__gt=0)
            | Q(human_clicks__gt=0)
            | Q(impressions__isnull=False)
            | Q(reactions__isnull=False)
        ),
        key=lambda row: (-(row["human_clicks"] or 0), -_engagements(row), row["content_item_id"]),
    )[:BEST_SHARES]
    items = [row["content_item_id"] for row in found]
    titles = dict(ContentItem.objects.filter(pk__in=items).values_list("pk", "title"))
    shares = {
        (item, network): pk
        for pk, item, network in Share.objects.filter(
            user=user, status=Share.Status.PUBLISHED, content_item_id__in=items
        ).values_list("pk", "content_item_id", "network")
    }
    labels = dict(Network.choices)
    result = []
    for row in found:
        totals = _row(row)["totals"]
        key = (row["content_item_id"], row["network"])
        result.append(
            BestShare(
                share_id=shares.get(key),
                content_item_id=row["content_item_id"],
                title=titles.get(row["content_item_id"], ""),
                network=row["network"],
                label=str(labels.get(row["network"], row["network"])),
                totals=totals,
                points=points_of(totals, rule),
            )
        )
    return result


def shares_by_status(*, user: User) -> dict[str, int]:
    """Where the person's shares are now (failed and waiting ones too): read from their own
    shares, one grouped query, so a failure shows at once."""
    found = dict(
        Share.objects.filter(user=user)
        .order_by()
        .values("status")
        .annotate(count=Count("pk"))
        .values_list("status", "count")
    )
    return {status: found.get(status, 0) for status in Share.Status.values}


def my_impact(*, user: User, days: int, today: date | None = None) -> Impact:
    period = period_of(days=days, today=today)
    rates = network_rates()
    rule = points_rule()
    rows = my_rollups(user=user)
    totals = compared(rows, period, rates)
    networks = per_network(rows, period, rates)
    items = per_item(rows, period, limit=None)
    per_day = daily(AmbassadorDailyRollup.objects.filter(user=user).order_by(), period)
    points = Points(
        current=points_of(totals["current"], rule),
        previous=points_of(totals["previous"], rule),
        all_time=points_of(totals["all_time"], rule),
        rule=rule,
    )
    return Impact(
        user=user,
        period=period,
        totals=totals["current"],
        previous=totals["previous"],
        all_time=totals["all_time"],
        changes={
            **changes(totals["current"], totals["previous"]),
            "points": Change(points.current, points.previous),
        },
        points=points,
        days=[row | {"points": points_of(row["totals"], rule)} for row in per_day],
        networks=networks,
        items=items,
        best_shares=best_shares(user=user, period=period, rule=rule),
        tips=impact_tips(user=user, period=period, networks=networks, items=items),
        by_status=shares_by_status(user=user),
        currency=currency(rates),
        built_at=built_at(),
    )
