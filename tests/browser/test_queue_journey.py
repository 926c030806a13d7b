"""The personal queue in a real browser: set two weekly slots, add two items to the queue, see
them at their local times, and move the second one up. Nothing is published, so no worker is
needed."""

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from advocacy.models import Share
from advocacy.sharing.queue import queue_next_free_slots
from advocacy.sharing.views.common import local_time
from tests import factories
from tests.browser.pages import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_ambassador_sets_slots_queues_two_items_and_reorders_them(
    browser: Any, live_server: Any, output_dir: Any
) -> None:
    factories.PolicyVersionFactory(required_disclosure="#employee")
    office = factories.ContentItemFactory(
        title="Our new office opens", caption_x="Our new office opens #employee"
    )
    event = factories.ContentItemFactory(
        title="Our spring event", caption_x="Join us at our spring event #employee"
    )
    amber = factories.ambassador(
        username="amber", password="secret-pw", time_zone="America/New_York"
    )

    page = browser.new_page()
    page.set_default_timeout(15_000)
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    log_in(page, live_server.url, "amber", "secret-pw")

    # Two weekly slots, in amber's own zone.
    page.goto(f"{live_server.url}/queue/")
    page.locator('select[name="slots-0-weekday"]').select_option(label="Tuesday")
    page.locator('input[name="slots-0-time"]').fill("08:30")
    page.locator('select[name="slots-1-weekday"]').select_option(label="Thursday")
    page.locator('input[name="slots-1-time"]').fill("12:15")
    page.get_by_role("button", name="Save my slots").click()
    expect(page.locator(".messages")).to_contain_text(
        "Your weekly slots are saved; your queue goes out at them, in your time zone "
        "America/New_York."
    )
    first_slot, second_slot = (
        local_time(moment, "America/New_York")
        for moment in queue_next_free_slots(user=amber, count=2)
    )

    # Add both items; the caption starts as the one offered, with live guidance.
    for item, slot in ((office, first_slot), (event, second_slot)):
        page.goto(f"{live_server.url}/content/{item.pk}/queue/")
        expect(page.get_by_label("Your caption")).to_have_value(item.caption_x)
        expect(page.locator("#caption-check")).to_contain_text("characters on Sandbox")
        page.get_by_role("button", name="Add to my queue").click()
        expect(page).to_have_url(re.compile(r"/queue/$"))
        expect(page.locator(".messages")).to_contain_text(
            f"Added to your queue: “{item.title}” goes out on Sandbox on {slot}."
        )

    rows = page.locator("#queue-table tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.nth(0)).to_contain_text("Our new office opens")
    expect(rows.nth(0)).to_contain_text(first_slot)
    expect(rows.nth(1)).to_contain_text("Our spring event")
    expect(rows.nth(1)).to_contain_text(second_slot)
    page.screenshot(path=str(output_dir / "queue.png"), full_page=True)

    # Move the spring event up: it takes the first slot, the office the second.
    page.get_by_role("button", name="Move “Our spring event” up").click()
    expect(page.locator(".messages")).to_contain_text("Your queue is in its new order.")
    expect(rows.nth(0)).to_contain_text("Our spring event")
    expect(rows.nth(0)).to_contain_text(first_slot)
    expect(rows.nth(1)).to_contain_text("Our new office opens")
    expect(rows.nth(1)).to_contain_text(second_slot)
    page.screenshot(path=str(output_dir / "reordered.png"), full_page=True)

    assert [share.content_item_id for share in Share.objects.order_by("requested_at")] == [
        event.pk,
        office.pk,
    ]
    assert dialogs == []
