"""The queue, calendar, auto-sharing and one-click pages through the test client: weekly slots
in the ambassador's own zone, adding, reordering (also from a stale tab), pausing, sending now,
removing, suggestions for empty slots, auto-sharing consent, and the one-click links of the
new-content email (a GET never adds anything)."""

import zoneinfo
from datetime import datetime, time
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from advocacy.models import AutoShareConsent, QueueSlot, Share, User
from advocacy.sharing.oneclick import oneclick_make
from advocacy.sharing.queue import queue_add, queue_shares, queue_slots_set
from advocacy.sharing.scheduling import share_schedule
from campaigns.models import ContentItem
from campaigns.variants import variant_create
from tests import factories

pytestmark = pytest.mark.django_db

AMSTERDAM = zoneinfo.ZoneInfo("Europe/Amsterdam")
MON, TUE, WED, THU, FRI, SAT, SUN = range(7)
CAPTION = "Proud of what my team built this year #employee"
# How the pages write a moment: in the ambassador's zone, with its abbreviation.
TUE_0830 = "Tue 8 Jun 2027, 08:30 CEST"
THU_1215 = "Thu 10 Jun 2027, 12:15 CEST"
STALE = "Your queue changed in another window; reload and try again."


def at(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=AMSTERDAM)


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
    """amber with slots on Tuesday 08:30 and Thursday 12:15."""
    queue_slots_set(user=amber, slots=[(TUE, time(8, 30)), (THU, time(12, 15))])
    return amber


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def page(response: Any) -> str:
    return response.content.decode()


def queued(user: User, item: ContentItem | None = None, text: str = CAPTION) -> Share:
    return queue_add(
        user=user, item=item or factories.ContentItemFactory(), network="sandbox", text=text
    )


def order(user: User) -> list[int]:
    return [share.pk for share in queue_shares(user)]


def slot_data(*rows: tuple[str, str], remove: tuple[int, ...] = ()) -> dict[str, str]:
    data = {
        "slots-TOTAL_FORMS": str(len(rows)),
        "slots-INITIAL_FORMS": "0",
        "slots-MIN_NUM_FORMS": "0",
        "slots-MAX_NUM_FORMS": "100",
    }
    for index, (weekday, clock) in enumerate(rows):
        data[f"slots-{index}-weekday"] = weekday
        data[f"slots-{index}-time"] = clock
        if index in remove:
            data[f"slots-{index}-remove"] = "on"
    return data


# --- Weekly slots ---------------------------------------------------------------------------


def test_an_ambassador_sets_two_weekly_slots_and_sees_them(amber: User) -> None:
    client = client_for(amber)

    response = client.post(
        reverse("queue-slots"), slot_data(("1", "08:30"), ("3", "12:15"), ("", "")), follow=True
    )

    assert response.redirect_chain == [(reverse("my-queue"), 302)]
    html = page(response)
    assert (
        "Your weekly slots are saved; your queue goes out at them, in your time zone "
        "Europe/Amsterdam." in html
    )
    assert list(QueueSlot.objects.filter(user=amber).values_list("weekday", "time")) == [
        (TUE, time(8, 30)),
        (THU, time(12, 15)),
    ]
    # The form shows them again, and two empty rows for more.
    assert 'name="slots-0-time" value="08:30"' in html
    assert 'name="slots-1-time" value="12:15"' in html
    assert 'name="slots-3-time"' in html


def test_a_slot_listed_twice_gets_a_message_and_the_slots_stay(slotted: User) -> None:
    response = client_for(slotted).post(
        reverse("queue-slots"), slot_data(("1", "08:30"), ("5", "10:00"), ("1", "08:30"))
    )

    assert response.status_code == 400
    assert "Tuesday 08:30 is listed twice." in page(response)
    assert QueueSlot.objects.filter(user=slotted).count() == 2
    assert not QueueSlot.objects.filter(user=slotted, weekday=SAT).exists()


def test_a_slot_without_a_time_is_explained(amber: User) -> None:
    response = client_for(amber).post(reverse("queue-slots"), slot_data(("1", "")))

    assert response.status_code == 400
    html = page(response)
    assert "Some slots are incomplete: see below." in html
    assert "Give both a day and a time." in html
    assert not QueueSlot.objects.filter(user=amber).exists()


def test_a_slot_ticked_remove_is_dropped(slotted: User) -> None:
    response = client_for(slotted).post(
        reverse("queue-slots"), slot_data(("1", "08:30"), ("3", "12:15"), remove=(0,))
    )

    assert response.status_code == 302
    assert list(QueueSlot.objects.filter(user=slotted).values_list("weekday", "time")) == [
        (THU, time(12, 15))
    ]


def test_removing_every_slot_of_a_filled_queue_is_refused_with_a_message(slotted: User) -> None:
    queued(slotted)

    response = client_for(slotted).post(reverse("queue-slots"), slot_data(remove=()))

    assert response.status_code == 400
    assert (
        "Your queue holds 1 share: keep at least one weekly slot, or remove it from the "
        "queue first." in page(response)
    )
    assert QueueSlot.objects.filter(user=slotted).count() == 2


# --- Adding to the queue --------------------------------------------------------------------


def test_the_queue_add_page_starts_from_the_caption_offered_to_me(slotted: User) -> None:
    item = factories.ContentItemFactory(title="Our new office")
    variant = variant_create(item=item, network="sandbox", text="A variant of my own #employee")

    response = client_for(slotted).get(reverse("queue-add", args=[item.pk]))

    html = page(response)
    assert response.status_code == 200
    assert "Add “Our new office” to my queue" in html
    assert "A variant of my own #employee</textarea>" in html
    assert f'name="variant" value="{variant.pk}"' in html
    # Live guidance comes from the caption editor's check.
    assert reverse("caption-check", args=[item.pk]) in html


def test_adding_to_the_queue_shows_the_share_at_its_local_time(slotted: User) -> None:
    item = factories.ContentItemFactory(title="Our new office")
    client = client_for(slotted)

    response = client.post(
        reverse("queue-add", args=[item.pk]),
        {"network": "sandbox", "text": CAPTION},
        follow=True,
    )

    assert response.redirect_chain == [(reverse("my-queue"), 302)]
    html = page(response)
    assert f"Added to your queue: “Our new office” goes out on Sandbox on {TUE_0830}." in html
    share = Share.objects.get(user=slotted)
    assert share.in_queue and share.status == Share.Status.SCHEDULED
    assert share.requested_at == share.scheduled_at == at(2027, 6, 8, 8, 30)
    assert share.text == CAPTION
    assert f'id="queued-{share.pk}"' in html
    row = html[html.index(f'id="queued-{share.pk}"') :]
    assert TUE_0830 in row[: row.index("</tr>")]


def test_adding_to_the_queue_records_the_variant_it_started_from(slotted: User) -> None:
    item = factories.ContentItemFactory()
    variant = variant_create(item=item, network="sandbox", text="A variant of my own #employee")

    response = client_for(slotted).post(
        reverse("queue-add", args=[item.pk]),
        {
            "network": "sandbox",
            "text": "A variant of my own, really #employee",
            "variant": variant.pk,
        },
    )

    assert response.status_code == 302
    assert Share.objects.get(user=slotted).variant == variant


def test_adding_to_the_queue_without_slots_says_to_add_one(amber: User) -> None:
    item = factories.ContentItemFactory()
    client = client_for(amber)

    form = client.get(reverse("queue-add", args=[item.pk]))
    response = client.post(
        reverse("queue-add", args=[item.pk]), {"network": "sandbox", "text": CAPTION}
    )

    assert "Your queue has no weekly slots yet" in page(form)
    assert response.status_code == 400
    assert "Add a weekly time slot first (for example Tuesday 08:30)" in page(response)
    assert not Share.objects.exists()


def test_an_item_not_offered_to_me_cannot_be_queued(slotted: User) -> None:
    draft = factories.ContentItemFactory(status=ContentItem.Status.DRAFT, published_at=None)

    response = client_for(slotted).get(reverse("queue-add", args=[draft.pk]))

    assert response.status_code == 404


def test_a_time_moved_by_the_policy_is_shown_with_the_reason(slotted: User) -> None:
    policy = factories.current_policy()
    policy.sharing_hours_start, policy.sharing_hours_end = time(9, 0), time(17, 0)
    policy.save()

    response = client_for(slotted).post(
        reverse("queue-add", args=[factories.ContentItemFactory().pk]),
        {"network": "sandbox", "text": CAPTION},
        follow=True,
    )

    html = page(response)
    assert "goes out on Sandbox on Tue 8 Jun 2027, 09:00 CEST." in html
    assert f"Your slot was {TUE_0830}. Moved to Tue 2027-06-08 09:00" in html
    assert f"Your slot: {TUE_0830}." in html


# --- Reordering -----------------------------------------------------------------------------


def test_moving_a_share_down_swaps_it_with_the_next_one(slotted: User) -> None:
    first, second = queued(slotted), queued(slotted)
    client = client_for(slotted)
    html = page(client.get(reverse("my-queue")))
    assert f'name="order" value="{second.pk},{first.pk}"' in html
    assert f'name="expected" value="{first.pk},{second.pk}"' in html

    response = client.post(
        reverse("queue-reorder"),
        {"order": f"{second.pk},{first.pk}", "expected": f"{first.pk},{second.pk}"},
        follow=True,
    )

    assert "Your queue is in its new order." in page(response)
    assert order(slotted) == [second.pk, first.pk]
    second.refresh_from_db()
    first.refresh_from_db()
    assert second.requested_at == at(2027, 6, 8, 8, 30)
    assert first.requested_at == at(2027, 6, 10, 12, 15)


def test_a_reorder_from_a_stale_tab_is_refused_and_nothing_moves(slotted: User) -> None:
    first, second = queued(slotted), queued(slotted)
    tab_a, tab_b = client_for(slotted), client_for(slotted)
    shown = f"{first.pk},{second.pk}"
    # Tab B moves the second share up; tab A still shows the old order and moves the first down.
    tab_b.post(reverse("queue-reorder"), {"order": f"{second.pk},{first.pk}", "expected": shown})

    response = tab_a.post(
        reverse("queue-reorder"), {"order": f"{second.pk},{first.pk}", "expected": shown}
    )

    assert response.status_code == 400
    assert STALE in page(response)
    assert order(slotted) == [second.pk, first.pk]
    assert Share.objects.filter(user=slotted, in_queue=True).count() == 2


def test_a_reorder_naming_someone_elses_share_is_refused(slotted: User) -> None:
    mine = queued(slotted)
    other = factories.ambassador(username="olga")
    queue_slots_set(user=other, slots=[(WED, time(9, 0))])
    theirs = queued(other)

    response = client_for(slotted).post(
        reverse("queue-reorder"), {"order": f"{theirs.pk},{mine.pk}", "expected": f"{mine.pk}"}
    )

    assert response.status_code == 400
    assert STALE in page(response)
    assert order(slotted) == [mine.pk]
    assert order(other) == [theirs.pk]


# --- Pause, send now, remove ----------------------------------------------------------------


def test_pausing_and_resuming_the_queue(slotted: User, monday: Any) -> None:
    share = queued(slotted)
    client = client_for(slotted)

    paused = client.post(reverse("queue-pause"), follow=True)

    assert "Your queue is paused: nothing in it goes out until you resume it." in page(paused)
    assert "Resume my queue" in page(paused)
    slotted.refresh_from_db()
    assert slotted.queue_paused

    # The holiday: Tuesday's slot passes while paused.
    monday.move_to(at(2027, 6, 9, 8, 0), tick=False)
    resumed = client.post(reverse("queue-resume"), follow=True)

    assert (
        "Your queue is running again: its shares moved to your next free slots, in order."
        in page(resumed)
    )
    assert "Pause my queue" in page(resumed)
    slotted.refresh_from_db()
    share.refresh_from_db()
    assert not slotted.queue_paused
    assert share.requested_at == at(2027, 6, 10, 12, 15)
    assert THU_1215 in page(resumed)


def test_send_now_takes_the_share_out_of_the_queue(slotted: User) -> None:
    share = queued(slotted, factories.ContentItemFactory(title="Our new office"))

    response = client_for(slotted).post(reverse("queue-share-now", args=[share.pk]), follow=True)

    assert "“Our new office” is on its way to Sandbox." in page(response)
    share.refresh_from_db()
    assert not share.in_queue
    assert share.scheduled_at == at(2027, 6, 7, 8, 0)
    assert order(slotted) == []


def test_remove_cancels_the_share_and_frees_its_slot(slotted: User) -> None:
    share = queued(slotted, factories.ContentItemFactory(title="Our new office"))

    response = client_for(slotted).post(reverse("queue-share-remove", args=[share.pk]), follow=True)

    assert "“Our new office” is out of your queue; nothing was posted." in page(response)
    share.refresh_from_db()
    assert share.status == Share.Status.CANCELLED
    assert order(slotted) == []


def test_removing_a_share_that_is_not_queued_is_refused(slotted: User) -> None:
    later = share_schedule(
        user=slotted,
        item=factories.ContentItemFactory(),
        network="sandbox",
        text=CAPTION,
        when=at(2027, 6, 9, 10, 0),
    )

    response = client_for(slotted).post(reverse("queue-share-remove", args=[later.pk]))

    assert response.status_code == 400
    assert "This share is not in your queue." in page(response)
    later.refresh_from_db()
    assert later.status == Share.Status.SCHEDULED


@pytest.mark.parametrize("name", ["queue-share-now", "queue-share-remove"])
def test_someone_elses_share_does_not_exist_for_me(slotted: User, name: str) -> None:
    other = factories.ambassador(username="olga")
    queue_slots_set(user=other, slots=[(WED, time(9, 0))])
    theirs = queued(other)

    response = client_for(slotted).post(reverse(name, args=[theirs.pk]))

    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.in_queue and theirs.status == Share.Status.SCHEDULED


# --- Suggestions for empty slots ------------------------------------------------------------


def test_an_empty_slot_shows_a_suggestion_that_is_added_into_that_slot(slotted: User) -> None:
    queued(slotted)  # Tuesday's slot is taken
    suggested = factories.ContentItemFactory(title="Our spring event")
    client = client_for(slotted)

    html = page(client.get(reverse("my-queue")))

    assert "Our spring event" in html
    assert THU_1215 in html
    slot = at(2027, 6, 10, 12, 15).astimezone(zoneinfo.ZoneInfo("UTC")).isoformat()
    assert f'name="slot" value="{slot}"' in html

    response = client.post(
        reverse("queue-suggestion-add"),
        {"item": suggested.pk, "network": "sandbox", "slot": slot},
        follow=True,
    )

    assert f"Added to your queue: “Our spring event” goes out on Sandbox on {THU_1215}." in page(
        response
    )
    share = Share.objects.get(content_item=suggested)
    assert share.in_queue
    assert share.requested_at == at(2027, 6, 10, 12, 15)
    assert share.text == suggested.caption_x


def test_a_suggestion_takes_the_variant_colleagues_have_not_used(slotted: User) -> None:
    item = factories.ContentItemFactory()
    variant = variant_create(item=item, network="sandbox", text="Our variant, in short #employee")

    client_for(slotted).post(
        reverse("queue-suggestion-add"),
        {"item": item.pk, "network": "sandbox", "slot": at(2027, 6, 8, 8, 30).isoformat()},
    )

    share = Share.objects.get(content_item=item)
    assert share.variant == variant
    assert share.text == "Our variant, in short #employee"


def test_a_slot_that_is_no_longer_free_is_refused(slotted: User) -> None:
    queued(slotted)  # takes Tuesday 08:30
    item = factories.ContentItemFactory()

    response = client_for(slotted).post(
        reverse("queue-suggestion-add"),
        {"item": item.pk, "network": "sandbox", "slot": at(2027, 6, 8, 8, 30).isoformat()},
    )

    assert response.status_code == 400
    assert "That slot is no longer free. Reload your queue and pick another one." in page(response)
    assert not Share.objects.filter(content_item=item).exists()


# --- Auto-sharing ---------------------------------------------------------------------------


def test_auto_sharing_is_explained_granted_and_revoked(slotted: User) -> None:
    topic = factories.TopicFactory(name="Engineering")
    client = client_for(slotted)

    html = page(client.get(reverse("my-queue")))
    assert "without asking you" in html
    assert "expires after a year" in html

    granted = client.post(
        reverse("autoshare-grant"), {"topic": topic.pk, "network": "sandbox"}, follow=True
    )

    consent = AutoShareConsent.objects.get(user=slotted)
    assert consent.expires_at == at(2028, 6, 6, 8, 0)
    assert (
        "Auto-sharing is on for “Engineering” on Sandbox until Tue 6 Jun 2028, 08:00 CEST: new "
        "items of the topic go into your queue without asking you." in page(granted)
    )
    assert f'action="{reverse("autoshare-revoke", args=[consent.pk])}"' in page(granted)

    revoked = client.post(reverse("autoshare-revoke", args=[consent.pk]), follow=True)

    assert "Auto-sharing is off for “Engineering” on Sandbox." in page(revoked)
    consent.refresh_from_db()
    assert consent.revoked_at is not None
    assert "Auto-sharing is off for every topic." in page(revoked)


def test_auto_sharing_needs_a_connected_network(policy: Any) -> None:
    unconnected = factories.ambassador(username="una", connect=False)
    topic = factories.TopicFactory()

    html = page(client_for(unconnected).get(reverse("my-queue")))
    response = client_for(unconnected).post(
        reverse("autoshare-grant"), {"topic": topic.pk, "network": "sandbox"}
    )

    assert "Connect a network to turn on auto-sharing." in html
    assert response.status_code == 400
    assert not AutoShareConsent.objects.exists()


def test_someone_elses_consent_cannot_be_revoked(slotted: User) -> None:
    other = factories.ambassador(username="olga")
    consent = AutoShareConsent.objects.create(
        user=other,
        topic=factories.TopicFactory(),
        network="sandbox",
        expires_at=at(2028, 6, 7, 8, 0),
    )

    response = client_for(slotted).post(reverse("autoshare-revoke", args=[consent.pk]))

    assert response.status_code == 404
    consent.refresh_from_db()
    assert consent.revoked_at is None


# --- My calendar ----------------------------------------------------------------------------


def test_my_calendar_lists_my_upcoming_shares_per_day_at_their_local_time(slotted: User) -> None:
    queued(slotted, factories.ContentItemFactory(title="Our new office"))
    share_schedule(
        user=slotted,
        item=factories.ContentItemFactory(title="Our spring event"),
        network="sandbox",
        text=CAPTION,
        when=at(2027, 6, 12, 18, 45),
    )
    share_schedule(  # beyond the four weeks shown
        user=slotted,
        item=factories.ContentItemFactory(title="Next summer"),
        network="sandbox",
        text=CAPTION,
        when=at(2027, 7, 20, 9, 0),
    )
    other = factories.ambassador(username="olga")
    queue_slots_set(user=other, slots=[(WED, time(9, 0))])
    queued(other, factories.ContentItemFactory(title="Olga's pick"))

    response = client_for(slotted).get(reverse("my-calendar"))

    html = page(response)
    assert response.status_code == 200
    assert "Tuesday 8 June 2027" in html
    assert "Saturday 12 June 2027" in html
    assert html.index("Our new office") < html.index("Our spring event")
    assert ">08:30<" in html and ">18:45<" in html
    assert "Next summer" not in html
    assert "Olga&#x27;s pick" not in html and "Olga's pick" not in html


def test_an_empty_calendar_says_so(amber: User) -> None:
    response = client_for(amber).get(reverse("my-calendar"))

    assert "Nothing scheduled in the next four weeks." in page(response)


@pytest.mark.parametrize("name", ["my-queue", "my-calendar"])
def test_the_pages_need_a_login(db: None, name: str) -> None:
    response = Client().get(reverse(name))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


# --- One-click links ------------------------------------------------------------------------


@pytest.fixture
def link(slotted: User) -> tuple[str, ContentItem]:
    item = factories.ContentItemFactory(title="Our new office", description="We moved!")
    return oneclick_make(user=slotted, item=item, network="sandbox"), item


def test_opening_a_one_click_link_shows_the_item_and_adds_nothing(
    slotted: User, link: tuple[str, ContentItem]
) -> None:
    token, item = link

    response = client_for(slotted).get(f"/q/{token}")

    html = page(response)
    assert response.status_code == 200
    assert "Add “Our new office” to your queue?" in html
    assert "We moved!" in html
    assert item.caption_x in html
    assert f'action="/q/{token}"' in html
    assert "Add to my queue</button>" in html
    assert not Share.objects.exists()


def test_a_one_click_link_opened_logged_out_asks_to_log_in_and_keeps_the_link(
    link: tuple[str, ContentItem],
) -> None:
    token, _item = link

    response = Client().get(f"/q/{token}")

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert f"/q/{token}" in response["Location"].replace("%2F", "/").replace("%3A", ":")
    assert not Share.objects.exists()


def test_the_one_click_button_adds_the_item_once(
    slotted: User, link: tuple[str, ContentItem]
) -> None:
    token, item = link
    client = client_for(slotted)

    added = client.post(f"/q/{token}", follow=True)

    assert added.redirect_chain == [(reverse("my-queue"), 302)]
    assert f"Added to your queue: “Our new office” goes out on Sandbox on {TUE_0830}." in page(
        added
    )
    share = Share.objects.get()
    assert share.in_queue and share.content_item == item

    again = client.post(f"/q/{token}")
    opened_again = client.get(f"/q/{token}")

    for response in (again, opened_again):
        assert response.status_code == 400
        assert "This link was already used: each one works once. Open the feed instead." in page(
            response
        )
        assert f'href="{reverse("feed")}"' in page(response)
    assert Share.objects.count() == 1


def test_a_forged_one_click_link_is_refused(slotted: User, link: tuple[str, ContentItem]) -> None:
    token, _item = link
    forged = token[:-3] + ("aaa" if not token.endswith("aaa") else "bbb")

    for response in (
        client_for(slotted).get(f"/q/{forged}"),
        client_for(slotted).post(f"/q/{forged}"),
    ):
        assert response.status_code == 400
        assert "This link is not valid (it may be incomplete or changed)." in page(response)
    assert not Share.objects.exists()


def test_an_expired_one_click_link_is_refused(
    slotted: User, link: tuple[str, ContentItem], monday: Any
) -> None:
    token, _item = link
    monday.move_to(at(2027, 6, 14, 8, 1), tick=False)

    response = client_for(slotted).post(f"/q/{token}")

    assert response.status_code == 400
    assert "This link expired on 2027-06-14 08:00; open the feed instead." in page(response)
    assert not Share.objects.exists()


def test_someone_elses_one_click_link_is_refused(link: tuple[str, ContentItem]) -> None:
    token, _item = link
    other = factories.ambassador(username="olga")

    for response in (client_for(other).get(f"/q/{token}"), client_for(other).post(f"/q/{token}")):
        assert response.status_code == 400
        assert "This link was made for someone else. Open your own feed instead." in page(response)
    assert not Share.objects.exists()


def test_a_one_click_link_that_cannot_be_added_yet_stays_usable(amber: User) -> None:
    item = factories.ContentItemFactory()
    token = oneclick_make(user=amber, item=item, network="sandbox")
    client = client_for(amber)

    refused = client.post(f"/q/{token}")
    queue_slots_set(user=amber, slots=[(TUE, time(8, 30))])
    added = client.post(f"/q/{token}")

    assert refused.status_code == 400
    assert "Add a weekly time slot first" in page(refused)
    assert added.status_code == 302
    assert Share.objects.get().requested_at == at(2027, 6, 8, 8, 30)


def test_the_queue_page_escapes_item_titles(slotted: User) -> None:
    queued(slotted, factories.ContentItemFactory(title="<script>alert(1)</script>"))

    html = page(client_for(slotted).get(reverse("my-queue")))

    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_the_four_weeks_end_on_the_right_day(slotted: User) -> None:
    share_schedule(
        user=slotted,
        item=factories.ContentItemFactory(title="Last day"),
        network="sandbox",
        text=CAPTION,
        when=at(2027, 7, 4, 23, 30),  # day 28 from Monday 7 June
    )
    share_schedule(
        user=slotted,
        item=factories.ContentItemFactory(title="Day after"),
        network="sandbox",
        text=CAPTION,
        when=at(2027, 7, 5, 0, 30),
    )

    html = page(client_for(slotted).get(reverse("my-calendar")))

    assert "Sunday 4 July 2027" in html and "Last day" in html
    assert "Day after" not in html
