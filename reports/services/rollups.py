"""Rebuilding the daily rollups from the raw rows.

A rebuild recomputes whole days from Share, Click and MetricSnapshot and replaces them
(delete + insert in one transaction), so it can run any number of times, late clicks and new
snapshots simply land in the next rebuild, and a rollup always equals a recount.
"""

from collections import defaultdict
from collections.abc import Iterable, Iterator
from datetime import date, timedelta
from typing import Any

from django.db import connection, transaction
from django.db.models import IntegerField, Q, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from reports.days import day_bounds, report_zone
from reports.models import (
    PERIODS,
    AmbassadorDailyRollup,
    AmbassadorPeriodRollup,
    DailyRollup,
    ItemDailyRollup,
    NetworkDailyRollup,
    RollupRun,
    TeamDailyRollup,
    TeamDayRollup,
)
from reports.services.sql import id_chunks, rows_insert
from reports.services.tallies import (
    Key,
    Tally,
    item_campaigns,
    tallies_write,
    tally_clicks,
    tally_metrics,
    tally_shares,
    team_memberships,
)

ROLLUPS = (
    DailyRollup,
    TeamDailyRollup,
    ItemDailyRollup,
    NetworkDailyRollup,
    AmbassadorDailyRollup,
    TeamDayRollup,
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
        tally_shares(tallies, start, end)
        tally_clicks(tallies, start, end)
        tally_metrics(tallies, start, end)

        campaigns = item_campaigns(key[2] for key in tallies)
        teams = team_memberships(key[1] for key in tallies)
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
        tallies_write(
            DailyRollup,
            ("day", "user", "content_item", "campaign", "network"),
            (
                ((day, user_id, item_id, campaigns.get(item_id), network), tally)
                for (day, user_id, item_id, network), tally in tallies.items()
            ),
        )
        tallies_write(
            TeamDailyRollup,
            ("day", "team", "content_item", "campaign", "network"),
            (
                ((day, team_id, item_id, campaigns.get(item_id), network), tally)
                for (day, team_id, item_id, network), tally in per_team.items()
            ),
        )
        tallies_write(
            ItemDailyRollup,
            ("day", "content_item", "campaign", "network"),
            (
                ((day, item_id, campaigns.get(item_id), network), tally)
                for (day, item_id, network), tally in per_item.items()
            ),
        )
        tallies_write(
            NetworkDailyRollup, ("day", "team", "campaign", "network"), per_network.items()
        )
        tallies_write(AmbassadorDailyRollup, ("day", "user"), per_ambassador.items())
        tallies_write(TeamDayRollup, ("day", "team"), per_team_day.items())
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
    for scope in [Q()] if user_ids is None else [Q(user_id__in=c) for c in id_chunks(user_ids)]:
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
        rows_insert(
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
