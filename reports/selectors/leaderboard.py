"""Points and the leaderboard. Only people who chose to appear on it (and are still opted
in) are listed; everyone else is simply not there, never shown as "hidden"."""

from dataclasses import dataclass
from typing import Any

from django.db.models import F, IntegerField, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce

from advocacy.models import Team, User
from reports.models import (
    PERIODS,
    AmbassadorDailyRollup,
    AmbassadorPeriodRollup,
    PointsRule,
    RollupRun,
)
from reports.selectors.figures import Period, in_period


@dataclass(frozen=True)
class Leader:
    rank: int
    name: str
    shares: int
    clicks: int
    # Reactions, comments and reposts the networks reported; None ("not available") when none
    # of the person's networks reported any in the period (X reports none), never 0. Points
    # count it as 0.
    engagements: int | None
    points: int


def points_rule() -> PointsRule:
    return PointsRule.objects.first() or PointsRule()


def period_rollups(*, period: Period) -> QuerySet[AmbassadorPeriodRollup] | None:
    """Each ambassador's sums over the period, one row per person, when the last rebuild made
    them for this period (the periods a report offers, ending today); else None."""
    if period.days not in PERIODS:
        return None
    run = RollupRun.objects.filter(name="daily").values_list("periods_until", flat=True).first()
    if run != period.until:
        return None
    return AmbassadorPeriodRollup.objects.filter(days=period.days, until=period.until).order_by()


def per_ambassador(*, period: Period, people: QuerySet[User]) -> QuerySet[Any]:
    """Rows of user_id, shares_sum, clicks_sum and engagements_sum over the period, for
    `people` only: from the period rollup (a row per person) when there is one for this
    period, else grouped from the per-day rows (a row per person and day)."""
    rows = period_rollups(period=period)
    if rows is not None:
        return rows.filter(user_id__in=people.values("pk")).values(
            "user_id",
            shares_sum=F("shares"),
            clicks_sum=F("human_clicks"),
            engagements_sum=F("engagements"),
        )
    zero = Value(0, output_field=IntegerField())
    return (
        AmbassadorDailyRollup.objects.filter(in_period(period), user_id__in=people.values("pk"))
        .order_by()
        .values("user_id")
        .annotate(
            shares_sum=Sum("shares"),
            clicks_sum=Sum("human_clicks"),
            # A withdrawn reaction can make a day's engagement negative; a figure no network
            # reported counts as no engagement (no points), never as a penalty.
            engagements_sum=Sum(
                Coalesce("reactions", zero) + Coalesce("comments", zero) + Coalesce("reposts", zero)
            ),
        )
    )


def leaderboard(*, period: Period, team: Team | None = None, limit: int = 10) -> list[Leader]:
    rule = points_rule()
    people = User.objects.filter(
        show_on_leaderboard=True, is_active=True, ambassador_since__isnull=False
    )
    if team is not None:
        people = people.filter(teams=team)
    # Only the rows of people on the leaderboard, without a join to the users; the names are
    # read for the rows shown.
    found = list(
        per_ambassador(period=period, people=people)
        .annotate(
            points=F("shares_sum") * rule.per_share
            + F("clicks_sum") * rule.per_click
            + F("engagements_sum") * rule.per_engagement
        )
        .filter(points__gt=0)
        .order_by("-points", "user_id")[:limit]
    )
    reported = engagement_reported(period=period, user_ids=[row["user_id"] for row in found])
    names = {
        pk: f"{first} {last}".strip() or username
        for pk, first, last, username in User.objects.filter(
            pk__in=[row["user_id"] for row in found]
        ).values_list("pk", "first_name", "last_name", "username")
    }
    return [
        Leader(
            rank=rank,
            name=names.get(row["user_id"], ""),
            shares=row["shares_sum"] or 0,
            clicks=row["clicks_sum"] or 0,
            engagements=(row["engagements_sum"] or 0) if row["user_id"] in reported else None,
            points=row["points"] or 0,
        )
        for rank, row in enumerate(found, start=1)
    ]


def engagement_reported(*, period: Period, user_ids: list[int]) -> set[int]:
    """Which of these people had a reaction, comment or repost count reported by a network in
    the period (a count of 0 included), as `Totals.engagements` tells "not available" from 0.
    The sums the leaderboard ranks count a figure nobody reported as 0, so this is read apart,
    for the rows shown only: one query, a few index seeks per person (rollup_ambassador_day_idx)."""
    if not user_ids:
        return set()
    reported = Q(reactions__isnull=False) | Q(comments__isnull=False) | Q(reposts__isnull=False)
    return set(
        AmbassadorDailyRollup.objects.filter(in_period(period), reported, user_id__in=user_ids)
        .order_by()
        .values_list("user_id", flat=True)
        .distinct()
    )


def active_people(*, period: Period) -> int | None:
    """How many people shared in the period, from the period rollup; None when there is none
    for this period (the caller counts from the per-day rows)."""
    rows = period_rollups(period=period)
    return None if rows is None else rows.filter(Q(shares__gt=0)).count()
