"""The personal queue: weekly slots in the ambassador's own time zone (DST weeks included),
adding, reordering (also from two tabs at once), pausing, resuming and suggestions."""

import threading
import zoneinfo
from datetime import UTC, datetime, time
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from advocacy.models import QueueSlot, Share, User
from advocacy.sharing.queue import (
    queue_add,
    queue_move_to_now,
    queue_next_free_slots,
    queue_pause,
    queue_remove,
    queue_reorder,
    queue_resume,
    queue_shares,
    queue_slots_set,
    queue_suggestions,
)
from campaigns.models import ContentItem
from tests.factories import ContentItemFactory, ambassador

pytestmark = pytest.mark.django_db

AMSTERDAM = zoneinfo.ZoneInfo("Europe/Amsterdam")
NEW_YORK = zoneinfo.ZoneInfo("America/New_York")
MON, TUE, WED, THU, FRI, SAT, SUN = range(7)
STALE = "Your queue changed in another window; reload and try again."


def at(zone: zoneinfo.ZoneInfo, *parts: int) -> datetime:
    return datetime(*parts, tzinfo=zone)


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)


def person(zone: str = "Europe/Amsterdam", **kwargs: Any) -> User:
    return ambassador(time_zone=zone, **kwargs)


def add(user: User, item: ContentItem | None = None, text: str = "My own words #employee") -> Share:
    return queue_add(user=user, item=item or ContentItemFactory(), network="sandbox", text=text)


def queued(user: User) -> list[tuple[int, datetime]]:
    return [(share.pk, share.requested_at) for share in queue_shares(user)]


# --- Slots across daylight-saving changes ---------------------------------------------------


def test_a_slot_keeps_its_wall_time_across_the_spring_change_in_amsterdam(
    policy: Any, time_machine: Any
) -> None:
    time_machine.move_to(at(AMSTERDAM, 2027, 3, 26, 12, 0), tick=False)  # Friday, CET
    user = person()
    queue_slots_set(user=user, slots=[(SAT, time(9, 0)), (MON, time(9, 0))])

    slots = queue_next_free_slots(user=user, count=2)

    # 09:00 is 08:00 UTC before the clocks go forward on Sunday 28 March, 07:00 UTC after.
    assert slots == [utc(2027, 3, 27, 8, 0), utc(2027, 3, 29, 7, 0)]
    assert all(slot.tzinfo == UTC for slot in slots)


def test_a_slot_keeps_its_wall_time_across_the_autumn_change_in_new_york(
    policy: Any, time_machine: Any
) -> None:
    time_machine.move_to(at(NEW_YORK, 2027, 11, 5, 12, 0), tick=False)  # Friday, EDT
    user = person("America/New_York")
    queue_slots_set(user=user, slots=[(SAT, time(8, 30)), (MON, time(8, 30))])

    slots = queue_next_free_slots(user=user, count=2)

    # The clocks go back on Sunday 7 November: 08:30 is 12:30 UTC before, 13:30 UTC after.
    assert slots == [utc(2027, 11, 6, 12, 30), utc(2027, 11, 8, 13, 30)]


@pytest.mark.parametrize(
    ("zone", "now", "slot", "expected"),
    [
        # Europe/Amsterdam skips 02:00-03:00 on the last Sunday of March.
        ("Europe/Amsterdam", (2027, 3, 27, 12, 0), time(2, 30), utc(2027, 3, 28, 1, 0)),
        # America/New_York skips 02:00-03:00 on the second Sunday of March.
        ("America/New_York", (2027, 3, 13, 12, 0), time(2, 15), utc(2027, 3, 14, 7, 0)),
    ],
)
def test_a_slot_in_the_skipped_hour_moves_to_the_first_minute_after_it(
    policy: Any,
    time_machine: Any,
    zone: str,
    now: tuple[int, ...],
    slot: time,
    expected: datetime,
) -> None:
    time_machine.move_to(at(zoneinfo.ZoneInfo(zone), *now), tick=False)
    user = person(zone)
    queue_slots_set(user=user, slots=[(SUN, slot)])

    first, second = queue_next_free_slots(user=user, count=2)

    assert first == expected
    assert first.astimezone(zoneinfo.ZoneInfo(zone)).time() == time(3, 0)
    # A week later the hour exists again and the slot is at its own time.
    assert second.astimezone(zoneinfo.ZoneInfo(zone)).time() == slot


def test_a_skipped_slot_and_the_slot_it_moves_onto_give_one_moment(
    policy: Any, time_machine: Any
) -> None:
    time_machine.move_to(at(AMSTERDAM, 2027, 3, 27, 12, 0), tick=False)
    user = person()
    queue_slots_set(user=user, slots=[(SUN, time(2, 30)), (SUN, time(3, 0))])

    slots = queue_next_free_slots(user=user, count=2)

    assert slots[0] == utc(2027, 3, 28, 1, 0)
    assert slots[1] == utc(2027, 4, 4, 0, 30)  # the next Sunday's 02:30, CEST


@pytest.mark.parametrize(
    ("zone", "now", "slot", "expected"),
    [
        # Europe/Amsterdam repeats 02:00-03:00 on the last Sunday of October: first is CEST.
        ("Europe/Amsterdam", (2027, 10, 30, 12, 0), time(2, 30), utc(2027, 10, 31, 0, 30)),
        # America/New_York repeats 01:00-02:00 on the first Sunday of November: first is EDT.
        ("America/New_York", (2027, 11, 6, 12, 0), time(1, 30), utc(2027, 11, 7, 5, 30)),
    ],
)
def test_a_slot_in_the_repeated_hour_takes_its_first_occurrence(
    policy: Any,
    time_machine: Any,
    zone: str,
    now: tuple[int, ...],
    slot: time,
    expected: datetime,
) -> None:
    time_machine.move_to(at(zoneinfo.ZoneInfo(zone), *now), tick=False)
    user = person(zone)
    queue_slots_set(user=user, slots=[(SUN, slot)])

    assert queue_next_free_slots(user=user, count=1) == [expected]


def test_next_free_slots_need_a_slot(ambassador_user: User) -> None:
    with pytest.raises(ValidationError) as refused:
        queue_next_free_slots(user=ambassador_user, count=1)

    assert refused.value.code == "no_slots"
    assert refused.value.messages[0].startswith("Add a weekly time slot first")


# --- Setting slots --------------------------------------------------------------------------


def test_duplicate_slots_are_refused_with_the_slot_named(ambassador_user: User) -> None:
    queue_slots_set(user=ambassador_user, slots=[(MON, time(9, 0))])

    with pytest.raises(ValidationError) as refused:
        queue_slots_set(
            user=ambassador_user,
            slots=[(TUE, time(8, 30)), (THU, time(12, 15)), (TUE, time(8, 30))],
        )

    assert refused.value.code == "duplicate_slot"
    assert refused.value.messages == ["Tuesday 08:30 is listed twice."]
    assert list(QueueSlot.objects.filter(user=ambassador_user).values_list("weekday", "time")) == [
        (MON, time(9, 0))
    ]


@pytest.mark.parametrize("weekday", [-1, 7])
def test_a_weekday_outside_the_week_is_refused(ambassador_user: User, weekday: int) -> None:
    with pytest.raises(ValidationError) as refused:
        queue_slots_set(user=ambassador_user, slots=[(weekday, time(9, 0))])

    assert refused.value.code == "bad_weekday"
    assert refused.value.messages == [
        f"“{weekday}” is not a day of the week (0 is Monday, 6 is Sunday)."
    ]
    assert not QueueSlot.objects.filter(user=ambassador_user).exists()


def test_new_slots_take_the_queued_shares_in_their_order(policy: Any, time_machine: Any) -> None:
    time_machine.move_to(at(AMSTERDAM, 2027, 6, 7, 8, 0), tick=False)  # Monday
    user = person()
    queue_slots_set(user=user, slots=[(TUE, time(8, 30)), (THU, time(12, 15))])
    first, second = add(user), add(user)

    queue_slots_set(user=user, slots=[(WED, time(10, 0))])

    assert queued(user) == [
        (first.pk, at(AMSTERDAM, 2027, 6, 9, 10, 0)),
        (second.pk, at(AMSTERDAM, 2027, 6, 16, 10, 0)),
    ]


def test_removing_every_slot_of_a_filled_queue_is_refused(policy: Any, time_machine: Any) -> None:
    time_machine.move_to(at(AMSTERDAM, 2027, 6, 7, 8, 0), tick=False)
    user = person()
    queue_slots_set(user=user, slots=[(TUE, time(8, 30))])
    share = add(user)

    with pytest.raises(ValidationError) as refused:
        queue_slots_set(user=user, slots=[])

    assert refused.value.code == "slots_needed"
    assert refused.value.messages == [
        "Your queue holds 1 share: keep at least one weekly slot, or remove it from the "
        "queue first."
    ]
    assert queued(user) == [(share.pk, at(AMSTERDAM, 2027, 6, 8, 8, 30))]
    assert QueueSlot.objects.filter(user=user).count() == 1


# --- Adding ---------------------------------------------------------------------------------


@pytest.fixture
def monday(policy: Any, time_machine: Any) -> User:
    """An Amsterdam ambassador on Monday 7 June 2027, 08:00, with slots Tue 08:30, Thu 12:15."""
    time_machine.move_to(at(AMSTERDAM, 2027, 6, 7, 8, 0), tick=False)
    user = person()
    queue_slots_set(user=user, slots=[(TUE, time(8, 30)), (THU, time(12, 15))])
    return user


def test_adding_fills_the_next_free_slot_and_then_the_one_after(monday: User) -> None:
    first = add(monday)
    second = add(monday)

    for share in (first, second):
        assert share.in_queue
        assert share.status == Share.Status.SCHEDULED
    assert first.requested_at == first.scheduled_at == at(AMSTERDAM, 2027, 6, 8, 8, 30)
    assert second.requested_at == second.scheduled_at == at(AMSTERDAM, 2027, 6, 10, 12, 15)
    assert queue_next_free_slots(user=monday, count=1) == [at(AMSTERDAM, 2027, 6, 15, 8, 30)]


def test_adding_without_slots_is_refused(ambassador_user: User, item: ContentItem) -> None:
    with pytest.raises(ValidationError) as refused:
        add(ambassador_user, item)

    assert refused.value.code == "no_slots"
    assert not Share.objects.exists()


def test_adding_to_a_chosen_free_slot(monday: User) -> None:
    share = queue_add(
        user=monday,
        item=ContentItemFactory(),
        network="sandbox",
        text="My own words #employee",
        slot=at(AMSTERDAM, 2027, 6, 10, 12, 15),
    )

    assert share.requested_at == at(AMSTERDAM, 2027, 6, 10, 12, 15)
    assert add(monday).requested_at == at(AMSTERDAM, 2027, 6, 8, 8, 30)


@pytest.mark.parametrize(
    "slot",
    [
        at(AMSTERDAM, 2027, 6, 8, 8, 30),  # held by a queued share
        at(AMSTERDAM, 2027, 6, 8, 9, 0),  # not one of my slots
        at(AMSTERDAM, 2027, 6, 1, 8, 30),  # passed
    ],
)
def test_adding_to_a_slot_that_is_not_free_is_refused(monday: User, slot: datetime) -> None:
    add(monday)

    with pytest.raises(ValidationError) as refused:
        queue_add(user=monday, item=ContentItemFactory(), network="sandbox", text="Mine", slot=slot)

    assert refused.value.code == "slot_taken"
    assert refused.value.messages == [
        "That slot is no longer free. Reload your queue and pick another one."
    ]
    assert len(queued(monday)) == 1


def test_colleagues_queueing_one_item_for_one_slot_are_spread(monday: User) -> None:
    colleague = person()
    queue_slots_set(user=colleague, slots=[(TUE, time(8, 30))])
    item = ContentItemFactory()

    mine = add(monday, item, text="Proud of this launch, it took a year")
    theirs = add(colleague, item, text="Look what my team shipped today")

    # Both keep the slot they asked for; they go out apart, within the campaign's window.
    assert mine.requested_at == theirs.requested_at == at(AMSTERDAM, 2027, 6, 8, 8, 30)
    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert mine.scheduled_at != theirs.scheduled_at
    assert {mine.scheduled_at, theirs.scheduled_at} == {
        at(AMSTERDAM, 2027, 6, 8, 8, 30),
        at(AMSTERDAM, 2027, 6, 8, 9, 30),
    }
    assert queue_next_free_slots(user=monday, count=1) == [at(AMSTERDAM, 2027, 6, 10, 12, 15)]


# --- Reordering -----------------------------------------------------------------------------


@pytest.fixture
def three(monday: User) -> list[Share]:
    return [add(monday), add(monday), add(monday)]


SLOTS = [
    at(AMSTERDAM, 2027, 6, 8, 8, 30),
    at(AMSTERDAM, 2027, 6, 10, 12, 15),
    at(AMSTERDAM, 2027, 6, 15, 8, 30),
]


def test_reordering_swaps_the_times(monday: User, three: list[Share]) -> None:
    a, b, c = three

    result = queue_reorder(user=monday, share_ids=[b.pk, a.pk, c.pk])

    assert [share.pk for share in result] == [b.pk, a.pk, c.pk]
    assert queued(monday) == [(b.pk, SLOTS[0]), (a.pk, SLOTS[1]), (c.pk, SLOTS[2])]
    b.refresh_from_db()
    assert b.scheduled_at == SLOTS[0]


def test_a_swap_under_a_daily_maximum_keeps_both_days(
    monday: User, three: list[Share], policy: Any
) -> None:
    policy.max_shares_per_day = 1
    policy.save()
    a, b, c = three

    queue_reorder(user=monday, share_ids=[b.pk, a.pk, c.pk])

    # Half-way through the swap both shares sit on Thursday; neither may be pushed to Friday.
    for share, slot in ((b, SLOTS[0]), (a, SLOTS[1])):
        share.refresh_from_db()
        assert (share.scheduled_at, share.schedule_notice) == (slot, "")


def test_a_reorder_that_would_move_a_share_past_its_item_is_refused(monday: User) -> None:
    a = add(monday, ContentItemFactory(title="Short-lived", available_until=SLOTS[1]))
    b, c = add(monday), add(monday)

    with pytest.raises(ValidationError) as refused:
        queue_reorder(user=monday, share_ids=[b.pk, c.pk, a.pk])

    assert refused.value.messages == [
        "“Short-lived” cannot move to Tue 15 Jun 2027, 08:30: “Short-lived” can be shared "
        "until 2027-06-10 12:15; pick an earlier time."
    ]
    assert queued(monday) == [(a.pk, SLOTS[0]), (b.pk, SLOTS[1]), (c.pk, SLOTS[2])]


def test_a_held_share_moves_with_the_queue_and_stays_held(monday: User, policy: Any) -> None:
    a = add(monday)
    b = add(monday, ContentItemFactory(title="Roadmap"), text="Our confidential roadmap")
    c = add(monday)
    policy.blocked_terms = ["confidential"]
    policy.save()
    Share.objects.filter(pk=b.pk).update(held_reason="The policy changed: edit the caption.")

    queue_reorder(user=monday, share_ids=[b.pk, a.pk, c.pk])

    assert queued(monday) == [(b.pk, SLOTS[0]), (a.pk, SLOTS[1]), (c.pk, SLOTS[2])]
    b.refresh_from_db()
    assert b.held_reason == "The policy changed: edit the caption."


def test_a_reorder_moves_a_share_a_new_rule_forbids_and_leaves_the_hold_to_the_worker(
    monday: User, policy: Any
) -> None:
    # Reordering changes times only; the caption is checked again right before posting,
    # where a share that breaks a newer rule is held (tests/advocacy/sharing/test_scheduling.py).
    a = add(monday)
    b = add(monday, ContentItemFactory(title="Roadmap"), text="Our confidential roadmap")
    c = add(monday)
    policy.blocked_terms = ["confidential"]
    policy.save()

    queue_reorder(user=monday, share_ids=[b.pk, a.pk, c.pk])

    assert queued(monday) == [(b.pk, SLOTS[0]), (a.pk, SLOTS[1]), (c.pk, SLOTS[2])]


def test_reordering_with_the_order_last_seen_succeeds(monday: User, three: list[Share]) -> None:
    a, b, c = three

    queue_reorder(user=monday, share_ids=[c.pk, b.pk, a.pk], expected=[a.pk, b.pk, c.pk])

    assert queued(monday) == [(c.pk, SLOTS[0]), (b.pk, SLOTS[1]), (a.pk, SLOTS[2])]


def test_reordering_with_someone_elses_share_is_refused_and_changes_nothing(
    monday: User, three: list[Share]
) -> None:
    a, b, _c = three
    colleague = person()
    queue_slots_set(user=colleague, slots=[(WED, time(9, 0))])
    theirs = add(colleague)
    before = queued(monday)

    with pytest.raises(ValidationError) as refused:
        queue_reorder(user=monday, share_ids=[theirs.pk, b.pk, a.pk])

    assert refused.value.code == "stale_order"
    assert refused.value.messages == [STALE]
    assert queued(monday) == before
    assert queued(colleague) == [(theirs.pk, at(AMSTERDAM, 2027, 6, 9, 9, 0))]


@pytest.mark.parametrize(
    "order",
    [
        lambda a, b, c: [b, a],  # one missing
        lambda a, b, c: [b, a, a, c],  # one twice
        lambda a, b, c: [b, a, a],  # one twice, one missing
        lambda a, b, c: [b, a, c, 999_999],  # one that does not exist
    ],
)
def test_reordering_with_a_list_that_is_not_the_queue_is_refused(
    monday: User, three: list[Share], order: Any
) -> None:
    before = queued(monday)

    with pytest.raises(ValidationError) as refused:
        queue_reorder(user=monday, share_ids=order(*(share.pk for share in three)))

    assert refused.value.messages == [STALE]
    assert queued(monday) == before


def test_reordering_a_share_that_left_the_queue_is_refused(
    monday: User, three: list[Share]
) -> None:
    a, b, c = three
    queue_remove(share=b)

    with pytest.raises(ValidationError) as refused:
        queue_reorder(user=monday, share_ids=[c.pk, b.pk, a.pk])

    assert refused.value.code == "stale_order"
    assert queued(monday) == [(a.pk, SLOTS[0]), (c.pk, SLOTS[2])]


def test_a_reorder_from_a_tab_with_an_outdated_view_is_refused(
    monday: User, three: list[Share]
) -> None:
    a, b, c = three
    seen = [a.pk, b.pk, c.pk]  # both tabs show this order
    queue_reorder(user=monday, share_ids=[c.pk, a.pk, b.pk], expected=seen)  # first tab

    with pytest.raises(ValidationError) as refused:  # second tab
        queue_reorder(user=monday, share_ids=[b.pk, a.pk, c.pk], expected=seen)

    assert refused.value.messages == [STALE]
    assert queued(monday) == [(c.pk, SLOTS[0]), (a.pk, SLOTS[1]), (b.pk, SLOTS[2])]


def _run_in_threads(*calls: Any) -> list[BaseException | None]:
    """Run each call in its own thread (own database connection), all starting together."""
    barrier = threading.Barrier(len(calls))
    outcomes: list[BaseException | None] = [None] * len(calls)

    def run(index: int, call: Any) -> None:
        try:
            barrier.wait()
            call()
        except BaseException as exc:
            outcomes[index] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return outcomes


@pytest.mark.django_db(transaction=True)
def test_two_tabs_reordering_at_once_lose_and_double_nothing(
    monday: User, three: list[Share]
) -> None:
    a, b, c = three
    first_order, second_order = [c.pk, a.pk, b.pk], [b.pk, c.pk, a.pk]

    outcomes = _run_in_threads(
        lambda: queue_reorder(user=monday, share_ids=first_order),
        lambda: queue_reorder(user=monday, share_ids=second_order),
    )

    assert outcomes == [None, None]
    queue = queued(monday)
    assert [moment for _pk, moment in queue] == SLOTS  # every slot once
    assert [pk for pk, _moment in queue] in (first_order, second_order)  # the last one wins


@pytest.mark.django_db(transaction=True)
def test_two_tabs_reordering_the_same_view_at_once_apply_one_and_refuse_the_other(
    monday: User, three: list[Share]
) -> None:
    a, b, c = three
    seen = [a.pk, b.pk, c.pk]
    first_order, second_order = [c.pk, a.pk, b.pk], [b.pk, c.pk, a.pk]

    outcomes = _run_in_threads(
        lambda: queue_reorder(user=monday, share_ids=first_order, expected=seen),
        lambda: queue_reorder(user=monday, share_ids=second_order, expected=seen),
    )

    refused = [outcome for outcome in outcomes if outcome is not None]
    assert len(refused) == 1
    assert isinstance(refused[0], ValidationError)
    assert refused[0].messages == [STALE]
    winner = first_order if outcomes[0] is None else second_order
    assert queued(monday) == list(zip(winner, SLOTS, strict=True))
    assert Share.objects.filter(user=monday).count() == 3


# --- Now, remove, pause, resume -------------------------------------------------------------


def test_moving_a_queued_share_to_now_sends_it_and_frees_its_slot(
    monday: User, three: list[Share]
) -> None:
    a, b, c = three

    share = queue_move_to_now(share=b)

    assert not share.in_queue
    assert share.status == Share.Status.SCHEDULED
    assert share.scheduled_at == at(AMSTERDAM, 2027, 6, 7, 8, 0)
    assert queued(monday) == [(a.pk, SLOTS[0]), (c.pk, SLOTS[2])]
    assert queue_next_free_slots(user=monday, count=1) == [SLOTS[1]]


def test_removing_a_queued_share_cancels_it_and_frees_its_slot(
    monday: User, three: list[Share]
) -> None:
    a, b, c = three

    share = queue_remove(share=a)

    assert share.status == Share.Status.CANCELLED
    assert queued(monday) == [(b.pk, SLOTS[1]), (c.pk, SLOTS[2])]
    assert add(monday).requested_at == SLOTS[0]


def test_a_share_outside_the_queue_cannot_be_removed_from_it(monday: User) -> None:
    share = queue_move_to_now(share=add(monday))

    with pytest.raises(ValidationError) as refused:
        queue_remove(share=share)

    assert refused.value.messages == ["This share is not in your queue."]
    share.refresh_from_db()
    assert share.status == Share.Status.SCHEDULED


def test_resuming_after_a_holiday_moves_the_queue_to_the_next_slots_from_now(
    monday: User, three: list[Share], time_machine: Any
) -> None:
    a, b, c = three
    paused = queue_pause(user=monday)
    assert paused.queue_paused

    # Back on Wednesday 16 June: the slots of 8, 10 and 15 June were missed.
    time_machine.move_to(at(AMSTERDAM, 2027, 6, 16, 9, 0), tick=False)
    result = queue_resume(user=monday)

    monday.refresh_from_db()
    assert not monday.queue_paused
    expected = [
        (a.pk, at(AMSTERDAM, 2027, 6, 17, 12, 15)),
        (b.pk, at(AMSTERDAM, 2027, 6, 22, 8, 30)),
        (c.pk, at(AMSTERDAM, 2027, 6, 24, 12, 15)),
    ]
    assert queued(monday) == expected
    assert [(share.pk, share.scheduled_at) for share in result] == expected


def test_reordering_a_paused_queue_gives_missed_slots_no_share(
    monday: User, three: list[Share], time_machine: Any
) -> None:
    a, b, c = three
    queue_pause(user=monday)
    time_machine.move_to(at(AMSTERDAM, 2027, 6, 9, 9, 0), tick=False)  # Tuesday's slot passed

    queue_reorder(user=monday, share_ids=[c.pk, b.pk, a.pk])

    assert queued(monday) == [
        (c.pk, SLOTS[1]),
        (b.pk, SLOTS[2]),
        (a.pk, at(AMSTERDAM, 2027, 6, 17, 12, 15)),
    ]


# --- Suggestions ----------------------------------------------------------------------------


def test_suggestions_pair_the_empty_slots_with_the_best_feed_items(
    monday: User, time_machine: Any
) -> None:
    queued_item = ContentItemFactory(title="Already queued")
    add(monday, queued_item)
    for day, title in enumerate(["Oldest", "Older", "Newest"]):
        ContentItemFactory(title=title, published_at=at(AMSTERDAM, 2027, 6, 1 + day, 12, 0))

    suggestions = queue_suggestions(user=monday, weeks=2)

    assert [(moment, entry.item.title) for moment, entry in suggestions] == [
        (at(AMSTERDAM, 2027, 6, 10, 12, 15), "Newest"),
        (at(AMSTERDAM, 2027, 6, 15, 8, 30), "Older"),
        (at(AMSTERDAM, 2027, 6, 17, 12, 15), "Oldest"),
    ]
    assert len(queued(monday)) == 1  # nothing was scheduled


def test_an_item_that_expires_before_a_slot_is_not_suggested_for_it(monday: User) -> None:
    add(monday)  # Tuesday's slot is taken; Thursday's is empty
    ContentItemFactory(title="Short-lived", available_until=at(AMSTERDAM, 2027, 6, 9, 0, 0))
    ContentItemFactory(title="Lasting", published_at=at(AMSTERDAM, 2027, 6, 1, 12, 0))

    suggestions = queue_suggestions(user=monday, weeks=1)

    assert [(moment, entry.item.title) for moment, entry in suggestions] == [
        (at(AMSTERDAM, 2027, 6, 10, 12, 15), "Lasting"),
    ]


def test_suggestions_without_slots_are_empty(ambassador_user: User, item: ContentItem) -> None:
    assert queue_suggestions(user=ambassador_user) == []


def test_a_suggestion_is_approved_into_its_own_slot(monday: User) -> None:
    ContentItemFactory(title="First", published_at=at(AMSTERDAM, 2027, 6, 2, 12, 0))
    ContentItemFactory(title="Second", published_at=at(AMSTERDAM, 2027, 6, 1, 12, 0))
    moment, entry = queue_suggestions(user=monday, weeks=1)[1]

    share = queue_add(
        user=monday, item=entry.item, network="sandbox", text="Worth a read", slot=moment
    )

    assert (share.content_item.title, share.requested_at) == ("Second", SLOTS[1])
    assert [(m, e.item.title) for m, e in queue_suggestions(user=monday, weeks=1)] == [
        (SLOTS[0], "First")
    ]


def test_a_queued_share_keeps_its_slot_while_the_policy_moves_it(monday: User, policy: Any) -> None:
    policy.sharing_hours_start, policy.sharing_hours_end = time(9, 0), time(17, 0)
    policy.save()

    share = add(monday)

    assert share.requested_at == SLOTS[0]  # Tuesday 08:30
    assert share.scheduled_at == at(AMSTERDAM, 2027, 6, 8, 9, 0)
    assert "between 09:00 and 17:00" in share.schedule_notice
    assert queue_next_free_slots(user=monday, count=1) == [SLOTS[1]]


def test_next_free_slots_start_after_the_given_moment(monday: User) -> None:
    assert queue_next_free_slots(
        user=monday, count=2, after=at(AMSTERDAM, 2027, 6, 10, 12, 15)
    ) == [at(AMSTERDAM, 2027, 6, 15, 8, 30), at(AMSTERDAM, 2027, 6, 17, 12, 15)]
    assert queue_next_free_slots(user=monday, count=0) == []
