"""The beat's refresh recounts only the shares marked since the last one (clicks flushed,
snapshots taken, shares published), and leaves every rollup as a full rebuild and a recount
from the raw rows would: twice in a row, with nothing to do, and after a failure."""

import multiprocessing
import time
import uuid
from collections.abc import Callable, Iterator
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
import time_machine
from django.db import connection, connections, models, transaction
from django.db.models import Sum
from django.test.utils import CaptureQueriesContext

from advocacy.clicks.store import clicks_store
from advocacy.clicks.stream import ClickEvent
from advocacy.models import Click, MetricSnapshot, Share
from advocacy.publishing.metrics import metrics_refresh
from advocacy.publishing.publish import share_publish
from advocacy.sharing.shares import share_create
from reports.models import (
    AmbassadorPeriodRollup,
    DailyRollup,
    ItemDailyRollup,
    NetworkDailyRollup,
    ShareChange,
    TeamDayRollup,
)
from reports.services import refresh as refresh_module
from reports.services.marks import rollups_mark_changed
from reports.services.refresh import rollups_refresh
from reports.services.rollups import ROLLUPS, rollups_rebuild
from tests import factories
from tests.reports.test_rollups import DAY, at, recount, rolled_up, world  # noqa: F401

pytestmark = pytest.mark.django_db

D1, D2 = DAY + timedelta(days=1), DAY + timedelta(days=2)
NOW = at(D2, 12)
TABLES: tuple[type[models.Model], ...] = (*ROLLUPS, AmbassadorPeriodRollup)


def everything() -> dict[str, list[tuple[Any, ...]]]:
    """Every rollup row, without its id."""
    found = {}
    for model in TABLES:
        names = [f.attname for f in model._meta.concrete_fields if f.name != "id"]
        rows = model._default_manager.values_list(*names)
        found[model.__name__] = sorted((tuple(row) for row in rows), key=repr)
    return found


def rebuilt() -> dict[str, list[tuple[Any, ...]]]:
    rollups_rebuild(since=DAY, until=D2)
    return everything()


def event(share: Share, moment: datetime, *, bot: bool = False, visitor: str = "") -> ClickEvent:
    return ClickEvent(
        event_id=uuid.uuid4().hex,
        share_id=share.pk,
        at=moment,
        is_bot=bot,
        agent="linkedin" if bot else "browser",
        visitor_hash=visitor,
    )


@pytest.fixture
def built(world: dict[str, Any]) -> Iterator[dict[str, Any]]:  # noqa: F811
    """The world rolled up by a full rebuild, on its last day at noon."""
    with time_machine.travel(NOW, tick=False):
        rollups_rebuild(since=DAY, until=D2)
        yield world


def clicks_arrive(world: dict[str, Any]) -> None:  # noqa: F811
    """Clicks today and late ones of yesterday, one on a failed share that counts in the same
    row as its published sibling, and one on a share that had no row that day."""
    s1, s2, s3 = world["s1"], world["s2"], world["s3"]
    sibling = factories.ShareFactory(
        user=s1.user,
        content_item=s1.content_item,
        network=s1.network,
        status=Share.Status.FAILED,
        published_at=None,
    )
    clicks_store(
        events=[
            event(s1, at(D2, 9), visitor="n"),
            event(s1, at(D2, 9, 5), visitor="n"),
            event(s1, at(D2, 9, 6), bot=True),
            event(sibling, at(D2, 10), visitor="m"),
            event(s2, at(D1, 23, 59), visitor="late"),
            event(s3, at(D1, 11), visitor="first"),
        ]
    )


def test_a_click_flush_marks_each_share_and_day_once(built: dict[str, Any]) -> None:
    with time_machine.travel(NOW, tick=False):
        clicks_arrive(built)

    marks = set(ShareChange.objects.values_list("share_id", "day"))
    assert (built["s1"].pk, D2) in marks
    assert (built["s2"].pk, D1) in marks
    assert ShareChange.objects.count() == len(marks) == 4


def test_after_clicks_the_refresh_equals_a_rebuild_and_a_recount(built: dict[str, Any]) -> None:
    with time_machine.travel(NOW, tick=False):
        before = everything()
        clicks_arrive(built)
        assert rollups_refresh() > 0
        refreshed = everything()
        assert refreshed != before
        assert not ShareChange.objects.exists()
        assert refreshed == rebuilt()
    assert rolled_up() == recount(DAY, D2)


def test_a_new_share_and_its_snapshots_are_counted(
    built: dict[str, Any], ambassador_user: Any, item: Any
) -> None:
    factories.sandbox_account(ambassador_user)
    ambassador_user.teams.add(built["alpha"])
    with time_machine.travel(NOW, tick=False):
        share = share_create(user=ambassador_user, item=item, network="sandbox", text="Hi #x")
        share_publish(share_id=share.pk, attempt_id="attempt-1")
        share.refresh_from_db()
        assert share.status == Share.Status.PUBLISHED
        rollups_refresh()
        assert everything() == rebuilt()
    with time_machine.travel(NOW + timedelta(hours=2), tick=False):
        assert metrics_refresh() == 1
        assert MetricSnapshot.objects.filter(share=share).exists()
        rollups_refresh()
        assert everything() == rebuilt()
    counted = ItemDailyRollup.objects.get(content_item=item, day=D2)
    assert (counted.shares, counted.reported) == (1, True)
    assert rolled_up() == recount(DAY, D2)


def test_two_refreshes_in_a_row_do_not_count_twice(built: dict[str, Any]) -> None:
    with time_machine.travel(NOW, tick=False):
        clicks_arrive(built)
        # The same share marked again (a flush that stored a batch twice): recounted, not added.
        ShareChange.objects.create(share_id=built["s1"].pk, day=D2)
        rollups_refresh()
        once = everything()
        ShareChange.objects.create(share_id=built["s1"].pk, day=D2)
        rollups_refresh()
        rollups_refresh()
        assert everything() == once == rebuilt()


def test_a_refresh_with_nothing_marked_reads_two_rows(built: dict[str, Any]) -> None:
    with time_machine.travel(NOW, tick=False):
        for _ in range(2):
            with CaptureQueriesContext(connection) as context:
                assert rollups_refresh() == 0
            statements = [q["sql"] for q in context.captured_queries]
            # The lock and the marks (the savepoint is the test's own transaction's).
            assert [s for s in statements if "SAVEPOINT" not in s] == [
                statements[1],
                statements[2],
            ]
            assert "rollupr" in statements[1] and "sharechange" in statements[2]


def test_a_failed_refresh_keeps_its_marks_for_the_next(
    built: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("the worker died")

    with time_machine.travel(NOW, tick=False):
        before = everything()
        clicks_arrive(built)
        marks = ShareChange.objects.count()
        monkeypatch.setattr(refresh_module, "coarse_apply", broken)
        with pytest.raises(RuntimeError):
            rollups_refresh()
        assert ShareChange.objects.count() == marks
        assert everything() == before  # nothing half-written
        monkeypatch.undo()
        rollups_refresh()
        assert not ShareChange.objects.exists()
        assert everything() == rebuilt()


def test_the_first_refresh_of_a_day_rebuilds_yesterday_with_todays_teams(
    built: dict[str, Any],
) -> None:
    built["s3"].user.teams.add(built["bravo"])  # no raw row changes: nothing is marked
    with time_machine.travel(NOW + timedelta(days=1), tick=False):
        rollups_refresh()
        ending = set(AmbassadorPeriodRollup.objects.values_list("until", flat=True))
        assert ending == {D2 + timedelta(days=1)}
        assert TeamDayRollup.objects.filter(team=built["bravo"], day=D2, human_clicks=1).exists()
        assert rollups_refresh() == 0  # the rest of the day refreshes what changed


def test_the_first_refresh_ever_rebuilds_yesterday_and_today(world: dict[str, Any]) -> None:  # noqa: F811
    with time_machine.travel(NOW, tick=False):
        rollups_refresh()
        assert DailyRollup.objects.filter(day=D1).exists()
        assert not DailyRollup.objects.filter(day=DAY).exists()


def rebuilt_apart() -> dict[str, list[tuple[Any, ...]]]:
    """What a full rebuild would store now, rolled back: the next refresh starts from what the
    refreshes wrote, not from a rebuild."""
    with transaction.atomic():
        found = rebuilt()
        transaction.set_rollback(True)
    return found


def moved(share: Share, moment: datetime) -> None:
    """The share's publication moved (as a republish would): both days are marked."""
    with transaction.atomic():
        assert share.published_at is not None
        rollups_mark_changed(changes=[(share.pk, share.published_at), (share.pk, moment)])
        Share.objects.filter(pk=share.pk).update(published_at=moment)
    share.refresh_from_db()


def snapshot(share: Share, moment: datetime, **values: int | None) -> None:
    with transaction.atomic():
        MetricSnapshot.objects.create(share=share, taken_at=moment, **values)
        rollups_mark_changed(changes=[(share.pk, moment)])


def published(user: Any, item: Any, moment: datetime) -> Share:
    with transaction.atomic():
        share: Share = factories.ShareFactory(
            user=user, content_item=item, network="x", published_at=moment, cost=Decimal("0.20")
        )
        rollups_mark_changed(changes=[(share.pk, moment)])
    return share


def test_a_share_published_since_the_last_refresh_adds_its_cost_exactly(
    built: dict[str, Any], ambassador_user: Any, item: Any
) -> None:
    ambassador_user.teams.add(built["bravo"])
    everyone = NetworkDailyRollup.objects.filter(team=None, network="x")

    def charged() -> tuple[Any, ...]:
        return everyone.aggregate(charged=Sum("charged"), shares=Sum("charged_shares")).values()

    with time_machine.travel(NOW, tick=False):
        before = tuple(charged())
        published(ambassador_user, item, at(D2, 8))
        rollups_refresh()
        after = tuple(charged())
        rollups_refresh()  # nothing left to count: the cost is not added twice
        assert tuple(charged()) == after
        assert everything() == rebuilt()
    assert after == (before[0] + Decimal("0.20"), before[1] + 1)
    assert rolled_up() == recount(DAY, D2)


def test_a_costed_share_clicked_after_its_refresh_refreshes_again(
    built: dict[str, Any], ambassador_user: Any, item: Any
) -> None:
    # Its row is read back from the database to take the difference: the cost must come back
    # as a Decimal on SQLite too (it stores it as a float), or the refresh fails on every run.
    ambassador_user.teams.add(built["bravo"])
    with time_machine.travel(NOW, tick=False):
        share = published(ambassador_user, item, at(D2, 8))
        rollups_refresh()
        clicks_store(events=[event(share, at(D2, 9), visitor="first")])
        snapshot(share, at(D2, 9, 30), impressions=40)
        rollups_refresh()
        rollups_refresh()
        assert everything() == rebuilt()
    assert not ShareChange.objects.exists()
    assert rolled_up() == recount(DAY, D2)


def snapshots_gone(share: Share, day: date) -> None:
    """The day's snapshots deleted (a network's data withdrawn): its figures of that day are
    no longer reported, so they are "not available" again, not 0."""
    with transaction.atomic():
        MetricSnapshot.objects.filter(share=share, taken_at__gte=at(day, 0)).delete()
        rollups_mark_changed(changes=[(share.pk, at(day, 0))])


def test_after_several_refreshes_every_rollup_equals_a_rebuild(
    built: dict[str, Any], ambassador_user: Any, item: Any
) -> None:
    s1, s2, s3 = built["s1"], built["s2"], built["s3"]
    ambassador_user.teams.add(built["bravo"])
    with time_machine.travel(NOW, tick=False):
        steps: list[Callable[[], object]] = [
            lambda: clicks_arrive(built),
            # New snapshots: s1 measured again today, s2 reporting one reaction fewer.
            lambda: snapshot(s1, at(D2, 11), impressions=1200),
            lambda: snapshot(s2, at(D2, 11, 30), impressions=160, reactions=6, comments=2),
            # A new share published today, with nothing else on its row.
            lambda: published(ambassador_user, item, at(D2, 8)),
            # It moves to yesterday: today's row goes away, yesterday gets one.
            lambda: moved(Share.objects.latest("pk"), at(D1, 16)),
            # s3 moves to today: yesterday's row keeps the late click, loses the share.
            lambda: moved(s3, at(D2, 6)),
            lambda: snapshots_gone(s2, D2),
            lambda: clicks_store(events=[event(s1, at(D2, 11, 1), visitor="n")]),
        ]
        for step in steps:
            step()
            assert ShareChange.objects.exists()
            rollups_refresh()
            assert not ShareChange.objects.exists()
            assert everything() == rebuilt_apart()
    assert rolled_up() == recount(DAY, D2)


def test_a_refresh_reads_the_coarser_rows_of_the_changed_keys_only(built: dict[str, Any]) -> None:
    with time_machine.travel(NOW, tick=False):
        clicks_store(events=[event(built["s1"], at(D1, 20), visitor="late")])
        with CaptureQueriesContext(connection) as context:
            assert rollups_refresh() == 1
        statements = [q["sql"] for q in context.captured_queries]
        coarse = ("teamdailyrollup", "itemdailyrollup", "networkdailyrollup", "teamdayrollup")
        # The item's and team's rows are updated in place, not deleted and summed again.
        assert not [s for s in statements if s.startswith("DELETE") and any(c in s for c in coarse)]
        assert {c for c in coarse for s in statements if s.startswith("UPDATE") and c in s} == set(
            coarse
        )
        assert everything() == rebuilt()


def test_a_person_who_joined_a_team_since_the_rebuild_does_not_break_the_refresh(
    built: dict[str, Any],
) -> None:
    s3 = built["s3"]
    s3.user.teams.add(built["bravo"])  # bravo holds none of cas's rows before the rebuild
    with time_machine.travel(NOW, tick=False):
        moved(s3, at(D2, 6))  # yesterday's share taken out of a team row that never had it
        rollups_refresh()
        assert not ShareChange.objects.exists()
        assert rolled_up() == recount(DAY, D2)
        for day in (D1, D2):
            team = TeamDayRollup.objects.get(team=built["bravo"], day=day)
            fine = DailyRollup.objects.filter(day=day, user__teams=built["bravo"])
            assert team.shares == sum(row.shares for row in fine)


def clicks_arrive_in_batches(share_ids: list[int], done: Any) -> None:
    """Twenty flushes of clicks (today's and a late one of yesterday) and metrics refreshes,
    each marking its shares in its own transaction, as the worker writes them."""
    try:
        for n in range(20):
            clicks_store(
                events=[
                    ClickEvent(
                        event_id=f"batch{n}-{k}",
                        share_id=share_id,
                        at=at(D1 if k == 2 else D2, 13, n),
                        is_bot=k == 1,
                        agent="browser",
                        visitor_hash=f"v{n % 7}",
                    )
                    for k, share_id in enumerate(share_ids)
                ]
            )
            snapshot(Share(pk=share_ids[1]), at(D2, 14, n), impressions=200 + n, reactions=9)
            time.sleep(0.02)
    finally:
        done.set()


def refresh_until(done: Any, refreshed: Any) -> None:
    """The beat's refresh over and over until the writes stop, then once more."""
    while True:
        last = done.is_set()
        written = rollups_refresh(today=D2)
        with refreshed.get_lock():
            refreshed.value += written
        if last:
            return


def in_child(work: Callable[..., None], *args: Any) -> None:
    """In a forked process: its own database connection, opened on first use."""
    try:
        work(*args)
    finally:
        connections.close_all()


@pytest.mark.django_db(transaction=True)
def test_two_refreshes_in_two_processes_while_marks_are_written_equal_a_rebuild(
    world: dict[str, Any],  # noqa: F811
) -> None:
    if "fork" not in multiprocessing.get_all_start_methods():
        pytest.skip("needs fork: the children share the test database's settings")
    with time_machine.travel(NOW, tick=False):
        rollups_rebuild(since=DAY, until=D2)
    shares = [world["s1"].pk, world["s2"].pk, world["s3"].pk]
    processes = multiprocessing.get_context("fork")
    done, refreshed = processes.Event(), processes.Value("i", 0)
    connections.close_all()  # each child opens its own connection
    children = [
        processes.Process(target=in_child, args=(clicks_arrive_in_batches, shares, done)),
        *(
            processes.Process(target=in_child, args=(refresh_until, done, refreshed))
            for _ in range(2)
        ),
    ]
    for child in children:
        child.start()
    for child in children:
        child.join(timeout=120)
    assert [child.exitcode for child in children] == [0, 0, 0]

    assert refreshed.value > 0  # the children did the refreshing
    assert not ShareChange.objects.exists()
    assert Click.objects.filter(event_id__startswith="batch").count() == 60
    with time_machine.travel(NOW, tick=False):
        assert everything() == rebuilt()
    assert rolled_up() == recount(DAY, D2)
