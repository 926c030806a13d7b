"""The beat's refresh recounts only the shares marked since the last one (clicks flushed,
snapshots taken, shares published), and leaves every rollup as a full rebuild and a recount
from the raw rows would: twice in a row, with nothing to do, and after a failure."""

import uuid
from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any

import pytest
import time_machine
from django.db import connection, models
from django.test.utils import CaptureQueriesContext

from advocacy.clickstream import ClickEvent
from advocacy.models import MetricSnapshot, Share
from advocacy.services import metrics_refresh, share_create, share_publish
from advocacy.services.clicks import clicks_store
from reports.models import (
    AmbassadorPeriodRollup,
    DailyRollup,
    ItemDailyRollup,
    ShareChange,
    TeamDayRollup,
)
from reports.services import refresh as refresh_module
from reports.services import rollups_rebuild, rollups_refresh
from reports.services.rollups import ROLLUPS
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
        monkeypatch.setattr(refresh_module, "_coarse_refresh", broken)
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
