"""What every report is made of: the period, totals with measured and estimated figures,
earned media value, the change against the previous period, and the generic reads of a set
of rollup rows (per day, per network, per item), whoever the rows belong to (a team, a
campaign, the organisation).

A metric no network reported is None ("not available"), never 0. Every read here is one
query, whatever the size of the data or the length of the period.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.db.models import Q, QuerySet, Sum
from django.utils import timezone

from advocacy.models import Network
from campaigns.models import ContentItem
from reports.days import report_zone
from reports.models import METRICS, PERIODS, SUMMED, NetworkValue, RollupRun

DEFAULT_PERIOD = 30
ENGAGEMENTS = ("reactions", "comments", "reposts")
# A queryset of TeamDailyRollup or ItemDailyRollup rows (the same figure columns).
Rollups = QuerySet[Any]


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
    # Estimated: followers at share time, of the `reach_shares` shares whose network gives an
    # audience (LinkedIn gives none). See `known_reach` and `reach_partial`.
    potential_reach: int = 0
    reach_shares: int = 0
    impressions: int | None = None  # measured by a network; None = not available
    reactions: int | None = None
    comments: int | None = None
    reposts: int | None = None
    emv: Decimal | None = None  # estimated; None when marketing set no values

    @property
    def known_reach(self) -> int | None:
        """The potential reach, or None ("not available") when shares were published but
        none on a network that gives an audience: a sum of nothing is not 0."""
        return None if self.shares and not self.reach_shares else self.potential_reach

    @property
    def reach_partial(self) -> bool:
        """The potential reach covers only some of the shares (the networks that give it)."""
        return 0 < self.reach_shares < self.shares

    @property
    def engagements(self) -> int | None:
        parts = [getattr(self, name) for name in ENGAGEMENTS]
        present = [part for part in parts if part is not None]
        return sum(present) if present else None


def figure_sums(prefix: str = "", when: Q | None = None) -> dict[str, Any]:
    """The sum of each figure column (`when` the rows match), named with the prefix."""
    return {f"{prefix}{name}": Sum(name, filter=when) for name in (*SUMMED, *METRICS)}


def totals_of(row: Mapping[str, Any], prefix: str = "") -> Totals:
    """The totals of a row of `figure_sums` (without earned media value)."""

    def summed(name: str) -> int:
        return int(row.get(f"{prefix}{name}") or 0)

    return Totals(
        shares=summed("shares"),
        clicks=summed("human_clicks"),
        bot_clicks=summed("bot_clicks"),
        unique_visitors=summed("unique_visitors"),
        potential_reach=summed("potential_reach"),
        reach_shares=summed("reach_shares"),
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


def with_totals(values: Mapping[str, Any], rates: dict[str, Rates] | None = None) -> dict[str, Any]:
    """The row of `figure_sums` with its totals, and their earned media value at the rates
    of the row's network, when given."""
    totals = totals_of(values)
    if rates is not None and "network" in values:
        totals.emv = emv(totals, rates.get(values["network"]))
    return {**values, "totals": totals}


def totals_sum(parts: list[Totals]) -> Totals:
    """The totals added up: a metric no part reported stays None, earned media value too."""
    total = Totals()
    for part in parts:
        total.shares += part.shares
        total.clicks += part.clicks
        total.bot_clicks += part.bot_clicks
        total.unique_visitors += part.unique_visitors
        total.potential_reach += part.potential_reach
        total.reach_shares += part.reach_shares
        for name in METRICS:
            value = getattr(part, name)
            if value is not None:
                setattr(total, name, (getattr(total, name) or 0) + value)
    total.emv = _emv_total([part.emv for part in parts])
    return total


def in_period(period: Period | None) -> Q:
    return Q() if period is None else Q(day__gte=period.since, day__lte=period.until)


def daily(rows: Rollups, period: Period) -> list[dict[str, Any]]:
    """One entry per day of the period, days without activity included (a day of zeros in
    a trend, not a missing point)."""
    found = {
        row["day"]: row
        for row in rows.filter(in_period(period)).values("day").annotate(**figure_sums()).order_by()
    }
    return [with_totals(found.get(day, {"day": day})) | {"day": day} for day in period.dates()]


def per_network(
    rows: Rollups, period: Period | None, rates: dict[str, Rates]
) -> list[dict[str, Any]]:
    found = (
        rows.filter(in_period(period))
        .values("network")
        .annotate(**figure_sums())
        .order_by("network")
    )
    labels = dict(Network.choices)
    return [
        with_totals(row, rates) | {"label": labels.get(row["network"], row["network"])}
        for row in found
    ]


def per_item(rows: Rollups, period: Period | None, limit: int | None = 5) -> list[dict[str, Any]]:
    """The content with the most clicks by people, then shares. Grouped without the items'
    titles (a join per rollup row), which are read for the rows shown only."""
    found = list(
        rows.filter(in_period(period))
        .values("content_item_id")
        .annotate(**figure_sums())
        .filter(Q(shares__gt=0) | Q(human_clicks__gt=0))
        .order_by("-human_clicks", "-shares", "content_item_id")[:limit]
    )
    titles = dict(
        ContentItem.objects.filter(pk__in=[row["content_item_id"] for row in found]).values_list(
            "pk", "title"
        )
    )
    return [
        with_totals(row) | {"content_item__title": titles.get(row["content_item_id"], "")}
        for row in found
    ]


def compared(rows: Rollups, period: Period, rates: dict[str, Rates]) -> dict[str, Totals]:
    """This period, the one before it and all time, per network in one query (EMV is
    computed per network, with that network's rates)."""
    previous = period.previous
    found = (
        rows.values("network")
        .annotate(
            **figure_sums("now_", in_period(period)),
            **figure_sums("before_", in_period(previous)),
            **figure_sums("all_"),
        )
        .order_by()
    )
    result: dict[str, Totals] = {}
    for prefix, name in (("now_", "current"), ("before_", "previous"), ("all_", "all_time")):
        parts = []
        for row in found:
            totals = totals_of(row, prefix)
            totals.emv = emv(totals, rates.get(row["network"]))
            parts.append(totals)
        result[name] = totals_sum(parts)
    return result


def changes(current: Totals, previous: Totals) -> dict[str, Change]:
    # Potential reach is not available (None) when no share went to a network that gives it.
    return {
        name: Change(getattr(current, field), getattr(previous, field))
        for name, field in (
            ("shares", "shares"),
            ("clicks", "clicks"),
            ("engagements", "engagements"),
            ("potential_reach", "known_reach"),
            ("emv", "emv"),
        )
    }


def currency(rates: dict[str, Rates]) -> str:
    """The currency of every rate, or "" when marketing used several."""
    found = {rate.currency for rate in rates.values()}
    return found.pop() if len(found) == 1 else ""


def built_at() -> Any:
    run = RollupRun.objects.filter(name="daily").first()
    return run.built_at if run else None
