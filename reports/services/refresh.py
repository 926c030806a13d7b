"""The beat's refresh of the rollups: only what changed since the last one.

Whatever writes raw rows (the click flush, the metrics refresh, publishing) marks the share
and local day in `ShareChange`, in its own transaction. The refresh recounts, from the raw
rows, the per-ambassador rows (day, ambassador, item, network) of the marked shares, then sums
the coarser rows those touch again from the finer rollup rows, and deletes the marks it read,
all in one transaction under the RollupRun lock. So a refresh costs what changed, not what is
stored for the two days (bench/reports.py), a refresh that fails leaves its marks for the next
one, and two refreshes take turns. A recount is idempotent: a mark seen twice (a mark of
raw rows already counted) changes nothing.

What no mark records (a person joining a team, an item moved to another campaign, rows written
by scripts) is picked up by the full rebuild of yesterday and today that the first refresh of
each day runs, or by `manage.py rollups_rebuild` for older days.
"""

from collections import defaultdict
from collections.abc import Iterable, Iterator
from datetime import date, datetime, timedelta
from typing import Any

from django.db import connection, models, transaction
from django.db.models import Count, Q, Sum
from django.utils import timezone

from advocacy.models import Share

from ..models import (
    AmbassadorDailyRollup,
    DailyRollup,
    ItemDailyRollup,
    NetworkDailyRollup,
    RollupRun,
    ShareChange,
    TeamDailyRollup,
    TeamDayRollup,
)
from .rollups import (
    FIGURES,
    METRICS,
    SUMMED,
    Key,
    Tally,
    _campaigns,
    _chunks,
    _insert,
    _memberships,
    _tally_clicks,
    _tally_metrics,
    _tally_shares,
    _write,
    ambassador_periods_rebuild,
    day_bounds,
    report_zone,
    rollups_rebuild,
)

# (user id, content item id, network): the per-ambassador rollup row of a share on a day.
Owner = tuple[int, int, str]


def rollups_mark_changed(*, changes: Iterable[tuple[int, datetime]]) -> None:
    """Marks (share id, moment of the raw row) for the next refresh. Call it in the
    transaction that writes the raw rows."""
    zone = report_zone()
    pairs = {(share_id, timezone.localtime(moment, zone).date()) for share_id, moment in changes}
    ShareChange.objects.bulk_create([ShareChange(share_id=s, day=d) for s, d in sorted(pairs)])


def rollups_refresh(*, today: date | None = None) -> int:
    """The beat's refresh: recounts the rollup rows of the shares marked since the last one
    (the first run ever and the first of each day rebuild yesterday and today whole).
    Returns the number of per-ambassador rows written."""
    today = today or timezone.localdate(timezone=report_zone())
    with transaction.atomic():
        run = RollupRun.objects.select_for_update().filter(name="daily").first()
        if run is None or run.built_at is None or run.periods_until != today:
            # The first refresh ever, and the first of a day: yesterday and today whole, so
            # what no mark records (people who changed teams, an item moved to another
            # campaign) is counted as a rebuild counts it, once a day. Its marks are
            # recounted by the next refresh: a recount changes nothing.
            return rollups_rebuild(since=today - timedelta(days=1), until=today)
        marks = list(ShareChange.objects.values_list("pk", "share_id", "day"))
        if not marks:
            return 0
        by_day: dict[date, set[int]] = defaultdict(set)
        for _pk, share_id, day in marks:
            by_day[day].add(share_id)
        written = 0
        people: set[int] = set()
        for day in sorted(by_day):
            written += _day_refresh(day, by_day[day], people)
        if people:
            ambassador_periods_rebuild(until=today, user_ids=people)
        for chunk in _chunks(pk for pk, _share_id, _day in marks):
            ShareChange.objects.filter(pk__in=chunk).delete()
        run.built_at = timezone.now()
        run.save(update_fields=["built_at"])
    return written


def _owners(share_ids: set[int]) -> tuple[set[Owner], set[int]]:
    """The rows the marked shares count in, and every share counted in those rows (a failed
    share's clicks count in the same row as the published one)."""
    owners: set[Owner] = set()
    for chunk in _chunks(share_ids):
        owners.update(
            Share.objects.filter(pk__in=chunk)
            .order_by()
            .values_list("user_id", "content_item_id", "network")
        )
    shares: set[int] = set()
    items = {item for _user, item, _network in owners}
    for users in _chunks(user for user, _item, _network in owners):
        for chunk in _chunks(items):
            rows = (
                Share.objects.filter(user_id__in=users, content_item_id__in=chunk)
                .order_by()
                .values_list("pk", "user_id", "content_item_id", "network")
            )
            shares.update(pk for pk, *owner in rows if tuple(owner) in owners)
    return owners, shares


def _day_refresh(day: date, share_ids: set[int], people: set[int]) -> int:
    owners, shares = _owners(share_ids)
    if not owners:
        return 0  # deleted since
    start, end = day_bounds(day, day)
    tallies: dict[Key, Tally] = defaultdict(Tally)
    _tally_shares(tallies, start, end, shares)
    _tally_clicks(tallies, start, end, shares)
    _tally_metrics(tallies, start, end, shares)

    users = {user for user, _item, _network in owners}
    items = {item for _user, item, _network in owners}
    campaigns = _campaigns(items)
    touched_campaigns = {campaigns.get(item) for item in items}
    stale: list[int] = []
    for chunk in _chunks(users):
        for pk, *owner, campaign in (
            DailyRollup.objects.filter(day=day, user_id__in=chunk)
            .order_by()
            .values_list("pk", "user_id", "content_item_id", "network", "campaign_id")
        ):
            if tuple(owner) in owners:
                stale.append(pk)
                touched_campaigns.add(campaign)
    for chunk in _chunks(stale):
        DailyRollup.objects.filter(pk__in=chunk).delete()
    _write(
        DailyRollup,
        ("day", "user", "content_item", "campaign", "network"),
        (
            ((key[0], key[1], key[2], campaigns.get(key[2]), key[3]), tally)
            for key, tally in tallies.items()
        ),
    )
    memberships = _memberships(users)
    _coarse_refresh(day, owners, memberships, touched_campaigns, campaigns)
    people.update(users)
    return len(tallies)


def _coarse_refresh(
    day: date,
    owners: set[Owner],
    memberships: dict[int, list[int]],
    touched_campaigns: set[int | None],
    campaigns: dict[int, int | None],
) -> None:
    """The coarser rows the changed per-ambassador rows count in, summed again from the finer
    rollup rows, in the order in which they are derived from each other. Only the rows of
    the changed (item, network) and (team, item, network) are rewritten: 1 % of a day's
    clicks touch most items, and rewriting every team row of them was most of a refresh
    (bench/reports.py)."""
    users = {user for user, _item, _network in owners}
    items = {item for _user, item, _network in owners}
    teams = {team for user in users for team in memberships.get(user, [])}
    for chunk in _chunks(items):
        _resum(
            ItemDailyRollup,
            day,
            Q(day=day, content_item_id__in=chunk),
            DailyRollup.objects.filter(day=day, content_item_id__in=chunk),
            ("content_item", "network"),
            lambda item, network: (item, campaigns.get(item), network),
            ("content_item", "campaign", "network"),
            only={(item, network) for _user, item, network in owners},
            columns=("content_item_id", "network"),
        )
    for chunk in _chunks(users):
        _resum(
            AmbassadorDailyRollup,
            day,
            Q(day=day, user_id__in=chunk),
            DailyRollup.objects.filter(day=day, user_id__in=chunk),
            ("user",),
            lambda user: (user,),
            ("user",),
        )
    for team_chunk in _chunks(teams):
        for chunk in _chunks(items):
            _resum(
                TeamDailyRollup,
                day,
                Q(day=day, team_id__in=team_chunk, content_item_id__in=chunk),
                DailyRollup.objects.filter(
                    day=day, content_item_id__in=chunk, user__teams__in=team_chunk
                ),
                ("user__teams", "content_item", "network"),
                lambda team, item, network: (team, item, campaigns.get(item), network),
                ("team", "content_item", "campaign", "network"),
                only={
                    (team, item, network)
                    for user, item, network in owners
                    for team in memberships.get(user, [])
                },
                columns=("team_id", "content_item_id", "network"),
            )
        _resum(
            TeamDayRollup,
            day,
            Q(day=day, team_id__in=team_chunk),
            TeamDailyRollup.objects.filter(day=day, team_id__in=team_chunk),
            ("team",),
            lambda team: (team,),
            ("team",),
        )
    in_campaigns = Q(campaign_id__in=[c for c in touched_campaigns if c is not None])
    if None in touched_campaigns:
        in_campaigns |= Q(campaign__isnull=True)
    _resum(
        NetworkDailyRollup,
        day,
        Q(in_campaigns, day=day, team__isnull=True),
        ItemDailyRollup.objects.filter(in_campaigns, day=day),
        ("campaign", "network"),
        lambda campaign, network: (None, campaign, network),
        ("team", "campaign", "network"),
    )
    for team_chunk in _chunks(teams):
        _resum(
            NetworkDailyRollup,
            day,
            Q(in_campaigns, day=day, team_id__in=team_chunk),
            TeamDailyRollup.objects.filter(in_campaigns, day=day, team_id__in=team_chunk),
            ("team", "campaign", "network"),
            lambda team, campaign, network: (team, campaign, network),
            ("team", "campaign", "network"),
        )


def _resum(
    model: type[models.Model],
    day: date,
    replaced: Q,
    finer: "models.QuerySet[Any]",
    group: tuple[str, ...],
    key: Any,
    names: tuple[str, ...],
    only: set[tuple[Any, ...]] | None = None,
    columns: tuple[str, ...] = (),
) -> None:
    """Replaces the rows of `model` matching `replaced` with the sums of the `finer` rows per
    `group` (turned into the values of `names` by `key`); with `only`, just the rows whose
    `group` values (the model's `columns`) are in it. SUM of nothing but NULLs is NULL, so "not available" stays
    apart from 0 as in Tally.add."""
    sums: dict[str, Any] = {name: Sum(name) for name in (*SUMMED, *METRICS)}
    rows = (
        finer.order_by()
        .values_list(*group)
        .annotate(**sums, reported_rows=Count("pk", filter=Q(reported=True)))
    )
    # Read whole before inserting: PostgreSQL's COPY holds the connection while it runs.
    width = len(group)
    found = [tuple(row) for row in rows if only is None or tuple(row[:width]) in only]
    existing = model._default_manager.filter(replaced)
    if only is None:
        existing.delete()
    else:
        stale = [pk for pk, *rest in existing.values_list("pk", *columns) if tuple(rest) in only]
        for chunk in _chunks(stale):  # few: the changed rows
            model._default_manager.filter(pk__in=chunk).delete()
    ending = connection.ops.adapt_datefield_value(day)
    _insert(model, ("day", *names, *FIGURES), _figures(found, width, key, ending))


def _figures(
    found: list[tuple[Any, ...]], width: int, key: Any, day: Any
) -> Iterator[tuple[Any, ...]]:
    for row in found:
        *figures, reported_rows = row[width:]
        yield (day, *key(*row[:width]), *figures, reported_rows > 0)
