"""Reads of the reports domain: the team dashboard (and, through the same functions, the API),
all from the daily rollups, never from the raw Share / Click / MetricSnapshot rows.

Every figure is either measured (clicks we counted, metrics a network reported) or estimated
(potential reach, unique visitors, earned media value). A metric no network reported is None
("not available"), never 0. The number of queries is fixed: it does not grow with the data
or the length of the period.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.db.models import Count, Min, Q, QuerySet, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from advocacy.models import Share, Team, User
from advocacy.networks import Network
from campaigns.models import Campaign

from .models import DailyRollup, ItemDailyRollup, NetworkValue, RollupRun, TeamDailyRollup
from .services import day_bounds, report_zone

PERIODS = (7, 30, 90)
DEFAULT_PERIOD = 30
WIN_CLICKS = 50  # a share past this many clicks by people is a win
SUMMED = ("shares", "potential_reach", "human_clicks", "bot_clicks", "unique_visitors")
METRICS = ("impressions", "reactions", "comments", "reposts")
ENGAGEMENTS = ("reactions", "comments", "reposts")

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


@dataclass(frozen=True)
class Period:
    days: int
    since: date
    until: date  # inclusive

    @property
    def previous(self) -> "Period":
        return Period(
            self.days, self.since - timedelta(days=self.days), self.since - timedelta(days=1)
        )

    def dates(self) -> list[date]:
        return [self.since + timedelta(days=n) for n in range(self.days)]


def period_of(*, days: int, today: date | None = None) -> Period:
    today = today or timezone.localdate(timezone=report_zone())
    return Period(days, today - timedelta(days=days - 1), today)


def period_days(value: Any) -> int:
    """The period a page asks for, or the default: only the offered periods exist."""
    try:
        days = int(value)
    except (TypeError, ValueError):
        return DEFAULT_PERIOD
    return days if days in PERIODS else DEFAULT_PERIOD


@dataclass
class Totals:
    shares: int = 0
    clicks: int = 0  # measured: people, bots excluded
    bot_clicks: int = 0  # measured, shown apart
    unique_visitors: int = 0  # estimated
    potential_reach: int = 0  # estimated
    impressions: int | None = None  # measured by a network; None = not available
    reactions: int | None = None
    comments: int | None = None
    reposts: int | None = None
    emv: Decimal | None = None  # estimated; None when marketing set no values

    @property
    def engagements(self) -> int | None:
        parts = [getattr(self, name) for name in ENGAGEMENTS]
        present = [part for part in parts if part is not None]
        return sum(present) if present else None


def _sums(prefix: str = "", when: Q | None = None) -> dict[str, Any]:
    return {f"{prefix}{name}": Sum(name, filter=when) for name in (*SUMMED, *METRICS)}


def _totals(row: Mapping[str, Any], prefix: str = "") -> Totals:
    def summed(name: str) -> int:
        return int(row.get(f"{prefix}{name}") or 0)

    return Totals(
        shares=summed("shares"),
        clicks=summed("human_clicks"),
        bot_clicks=summed("bot_clicks"),
        unique_visitors=summed("unique_visitors"),
        potential_reach=summed("potential_reach"),
        **{name: row.get(f"{prefix}{name}") for name in METRICS},
    )


@dataclass(frozen=True)
class Rates:
    cpm: Decimal
    cpc: Decimal
    cpe: Decimal
    currency: str


def network_rates() -> dict[str, Rates]:
    return {
        value.network: Rates(value.cpm, value.cpc, value.cpe, value.currency)
        for value in NetworkValue.objects.all()
    }


def emv(totals: Totals, rates: Rates | None) -> Decimal | None:
    """Earned media value: what the same impressions, clicks and engagements would have cost
    as paid media. Only figures that were measured count; None when no rates are set."""
    if rates is None:
        return None
    value = Decimal(totals.clicks) * rates.cpc
    if totals.impressions is not None:
        value += Decimal(totals.impressions) / 1000 * rates.cpm
    if totals.engagements is not None:
        value += Decimal(totals.engagements) * rates.cpe
    return value.quantize(Decimal("0.01"))


def _emv_total(parts: list[Decimal | None]) -> Decimal | None:
    present = [part for part in parts if part is not None]
    return sum(present, Decimal(0)) if present else None


@dataclass
class Change:
    current: int | Decimal | None
    previous: int | Decimal | None

    @property
    def percent(self) -> int | None:
        if self.current is None or self.previous is None or not self.previous:
            return None
        return round(100 * (self.current - self.previous) / self.previous)

    @property
    def direction(self) -> str:
        if self.current is None or self.previous is None or self.current == self.previous:
            return "same"
        return "up" if self.current > self.previous else "down"


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
    extra: dict[str, Any] = field(default_factory=dict)


def _row(values: Mapping[str, Any], rates: dict[str, Rates] | None = None) -> dict[str, Any]:
    totals = _totals(values)
    if rates is not None and "network" in values:
        totals.emv = emv(totals, rates.get(values["network"]))
    return {**values, "totals": totals}


def team_rollups(*, team: Team) -> QuerySet[TeamDailyRollup]:
    return TeamDailyRollup.objects.filter(team=team).order_by()


def team_daily(*, team: Team, period: Period) -> list[dict[str, Any]]:
    """One entry per day of the period, days without activity included (a gap in a trend
    is a day of zeros, not a missing point)."""
    found = {
        row["day"]: row
        for row in team_rollups(team=team)
        .filter(day__gte=period.since, day__lte=period.until)
        .values("day")
        .annotate(**_sums())
    }
    return [_row(found.get(day, {"day": day})) | {"day": day} for day in period.dates()]


def team_networks(*, team: Team, period: Period, rates: dict[str, Rates]) -> list[dict[str, Any]]:
    rows = (
        team_rollups(team=team)
        .filter(day__gte=period.since, day__lte=period.until)
        .values("network")
        .annotate(**_sums())
        .order_by("network")
    )
    labels = dict(Network.choices)
    return [
        _row(row, rates) | {"label": labels.get(row["network"], row["network"])} for row in rows
    ]


def team_top_items(*, team: Team, period: Period, limit: int | None = 5) -> list[dict[str, Any]]:
    rows = (
        team_rollups(team=team)
        .filter(day__gte=period.since, day__lte=period.until)
        .values("content_item_id", "content_item__title")
        .annotate(**_sums())
        .filter(Q(shares__gt=0) | Q(human_clicks__gt=0))
        .order_by("-human_clicks", "-shares", "content_item_id")
    )
    return [_row(row) for row in (rows[:limit] if limit is not None else rows)]


def team_funnel(*, team: Team, period: Period) -> Funnel:
    members = User.objects.filter(teams=team, is_active=True).aggregate(
        eligible=Count("pk"), opted_in=Count("pk", filter=Q(ambassador_since__isnull=False))
    )
    active = (
        DailyRollup.objects.filter(
            user__teams=team,
            user__is_active=True,
            day__gte=period.since,
            day__lte=period.until,
            shares__gt=0,
        )
        .values("user_id")
        .distinct()
        .count()
    )
    return Funnel(eligible=members["eligible"], opted_in=members["opted_in"], active=active)


def team_wins(*, team: Team, period: Period) -> list[Win]:
    """Milestones the team reached in the period, told without naming anyone."""
    wins: list[Win] = []
    in_period = Q(day__gte=period.since, day__lte=period.until)
    newcomers = (
        DailyRollup.objects.filter(user__teams=team, shares__gt=0, day__lte=period.until)
        .values("user_id")
        .annotate(first=Min("day"))
        .filter(first__gte=period.since)
        .count()
    )
    if newcomers:
        wins.append(
            Win(
                "first_share",
                _("%(count)d colleague(s) shared for the first time. Welcome!")
                % {"count": newcomers},
            )
        )
    threshold = WIN_CLICKS
    popular = (
        DailyRollup.objects.filter(user__teams=team, day__lte=period.until)
        .values("user_id", "content_item_id", "network", "content_item__title")
        .annotate(
            total=Sum("human_clicks"),
            before=Coalesce(Sum("human_clicks", filter=Q(day__lt=period.since)), 0),
        )
        .filter(total__gte=threshold, before__lt=threshold)
        .order_by("-total")[:5]
    )
    labels = dict(Network.choices)
    for row in popular:
        wins.append(
            Win(
                "clicks",
                _("A share of “%(title)s” on %(network)s passed %(threshold)d clicks (%(total)d).")
                % {
                    "title": row["content_item__title"],
                    "network": labels.get(row["network"], row["network"]),
                    "threshold": threshold,
                    "total": row["total"],
                },
            )
        )
    campaign_ids = set(
        team_rollups(team=team)
        .filter(in_period, campaign__isnull=False)
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


def campaign_progress(*, campaign_ids: set[int]) -> list[dict[str, Any]]:
    """Each campaign's result against its goal, everyone counted once (whatever their teams)."""
    if not campaign_ids:
        return []
    sums = {
        row["campaign_id"]: row
        for row in ItemDailyRollup.objects.filter(campaign_id__in=campaign_ids)
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
        Share.objects.filter(user__teams=team, updated_at__gte=since, updated_at__lt=until)
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


def team_totals(*, team: Team, period: Period, rates: dict[str, Rates]) -> dict[str, Totals]:
    """This period, the one before it and all time, per network in one query (EMV is
    computed per network, with that network's rates)."""
    current = Q(day__gte=period.since, day__lte=period.until)
    previous = Q(day__gte=period.previous.since, day__lte=period.previous.until)
    rows = (
        team_rollups(team=team)
        .values("network")
        .annotate(**_sums("now_", current), **_sums("before_", previous), **_sums("all_"))
    )
    result: dict[str, Totals] = {}
    for prefix, name in (("now_", "current"), ("before_", "previous"), ("all_", "all_time")):
        parts = []
        for row in rows:
            totals = _totals(row, prefix)
            totals.emv = emv(totals, rates.get(row["network"]))
            parts.append(totals)
        result[name] = _add(parts)
    return result


def _add(parts: list[Totals]) -> Totals:
    total = Totals()
    for part in parts:
        total.shares += part.shares
        total.clicks += part.clicks
        total.bot_clicks += part.bot_clicks
        total.unique_visitors += part.unique_visitors
        total.potential_reach += part.potential_reach
        for name in METRICS:
            value = getattr(part, name)
            if value is not None:
                setattr(total, name, (getattr(total, name) or 0) + value)
    total.emv = _emv_total([part.emv for part in parts])
    return total


def team_dashboard(*, team: Team, days: int, today: date | None = None) -> Dashboard:
    period = period_of(days=days, today=today)
    rates = network_rates()
    totals = team_totals(team=team, period=period, rates=rates)
    current, previous = totals["current"], totals["previous"]
    changes = {
        name: Change(getattr(current, name), getattr(previous, name))
        for name in ("shares", "clicks", "engagements", "potential_reach", "emv")
    }
    currencies = {rate.currency for rate in rates.values()}
    run = RollupRun.objects.filter(name="daily").first()
    return Dashboard(
        team=team,
        period=period,
        funnel=team_funnel(team=team, period=period),
        totals=current,
        previous=previous,
        all_time=totals["all_time"],
        changes=changes,
        days=team_daily(team=team, period=period),
        networks=team_networks(team=team, period=period, rates=rates),
        top_items=team_top_items(team=team, period=period),
        wins=team_wins(team=team, period=period),
        learnings=team_learnings(team=team, period=period),
        currency=currencies.pop() if len(currencies) == 1 else "",
        built_at=run.built_at if run else None,
    )
