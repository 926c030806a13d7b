"""The differences of the per-ambassador rows a refresh recounted, applied to the coarser rows.

A coarser row (item, team, team-day, network, ambassador-day, period) is the sum of the
per-ambassador rows it covers. When a refresh replaces some of those rows, each coarser row
they count in gains the new figures minus the old ones (`UPDATE ... SET x = x + difference`),
so a refresh reads and writes the coarser rows it touches, never every row of a touched item
or team: 1 % of a day's clicks touch most items, and summing their rows again was most of a
refresh at 10,000 ambassadors (bench/reports.py).

The difference is taken against the stored per-ambassador row, not against the mark: the
stored row is what the coarser rows already hold, so a mark seen twice adds nothing, and the
refresh that replaces the row applies its difference once, in the same transaction, under the
RollupRun lock (reports.services.refresh).

A difference cannot say everything a sum says, and then the coarser row is summed again from
the per-ambassador rows instead (rare: a share moved to another day, a figure no longer
reported, an item moved to another campaign, a person who changed teams since the rebuild):
a row whose last per-ambassador row went away must go away too, a figure no network reports
any more must become "not available" (NULL, not 0), and a count must never go below 0.
"""

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import connection, models
from django.db.models import Count, Q, Sum

from reports.models import (
    FIGURES,
    METRICS,
    SUMMED,
    AmbassadorDailyRollup,
    AmbassadorPeriodRollup,
    DailyRollup,
    ItemDailyRollup,
    NetworkDailyRollup,
    TeamDailyRollup,
    TeamDayRollup,
)
from reports.services.rollups import ambassador_periods_rebuild
from reports.services.sql import id_chunks, rows_increment, rows_insert, rows_matching

# The figures of a rollup row in the order of FIGURES.
Figures = tuple[Any, ...]
NOTHING: Figures = (*(0 for _ in SUMMED), *(None for _ in METRICS), False)


@dataclass
class Change:
    """What one coarser row gains: the new figures of the per-ambassador rows it covers minus
    their old ones, and how many of those rows appeared and went away."""

    summed: list[int | Decimal] = field(default_factory=lambda: [0] * len(SUMMED))
    # None: no row on either side had the figure (stays as it is, "not available" included).
    metrics: list[int | None] = field(default_factory=lambda: [None] * len(METRICS))
    reported: bool = False
    added: int = 0
    removed: int = 0
    exact: bool = True  # False: only summing again can tell (see the module's docstring)

    def add(self, figures: Figures, sign: int) -> None:
        for index in range(len(SUMMED)):
            self.summed[index] += sign * figures[index]
        for index, value in enumerate(figures[len(SUMMED) : len(SUMMED) + len(METRICS)]):
            if value is not None:
                self.metrics[index] = (self.metrics[index] or 0) + sign * value
        if sign > 0:
            self.added += 1
            self.reported = self.reported or bool(figures[-1])
        else:
            self.removed += 1

    def result(self, current: Figures | None) -> Figures | None:
        """The row's figures after the change (None: sum it again)."""
        if not self.exact or (current is None and self.removed) or self.removed > self.added:
            return None  # a row may have gone away, or the coarser row did not hold the old
        base = current or NOTHING
        summed = [base[index] + delta for index, delta in enumerate(self.summed)]
        if any(value < 0 for value in summed):
            return None  # the coarser row did not hold the old figures (teams changed)
        width = len(SUMMED)
        metrics = [
            base[width + index] if delta is None else (base[width + index] or 0) + delta
            for index, delta in enumerate(self.metrics)
        ]
        return (*summed, *metrics, bool(base[-1]) or self.reported)

    def differences(self) -> tuple[Any, ...]:
        """In the order of FIGURES, `reported` as 1 when the row becomes reported."""
        return (*self.summed, *self.metrics, int(self.reported))


@dataclass(frozen=True)
class Grain:
    model: type[models.Model]
    columns: tuple[str, ...]  # the key's columns (attnames), after the day
    names: tuple[str, ...]  # the fields a new row is written with, after the day
    campaign: bool  # whether `names` holds the item's campaign after the item


GRAINS = {
    "item": Grain(
        ItemDailyRollup,
        ("content_item_id", "network"),
        ("content_item", "campaign", "network"),
        True,
    ),
    "ambassador": Grain(AmbassadorDailyRollup, ("user_id",), ("user",), False),
    "team": Grain(
        TeamDailyRollup,
        ("team_id", "content_item_id", "network"),
        ("team", "content_item", "campaign", "network"),
        True,
    ),
    "team_day": Grain(TeamDayRollup, ("team_id",), ("team",), False),
    "network": Grain(
        NetworkDailyRollup,
        ("team_id", "campaign_id", "network"),
        ("team", "campaign", "network"),
        False,
    ),
}


def coarse_keys(
    user: int, item: int, network: str, campaign: int | None, teams: list[int]
) -> Iterator[tuple[str, tuple[Any, ...]]]:
    """The coarser rows a per-ambassador row counts in, as (grain, key)."""
    yield "item", (item, network)
    yield "ambassador", (user,)
    yield "network", (None, campaign, network)
    for team in teams:
        yield "team", (team, item, network)
        yield "team_day", (team,)
        yield "network", (team, campaign, network)


def coarse_apply(
    day: date, changes: dict[str, dict[tuple[Any, ...], Change]], campaigns: dict[int, int | None]
) -> None:
    """Adds the changes to the coarser rows of `day`; sums again those it cannot add to."""
    ending = connection.ops.adapt_datefield_value(day)
    for name, grain in GRAINS.items():
        touched = changes.get(name)
        if not touched:
            continue
        existing = _existing(name, day, touched)
        updates: list[tuple[Any, ...]] = []
        inserts: list[tuple[Any, ...]] = []
        again: set[tuple[Any, ...]] = set()
        for key, change in touched.items():
            rows = existing.get(key, [])
            current = rows[0][1] if rows else None
            after = change.result(current) if len(rows) < 2 else None
            if after is None:
                again.add(key)
            elif rows and after != current:
                updates.append((rows[0][0], *change.differences()))
            elif not rows:
                inserts.append((ending, *_named(grain, key, campaigns), *after))
        rows_increment(grain.model, FIGURES, updates)
        rows_insert(grain.model, ("day", *grain.names, *FIGURES), inserts)
        if again:
            _sum_again(name, day, again, campaigns)


def _named(grain: Grain, key: tuple[Any, ...], campaigns: dict[int, int | None]) -> tuple[Any, ...]:
    if not grain.campaign:
        return key
    return (*key[:-1], campaigns.get(key[-2]), key[-1])


def _existing(
    name: str, day: date, touched: dict[tuple[Any, ...], Change]
) -> dict[tuple[Any, ...], list[tuple[int, Figures]]]:
    """The stored rows of the touched keys, by key: (id, figures)."""
    grain = GRAINS[name]
    width = len(grain.columns)
    found: dict[tuple[Any, ...], list[tuple[int, Figures]]] = defaultdict(list)
    if name == "team":
        rows: Iterable[tuple[Any, ...]] = rows_matching(
            grain.model, day, grain.columns, touched, ("id", *grain.columns, *FIGURES)
        )
    else:
        manager = grain.model._default_manager
        scopes: list[Q] = []
        if name == "network":
            teams = {team for team, _campaign, _network in touched if team is not None}
            scopes = [Q(team_id__in=chunk) for chunk in id_chunks(teams)] + [Q(team__isnull=True)]
        else:
            scopes = [
                Q(**{f"{grain.columns[0]}__in": c}) for c in id_chunks({k[0] for k in touched})
            ]
        rows = [
            row
            for scope in scopes
            for row in manager.filter(scope, day=day).values_list("pk", *grain.columns, *FIGURES)
        ]
    for pk, *rest in rows:
        key = tuple(rest[:width])
        if key in touched:
            figures = rest[width:]
            found[key].append((pk, (*figures[:-1], bool(figures[-1]))))
    return found


def _sum_again(
    name: str, day: date, keys: set[tuple[Any, ...]], campaigns: dict[int, int | None]
) -> None:
    """The coarser rows of `keys` replaced by the sums of their per-ambassador rows."""
    fine = DailyRollup.objects.filter(day=day)
    grain = GRAINS[name]
    if name in ("item", "team"):
        items = {key[-2] for key in keys}
        fine = fine.filter(content_item_id__in=items)
    if name in ("network",):
        in_campaigns = Q(campaign_id__in=[c for _t, c, _n in keys if c is not None])
        if any(c is None for _t, c, _n in keys):
            in_campaigns |= Q(campaign__isnull=True)
        fine = fine.filter(in_campaigns)
        everyone = {key[1:] for key in keys if key[0] is None}
        _resum(
            grain,
            day,
            fine,
            ("campaign", "network"),
            {(None, *key) for key in everyone},
            lambda c, n: (None, c, n),
            only=everyone,
        )
        keys = {key for key in keys if key[0] is not None}
    if name == "ambassador":
        fine = fine.filter(user_id__in={user for (user,) in keys})
        _resum(grain, day, fine, ("user",), keys, lambda user: (user,))
        return
    if name == "item":
        _resum(grain, day, fine, ("content_item", "network"), keys, _with(campaigns))
        return
    teams = {key[0] for key in keys}
    if not teams:
        return
    fine = fine.filter(user__teams__in=teams)
    group = {
        "team": ("user__teams", "content_item", "network"),
        "team_day": ("user__teams",),
        "network": ("user__teams", "campaign", "network"),
    }[name]
    key = _with(campaigns) if name == "team" else lambda *values: values
    _resum(grain, day, fine, group, keys, key)


def _with(campaigns: dict[int, int | None]) -> Any:
    """The key of a grain with the item's campaign before its network."""
    return lambda *values: (*values[:-1], campaigns.get(values[-2]), values[-1])


def _resum(
    grain: Grain,
    day: date,
    finer: "models.QuerySet[Any]",
    group: tuple[str, ...],
    keys: set[tuple[Any, ...]],
    key: Any,
    only: set[tuple[Any, ...]] | None = None,
) -> None:
    """Replaces the rows of `keys` (values of the grain's key columns) by the sums of the
    `finer` rows per `group` (whose values are `only`, the keys unless told). SUM of nothing but NULLs is NULL, so "not available" stays apart
    from 0 as in Tally.add."""
    only = keys if only is None else only
    if not keys:
        return
    sums: dict[str, Any] = {name: Sum(name) for name in (*SUMMED, *METRICS)}
    rows = (
        finer.order_by()
        .values_list(*group)
        .annotate(**sums, reported_rows=Count("pk", filter=Q(reported=True)))
    )
    width = len(group)
    # Read whole before inserting: PostgreSQL's COPY holds the connection while it runs.
    found = [tuple(row) for row in rows if tuple(row[:width]) in only]
    stale = [
        pk
        for pk, *rest in rows_matching(
            grain.model, day, grain.columns, keys, ("id", *grain.columns)
        )
        if tuple(rest) in keys
    ]
    for chunk in id_chunks(stale):
        grain.model._default_manager.filter(pk__in=chunk).delete()
    ending = connection.ops.adapt_datefield_value(day)
    rows_insert(
        grain.model,
        ("day", *grain.names, *FIGURES),
        ((ending, *key(*row[:width]), *row[width:-1], row[-1] > 0) for row in found),
    )


# (user id, days): what a person's period rows gain (shares, human clicks, engagements).
PeriodChanges = dict[tuple[int, int], list[int]]


def periods_apply(*, until: date, changes: PeriodChanges) -> None:
    """Adds the changes to the AmbassadorPeriodRollup rows ending on `until`: a row with
    nothing left goes away, and a person whose row would go below 0 is summed again."""
    users = {user for user, _days in changes}
    stored: dict[tuple[int, int], tuple[int | None, int, int, int]] = {}
    for chunk in id_chunks(users):
        for pk, user, days, *figures in AmbassadorPeriodRollup.objects.filter(
            until=until, user_id__in=chunk
        ).values_list("pk", "user_id", "days", "shares", "human_clicks", "engagements"):
            stored[(user, days)] = (pk, figures[0], figures[1], figures[2])
    updates: list[tuple[Any, ...]] = []
    inserts: list[tuple[Any, ...]] = []
    gone: list[int] = []
    again: set[int] = set()
    for (user, days), delta in changes.items():
        row, *current = stored.get((user, days), (None, 0, 0, 0))
        after = [value + change for value, change in zip(current, delta, strict=True)]
        if after[0] < 0 or after[1] < 0:
            again.add(user)
        elif not any(after):
            if row is not None:
                gone.append(row)
        elif row is None:
            inserts.append((user, days, connection.ops.adapt_datefield_value(until), *after))
        elif any(delta):
            updates.append((row, *delta))
    for chunk in id_chunks(gone):
        AmbassadorPeriodRollup.objects.filter(pk__in=chunk).delete()
    names = ("shares", "human_clicks", "engagements")
    rows_increment(AmbassadorPeriodRollup, names, updates)
    rows_insert(AmbassadorPeriodRollup, ("user", "days", "until", *names), inserts)
    if again:
        ambassador_periods_rebuild(until=until, user_ids=again)
