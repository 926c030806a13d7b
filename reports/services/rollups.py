"""Writes of the reports domain: rebuilding the daily rollups from the raw rows, and
marketing's value per network.

A rebuild recomputes whole days from Share, Click and MetricSnapshot and replaces them
(delete + insert in one transaction), so it can run any number of times, late clicks and new
snapshots simply land in the next rebuild, and a rollup always equals a recount.
"""

import zoneinfo
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import connection, models, transaction
from django.db.models import Count, IntegerField, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce, TruncDate
from django.utils import timezone

from advocacy.models import Click, MetricSnapshot, Share, User
from campaigns.models import ContentItem
from reports.models import (
    PERIODS,
    AmbassadorDailyRollup,
    AmbassadorPeriodRollup,
    DailyRollup,
    ItemDailyRollup,
    NetworkDailyRollup,
    NetworkValue,
    PointsRule,
    RollupRun,
    TeamDailyRollup,
    TeamDayRollup,
)

METRICS = ("impressions", "reactions", "comments", "reposts")
ROLLUPS = (
    DailyRollup,
    TeamDailyRollup,
    ItemDailyRollup,
    NetworkDailyRollup,
    AmbassadorDailyRollup,
    TeamDayRollup,
)
CHUNK = 900  # ids per IN (...) clause: under SQLite's old limit of 999 variables


@dataclass
class Tally:
    shares: int = 0
    potential_reach: int = 0
    reach_shares: int = 0  # the shares whose network gave an audience (potential_reach)
    human_clicks: int = 0
    bot_clicks: int = 0
    unique_visitors: int = 0
    charged: Decimal = Decimal(0)  # the cost of the shares published (Share.cost)
    charged_shares: int = 0  # the shares published with a cost
    metrics: dict[str, int | None] = field(default_factory=lambda: dict.fromkeys(METRICS))
    reported: bool = False

    def add(self, other: "Tally") -> None:
        self.shares += other.shares
        self.potential_reach += other.potential_reach
        self.reach_shares += other.reach_shares
        self.human_clicks += other.human_clicks
        self.bot_clicks += other.bot_clicks
        self.unique_visitors += other.unique_visitors
        self.charged += other.charged
        self.charged_shares += other.charged_shares
        self.add_metrics(other.metrics, reported=other.reported)

    def add_metrics(self, values: dict[str, int | None], *, reported: bool) -> None:
        # None + None stays None ("not available"); None + 0 is 0 (a network reported 0).
        for name, value in values.items():
            if value is not None:
                self.metrics[name] = (self.metrics[name] or 0) + value
        self.reported = self.reported or reported

    def values(self) -> tuple[Any, ...]:
        """The figures in the order of FIGURES."""
        return (
            self.shares,
            self.potential_reach,
            self.reach_shares,
            self.human_clicks,
            self.bot_clicks,
            self.unique_visitors,
            self.charged,
            self.charged_shares,
            *(self.metrics[name] for name in METRICS),
            self.reported,
        )


# The figure columns of every rollup: the counted ones, then what the networks reported.
SUMMED = (
    "shares",
    "potential_reach",
    "reach_shares",
    "human_clicks",
    "bot_clicks",
    "unique_visitors",
    "charged",
    "charged_shares",
)
FIGURES = (*SUMMED, *METRICS, "reported")


# (day, user id, content item id, network)
Key = tuple[date, int, int, str]


def report_zone() -> zoneinfo.ZoneInfo:
    return zoneinfo.ZoneInfo(settings.TIME_ZONE)


def day_bounds(since: date, until: date) -> tuple[datetime, datetime]:
    zone = report_zone()
    return (
        datetime.combine(since, time.min, tzinfo=zone),
        datetime.combine(until + timedelta(days=1), time.min, tzinfo=zone),
    )


def _chunks(ids: Iterable[int]) -> Iterator[list[int]]:
    ids = sorted(ids)
    for start in range(0, len(ids), CHUNK):
        yield ids[start : start + CHUNK]


def _scopes(field: str, share_ids: Iterable[int] | None) -> list[Q]:
    """The whole table, or the given shares a chunk at a time (the incremental refresh)."""
    if share_ids is None:
        return [Q()]
    return [Q(**{f"{field}__in": chunk}) for chunk in _chunks(share_ids)]


def _tally_shares(
    tallies: dict[Key, Tally],
    start: datetime,
    end: datetime,
    share_ids: Iterable[int] | None = None,
) -> None:
    for scope in _scopes("pk", share_ids):
        _tally_shares_in(tallies, start, end, scope)


def _tally_shares_in(tallies: dict[Key, Tally], start: datetime, end: datetime, scope: Q) -> None:
    rows = (
        Share.objects.filter(
            scope, status=Share.Status.PUBLISHED, published_at__gte=start, published_at__lt=end
        )
        .annotate(day=TruncDate("published_at", tzinfo=report_zone()))
        .order_by()  # the default ordering would join the GROUP BY
        .values_list("day", "user_id", "content_item_id", "network")
        .annotate(
            n=Count("pk"),
            reach=Sum("potential_reach"),
            known=Count("potential_reach"),  # NULL: the network gives no audience
            charged=Sum("cost"),
            charged_shares=Count("cost"),  # NULL: the network does not bill
        )
    )
    for day, user_id, item_id, network, n, reach, known, charged, charged_shares in rows:
        tally = tallies[(day, user_id, item_id, network)]
        tally.shares += n
        tally.potential_reach += reach or 0
        tally.reach_shares += known
        tally.charged += charged or 0
        tally.charged_shares += charged_shares


def _tally_clicks(
    tallies: dict[Key, Tally],
    start: datetime,
    end: datetime,
    share_ids: Iterable[int] | None = None,
) -> None:
    for scope in _scopes("share_id", share_ids):
        _tally_clicks_in(tallies, start, end, scope)


def _tally_clicks_in(tallies: dict[Key, Tally], start: datetime, end: datetime, scope: Q) -> None:
    person = Q(is_bot=False)
    rows = (
        Click.objects.filter(scope, created_at__gte=start, created_at__lt=end)
        .annotate(day=TruncDate("created_at", tzinfo=report_zone()))
        .order_by()
        # Per share: a visitor hash is only comparable within one share's clicks of one day.
        .values_list(
            "day", "share_id", "share__user_id", "share__content_item_id", "share__network"
        )
        .annotate(
            human=Count("pk", filter=person),
            bots=Count("pk", filter=Q(is_bot=True)),
            visitors=Count("visitor_hash", filter=person & ~Q(visitor_hash=""), distinct=True),
        )
    )
    for day, _share_id, user_id, item_id, network, human, bots, visitors in rows:
        tally = tallies[(day, user_id, item_id, network)]
        tally.human_clicks += human
        tally.bot_clicks += bots
        tally.unique_visitors += visitors


def _tally_metrics(
    tallies: dict[Key, Tally],
    start: datetime,
    end: datetime,
    share_ids: Iterable[int] | None = None,
) -> None:
    """What each share's network added per day: the day's last snapshot minus the last one
    before it (snapshots are running totals). The first snapshot ever counts in full.

    The snapshot before the first day is found in the day before it for a share measured
    daily (one read with the rest), and by an index seek per share only for the others: four
    seeks for every share measured was a third of the beat's rebuild (bench/reports.py)."""
    zone = report_zone()
    day_end: dict[int, dict[date, tuple[Any, ...]]] = defaultdict(dict)
    before: dict[int, tuple[Any, ...]] = {}
    for scope in _scopes("share_id", share_ids):
        snapshots = (
            MetricSnapshot.objects.filter(
                scope, taken_at__gte=start - timedelta(days=1), taken_at__lt=end
            )
            .order_by("share_id", "taken_at", "pk")
            .values_list("share_id", "taken_at", *METRICS)
        )
        for share_id, taken_at, *values in snapshots.iterator(chunk_size=5000):
            if taken_at < start:
                before[share_id] = tuple(values)  # ordered: the last one before `start` stays
            else:
                day_end[share_id][timezone.localtime(taken_at, zone).date()] = tuple(values)
    earlier = MetricSnapshot.objects.filter(share=OuterRef("pk"), taken_at__lt=start).order_by(
        "-taken_at", "-pk"
    )
    for chunk in _chunks(day_end):
        shares = Share.objects.filter(pk__in=chunk).order_by()
        found = [
            (*row, *before[row[0]])
            for row in shares.filter(pk__in=[pk for pk in chunk if pk in before]).values_list(
                "pk", "user_id", "content_item_id", "network"
            )
        ]
        found += (
            shares.exclude(pk__in=list(before.keys() & set(chunk)))
            .annotate(**{f"before_{name}": Subquery(earlier.values(name)[:1]) for name in METRICS})
            .values_list(
                "pk", "user_id", "content_item_id", "network", *(f"before_{m}" for m in METRICS)
            )
        )
        for share_id, user_id, item_id, network, *previous in found:
            last: list[int | None] = list(previous)
            for day in sorted(day_end[share_id]):
                added: dict[str, int | None] = {}
                values = day_end[share_id][day]
                for index, name in enumerate(METRICS):
                    value = values[index]
                    added[name] = None if value is None else value - (last[index] or 0)
                    if value is not None:
                        last[index] = value
                tallies[(day, user_id, item_id, network)].add_metrics(
                    added, reported=any(v is not None for v in values)
                )


def _memberships(user_ids: Iterable[int]) -> dict[int, list[int]]:
    teams: dict[int, list[int]] = defaultdict(list)
    through = User.teams.through
    for chunk in _chunks(set(user_ids)):
        for user_id, team_id in through.objects.filter(user_id__in=chunk).values_list(
            "user_id", "team_id"
        ):
            teams[user_id].append(team_id)
    return teams


def _campaigns(item_ids: Iterable[int]) -> dict[int, int | None]:
    campaigns: dict[int, int | None] = {}
    for chunk in _chunks(set(item_ids)):
        campaigns.update(ContentItem.objects.filter(pk__in=chunk).values_list("pk", "campaign_id"))
    return campaigns


def _insert(
    model: type[models.Model], names: tuple[str, ...], rows: Iterable[tuple[Any, ...]]
) -> None:
    """Inserts plain tuples of the model's fields `names`: COPY on PostgreSQL, executemany
    elsewhere. bulk_create builds and prepares a model instance per row, which was most of a
    rebuild's time at 2,000 ambassadors (bench/reports.py: 280,000 rollup rows for two days)."""
    ops = connection.ops
    columns = {field.name: str(field.column) for field in model._meta.concrete_fields}
    # Table and column names come from the model, never from input.
    table = ops.quote_name(model._meta.db_table)
    quoted = ", ".join(ops.quote_name(columns[name]) for name in names)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({quoted}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            return
        sql = f"INSERT INTO {table} ({quoted}) VALUES ({', '.join(['%s'] * len(names))})"  # noqa: S608
        batch: list[tuple[Any, ...]] = []
        for row in rows:
            batch.append(row)
            if len(batch) == 2000:
                cursor.executemany(sql, batch)
                batch = []
        if batch:
            cursor.executemany(sql, batch)


def _write(
    model: type[models.Model],
    keys: tuple[str, ...],
    rows: Iterable[tuple[tuple[Any, ...], Tally]],
) -> None:
    """One rollup row per (key values starting with the day, tally)."""
    day = connection.ops.adapt_datefield_value
    _insert(
        model,
        (*keys, *FIGURES),
        ((day(key[0]), *key[1:], *tally.values()) for key, tally in rows),
    )


def rollups_rebuild(*, since: date, until: date) -> int:
    """Recomputes every rollup of the local days since..until (inclusive) from the raw rows
    and replaces what was there. Returns the number of per-ambassador rows written."""
    if until < since:
        raise ValueError("until must not be before since")
    start, end = day_bounds(since, until)
    with transaction.atomic():
        # Counted inside the lock: a rebuild that started earlier cannot overwrite newer
        # figures with older ones when it commits after this one.
        run, _ = RollupRun.objects.select_for_update().get_or_create(name="daily")
        tallies: dict[Key, Tally] = defaultdict(Tally)
        _tally_shares(tallies, start, end)
        _tally_clicks(tallies, start, end)
        _tally_metrics(tallies, start, end)

        campaigns = _campaigns(key[2] for key in tallies)
        teams = _memberships(key[1] for key in tallies)
        per_team: dict[tuple[date, int, int, str], Tally] = defaultdict(Tally)
        per_item: dict[tuple[date, int, str], Tally] = defaultdict(Tally)
        per_network: dict[tuple[date, int | None, int | None, str], Tally] = defaultdict(Tally)
        per_ambassador: dict[tuple[date, int], Tally] = defaultdict(Tally)
        per_team_day: dict[tuple[date, int], Tally] = defaultdict(Tally)
        for (day, user_id, item_id, network), tally in tallies.items():
            per_item[(day, item_id, network)].add(tally)
            per_network[(day, None, campaigns.get(item_id), network)].add(tally)
            per_ambassador[(day, user_id)].add(tally)
            for team_id in teams.get(user_id, []):
                per_team[(day, team_id, item_id, network)].add(tally)
                per_network[(day, team_id, campaigns.get(item_id), network)].add(tally)
                per_team_day[(day, team_id)].add(tally)

        for model in ROLLUPS:
            model.objects.filter(day__gte=since, day__lte=until).delete()
        _write(
            DailyRollup,
            ("day", "user", "content_item", "campaign", "network"),
            (
                ((day, user_id, item_id, campaigns.get(item_id), network), tally)
                for (day, user_id, item_id, network), tally in tallies.items()
            ),
        )
        _write(
            TeamDailyRollup,
            ("day", "team", "content_item", "campaign", "network"),
            (
                ((day, team_id, item_id, campaigns.get(item_id), network), tally)
                for (day, team_id, item_id, network), tally in per_team.items()
            ),
        )
        _write(
            ItemDailyRollup,
            ("day", "content_item", "campaign", "network"),
            (
                ((day, item_id, campaigns.get(item_id), network), tally)
                for (day, item_id, network), tally in per_item.items()
            ),
        )
        _write(NetworkDailyRollup, ("day", "team", "campaign", "network"), per_network.items())
        _write(AmbassadorDailyRollup, ("day", "user"), per_ambassador.items())
        _write(TeamDayRollup, ("day", "team"), per_team_day.items())
        periods_until = timezone.localdate(timezone=report_zone())
        ambassador_periods_rebuild(until=periods_until)
        run.built_at = timezone.now()
        run.built_since, run.built_until = since, until
        run.periods_until = periods_until
        run.save()
    return len(tallies)


def ambassador_periods_rebuild(*, until: date, user_ids: Iterable[int] | None = None) -> None:
    """Each ambassador's sums over the offered periods ending on `until`, from the per-day
    rows (whatever days were just rebuilt, the periods ending today may have changed). One
    grouped read of the longest period, and a row per person and period with anything in it.
    With `user_ids`, only those people's rows are remade (the incremental refresh)."""
    zero = Value(0, output_field=IntegerField())
    engagements = Coalesce("reactions", zero) + Coalesce("comments", zero)
    engagements += Coalesce("reposts", zero)
    sums: dict[str, Any] = {}
    for days in PERIODS:
        inside = Q(day__gt=until - timedelta(days=days))
        sums[f"shares_{days}"] = Sum("shares", filter=inside)
        sums[f"clicks_{days}"] = Sum("human_clicks", filter=inside)
        sums[f"engagements_{days}"] = Sum(engagements, filter=inside)
    ending = connection.ops.adapt_datefield_value(until)
    for scope in [Q()] if user_ids is None else [Q(user_id__in=c) for c in _chunks(user_ids)]:
        rows = (
            AmbassadorDailyRollup.objects.filter(
                scope, day__gt=until - timedelta(days=max(PERIODS)), day__lte=until
            )
            .order_by()
            .values("user_id")
            .annotate(**sums)
        )
        # Read whole before inserting: PostgreSQL's COPY holds the connection while it runs.
        people: list[dict[str, Any]] = [dict(row) for row in rows]
        AmbassadorPeriodRollup.objects.filter(scope).delete()
        _insert(
            AmbassadorPeriodRollup,
            ("user", "days", "until", "shares", "human_clicks", "engagements"),
            _periods(people, ending),
        )


def _periods(people: list[dict[str, Any]], ending: Any) -> Iterator[tuple[Any, ...]]:
    for row in people:
        for days in PERIODS:
            figures = (
                row[f"shares_{days}"] or 0,
                row[f"clicks_{days}"] or 0,
                row[f"engagements_{days}"] or 0,
            )
            if any(figures):
                yield (row["user_id"], days, ending, *figures)


def network_value_save(
    *, network: str, cpm: Decimal, cpc: Decimal, cpe: Decimal, currency: str = "EUR"
) -> NetworkValue:
    value = NetworkValue.objects.filter(network=network).first() or NetworkValue(network=network)
    value.cpm, value.cpc, value.cpe, value.currency = cpm, cpc, cpe, currency.upper()
    value.full_clean()
    value.save()
    return value


def points_rule_save(*, per_share: int, per_click: int, per_engagement: int) -> PointsRule:
    rule = PointsRule.objects.first() or PointsRule()
    rule.per_share, rule.per_click, rule.per_engagement = per_share, per_click, per_engagement
    rule.full_clean()
    rule.save()
    return rule
