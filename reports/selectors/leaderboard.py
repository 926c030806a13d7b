"""Points and the leaderboard. Only people who chose to appear on it (and are still opted
in) are listed; everyone else is simply not there, never shown as "hidden"."""

from dataclasses import dataclass

from django.db.models import F, IntegerField, Sum, Value
from django.db.models.functions import Coalesce

from advocacy.models import Team

from ..models import AmbassadorDailyRollup, PointsRule
from .figures import Period, in_period


@dataclass(frozen=True)
class Leader:
    rank: int
    name: str
    shares: int
    clicks: int
    engagements: int
    points: int


def points_rule() -> PointsRule:
    return PointsRule.objects.first() or PointsRule()


def leaderboard(*, period: Period, team: Team | None = None, limit: int = 10) -> list[Leader]:
    rule = points_rule()
    rows = AmbassadorDailyRollup.objects.filter(
        in_period(period),
        user__show_on_leaderboard=True,
        user__is_active=True,
        user__ambassador_since__isnull=False,
    )
    if team is not None:
        rows = rows.filter(user__teams=team)
    zero = Value(0, output_field=IntegerField())
    found = (
        rows.order_by()
        .values("user_id", "user__username", "user__first_name", "user__last_name")
        .annotate(
            shares_sum=Sum("shares"),
            clicks_sum=Sum("human_clicks"),
            # A withdrawn reaction can make a day's engagement negative; a figure no network
            # reported counts as no engagement (no points), never as a penalty.
            engagements_sum=Sum(
                Coalesce("reactions", zero) + Coalesce("comments", zero) + Coalesce("reposts", zero)
            ),
        )
        .annotate(
            points=F("shares_sum") * rule.per_share
            + F("clicks_sum") * rule.per_click
            + F("engagements_sum") * rule.per_engagement
        )
        .filter(points__gt=0)
        .order_by("-points", "user__username")[:limit]
    )
    return [
        Leader(
            rank=rank,
            name=(f"{row['user__first_name']} {row['user__last_name']}".strip())
            or row["user__username"],
            shares=row["shares_sum"] or 0,
            clicks=row["clicks_sum"] or 0,
            engagements=row["engagements_sum"] or 0,
            points=row["points"] or 0,
        )
        for rank, row in enumerate(found, start=1)
    ]
