"""The team dashboard: what a team achieved in a period, for its motivators (and marketing
and leadership), from the per-team rollups. Wins and learnings never name a person."""

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Sum
from django.utils.translation import gettext_lazy as _

from advocacy.models import Network, Share, Team, User
from campaigns.models import Campaign, ContentItem
from reports.days import day_bounds
from reports.models import AmbassadorDailyRollup, DailyRollup, NetworkDailyRollup, TeamDailyRollup
from reports.selectors.figures import (
    Change,
    Period,
    Totals,
    built_at,
    changes,
    compared,
    currency,
    daily,
    network_rates,
    per_item,
    per_network,
    period_of,
)
from reports.selectors.leaderboard import Leader, leaderboard

WIN_CLICKS = 50  # a share past this many clicks by people is a win

# Learnings: what each cause means and how to avoid it. Grouped and counted, never named.
HOW_TO_AVOID: dict[str, Any] = {
    Share.Problem.RECONNECT: _(
        "A connection expired (LinkedIn asks again every 60 days). Reconnecting on "
        "“My networks” when the reminder arrives keeps scheduled shares going."
    ),
    Share.Problem.POLICY: _(
        "A caption broke a rule of the fair-use policy (a blocked term or the missing "
        "disclosure). The editor shows the rule while typing; the policy page explains why."
    ),
    Share.Problem.DUPLICATE_CAPTION: _(
        "The network refused a caption identical to one posted before. A personal note in "
        "your own words avoids it and reads better too."
    ),
    Share.Problem.RATE_LIMIT: _(
        "The network's posting limit was reached, so shares waited. Spreading shares over "
        "the day (the personal queue does this) avoids the wait."
    ),
    Share.Problem.BUDGET: _(
        "The monthly budget for paid posts (X) was used up. Marketing can raise it, or "
        "shares can go to LinkedIn instead."
    ),
    Share.Problem.REFUSED: _(
        "The network refused the post. Checking the link and the caption's length before "
        "sharing helps; the share's page shows the network's own reason."
    ),
    Share.Problem.ITEM_GONE: _(
        "The content expired or was withdrawn before the share went out. Sharing soon "
        "after an item appears avoids it."
    ),
    Share.Problem.NOT_CONFIRMED: _(
        "The network did not confirm the post. Checking the post on the network and "
        "sharing again if it is missing solves it."
    ),
}


@dataclass
class Funnel:
    eligible: int
    opted_in: int
    active: int


@dataclass
class Win:
    kind: str
    text: str


@dataclass
class Learning:
    problem: str
    label: str
    count: int
    how_to_avoid: str


@dataclass
class Dashboard:
    team: Team
    period: Period
    funnel: Funnel
    totals: Totals
    previous: Totals
    all_time: Totals
    changes: dict[str, Change]
    days: list[dict[str, Any]]
    networks: list[dict[str, Any]]
    top_items: list[dict[str, Any]]
    wins: list[Win]
    learnings: list[Learning]
    currency: str
    built_at: Any
    leaders: list[Leader] = field(default_factory=list)


def team_rollups(*, team: Team) -> QuerySet[TeamDailyRollup]:
    return TeamDailyRollup.objects.filter(team=team).order_by()


def team_members(*, team: Team) -> QuerySet[Any]:
    """The ids of the team's members, from the membership table alone (a join through the
    users would read every user of the company)."""
    return User.teams.through.objects.filter(team=team).values("user_id")


def team_funnel(*, team: Team, period: Period) -> Funnel:
    """The team's active members, those who opted in and those who shared in the period: a
    seek per member (rollup_ambassador_shared_idx), found through the membership table."""
    members = User.objects.filter(pk__in=team_members(team=team), is_active=True)
    counts = members.aggregate(
        eligible=Count("pk"), opted_in=Count("pk", filter=Q(ambassador_since__isnull=False))
    )
    shared = AmbassadorDailyRollup.objects.filter(
        user_id=OuterRef("pk"), day__gte=period.since, day__lte=period.until, shares__gt=0
    )
    active = members.filter(Exists(shared)).count()
    return Funnel(eligible=counts["eligible"], opted_in=counts["opted_in"], active=active)


def team_wins(*, team: Team, period: Period) -> list[Win]:
    """Milestones the team reached in the period, told without naming anyone."""
    wins: list[Win] = []
    in_period = Q(day__gte=period.since, day__lte=period.until)
    newcomers = team_newcomers(team=team, period=period)
    if newcomers:
        wins.append(
            Win(
                "first_share",
                _("%(count)d colleague(s) shared for the first time. Welcome!")
                % {"count": newcomers},
            )
        )
    labels = dict(Network.choices)
    for row in popular_shares(team=team, period=period):
        wins.append(
            Win(
                "clicks",
                _("A share of “%(title)s” on %(network)s passed %(threshold)d clicks (%(total)d).")
                % {
                    "title": row["content_item__title"],
                    "network": labels.get(row["network"], row["network"]),
                    "threshold": WIN_CLICKS,
                    "total": row["total"],
                },
            )
        )
    campaign_ids = set(
        NetworkDailyRollup.objects.filter(team=team, campaign__isnull=False)
        .filter(in_period)
        .order_by()
        .values_list("campaign_id", flat=True)
        .distinct()
    )
    for progress in campaign_progress(campaign_ids=campaign_ids):
        if progress["met"]:
            wins.append(
                Win(
                    "campaign_goal",
                    _("The campaign “%(name)s” reached its goal of %(target)d %(metric)s.")
                    % {
                        "name": progress["campaign"].name,
                        "target": progress["campaign"].goal_target,
                        "metric": progress["campaign"].get_goal_metric_display(),
                    },
                )
            )
    return wins


def team_newcomers(*, team: Team, period: Period) -> int:
    """Members who shared in the period and never before it: two seeks per member in
    rollup_ambassador_shared_idx, whatever the length of the team's history."""
    shared = AmbassadorDailyRollup.objects.filter(user_id=OuterRef("user_id"), shares__gt=0)
    return (
        User.teams.through.objects.filter(team=team)
        .filter(
            Exists(shared.filter(day__gte=period.since, day__lte=period.until)),
            ~Exists(shared.filter(day__lt=period.since)),
        )
        .count()
    )


def popular_shares(*, team: Team, period: Period, limit: int = 5) -> list[dict[str, Any]]:
    """The team's shares published in the period that passed WIN_CLICKS clicks by people,
    most clicked first. Read from the period's rollup rows of the team's members only (a
    share's rows start on the day it was published, so these sums are its whole count), not
    from the team's whole click history; the items' titles are read for the rows shown."""
    found = list(
        DailyRollup.objects.filter(
            user_id__in=team_members(team=team), day__gte=period.since, day__lte=period.until
        )
        .order_by()
        .values("user_id", "content_item_id", "network")
        .annotate(total=Sum("human_clicks"), published=Sum("shares"))
        .filter(published__gt=0, total__gte=WIN_CLICKS)
        .order_by("-total", "user_id", "content_item_id", "network")[:limit]
    )
    titles = dict(
        ContentItem.objects.filter(pk__in=[row["content_item_id"] for row in found]).values_list(
            "pk", "title"
        )
    )
    return [row | {"content_item__title": titles.get(row["content_item_id"], "")} for row in found]


def campaign_progress(*, campaign_ids: set[int]) -> list[dict[str, Any]]:
    """Each campaign's result against its goal, everyone counted once (whatever their teams)."""
    if not campaign_ids:
        return []
    sums = {
        row["campaign_id"]: row
        for row in NetworkDailyRollup.objects.filter(
            campaign_id__in=campaign_ids, team__isnull=True
        )
        .order_by()
        .values("campaign_id")
        .annotate(shares=Sum("shares"), clicks=Sum("human_clicks"), reach=Sum("potential_reach"))
    }
    result = []
    for campaign in Campaign.objects.filter(pk__in=campaign_ids).order_by("name"):
        row: Mapping[str, Any] = sums.get(campaign.pk, {})
        # The goal's metric names the sum: shares, clicks or reach.
        achieved = int(row.get(campaign.goal_metric) or 0)
        target = campaign.goal_target or 0
        result.append(
            {
                "campaign": campaign,
                "achieved": achieved,
                "target": target,
                "met": bool(target) and achieved >= target,
            }
        )
    return result


def team_learnings(*, team: Team, period: Period) -> list[Learning]:
    """Shares that failed, are held or wait, grouped by cause, with how to avoid each. Read
    from the shares themselves: they are few, found through the team's members, and a
    rollup would hide when a problem was solved. Never names a person."""
    since, until = day_bounds(period.since, period.until)
    counts = (
        Share.objects.filter(
            user_id__in=team_members(team=team), updated_at__gte=since, updated_at__lt=until
        )
        .exclude(problem="")
        .exclude(status=Share.Status.PUBLISHED)
        .order_by()
        .values("problem")
        .annotate(count=Count("pk"))
    )
    labels = dict(Share.Problem.choices)
    return sorted(
        (
            Learning(
                problem=row["problem"],
                label=str(labels.get(row["problem"], row["problem"])),
                count=row["count"],
                how_to_avoid=str(HOW_TO_AVOID.get(row["problem"], "")),
            )
            for row in counts
        ),
        key=lambda learning: (-learning.count, learning.problem),
    )


def team_dashboard(*, team: Team, days: int, today: date | None = None) -> Dashboard:
    period = period_of(days=days, today=today)
    rates = network_rates()
    rows = NetworkDailyRollup.objects.filter(team=team).order_by()
    totals = compared(rows, period, rates)
    return Dashboard(
        team=team,
        period=period,
        funnel=team_funnel(team=team, period=period),
        totals=totals["current"],
        previous=totals["previous"],
        all_time=totals["all_time"],
        changes=changes(totals["current"], totals["previous"]),
        days=daily(rows, period),
        networks=per_network(rows, period, rates),
        top_items=per_item(team_rollups(team=team), period),
        wins=team_wins(team=team, period=period),
        learnings=team_learnings(team=team, period=period),
        currency=currency(rates),
        built_at=built_at(),
        leaders=leaderboard(period=period, team=team),
    )
