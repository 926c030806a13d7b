"""Share later through the pages: a time in the ambassador's own zone (DST weeks in
Europe/Amsterdam and America/New_York), the policy's moves shown, editing, sending now, and the
time zone and new-content email settings."""

from datetime import UTC, datetime, time, timedelta
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from advocacy.models import Share, User
from advocacy.sharing.scheduling import share_schedule
from tests import factories

pytestmark = pytest.mark.django_db

# A Monday, before the spring DST change on both sides of the Atlantic.
NOW = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
CAPTION = "Proud of what my team built this year #employee"


@pytest.fixture(autouse=True)
def frozen() -> Any:
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def amber(policy: Any) -> User:
    return factories.ambassador(username="amber", time_zone="Europe/Amsterdam")


@pytest.fixture
def nick(policy: Any) -> User:
    return factories.ambassador(username="nick", time_zone="America/New_York")


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def page(response: Any) -> str:
    return response.content.decode()


def share_later(
    user: User, item: Any, when: str, client: Client | None = None, **extra: Any
) -> Any:
    data = {"network": "sandbox", "text": CAPTION, "action": "later", "when": when, **extra}
    return (client or client_for(user)).post(reverse("share-create", args=[item.pk]), data)


def scheduled(user: User, item: Any, when: datetime, text: str = CAPTION) -> Share:
    return share_schedule(user=user, item=item, network="sandbox", text=text, when=when)


# --- The editor -------------------------------------------------------------------------------


def test_the_editor_offers_share_later_in_the_ambassadors_own_time_zone(
    nick: User, item: Any
) -> None:
    response = client_for(nick).get(reverse("share-create", args=[item.pk]))

    html = page(response)
    assert response.status_code == 200
    assert 'type="datetime-local"' in html
    assert 'name="when"' in html
    assert "In your time zone, America/New_York" in html
    assert 'value="later"' in html and "Share later" in html
    assert 'value="now"' in html and "Share now" in html
    assert html.index("Share later</button>") < html.index("Share now</button>")


@pytest.mark.parametrize(
    ("zone", "local", "stored", "shown"),
    [
        # Amsterdam moves to summer time on 29 March 2026.
        (
            "Europe/Amsterdam",
            "2026-03-27T09:00",
            datetime(2026, 3, 27, 8, 0),
            "Fri 27 Mar 2026, 09:00 CET",
        ),
        (
            "Europe/Amsterdam",
            "2026-03-30T09:00",
            datetime(2026, 3, 30, 7, 0),
            "Mon 30 Mar 2026, 09:00 CEST",
        ),
        # New York moves three weeks earlier, on 8 March 2026.
        (
            "America/New_York",
            "2026-03-06T09:00",
            datetime(2026, 3, 6, 14, 0),
            "Fri 6 Mar 2026, 09:00 EST",
        ),
        (
            "America/New_York",
            "2026-03-09T09:00",
            datetime(2026, 3, 9, 13, 0),
            "Mon 9 Mar 2026, 09:00 EDT",
        ),
    ],
)
def test_a_share_later_is_read_in_the_ambassadors_zone_and_stored_in_utc(
    policy: Any, item: Any, zone: str, local: str, stored: datetime, shown: str
) -> None:
    user = factories.ambassador(time_zone=zone)
    client = client_for(user)

    response = share_later(user, item, local, client)

    share = Share.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("share-detail", args=[share.pk])
    assert share.status == Share.Status.SCHEDULED
    assert share.scheduled_at == share.requested_at == stored.replace(tzinfo=UTC)
    detail = page(client.get(response["Location"]))
    assert f"Scheduled: your share goes out on Sandbox on {shown}." in detail
    assert "You asked for" not in detail


def test_a_time_that_happens_twice_asks_which_one_and_then_schedules_it(
    amber: User, item: Any
) -> None:
    # 25 October 2026: Amsterdam's clocks go back from 03:00 to 02:00.
    response = share_later(amber, item, "2026-10-25T02:30")

    html = page(response)
    assert response.status_code == 400
    assert "02:30 happens twice on 2026-10-25 in Europe/Amsterdam" in html
    assert 'type="radio" name="fold" value="0"' in html
    assert 'type="radio" name="fold" value="1"' in html
    assert "The first 02:30 (CEST, UTC+02:00)" in html
    assert "The second 02:30 (CET, UTC+01:00)" in html
    assert CAPTION in html  # nothing typed is lost
    assert not Share.objects.exists()

    response = share_later(amber, item, "2026-10-25T02:30", fold="1")

    assert response.status_code == 302
    assert Share.objects.get().scheduled_at == datetime(2026, 10, 25, 1, 30, tzinfo=UTC)


def test_the_first_of_two_repeated_times_can_be_chosen_in_new_york(nick: User, item: Any) -> None:
    response = share_later(nick, item, "2026-11-01T01:30", fold="0")

    assert response.status_code == 302
    assert Share.objects.get().scheduled_at == datetime(2026, 11, 1, 5, 30, tzinfo=UTC)


def test_a_time_in_the_skipped_hour_is_refused_with_the_next_valid_time(
    amber: User, item: Any
) -> None:
    response = share_later(amber, item, "2026-03-29T02:30")

    html = page(response)
    assert response.status_code == 400
    assert "02:30 does not exist on 2026-03-29 in Europe/Amsterdam" in html
    assert "Choose 03:30 or later." in html
    assert 'type="radio"' not in html
    assert not Share.objects.exists()


def test_a_time_in_the_past_is_refused_next_to_the_time_field(amber: User, item: Any) -> None:
    response = share_later(amber, item, "2026-03-02T09:00")  # 08:00 UTC, two hours ago

    html = page(response)
    assert response.status_code == 400
    assert "That time has passed. Pick a moment in the future, or share now." in html
    assert not Share.objects.exists()


def test_share_later_without_a_time_asks_for_one(amber: User, item: Any) -> None:
    response = share_later(amber, item, "")

    assert response.status_code == 400
    assert "This field is required." in page(response)
    assert not Share.objects.exists()


def test_a_time_after_the_item_stops_being_available_is_refused(amber: User) -> None:
    item = factories.ContentItemFactory(
        title="Spring launch", available_until=NOW + timedelta(days=5)
    )

    response = share_later(amber, item, "2026-03-20T09:00")

    html = page(response)
    assert response.status_code == 400
    assert "“Spring launch” can be shared until 2026-03-07 11:00; pick an earlier time." in html
    assert not Share.objects.exists()


def test_a_share_outside_sharing_hours_is_moved_and_the_notice_is_shown(
    amber: User, item: Any, policy: Any
) -> None:
    policy.sharing_hours_start, policy.sharing_hours_end = time(9, 0), time(18, 0)
    policy.save()
    client = client_for(amber)

    response = share_later(amber, item, "2026-03-10T22:00", client)

    share = Share.objects.get()
    assert response.status_code == 302
    assert share.requested_at == datetime(2026, 3, 10, 21, 0, tzinfo=UTC)
    assert share.scheduled_at == datetime(2026, 3, 11, 8, 0, tzinfo=UTC)  # 09:00 in Amsterdam
    detail = page(client.get(response["Location"]))
    assert "Scheduled: your share goes out on Sandbox on Wed 11 Mar 2026, 09:00 CET." in detail
    assert "You asked for Tue 10 Mar 2026, 22:00 CET." in detail
    assert "the policy allows sharing between 09:00 and 18:00" in detail
    listing = page(client_for(amber).get(reverse("my-shares")))
    assert "goes out Wed 11 Mar 2026, 09:00 CET" in listing
    assert 'class="status status-moved"' in listing
    assert "the policy allows sharing between 09:00 and 18:00" in listing


def test_a_caption_against_the_policy_is_refused_for_later_too(
    amber: User, item: Any, policy: Any
) -> None:
    policy.blocked_terms = ["Project Falcon"]
    policy.save()

    response = share_later(amber, item, "2026-03-10T10:00", text="Project Falcon is near #employee")

    assert response.status_code == 400
    assert "Project Falcon" in page(response)
    assert 'value="2026-03-10T10:00"' in page(response)  # the chosen time is kept
    assert not Share.objects.exists()


def test_share_now_ignores_a_time_typed_in_the_share_later_part(amber: User, item: Any) -> None:
    response = client_for(amber).post(
        reverse("share-create", args=[item.pk]),
        {"network": "sandbox", "text": CAPTION, "action": "now", "when": "2026-03-10T10:00"},
    )

    share = Share.objects.get()
    assert response.status_code == 302
    assert share.scheduled_at == NOW and share.requested_at is None


# --- The share page ---------------------------------------------------------------------------


def test_a_scheduled_share_shows_its_local_time_and_keeps_polling(nick: User, item: Any) -> None:
    share = scheduled(nick, item, datetime(2026, 3, 9, 13, 0, tzinfo=UTC))

    html = page(client_for(nick).get(reverse("share-detail", args=[share.pk])))

    status_url = reverse("share-status", args=[share.pk])
    assert 'id="share-status"' in html and 'data-status="scheduled"' in html
    assert f'hx-get="{status_url}" hx-trigger="every 2s"' in html
    assert "Goes out on <strong>Mon 9 Mar 2026, 09:00 EDT</strong>" in html
    assert "America/New_York" in html
    assert reverse("share-update", args=[share.pk]) in html
    assert reverse("share-now", args=[share.pk]) in html
    assert reverse("share-cancel", args=[share.pk]) in html
    assert 'value="2026-03-09T09:00"' in html  # the edit form starts from the time asked for


def test_the_text_and_time_of_a_scheduled_share_can_be_changed(amber: User, item: Any) -> None:
    share = scheduled(amber, item, datetime(2026, 3, 10, 9, 0, tzinfo=UTC))
    client = client_for(amber)

    response = client.post(
        reverse("share-update", args=[share.pk]),
        {"text": "Changed my mind, still proud #employee", "when": "2026-03-31T18:15"},
    )

    share.refresh_from_db()
    assert response.status_code == 302
    assert share.text == "Changed my mind, still proud #employee"
    assert share.scheduled_at == datetime(2026, 3, 31, 16, 15, tzinfo=UTC)  # summer time
    detail = page(client.get(response["Location"]))
    assert "goes out on Sandbox on Tue 31 Mar 2026, 18:15 CEST" in detail


def test_changing_only_the_text_leaves_the_time_alone(amber: User, item: Any) -> None:
    share = scheduled(amber, item, datetime(2026, 3, 10, 9, 0, tzinfo=UTC))

    response = client_for(amber).post(
        reverse("share-update", args=[share.pk]),
        {"text": "Only the words change #employee", "when": "2026-03-10T10:00"},
    )

    share.refresh_from_db()
    assert response.status_code == 302
    assert share.text == "Only the words change #employee"
    assert share.requested_at == share.scheduled_at == datetime(2026, 3, 10, 9, 0, tzinfo=UTC)


def test_a_new_time_that_happens_twice_asks_which_one(amber: User, item: Any) -> None:
    share = scheduled(amber, item, datetime(2026, 3, 10, 9, 0, tzinfo=UTC))
    url = reverse("share-update", args=[share.pk])

    response = client_for(amber).post(url, {"text": CAPTION, "when": "2026-10-25T02:30"})

    assert response.status_code == 400
    assert "happens twice" in page(response)
    assert 'type="radio" name="fold" value="1"' in page(response)
    response = client_for(amber).post(
        url, {"text": CAPTION, "when": "2026-10-25T02:30", "fold": "0"}
    )
    share.refresh_from_db()
    assert response.status_code == 302
    assert share.scheduled_at == datetime(2026, 10, 25, 0, 30, tzinfo=UTC)


def test_a_new_time_in_the_past_is_refused(amber: User, item: Any) -> None:
    share = scheduled(amber, item, datetime(2026, 3, 10, 9, 0, tzinfo=UTC))

    response = client_for(amber).post(
        reverse("share-update", args=[share.pk]), {"text": CAPTION, "when": "2026-03-01T10:00"}
    )

    share.refresh_from_db()
    assert response.status_code == 400
    assert "That time has passed" in page(response)
    assert share.scheduled_at == datetime(2026, 3, 10, 9, 0, tzinfo=UTC)


def test_a_published_share_can_no_longer_be_changed(amber: User, item: Any) -> None:
    share = scheduled(amber, item, datetime(2026, 3, 10, 9, 0, tzinfo=UTC))
    Share.objects.filter(pk=share.pk).update(status=Share.Status.PUBLISHED)

    response = client_for(amber).post(
        reverse("share-update", args=[share.pk]),
        {"text": "Too late #employee", "when": "2026-03-10T10:00"},
    )

    assert response.status_code == 400
    assert "This share is published and can no longer be changed." in page(response)
    assert "Change this share" not in page(response)
    share.refresh_from_db()
    assert share.text == CAPTION


def test_send_now_moves_a_scheduled_share_to_this_moment(amber: User, item: Any) -> None:
    share = scheduled(amber, item, datetime(2026, 3, 10, 9, 0, tzinfo=UTC))

    response = client_for(amber).post(reverse("share-now", args=[share.pk]), follow=True)

    share.refresh_from_db()
    assert response.status_code == 200
    assert share.scheduled_at == NOW and share.requested_at is None
    assert "Your share is on its way to Sandbox." in page(response)


def test_a_held_share_says_why_and_is_released_by_an_edit(amber: User, item: Any) -> None:
    share = scheduled(amber, item, datetime(2026, 3, 10, 9, 0, tzinfo=UTC))
    reason = "The policy changed: “gadget” may not be used. Edit the caption to send it."
    Share.objects.filter(pk=share.pk).update(held_reason=reason)
    client = client_for(amber)

    detail = page(client.get(reverse("share-detail", args=[share.pk])))
    listing = page(client.get(reverse("my-shares")))
    response = client.post(
        reverse("share-update", args=[share.pk]),
        {"text": "Reworded, proud of the team #employee", "when": "2026-03-10T10:00"},
    )

    assert 'id="held" role="alert"' in detail
    assert "The policy changed: “gadget” may not be used." in detail
    assert "Edit to release it" in detail and 'href="#edit-share"' in detail
    assert 'class="status status-held"' in listing and "Edit to release it" in listing
    assert response.status_code == 302
    share.refresh_from_db()
    assert share.held_reason == ""


def test_another_persons_share_cannot_be_changed_or_sent(amber: User, item: Any) -> None:
    bert = factories.ambassador(username="bert")
    theirs = scheduled(bert, item, datetime(2026, 3, 10, 9, 0, tzinfo=UTC))
    client = client_for(amber)

    edit = client.post(
        reverse("share-update", args=[theirs.pk]), {"text": "Mine now #employee", "when": ""}
    )
    now = client.post(reverse("share-now", args=[theirs.pk]))

    assert edit.status_code == 404 and now.status_code == 404
    theirs.refresh_from_db()
    assert theirs.text == CAPTION
    assert theirs.scheduled_at == datetime(2026, 3, 10, 9, 0, tzinfo=UTC)


def test_edit_and_send_now_only_accept_post(amber: User, item: Any) -> None:
    share = scheduled(amber, item, datetime(2026, 3, 10, 9, 0, tzinfo=UTC))
    client = client_for(amber)

    assert client.get(reverse("share-update", args=[share.pk])).status_code == 405
    assert client.get(reverse("share-now", args=[share.pk])).status_code == 405


def test_my_shares_shows_times_in_the_ambassadors_own_zone(nick: User, item: Any) -> None:
    scheduled(nick, item, datetime(2026, 3, 6, 14, 0, tzinfo=UTC))
    factories.ShareFactory(user=nick, published_at=datetime(2026, 3, 1, 23, 30, tzinfo=UTC))

    html = page(client_for(nick).get(reverse("my-shares")))

    assert "goes out Fri 6 Mar 2026, 09:00 EST" in html
    assert "published Sun 1 Mar 2026, 18:30 EST" in html
    assert "Times are in your time zone, America/New_York." in html
    assert "status-moved" not in html and "status-held" not in html


# --- Settings ---------------------------------------------------------------------------------


def test_my_networks_offers_the_time_zone_and_new_content_email_settings(amber: User) -> None:
    html = page(client_for(amber).get(reverse("my-networks")))

    assert 'id="settings"' in html
    assert reverse("me-settings") in html
    assert '<option value="Europe/Amsterdam" selected>' in html
    assert '<option value="America/New_York">' in html
    assert '<option value="weekly" selected>' in html
    assert '<option value="off">' in html


def test_an_ambassador_changes_time_zone_and_new_content_email(amber: User, item: Any) -> None:
    response = client_for(amber).post(
        reverse("me-settings"), {"time_zone": "America/New_York", "digest_frequency": "daily"}
    )

    amber.refresh_from_db()
    assert response.status_code == 302
    assert response["Location"] == reverse("my-networks") + "#settings"
    assert amber.time_zone == "America/New_York"
    assert amber.digest_frequency == "daily"
    share_later(amber, item, "2026-03-09T09:00")
    assert Share.objects.get().scheduled_at == datetime(2026, 3, 9, 13, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"time_zone": "Mars/Olympus_Mons", "digest_frequency": "daily"}, "Mars/Olympus_Mons"),
        ({"time_zone": "Europe/Amsterdam", "digest_frequency": "hourly"}, "hourly"),
    ],
)
def test_an_unknown_time_zone_or_frequency_is_refused(
    amber: User, data: dict[str, str], field: str
) -> None:
    response = client_for(amber).post(reverse("me-settings"), data)

    amber.refresh_from_db()
    assert response.status_code == 400
    assert f"Select a valid choice. {field} is not one of the available choices." in page(response)
    assert (amber.time_zone, amber.digest_frequency) == ("Europe/Amsterdam", "weekly")
