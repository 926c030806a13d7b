"""Share later: own time zone with DST, the policy in time, spread launches, holds."""

from datetime import UTC, datetime, time, timedelta

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError

from advocacy.models import SandboxPost, Share
from advocacy.publishing.dispatch import shares_dispatch_due
from advocacy.publishing.publish import share_publish
from advocacy.sharing.scheduling import local_to_utc, share_now, share_schedule, share_update
from policy.services import policy_acknowledge, policy_draft_save, policy_publish
from tests import factories

pytestmark = pytest.mark.django_db

PERSONAL_NOTES = [
    "Proud of the team that built this",
    "Finally out: months of work by brilliant colleagues",
    "I tested this myself and it is fast",
    "Customers asked for it and we listened",
    "My favourite release this year",
    "Great day for our engineers",
    "Have a look, feedback welcome",
    "This one solves a problem I had for ages",
    "Small change, big difference for users",
    "We shipped it, coffee is on me",
    "Worth five minutes of your time",
    "Happy to answer questions about it",
]

# A Wednesday, far from any DST change.
NOW = datetime(2026, 6, 10, 10, 0, tzinfo=UTC)


def codes(error: ValidationError) -> set[str]:
    return {e.code for e in error.error_list}


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def amber(policy):
    return factories.ambassador(username="amber", time_zone="Europe/Amsterdam")


@pytest.fixture
def item(policy):
    return factories.ContentItemFactory(available_until=NOW + timedelta(days=60))


def schedule(user, item, when, text="In my own words #employee"):
    return share_schedule(user=user, item=item, network="sandbox", text=text, when=when)


# --- Local time and daylight saving ---------------------------------------------------------


@pytest.mark.parametrize(
    ("zone", "local", "utc"),
    [
        ("Europe/Amsterdam", datetime(2026, 3, 28, 9, 0), datetime(2026, 3, 28, 8, 0, tzinfo=UTC)),
        ("Europe/Amsterdam", datetime(2026, 3, 29, 9, 0), datetime(2026, 3, 29, 7, 0, tzinfo=UTC)),
        ("America/New_York", datetime(2026, 3, 7, 9, 0), datetime(2026, 3, 7, 14, 0, tzinfo=UTC)),
        ("America/New_York", datetime(2026, 3, 8, 9, 0), datetime(2026, 3, 8, 13, 0, tzinfo=UTC)),
        ("America/New_York", datetime(2026, 11, 1, 9, 0), datetime(2026, 11, 1, 14, 0, tzinfo=UTC)),
    ],
)
def test_a_local_time_is_read_in_the_ambassadors_zone_across_dst_weeks(zone, local, utc):
    assert local_to_utc(local=local, time_zone=zone) == utc


@pytest.mark.parametrize(
    ("zone", "local", "after"),
    [
        ("Europe/Amsterdam", datetime(2026, 3, 29, 2, 30), "03:30"),
        ("America/New_York", datetime(2026, 3, 8, 2, 15), "03:15"),
    ],
)
def test_a_time_in_the_skipped_hour_is_refused_with_the_next_valid_time(zone, local, after):
    with pytest.raises(ValidationError) as error:
        local_to_utc(local=local, time_zone=zone)

    assert codes(error.value) == {"nonexistent_time"}
    assert "does not exist" in error.value.messages[0]
    assert after in error.value.messages[0]


@pytest.mark.parametrize(
    ("zone", "local", "first", "second"),
    [
        ("Europe/Amsterdam", datetime(2026, 10, 25, 2, 30), "+0200", "+0100"),
        ("America/New_York", datetime(2026, 11, 1, 1, 30), "-0400", "-0500"),
    ],
)
def test_a_time_in_the_repeated_hour_must_be_chosen(zone, local, first, second):
    with pytest.raises(ValidationError) as error:
        local_to_utc(local=local, time_zone=zone)

    assert codes(error.value) == {"ambiguous_time"}
    assert first in error.value.messages[0] and second in error.value.messages[0]
    earlier = local_to_utc(local=local, time_zone=zone, fold=0)
    later = local_to_utc(local=local, time_zone=zone, fold=1)
    assert later - earlier == timedelta(hours=1)


# --- Scheduling -------------------------------------------------------------------------------


def test_a_share_is_scheduled_for_the_chosen_moment(amber, item):
    share = schedule(amber, item, NOW + timedelta(days=1))

    assert share.status == Share.Status.SCHEDULED
    assert share.scheduled_at == share.requested_at == NOW + timedelta(days=1)
    assert share.schedule_notice == ""


def test_a_time_in_the_past_is_refused(amber, item):
    with pytest.raises(ValidationError) as error:
        schedule(amber, item, NOW - timedelta(minutes=5))

    assert codes(error.value) == {"time_in_past"}
    assert not Share.objects.exists()


def test_a_time_after_the_item_stops_being_available_is_refused(amber, item):
    with pytest.raises(ValidationError) as error:
        schedule(amber, item, NOW + timedelta(days=61))

    assert codes(error.value) == {"after_availability"}
    assert "pick an earlier time" in error.value.messages[0]


def test_a_scheduled_share_is_not_sent_before_its_time(amber, item, frozen):
    share = schedule(amber, item, NOW + timedelta(hours=2))

    assert shares_dispatch_due() == 0
    frozen.move_to(NOW + timedelta(hours=2, seconds=1))
    assert shares_dispatch_due() == 1
    share_publish(share_id=share.pk, attempt_id="a1")
    assert Share.objects.get(pk=share.pk).status == Share.Status.PUBLISHED


def test_text_and_time_can_be_edited_until_publishing(amber, item):
    share = schedule(amber, item, NOW + timedelta(hours=5))

    share = share_update(
        share=share, text="Edited, still mine #employee", when=NOW + timedelta(hours=6)
    )

    assert share.text == "Edited, still mine #employee"
    assert share.scheduled_at == NOW + timedelta(hours=6)
    Share.objects.filter(pk=share.pk).update(status=Share.Status.PUBLISHING)
    with pytest.raises(ValidationError) as error:
        share_update(share=share, text="Too late #employee")
    assert codes(error.value) == {"not_editable"}


def test_share_now_sends_a_scheduled_share_at_once(amber, item):
    share = schedule(amber, item, NOW + timedelta(days=2))

    share = share_now(share=share)

    assert share.scheduled_at == NOW and share.requested_at is None
    share_publish(share_id=share.pk, attempt_id="a1")
    assert SandboxPost.objects.count() == 1


# --- The policy in time -------------------------------------------------------------------------


def strict_policy(user_list, **rules):
    marketing = factories.marketing_user()
    draft = policy_draft_save(
        user=marketing,
        title="Policy",
        body="# Rules",
        blocked_terms=rules.get("blocked_terms", []),
        allowed_domains=[],
        max_shares_per_day=rules.get("max_shares_per_day"),
        sharing_hours_start=rules.get("start"),
        sharing_hours_end=rules.get("end"),
        required_disclosure=rules.get("required_disclosure", ""),
    )
    policy = policy_publish(version=draft, user=marketing)
    for user in user_list:
        policy_acknowledge(user=user, version=policy)
    return policy


def test_a_share_outside_sharing_hours_moves_to_the_next_opening_with_a_notice(amber, item):
    strict_policy([amber], start=time(9, 0), end=time(18, 0))
    # 22:00 in Amsterdam (summer, UTC+2) is outside 09:00-18:00: next morning 09:00 local.
    share = schedule(amber, item, datetime(2026, 6, 12, 20, 0, tzinfo=UTC))

    assert share.scheduled_at == datetime(2026, 6, 13, 7, 0, tzinfo=UTC)
    assert share.requested_at == datetime(2026, 6, 12, 20, 0, tzinfo=UTC)
    assert "Moved to Sat 2026-06-13 09:00" in share.schedule_notice
    assert "between 09:00 and 18:00" in share.schedule_notice


def test_sharing_hours_are_read_in_the_ambassadors_own_zone(policy, item):
    ny = factories.ambassador(username="nick", time_zone="America/New_York")
    strict_policy([ny], start=time(9, 0), end=time(18, 0))
    # 14:00 UTC is 10:00 in New York (summer, UTC-4): inside the hours, not moved.
    share = schedule(ny, item, datetime(2026, 6, 12, 14, 0, tzinfo=UTC))

    assert share.scheduled_at == datetime(2026, 6, 12, 14, 0, tzinfo=UTC)


def test_a_full_day_moves_the_share_to_the_next_day(amber, policy):
    strict_policy([amber], max_shares_per_day=1, start=time(8, 0), end=time(20, 0))
    first, second = factories.ContentItemFactory(), factories.ContentItemFactory()
    schedule(amber, first, datetime(2026, 6, 12, 8, 0, tzinfo=UTC))

    share = schedule(amber, second, datetime(2026, 6, 12, 9, 0, tzinfo=UTC))

    assert share.scheduled_at == datetime(2026, 6, 13, 6, 0, tzinfo=UTC)  # 08:00 local
    assert "1 shares a day" in share.schedule_notice


def test_a_share_whose_item_expires_first_is_cancelled_and_the_ambassador_told(amber, item, frozen):
    share = schedule(amber, item, NOW + timedelta(days=3))
    item.available_until = NOW + timedelta(days=2)
    item.save()
    frozen.move_to(NOW + timedelta(days=3, minutes=1))

    shares_dispatch_due()
    share_publish(share_id=share.pk, attempt_id="a1")

    share.refresh_from_db()
    assert share.status == Share.Status.CANCELLED
    assert "expired before your share went out" in share.error
    assert not SandboxPost.objects.exists()
    assert mail.outbox[-1].to == [amber.email]
    assert "cancelled" in mail.outbox[-1].subject


def test_a_withdrawn_item_cancels_its_scheduled_shares(amber, item, frozen):
    share = schedule(amber, item, NOW + timedelta(hours=3))
    item.status = "archived"
    item.save()
    frozen.move_to(NOW + timedelta(hours=4))

    share_publish(share_id=share.pk, attempt_id="a1")

    share.refresh_from_db()
    assert share.status == Share.Status.CANCELLED
    assert "withdrawn" in share.error


def test_a_new_policy_holds_a_share_that_breaks_it_and_lets_others_through(policy, item, frozen):
    amber = factories.ambassador(username="amber")
    bert = factories.ambassador(username="bert")
    held = schedule(amber, item, NOW + timedelta(hours=3), text="Our unreleased gadget rocks")
    fine = schedule(bert, item, NOW + timedelta(hours=3), text="Something else entirely here")
    strict_policy([], blocked_terms=["unreleased"])
    frozen.move_to(NOW + timedelta(hours=6))

    shares_dispatch_due()
    share_publish(share_id=held.pk, attempt_id="a1")
    share_publish(share_id=fine.pk, attempt_id="a2")

    held.refresh_from_db()
    assert held.status == Share.Status.SCHEDULED
    assert "Edit the caption" in held.held_reason and "unreleased" in held.held_reason
    assert Share.objects.get(pk=fine.pk).status == Share.Status.PUBLISHED
    assert shares_dispatch_due() == 0  # held shares are not sent again by themselves
    assert "on hold" in mail.outbox[-1].subject


def test_editing_a_held_share_releases_it(policy, item, frozen):
    amber = factories.ambassador(username="amber")
    share = schedule(amber, item, NOW + timedelta(hours=3), text="Our unreleased gadget rocks")
    new_policy = strict_policy([], blocked_terms=["unreleased"])
    policy_acknowledge(user=amber, version=new_policy)
    frozen.move_to(NOW + timedelta(hours=4))
    share_publish(share_id=share.pk, attempt_id="a1")
    assert Share.objects.get(pk=share.pk).held_reason

    share = share_update(share=share, text="Our new gadget rocks", when=NOW + timedelta(hours=5))

    assert share.held_reason == "" and share.policy_version == new_policy
    frozen.move_to(NOW + timedelta(hours=5, minutes=1))
    assert shares_dispatch_due() == 1


# --- Spread launches ------------------------------------------------------------------------------


def test_shares_of_one_item_for_the_same_moment_are_spread_over_the_window(policy):
    campaign = factories.CampaignFactory(spread_minutes=120)
    item = factories.ContentItemFactory(campaign=campaign)
    launch = NOW + timedelta(days=1)
    people = [factories.ambassador(username=f"amb{i}") for i in range(12)]

    for person, text in zip(people, PERSONAL_NOTES, strict=True):
        schedule(person, item, launch, text=f"{text} #employee")

    times = sorted(Share.objects.values_list("scheduled_at", flat=True))
    assert times[0] == launch
    assert all(launch <= t < launch + timedelta(minutes=120) for t in times)
    assert len(set(times)) == 12  # nobody in the same minute
    gaps = {times[i + 1] - times[i] for i in range(11)}
    assert gaps == {timedelta(minutes=10)}  # evenly over the window
    assert all(
        "Spread launch" in n
        for n in Share.objects.exclude(scheduled_at=launch).values_list(
            "schedule_notice", flat=True
        )
    )


def test_the_spread_order_is_reproducible(policy):
    def run() -> list[str]:
        Share.objects.all().delete()
        for person in people:
            schedule(person, item, launch, text=f"{PERSONAL_NOTES[people.index(person)]} #employee")
        return list(Share.objects.order_by("scheduled_at").values_list("user__username", flat=True))

    item = factories.ContentItemFactory()
    launch = NOW + timedelta(days=1)
    people = [factories.ambassador(username=f"p{i}") for i in range(6)]

    first = run()
    assert run() == first
    assert sorted(first) == sorted(p.username for p in people)
