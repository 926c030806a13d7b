"""My impact: one ambassador's shares, clicks, engagements, reach and points in a period
against the period before, from their own rollup rows, their best shares, what colleagues
found worked (`tips`), and the totals of the teams they are in (`my_teams`). Every read is a
fixed number of queries, whatever the size of the data or the number of teams.
"""

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q

from advocacy.models import Network, Share, Team, User
from campaigns.models import ContentItem
from reports.models import AmbassadorDailyRollup, DailyRollup, NetworkDailyRollup, PointsRule
from reports.selectors.figures import (
    ENGAGEMENTS,
    Change,
    Period,
    Rates,
    Rollups,
    Totals,
    built_at,
    changes,
    compared,
    currency,
    daily,
    figure_sums,
    in_period,
    network_rates,
    per_item,
    per_network,
    period_of,
    totals_sum,
    with_totals,
)
from reports.selectors.leaderboard import points_rule
from reports.selectors.team import Funnel
from reports.selectors.tips import Tip, impact_tips

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


@dataclass(frozen=True)
class MyTeam:
    """A team's totals for the period, as its ambassadors get them from the team API:
    everyone together, nobody named."""

    team_id: int
    name: str
    funnel: Funnel
    totals: Totals
    motivated: bool  # the reader motivates it: the whole dashboard is theirs to open


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
    teams: list[MyTeam]
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
        .annotate(**figure_sums())
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
        totals = with_totals(row)["totals"]
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


def my_teams(*, user: User, period: Period, rates: dict[str, Rates]) -> list[MyTeam]:
    """The totals of each team the person is in, with the team dashboard's figures (the same
    rollup rows, the same sums as `team_funnel` and `compared`), in two queries for all of
    their teams. Only for ambassadors, as /api/stats/teams/<id>/ gives them."""
    if not user.is_ambassador:
        return []
    shared = AmbassadorDailyRollup.objects.filter(
        in_period(period), user=OuterRef("members"), shares__gt=0
    )
    member = Q(members__is_active=True)
    # The membership is matched in a subquery: a filter on `members` here would be the very
    # join the counts read, and count the reader alone.
    teams = list(
        Team.objects.filter(pk__in=user.teams.values("pk"))
        .annotate(
            eligible=Count("members", filter=member, distinct=True),
            opted_in=Count(
                "members", filter=member & Q(members__ambassador_since__isnull=False), distinct=True
            ),
            active=Count("members", filter=member & Q(Exists(shared)), distinct=True),
            motivated=Exists(
                Team.motivators.through.objects.filter(team=OuterRef("pk"), user=user)
            ),
        )
        .order_by("name")
    )
    if not teams:
        return []
    parts: dict[int, list[Totals]] = {team.pk: [] for team in teams}
    for row in (
        NetworkDailyRollup.objects.filter(in_period(period), team_id__in=parts)
        .order_by()
        .values("team_id", "network")
        .annotate(**figure_sums())
    ):
        # Per network first: earned media value is counted at each network's rates.
        parts[row["team_id"]].append(with_totals(row, rates)["totals"])
    return [
        MyTeam(
            team_id=team.pk,
            name=team.name,
            funnel=Funnel(eligible=team.eligible, opted_in=team.opted_in, active=team.active),
            totals=totals_sum(parts[team.pk]),
            motivated=team.motivated,
        )
        for team in teams
    ]


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
        teams=my_teams(user=user, period=period, rates=rates),
        by_status=shares_by_status(user=user),
        currency=currency(rates),
        built_at=built_at(),
    )
