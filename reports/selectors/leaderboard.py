"""Points and the leaderboard. Only people who chose to appear on it (and are still opted
in) are listed; everyone else is simply not there, never shown as "hidden"."""

from dataclasses import dataclass

from django.db.models import F, IntegerField, Sum, Value
from django.db.models.functions import Coalesce

from advocacy.models import Team, User

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
    people = User.objects.filter(
        show_on_leaderboard=True, is_active=True, ambassador_since__isnull=False
    )
    if team is not None:
        people = people.filter(teams=team)
    zero = Value(0, output_field=IntegerField())
    # Only the rows of people on the leaderboard (an index range each), grouped without a join
    # to the users; the names are read for the rows shown.
    found = list(
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
        .annotate(
            points=F("shares_sum") * rule.per_share
            + F("clicks_sum") * rule.per_click
            + F("engagements_sum") * rule.per_engagement
        )
        .filter(points__gt=0)
        .order_by("-points", "user_id")[:limit]
    )
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
            engagements=row["engagements_sum"] or 0,
            points=row["points"] or 0,
        )
        for rank, row in enumerate(found, start=1)
    ]
