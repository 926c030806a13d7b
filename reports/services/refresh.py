"""The beat's refresh of the rollups: only what changed since the last one.

Whatever writes raw rows (the click flush, the metrics refresh, publishing) marks the share
and local day in `ShareChange`, in its own transaction (reports.services.marks). The refresh
recounts, from the raw rows, the per-ambassador rows (day, ambassador, item, network) of the
marked shares, replaces those that changed, and adds to each coarser row they count in the
new figures minus the old ones (reports.services.deltas), then deletes the marks it read:
all in one transaction under the RollupRun lock. So a refresh reads and writes what changed,
not what is stored for the touched items and teams (bench/reports.py), and a refresh that
fails leaves its marks for the next one.

Adding is not idempotent the way a recount is, so it must happen once per change: the
difference is taken against the stored per-ambassador row, which the same transaction
replaces, and refreshes take turns on the lock (on SQLite, IMMEDIATE transactions take the
write lock up front). A mark seen twice, or a mark of raw rows an earlier refresh already
counted, finds its row unchanged and adds nothing; marks written while a refresh runs stay
for the next one.

What no mark records (a person joining a team, an item moved to another campaign, rows written
by scripts) is picked up by the full rebuild of yesterday and today that the first refresh of
each day runs, or by `manage.py rollups_rebuild` for older days.
"""

from collections import defaultdict
from datetime import date, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from advocacy.models import Share
from reports.days import day_bounds, report_zone
from reports.models import FIGURES, METRICS, PERIODS, SUMMED, DailyRollup, RollupRun, ShareChange
from reports.services.deltas import (
    NOTHING,
    Change,
    Figures,
    PeriodChanges,
    coarse_apply,
    coarse_keys,
    periods_apply,
)
from reports.services.rollups import rollups_rebuild
from reports.services.sql import id_chunks, rows_matching
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

# (user id, content item id, network): the per-ambassador rollup row of a share on a day.
Owner = tuple[int, int, str]
# A stored per-ambassador row: its id, the campaign it was counted for, its figures.
Stored = tuple[int, int | None, Figures]
ENGAGEMENTS = ("reactions", "comments", "reposts")
# The statuses of the partial unique index one_live_share_per_item_and_network, and the rest.
LIVE = (
    Share.Status.SCHEDULED,
    Share.Status.PUBLISHING,
    Share.Status.PUBLISHED,
    Share.Status.UNKNOWN,
)
GONE = [status for status in Share.Status if status not in LIVE]


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
        periods: PeriodChanges = {}
        for day in sorted(by_day):
            written += _day_refresh(day, by_day[day], periods, today)
        if periods:
            periods_apply(until=today, changes=periods)
        for chunk in id_chunks(pk for pk, _share_id, _day in marks):
            ShareChange.objects.filter(pk__in=chunk).delete()
        run.built_at = timezone.now()
        run.save(update_fields=["built_at"])
    return written


def _owners(share_ids: set[int]) -> tuple[set[Owner], set[int]]:
    """The rows the marked shares count in, and every share counted in those rows (a failed
    share's clicks count in the same row as the published one)."""
    owners: set[Owner] = set()
    for chunk in id_chunks(share_ids):
        owners.update(
            Share.objects.filter(pk__in=chunk)
            .order_by()
            .values_list("user_id", "content_item_id", "network")
        )
    # A live share is found by its row's key in the index of one live share per person, item
    # and network; the others (failed, cancelled: few) by person and status. The person's and
    # the item's indexes together read every share of the item per key, which grows with the
    # data (bench/reports.py).
    columns = ("user_id", "content_item_id", "network")
    live = ("status", tuple(str(status) for status in LIVE))
    shares = {pk for (pk,) in rows_matching(Share, None, columns, owners, ("id",), among=live)}
    for chunk in id_chunks({user for user, _item, _network in owners}):
        rows = (
            Share.objects.filter(user_id__in=chunk, status__in=GONE)
            .order_by()
            .values_list("pk", "user_id", "content_item_id", "network")
        )
        shares.update(pk for pk, *owner in rows if tuple(owner) in owners)
    return owners, shares


def _day_refresh(day: date, share_ids: set[int], periods: PeriodChanges, until: date) -> int:
    """Recounts the marked shares' per-ambassador rows of `day`, replaces those that changed,
    and adds the differences to the coarser rows. Returns the rows that changed."""
    owners, shares = _owners(share_ids)
    if not owners:
        return 0  # deleted since
    start, end = day_bounds(day, day)
    tallies: dict[Key, Tally] = defaultdict(Tally)
    tally_shares(tallies, start, end, shares)
    tally_clicks(tallies, start, end, shares)
    tally_metrics(tallies, start, end, shares)
    recounted = {key[1:]: tally for key, tally in tallies.items() if key[1:] in owners}
    new = {owner: tally.values() for owner, tally in recounted.items()}
    old: dict[Owner, Stored] = {}
    columns = ("user_id", "content_item_id", "network")
    for pk, user, item, network, campaign, *figures in rows_matching(
        DailyRollup, day, columns, owners, ("id", *columns, "campaign_id", *FIGURES)
    ):
        old[(user, item, network)] = (pk, campaign, (*figures[:-1], bool(figures[-1])))
    campaigns = item_campaigns(item for _user, item, _network in owners)
    changed = [
        owner
        for owner in sorted(owners)
        if (old[owner][1:] if owner in old else None)
        != ((campaigns.get(owner[1]), new[owner]) if owner in new else None)
    ]
    if not changed:
        return 0
    for chunk in id_chunks(old[owner][0] for owner in changed if owner in old):
        DailyRollup.objects.filter(pk__in=chunk).delete()
    tallies_write(
        DailyRollup,
        ("day", "user", "content_item", "campaign", "network"),
        (
            ((day, *owner[:2], campaigns.get(owner[1]), owner[2]), recounted[owner])
            for owner in changed
            if owner in recounted
        ),
    )
    changes = {owner: (old.get(owner), new.get(owner)) for owner in changed}
    coarse_apply(day, _coarse_changes(changes, campaigns), campaigns)
    for (user, _item, _network), (before, after) in changes.items():
        _period_changes(periods, user, day, until, before[2] if before else None, after)
    return len(changed)


def _coarse_changes(
    changes: dict[Owner, tuple[Stored | None, Figures | None]],
    campaigns: dict[int, int | None],
) -> dict[str, dict[tuple[Any, ...], Change]]:
    """Per grain and key, what the coarser rows gain from the changed per-ambassador rows:
    the old figures taken out of the rows they counted in (with the campaign they were
    counted for), the new ones added to the rows they count in now."""
    memberships = team_memberships(user for user, _item, _network in changes)
    coarse: dict[str, dict[tuple[Any, ...], Change]] = defaultdict(lambda: defaultdict(Change))
    for (user, item, network), (before, after) in changes.items():
        teams = memberships.get(user, [])
        touched: list[tuple[str, tuple[Any, ...]]] = []
        if before is not None:
            for grain, key in coarse_keys(user, item, network, before[1], teams):
                coarse[grain][key].add(before[2], -1)
                touched.append((grain, key))
        if after is not None:
            for grain, key in coarse_keys(user, item, network, campaigns.get(item), teams):
                coarse[grain][key].add(after, +1)
                touched.append((grain, key))
        if not _additive(before, after, campaigns.get(item)):
            for grain, key in touched:
                coarse[grain][key].exact = False
    return coarse


def _additive(before: Stored | None, after: Figures | None, campaign: int | None) -> bool:
    """Whether the coarser rows can take the difference: not when a figure stops being
    reported (it must become "not available", which no difference says) or the item moved to
    another campaign (the coarser item rows carry it)."""
    if before is None:
        return True
    _pk, was_in, figures = before
    now = after or NOTHING
    width = len(SUMMED)
    lost = any(
        figures[width + index] is not None and now[width + index] is None
        for index in range(len(METRICS))
    )
    return not lost and not (figures[-1] and not now[-1]) and (after is None or was_in == campaign)


def _period_changes(
    periods: PeriodChanges,
    user: int,
    day: date,
    until: date,
    before: Figures | None,
    after: Figures | None,
) -> None:
    """What the person's period rows ending on `until` gain: shares, human clicks and
    engagements (reactions, comments and reposts, "not available" counting 0)."""

    def figures(row: Figures | None) -> tuple[int, int, int]:
        row = row or NOTHING
        engaged = [len(SUMMED) + METRICS.index(name) for name in ENGAGEMENTS]
        return (
            row[SUMMED.index("shares")],
            row[SUMMED.index("human_clicks")],
            sum(row[index] or 0 for index in engaged),
        )

    delta = [a - b for a, b in zip(figures(after), figures(before), strict=True)]
    if not any(delta):
        return
    for days in PERIODS:
        if until - timedelta(days=days) < day <= until:
            sums = periods.setdefault((user, days), [0, 0, 0])
            for index, value in enumerate(delta):
                sums[index] += value
