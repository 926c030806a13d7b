"""/api/queue/, /api/autoshare/, /api/calendar/, /api/campaigns/<id>/calendar/ and
/api/oneclick/: the same rules and messages as the pages, as JSON; another person's share or
consent is 404."""

import zoneinfo
from datetime import datetime, time
from typing import Any

import pytest
from django.conf import settings
from rest_framework.test import APIClient

from advocacy.models import AutoShareConsent, Share, User
from advocacy.sharing.oneclick import oneclick_make
from advocacy.sharing.queue import queue_add, queue_shares, queue_slots_set
from advocacy.sharing.scheduling import share_schedule
from campaigns.variants import variant_create
from tests import factories
from tests.api.helpers import detail
from tests.conftest import api_for

pytestmark = pytest.mark.django_db

AMSTERDAM = zoneinfo.ZoneInfo("Europe/Amsterdam")
MON, TUE, WED, THU, FRI, SAT, SUN = range(7)
CAPTION = "Proud of what my team built this year #employee"
STALE = "Your queue changed in another window; reload and try again."


def at(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=AMSTERDAM)


def iso(moment: datetime) -> str:
    """How the API writes a moment: ISO 8601 in the server's zone."""
    return moment.astimezone(zoneinfo.ZoneInfo(settings.TIME_ZONE)).isoformat()


@pytest.fixture(autouse=True)
def monday(time_machine: Any) -> Any:
    """Monday 7 June 2027, 08:00 in Amsterdam."""
    time_machine.move_to(at(2027, 6, 7, 8, 0), tick=False)
    return time_machine


@pytest.fixture
def amber(policy: Any) -> User:
    return factories.ambassador(username="amber", time_zone="Europe/Amsterdam")


@pytest.fixture
def slotted(amber: User) -> User:
    queue_slots_set(user=amber, slots=[(TUE, time(8, 30)), (THU, time(12, 15))])
    return amber


def queued(user: User, item: Any = None) -> Share:
    return queue_add(
        user=user, item=item or factories.ContentItemFactory(), network="sandbox", text=CAPTION
    )


def someone_else() -> tuple[User, Share]:
    other = factories.ambassador(username="olga")
    queue_slots_set(user=other, slots=[(WED, time(9, 0))])
    return other, queued(other)


# --- The queue ------------------------------------------------------------------------------


def test_my_queue_lists_slots_and_shares_in_order(slotted: User) -> None:
    first, second = queued(slotted), queued(slotted)

    response = api_for(slotted).get("/api/queue/")

    assert response.status_code == 200
    body = response.json()
    assert body["time_zone"] == "Europe/Amsterdam"
    assert body["paused"] is False
    assert body["slots"] == [{"weekday": TUE, "time": "08:30"}, {"weekday": THU, "time": "12:15"}]
    assert [share["id"] for share in body["shares"]] == [first.pk, second.pk]
    assert body["shares"][0]["requested_at"] == iso(at(2027, 6, 8, 8, 30))
    assert body["shares"][0]["scheduled_at"] == iso(at(2027, 6, 8, 8, 30))
    assert body["shares"][0]["status"] == "scheduled"
    assert body["shares"][0]["in_queue"] is True


def test_slots_are_replaced_and_the_queue_follows(slotted: User) -> None:
    share = queued(slotted)

    response = api_for(slotted).put(
        "/api/queue/slots/", [{"weekday": WED, "time": "10:00"}], format="json"
    )

    assert response.status_code == 200
    assert response.json()["slots"] == [{"weekday": WED, "time": "10:00"}]
    assert response.json()["shares"][0]["requested_at"] == iso(at(2027, 6, 9, 10, 0))
    share.refresh_from_db()
    assert share.requested_at == at(2027, 6, 9, 10, 0)


def test_a_slot_listed_twice_is_refused_with_the_slot_named(slotted: User) -> None:
    response = api_for(slotted).put(
        "/api/queue/slots/",
        [{"weekday": TUE, "time": "08:30"}, {"weekday": TUE, "time": "08:30"}],
        format="json",
    )

    assert response.status_code == 400
    assert response.json()["code"] == "duplicate_slot"
    assert detail(response) == "Tuesday 08:30 is listed twice."
    assert slotted.queue_slots.count() == 2


def test_a_weekday_outside_the_week_is_refused(amber: User) -> None:
    response = api_for(amber).put(
        "/api/queue/slots/", [{"weekday": 7, "time": "08:30"}], format="json"
    )

    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    assert detail(response) == "0.weekday: Ensure this value is less than or equal to 6."


def test_adding_without_a_text_uses_the_caption_offered_to_me(slotted: User) -> None:
    item = factories.ContentItemFactory()
    variant = variant_create(item=item, network="sandbox", text="A variant of our news #employee")

    response = api_for(slotted).post(
        "/api/queue/", {"content_item": item.pk, "network": "sandbox"}, format="json"
    )

    assert response.status_code == 201
    body = response.json()
    assert body["text"] == "A variant of our news #employee"
    assert body["variant"] == variant.pk
    assert body["requested_at"] == iso(at(2027, 6, 8, 8, 30))
    assert Share.objects.get(pk=body["id"]).variant == variant


def test_adding_with_my_own_text_into_a_chosen_slot(slotted: User) -> None:
    item = factories.ContentItemFactory()

    response = api_for(slotted).post(
        "/api/queue/",
        {
            "content_item": item.pk,
            "network": "sandbox",
            "text": CAPTION,
            "slot": "2027-06-10T12:15:00+02:00",
        },
        format="json",
    )

    assert response.status_code == 201
    assert response.json()["text"] == CAPTION
    assert response.json()["variant"] is None
    assert Share.objects.get().requested_at == at(2027, 6, 10, 12, 15)


def test_adding_into_a_slot_that_is_taken_is_refused(slotted: User) -> None:
    queued(slotted)

    response = api_for(slotted).post(
        "/api/queue/",
        {
            "content_item": factories.ContentItemFactory().pk,
            "network": "sandbox",
            "slot": iso(at(2027, 6, 8, 8, 30)),
        },
        format="json",
    )

    assert response.status_code == 400
    assert response.json()["code"] == "slot_taken"
    assert (
        detail(response) == "That slot is no longer free. Reload your queue and pick another one."
    )
    assert Share.objects.count() == 1


def test_adding_without_slots_is_refused(amber: User) -> None:
    response = api_for(amber).post(
        "/api/queue/",
        {"content_item": factories.ContentItemFactory().pk, "network": "sandbox"},
        format="json",
    )

    assert response.status_code == 400
    assert response.json()["code"] == "no_slots"
    assert detail(response).startswith("Add a weekly time slot first (for example Tuesday 08:30)")


def test_adding_an_unknown_item_is_refused(slotted: User) -> None:
    response = api_for(slotted).post(
        "/api/queue/", {"content_item": 999_999, "network": "sandbox"}, format="json"
    )

    assert response.status_code == 400
    assert response.json()["code"] == "no_such_item"
    assert detail(response) == "No such content item."


def test_reordering_swaps_the_shares_and_keeps_the_slots(slotted: User) -> None:
    first, second = queued(slotted), queued(slotted)

    response = api_for(slotted).post(
        "/api/queue/reorder/",
        {"share_ids": [second.pk, first.pk], "expected": [first.pk, second.pk]},
        format="json",
    )

    assert response.status_code == 200
    shares = response.json()["shares"]
    assert [share["id"] for share in shares] == [second.pk, first.pk]
    assert [share["requested_at"] for share in shares] == [
        iso(at(2027, 6, 8, 8, 30)),
        iso(at(2027, 6, 10, 12, 15)),
    ]


def test_a_reorder_against_a_stale_order_is_refused_and_nothing_moves(slotted: User) -> None:
    first, second = queued(slotted), queued(slotted)
    api = api_for(slotted)
    api.post("/api/queue/reorder/", {"share_ids": [second.pk, first.pk]}, format="json")

    response = api.post(
        "/api/queue/reorder/",
        {"share_ids": [second.pk, first.pk], "expected": [first.pk, second.pk]},
        format="json",
    )

    assert response.status_code == 400
    assert response.json()["code"] == "stale_order"
    assert detail(response) == STALE
    assert [share.pk for share in queue_shares(slotted)] == [second.pk, first.pk]


def test_a_reorder_naming_someone_elses_share_is_refused(slotted: User) -> None:
    mine = queued(slotted)
    _other, theirs = someone_else()

    response = api_for(slotted).post(
        "/api/queue/reorder/", {"share_ids": [theirs.pk, mine.pk]}, format="json"
    )

    assert response.status_code == 400
    assert response.json()["code"] == "stale_order"
    assert detail(response) == STALE
    theirs.refresh_from_db()
    assert theirs.requested_at == at(2027, 6, 9, 9, 0)


def test_pausing_and_resuming(slotted: User, monday: Any) -> None:
    share = queued(slotted)
    api = api_for(slotted)

    paused = api.post("/api/queue/pause/")
    monday.move_to(at(2027, 6, 9, 8, 0), tick=False)
    resumed = api.post("/api/queue/resume/")

    assert paused.status_code == 200
    assert paused.json()["paused"] is True
    assert resumed.status_code == 200
    assert resumed.json()["paused"] is False
    assert resumed.json()["shares"][0]["requested_at"] == iso(at(2027, 6, 10, 12, 15))
    share.refresh_from_db()
    assert share.requested_at == at(2027, 6, 10, 12, 15)


def test_send_now_takes_a_share_out_of_the_queue(slotted: User) -> None:
    share = queued(slotted)

    response = api_for(slotted).post(f"/api/queue/{share.pk}/now/")

    assert response.status_code == 200
    assert response.json()["in_queue"] is False
    assert response.json()["scheduled_at"] == iso(at(2027, 6, 7, 8, 0))


def test_send_now_on_a_share_not_in_the_queue_is_refused(slotted: User) -> None:
    share = queued(slotted)
    api = api_for(slotted)
    api.post(f"/api/queue/{share.pk}/now/")

    response = api.post(f"/api/queue/{share.pk}/now/")

    assert response.status_code == 400
    assert response.json()["code"] == "not_in_queue"
    assert detail(response) == "This share is not in your queue."


def test_removing_cancels_the_share(slotted: User) -> None:
    share = queued(slotted)

    response = api_for(slotted).delete(f"/api/queue/{share.pk}/")

    assert response.status_code == 204
    share.refresh_from_db()
    assert share.status == Share.Status.CANCELLED
    assert api_for(slotted).get("/api/queue/").json()["shares"] == []


@pytest.mark.parametrize(
    ("method", "path"), [("post", "/api/queue/{id}/now/"), ("delete", "/api/queue/{id}/")]
)
def test_someone_elses_queued_share_is_404(slotted: User, method: str, path: str) -> None:
    _other, theirs = someone_else()

    response = getattr(api_for(slotted), method)(path.format(id=theirs.pk))

    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.status == Share.Status.SCHEDULED and theirs.in_queue


def test_suggestions_name_the_empty_slots_and_one_is_added_into_its_slot(slotted: User) -> None:
    queued(slotted)  # takes Tuesday 08:30
    item = factories.ContentItemFactory(title="Our spring event")
    api = api_for(slotted)

    response = api.get("/api/queue/suggestions/")

    assert response.status_code == 200
    first = response.json()[0]
    assert first["slot"] == iso(at(2027, 6, 10, 12, 15))
    assert first["content_item"] == {"id": item.pk, "title": "Our spring event", "url": item.url}

    added = api.post(
        "/api/queue/",
        {"content_item": item.pk, "network": "sandbox", "slot": first["slot"]},
        format="json",
    )

    assert added.status_code == 201
    assert added.json()["requested_at"] == first["slot"]


def test_the_queue_needs_a_login(db: None) -> None:
    response = APIClient().get("/api/queue/")

    assert response.status_code == 401


# --- Auto-sharing ---------------------------------------------------------------------------


def test_auto_sharing_is_granted_listed_and_revoked(slotted: User) -> None:
    topic = factories.TopicFactory(name="Engineering")
    api = api_for(slotted)

    granted = api.post("/api/autoshare/", {"topic": topic.pk, "network": "sandbox"}, format="json")

    assert granted.status_code == 201
    body = granted.json()
    assert body["topic"] == topic.pk
    assert body["topic_name"] == "Engineering"
    assert body["expires_at"] == iso(at(2028, 6, 6, 8, 0))
    assert body["revoked_at"] is None
    assert [consent["id"] for consent in api.get("/api/autoshare/").json()] == [body["id"]]

    revoked = api.delete(f"/api/autoshare/{body['id']}/")

    assert revoked.status_code == 204
    assert api.get("/api/autoshare/").json() == []
    assert AutoShareConsent.objects.get().revoked_at is not None


def test_auto_sharing_for_a_network_not_connected_is_refused(slotted: User) -> None:
    response = api_for(slotted).post(
        "/api/autoshare/",
        {"topic": factories.TopicFactory().pk, "network": "linkedin"},
        format="json",
    )

    assert response.status_code == 400
    assert response.json()["code"] == "account_not_connected"
    assert detail(response) == (
        "Connect your LinkedIn account before you turn on auto-sharing for it."
    )
    assert not AutoShareConsent.objects.exists()


def test_someone_elses_consent_is_404(slotted: User) -> None:
    other = factories.ambassador(username="olga")
    consent = AutoShareConsent.objects.create(
        user=other, topic=factories.TopicFactory(), network="sandbox", expires_at=at(2028, 6, 7)
    )

    response = api_for(slotted).delete(f"/api/autoshare/{consent.pk}/")

    assert response.status_code == 404
    consent.refresh_from_db()
    assert consent.revoked_at is None


# --- Calendars ------------------------------------------------------------------------------


def test_my_calendar_lists_my_shares_per_local_day(slotted: User) -> None:
    share = queued(slotted, factories.ContentItemFactory(title="Our new office"))
    _other, _theirs = someone_else()

    response = api_for(slotted).get("/api/calendar/")

    assert response.status_code == 200
    assert response.json() == [
        {
            "day": "2027-06-08",
            "shares": [
                {
                    "share": {
                        "id": share.pk,
                        "content_item": share.content_item_id,
                        "content_title": "Our new office",
                        "network": "sandbox",
                        "scheduled_at": iso(at(2027, 6, 8, 8, 30)),
                        "in_queue": True,
                        "held_reason": "",
                    },
                    "local_time": "2027-06-08T08:30:00+02:00",
                }
            ],
        }
    ]


def test_my_calendar_days_and_times_are_in_my_own_zone(policy: Any) -> None:
    nick = factories.ambassador(username="nick", time_zone="America/New_York")
    new_york = zoneinfo.ZoneInfo("America/New_York")
    share_schedule(
        user=nick,
        item=factories.ContentItemFactory(),
        network="sandbox",
        text=CAPTION,
        when=datetime(2027, 6, 8, 23, 30, tzinfo=new_york),  # already the 9th in Amsterdam
    )

    response = api_for(nick).get("/api/calendar/")

    [day] = response.json()
    assert day["day"] == "2027-06-08"
    assert day["shares"][0]["local_time"] == "2027-06-08T23:30:00-04:00"
    assert day["shares"][0]["share"]["scheduled_at"] == "2027-06-09T05:30:00+02:00"


def test_my_calendar_takes_a_range(slotted: User) -> None:
    queued(slotted)
    queued(slotted)

    response = api_for(slotted).get("/api/calendar/?start=2027-06-09&end=2027-06-10")

    assert response.status_code == 200
    assert [day["day"] for day in response.json()] == ["2027-06-10"]


@pytest.mark.parametrize(
    ("query", "code", "message"),
    [
        (
            "start=2027-06-10&end=2027-06-09",
            "bad_range",
            "The calendar cannot end (2027-06-09) before it starts (2027-06-10).",
        ),
        (
            "start=2027-01-01&end=2028-12-31",
            "range_too_long",
            "Show at most 366 days at a time (you asked for 731).",
        ),
        ("start=someday", "invalid", "start: Date has wrong format."),
    ],
)
def test_a_bad_calendar_range_is_explained(
    amber: User, query: str, code: str, message: str
) -> None:
    response = api_for(amber).get(f"/api/calendar/?{query}")

    assert response.status_code == 400
    assert response.json()["code"] == code
    assert detail(response).startswith(message)


@pytest.fixture
def campaign_with_shares(policy: Any) -> Any:
    campaign = factories.CampaignFactory(name="Spring launch")
    item = factories.ContentItemFactory(campaign=campaign)
    factories.ShareFactory(
        content_item=item,
        status=Share.Status.PUBLISHED,
        published_at=at(2027, 6, 7, 7, 0),
        scheduled_at=at(2027, 6, 7, 7, 0),
    )
    factories.ShareFactory(
        content_item=item,
        network="linkedin",
        status=Share.Status.SCHEDULED,
        scheduled_at=at(2027, 6, 9, 10, 0),
    )
    factories.ShareFactory(  # cancelled: not on the calendar
        content_item=item, status=Share.Status.CANCELLED, scheduled_at=at(2027, 6, 9, 11, 0)
    )
    factories.ShareFactory(status=Share.Status.SCHEDULED, scheduled_at=at(2027, 6, 9, 10, 0))
    return campaign


@pytest.mark.parametrize("role", [factories.marketing_user, factories.leadership_user])
def test_a_campaign_calendar_counts_shares_per_day_and_network(
    campaign_with_shares: Any, role: Any
) -> None:
    response = api_for(role()).get(
        f"/api/campaigns/{campaign_with_shares.pk}/calendar/?start=2027-06-07&end=2027-06-09"
    )

    assert response.status_code == 200
    days = {day["day"]: day for day in response.json()}
    assert list(days) == ["2027-06-07", "2027-06-08", "2027-06-09"]
    assert (days["2027-06-07"]["scheduled"], days["2027-06-07"]["published"]) == (0, 1)
    assert (days["2027-06-08"]["scheduled"], days["2027-06-08"]["published"]) == (0, 0)
    assert (days["2027-06-09"]["scheduled"], days["2027-06-09"]["published"]) == (1, 0)
    networks = {row["network"]: row for row in days["2027-06-09"]["networks"]}
    assert networks["linkedin"] == {
        "network": "linkedin",
        "network_label": "LinkedIn",
        "scheduled": 1,
        "published": 0,
    }
    assert networks["sandbox"]["scheduled"] == 0


def test_a_campaign_calendar_covers_the_campaign_by_default(campaign_with_shares: Any) -> None:
    response = api_for(factories.marketing_user()).get(
        f"/api/campaigns/{campaign_with_shares.pk}/calendar/"
    )

    days = [day["day"] for day in response.json()]
    assert days[0] == campaign_with_shares.starts_on.isoformat()
    assert days[-1] == campaign_with_shares.ends_on.isoformat()


def test_an_ambassador_gets_404_for_a_campaign_calendar(
    campaign_with_shares: Any, amber: User
) -> None:
    response = api_for(amber).get(f"/api/campaigns/{campaign_with_shares.pk}/calendar/")

    assert response.status_code == 404


# --- One-click links ------------------------------------------------------------------------


def test_a_one_click_link_adds_the_item_once(slotted: User) -> None:
    item = factories.ContentItemFactory()
    token = oneclick_make(user=slotted, item=item, network="sandbox")
    api = api_for(slotted)

    added = api.post("/api/oneclick/", {"token": token}, format="json")
    again = api.post("/api/oneclick/", {"token": token}, format="json")

    assert added.status_code == 201
    assert added.json()["content_item"] == item.pk
    assert added.json()["requested_at"] == iso(at(2027, 6, 8, 8, 30))
    assert again.status_code == 400
    assert again.json()["code"] == "link_used"
    assert (
        detail(again) == "This link was already used: each one works once. Open the feed instead."
    )
    assert Share.objects.count() == 1


def test_a_forged_expired_or_foreign_one_click_link_is_refused(slotted: User, monday: Any) -> None:
    token = oneclick_make(user=slotted, item=factories.ContentItemFactory(), network="sandbox")
    olga = factories.ambassador(username="olga")

    forged = api_for(slotted).post("/api/oneclick/", {"token": token + "x"}, format="json")
    foreign = api_for(olga).post("/api/oneclick/", {"token": token}, format="json")
    monday.move_to(at(2027, 6, 14, 8, 1), tick=False)
    expired = api_for(slotted).post("/api/oneclick/", {"token": token}, format="json")

    assert (forged.status_code, forged.json()["code"]) == (400, "link_invalid")
    assert detail(forged) == (
        "This link is not valid (it may be incomplete or changed). Open the feed instead."
    )
    assert (foreign.status_code, foreign.json()["code"]) == (400, "link_invalid")
    assert detail(foreign) == "This link was made for someone else. Open your own feed instead."
    assert (expired.status_code, expired.json()["code"]) == (400, "link_expired")
    assert detail(expired) == "This link expired on 2027-06-14 08:00; open the feed instead."
    assert not Share.objects.exists()
