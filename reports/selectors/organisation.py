"""The organisation report (leadership, marketing): the same figures as a team's, for the
whole company (everyone once, from the per-item rollups) and per team."""

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q

from advocacy.models import Team, User
from reports.models import AmbassadorDailyRollup, ItemDailyRollup, NetworkDailyRollup, TeamDayRollup
from reports.selectors.figures import (
    Change,
    Period,
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
    with_totals,
)
from reports.selectors.leaderboard import Leader, active_people, leaderboard
from reports.selectors.team import Funnel


@dataclass
class OrganisationReport:
    period: Period
    funnel: Funnel
    totals: Totals
    previous: Totals
    all_time: Totals
    changes: dict[str, Change]
    days: list[dict[str, Any]]
    networks: list[dict[str, Any]]
    teams: list[dict[str, Any]]
    top_items: list[dict[str, Any]]
    leaders: list[Leader]
    currency: str
    built_at: Any


def organisation_funnel(*, period: Period) -> Funnel:
    people = User.objects.filter(is_active=True).aggregate(
        eligible=Count("pk"), opted_in=Count("pk", filter=Q(ambassador_since__isnull=False))
    )
    active = active_people(period=period)
    if active is None:  # not a period the rollups were made for: from the per-day rows
        # One index seek per person (rollup_ambassador_shared_idx), not a distinct count over
        # every ambassador-day of the period (bench/reports.py: 250 ms at 5,000 people).
        shared = AmbassadorDailyRollup.objects.filter(
            in_period(period), user=OuterRef("pk"), shares__gt=0
        )
        active = User.objects.filter(Exists(shared)).count()
    return Funnel(eligible=people["eligible"], opted_in=people["opted_in"], active=active)


def per_team(rows: Rollups, period: Period | None) -> list[dict[str, Any]]:
    """Figures per team. A person in two teams counts for both, so the rows add up to more
    than the organisation's total."""
    found = list(rows.filter(in_period(period)).values("team_id").annotate(**figure_sums()))
    # The names are read apart: a join per rollup row costs more than the grouping.
    names = dict(
        Team.objects.filter(pk__in=[row["team_id"] for row in found]).values_list("pk", "name")
    )
    return sorted(
        (with_totals(row) | {"team__name": names.get(row["team_id"], "")} for row in found),
        key=lambda row: (row["team__name"], row["team_id"]),
    )


def organisation_report(*, days: int, today: date | None = None) -> OrganisationReport:
    period = period_of(days=days, today=today)
    rates = network_rates()
    rows = NetworkDailyRollup.objects.filter(team__isnull=True).order_by()
    totals = compared(rows, period, rates)
    return OrganisationReport(
        period=period,
        funnel=organisation_funnel(period=period),
        totals=totals["current"],
        previous=totals["previous"],
        all_time=totals["all_time"],
        changes=changes(totals["current"], totals["previous"]),
        days=daily(rows, period),
        networks=per_network(rows, period, rates),
        teams=per_team(TeamDayRollup.objects.order_by(), period),
        top_items=per_item(ItemDailyRollup.objects.order_by(), period, limit=10),
        leaders=leaderboard(period=period),
        currency=currency(rates),
        built_at=built_at(),
    )
