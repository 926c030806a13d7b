"""Share later through the API: scheduled_for with an offset (that moment) or without one (a
wall time in the caller's own zone, DST weeks in Europe/Amsterdam and America/New_York
included), every refusal with its code, changing and sending a scheduled share, and the
time zone and new-content email in /api/me/."""

from datetime import UTC, datetime, time, timedelta
from typing import Any

import pytest
import time_machine

from advocacy.models import Share, User
from advocacy.sharing.scheduling import share_schedule
from tests.api.helpers import detail
from tests.conftest import api_for
from tests.factories import ContentItemFactory, ambassador

pytestmark = pytest.mark.django_db

# A Monday, before the spring DST change on both sides of the Atlantic.
NOW = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
CAPTION = "Proud of our new office, come and see #employee"


@pytest.fixture(autouse=True)
def frozen() -> Any:
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def amber(policy: Any) -> User:
    return ambassador(username="amber", time_zone="Europe/Amsterdam")


@pytest.fixture
def nick(policy: Any) -> User:
    return ambassador(username="nick", time_zone="America/New_York")


def share(user: User, item: Any, **extra: Any) -> Any:
    data = {"content_item": item.pk, "network": "sandbox", "text": CAPTION, **extra}
    return api_for(user).post("/api/shares/", data, format="json")


def moment(value: str | None) -> datetime | None:
    return None if value is None else datetime.fromisoformat(value).astimezone(UTC)


def scheduled(user: User, item: Any, when: datetime) -> Share:
    return share_schedule(user=user, item=item, network="sandbox", text=CAPTION, when=when)


# --- Scheduling -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("zone", "local", "stored"),
    [
        ("Europe/Amsterdam", "2026-03-27T09:00", datetime(2026, 3, 27, 8, 0, tzinfo=UTC)),
        ("Europe/Amsterdam", "2026-03-30T09:00:00", datetime(2026, 3, 30, 7, 0, tzinfo=UTC)),
        ("America/New_York", "2026-03-06T09:00", datetime(2026, 3, 6, 14, 0, tzinfo=UTC)),
        ("America/New_York", "2026-03-09T09:00", datetime(2026, 3, 9, 13, 0, tzinfo=UTC)),
    ],
)
def test_a_time_without_offset_is_read_in_the_callers_own_zone(
    policy: Any, item: Any, zone: str, local: str, stored: datetime
) -> None:
    user = ambassador(time_zone=zone)

    response = share(user, item, scheduled_for=local)

    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["status"] == "scheduled"
    assert moment(body["scheduled_at"]) == moment(body["requested_at"]) == stored
    assert body["schedule_notice"] == ""
    assert body["held_reason"] == ""
    assert body["in_queue"] is False
    assert Share.objects.get(pk=body["id"]).scheduled_at == stored


def test_a_time_with_an_offset_is_that_exact_moment(nick: User, item: Any) -> None:
    response = share(nick, item, scheduled_for="2026-03-30T09:00:00+02:00")

    assert response.status_code == 201, response.json()
    assert moment(response.json()["scheduled_at"]) == datetime(2026, 3, 30, 7, 0, tzinfo=UTC)


def test_without_scheduled_for_the_share_goes_out_now(amber: User, item: Any) -> None:
    response = share(amber, item)

    assert response.status_code == 201
    body = response.json()
    assert moment(body["scheduled_at"]) == NOW
    assert body["requested_at"] is None


def test_a_time_that_happens_twice_needs_a_fold(amber: User, item: Any) -> None:
    refused = share(amber, item, scheduled_for="2026-10-25T02:30")
    second = share(amber, item, scheduled_for="2026-10-25T02:30", fold=1)

    assert refused.status_code == 400
    assert refused.json()["code"] == "ambiguous_time"
    assert "02:30 happens twice on 2026-10-25 in Europe/Amsterdam" in detail(refused)
    assert "UTC+0200" in detail(refused) and "UTC+0100" in detail(refused)
    assert second.status_code == 201, second.json()
    assert moment(second.json()["scheduled_at"]) == datetime(2026, 10, 25, 1, 30, tzinfo=UTC)


def test_fold_zero_picks_the_first_of_two_repeated_times_in_new_york(nick: User, item: Any) -> None:
    response = share(nick, item, scheduled_for="2026-11-01T01:30", fold=0)

    assert response.status_code == 201, response.json()
    assert moment(response.json()["scheduled_at"]) == datetime(2026, 11, 1, 5, 30, tzinfo=UTC)


def test_a_fold_other_than_0_or_1_is_refused(amber: User, item: Any) -> None:
    response = share(amber, item, scheduled_for="2026-10-25T02:30", fold=2)

    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    assert detail(response).startswith("fold:")


@pytest.mark.parametrize(
    ("user_fixture", "local", "after"),
    [("amber", "2026-03-29T02:30", "03:30"), ("nick", "2026-03-08T02:15", "03:15")],
)
def test_a_time_in_the_skipped_hour_is_refused(
    request: pytest.FixtureRequest, item: Any, user_fixture: str, local: str, after: str
) -> None:
    response = share(request.getfixturevalue(user_fixture), item, scheduled_for=local)

    assert response.status_code == 400
    assert response.json()["code"] == "nonexistent_time"
    assert "does not exist" in detail(response)
    assert f"Choose {after} or later." in detail(response)
    assert not Share.objects.exists()


def test_a_time_in_the_past_is_refused(amber: User, item: Any) -> None:
    response = share(amber, item, scheduled_for="2026-03-02T10:59")  # 09:59 UTC

    assert response.status_code == 400
    assert response.json()["code"] == "time_in_past"
    assert detail(response) == "That time has passed. Pick a moment in the future, or share now."


def test_a_time_after_the_item_stops_being_available_is_refused(amber: User) -> None:
    item = ContentItemFactory(title="Spring launch", available_until=NOW + timedelta(days=5))

    response = share(amber, item, scheduled_for="2026-03-20T09:00")

    assert response.status_code == 400
    assert response.json()["code"] == "after_availability"
    assert "“Spring launch” can be shared until 2026-03-07 11:00" in detail(response)
    assert not Share.objects.exists()


def test_a_time_that_does_not_parse_is_refused(amber: User, item: Any) -> None:
    response = share(amber, item, scheduled_for="next tuesday")

    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    assert detail(response).startswith("scheduled_for: Datetime has wrong format.")


def test_a_share_outside_sharing_hours_is_moved_with_a_notice(
    amber: User, item: Any, policy: Any
) -> None:
    policy.sharing_hours_start, policy.sharing_hours_end = time(9, 0), time(18, 0)
    policy.save()

    response = share(amber, item, scheduled_for="2026-03-10T22:00")

    assert response.status_code == 201, response.json()
    body = response.json()
    assert moment(body["requested_at"]) == datetime(2026, 3, 10, 21, 0, tzinfo=UTC)
    assert moment(body["scheduled_at"]) == datetime(2026, 3, 11, 8, 0, tzinfo=UTC)
    assert "Moved to Wed 2026-03-11 09:00" in body["schedule_notice"]
    assert "between 09:00 and 18:00" in body["schedule_notice"]


# --- Changing, sending now --------------------------------------------------------------------


def patch(user: User, share_id: int, data: dict[str, Any]) -> Any:
    return api_for(user).patch(f"/api/shares/{share_id}/", data, format="json")


def test_the_text_and_time_of_a_scheduled_share_can_be_changed(amber: User, item: Any) -> None:
    created = scheduled(amber, item, datetime(2026, 3, 10, 9, 0, tzinfo=UTC))

    response = patch(
        amber,
        created.pk,
        {"text": "Reworded in my voice #employee", "scheduled_for": "2026-03-31T18:15"},
    )

    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["text"] == "Reworded in my voice #employee"
    assert moment(body["scheduled_at"]) == datetime(2026, 3, 31, 16, 15, tzinfo=UTC)


def test_changing_only_the_text_keeps_the_time(amber: User, item: Any) -> None:
    created = scheduled(amber, item, datetime(2026, 3, 10, 9, 0, tzinfo=UTC))

    response = patch(amber, created.pk, {"text": "Only new words #employee"})

    assert response.status_code == 200, response.json()
    assert moment(response.json()["scheduled_at"]) == datetime(2026, 3, 10, 9, 0, tzinfo=UTC)


def test_a_change_needs_a_text_or_a_time(amber: User, item: Any) -> None:
    created = scheduled(amber, item, datetime(2026, 3, 10, 9, 0, tzinfo=UTC))

    response = patch(amber, created.pk, {})

    assert response.status_code == 400
    assert detail(response) == "Give a new text, a new time, a new photo or remove the photo."


@pytest.mark.parametrize(
    ("data", "code"),
    [
        ({"scheduled_for": "2026-03-01T09:00"}, "time_in_past"),
        ({"scheduled_for": "2026-03-29T02:30"}, "nonexistent_time"),
        ({"scheduled_for": "2026-10-25T02:30"}, "ambiguous_time"),
    ],
)
def test_a_bad_new_time_is_refused_and_the_share_stays_as_it_was(
    amber: User, item: Any, data: dict[str, str], code: str
) -> None:
    created = scheduled(amber, item, datetime(2026, 3, 10, 9, 0, tzinfo=UTC))

    response = patch(amber, created.pk, data)

    assert response.status_code == 400
    assert response.json()["code"] == code
    created.refresh_from_db()
    assert created.scheduled_at == datetime(2026, 3, 10, 9, 0, tzinfo=UTC)


def test_a_published_share_can_no_longer_be_changed(amber: User, item: Any) -> None:
    created = scheduled(amber, item, datetime(2026, 3, 10, 9, 0, tzinfo=UTC))
    Share.objects.filter(pk=created.pk).update(status=Share.Status.PUBLISHED)

    response = patch(amber, created.pk, {"text": "Too late #employee"})

    assert response.status_code == 400
    assert response.json()["code"] == "not_editable"
    assert "can no longer be changed" in detail(response)


def test_a_held_share_is_released_by_a_text_that_passes(amber: User, item: Any) -> None:
    created = scheduled(amber, item, datetime(2026, 3, 10, 9, 0, tzinfo=UTC))
    Share.objects.filter(pk=created.pk).update(held_reason="Edit the caption to send it.")
    assert api_for(amber).get(f"/api/shares/{created.pk}/").json()["held_reason"]

    response = patch(amber, created.pk, {"text": "Fresh words of my own #employee"})

    assert response.status_code == 200
    assert response.json()["held_reason"] == ""


def test_send_now_moves_a_scheduled_share_to_this_moment(amber: User, item: Any) -> None:
    created = scheduled(amber, item, datetime(2026, 3, 10, 9, 0, tzinfo=UTC))

    response = api_for(amber).post(f"/api/shares/{created.pk}/now/")

    assert response.status_code == 200, response.json()
    body = response.json()
    assert moment(body["scheduled_at"]) == NOW
    assert body["requested_at"] is None
    assert body["status"] == "scheduled"


def test_send_now_is_refused_once_the_share_was_cancelled(amber: User, item: Any) -> None:
    created = scheduled(amber, item, datetime(2026, 3, 10, 9, 0, tzinfo=UTC))
    api_for(amber).post(f"/api/shares/{created.pk}/cancel/")

    response = api_for(amber).post(f"/api/shares/{created.pk}/now/")

    assert response.status_code == 400
    assert response.json()["code"] == "not_editable"


def test_another_persons_share_cannot_be_changed_or_sent(amber: User, item: Any) -> None:
    bert = ambassador(username="bert")
    theirs = scheduled(bert, item, datetime(2026, 3, 10, 9, 0, tzinfo=UTC))

    changed = patch(amber, theirs.pk, {"text": "Mine now #employee"})
    sent = api_for(amber).post(f"/api/shares/{theirs.pk}/now/")

    assert changed.status_code == 404 and sent.status_code == 404
    theirs.refresh_from_db()
    assert theirs.text == CAPTION
    assert theirs.scheduled_at == datetime(2026, 3, 10, 9, 0, tzinfo=UTC)


# --- /api/me/ settings ------------------------------------------------------------------------


def test_me_shows_time_zone_new_content_email_and_queue_state(nick: User) -> None:
    body = api_for(nick).get("/api/me/").json()

    assert body["time_zone"] == "America/New_York"
    assert body["digest_frequency"] == "weekly"
    assert body["queue_paused"] is False


def test_me_changes_time_zone_and_new_content_email(amber: User, item: Any) -> None:
    response = api_for(amber).patch(
        "/api/me/", {"time_zone": "America/New_York", "digest_frequency": "off"}, format="json"
    )

    assert response.status_code == 200
    assert response.json()["time_zone"] == "America/New_York"
    assert response.json()["digest_frequency"] == "off"
    later = share(amber, item, scheduled_for="2026-03-09T09:00")
    assert moment(later.json()["scheduled_at"]) == datetime(2026, 3, 9, 13, 0, tzinfo=UTC)


def test_me_refuses_an_unknown_time_zone_and_changes_nothing(amber: User) -> None:
    response = api_for(amber).patch(
        "/api/me/", {"time_zone": "Mars/Olympus_Mons", "show_on_leaderboard": True}, format="json"
    )

    assert response.status_code == 400
    assert response.json()["code"] == "bad_time_zone"
    assert detail(response) == (
        "“Mars/Olympus_Mons” is not a time zone (use a name like Europe/Amsterdam)."
    )
    amber.refresh_from_db()
    assert amber.time_zone == "Europe/Amsterdam"
    assert amber.show_on_leaderboard is False


def test_me_refuses_an_unknown_new_content_email_frequency(amber: User) -> None:
    response = api_for(amber).patch("/api/me/", {"digest_frequency": "hourly"}, format="json")

    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    assert detail(response).startswith("digest_frequency:")
