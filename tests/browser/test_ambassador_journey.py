"""The ambassador's journey in a real browser: log in, acknowledge, opt in, connect the
sandbox, write a caption with live guidance, share, and see the worker publish it; then
schedule a second item for later and find it on "My shares" at its local time."""

import re
import zoneinfo
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from advocacy.models import Share, User
from advocacy.sharing.views.common import local_time
from tests import factories
from tests.browser.pages import log_in

pytestmark = [pytest.mark.browser, pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_an_ambassador_shares_an_item_and_sees_it_published(
    browser, live_server, celery_worker_process, output_dir
):
    team = factories.TeamFactory(name="Sales")
    factories.PolicyVersionFactory(
        body="# Our policy\n\nBe yourself. <script>alert('x')</script>",
        required_disclosure="#employee",
        blocked_terms=["confidential"],
    )
    item = factories.ContentItemFactory(
        title="Our new office opens", caption_x="Our new office opens #employee"
    )
    factories.UserFactory(username="amber", password="secret-pw").teams.add(team)

    page = browser.new_page()
    page.set_default_timeout(15_000)
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))

    log_in(page, live_server.url, "amber", "secret-pw")

    page.goto(f"{live_server.url}/policy/")
    expect(page.locator("body")).to_contain_text("<script>alert('x')</script>")  # shown, not run
    page.get_by_label(re.compile("take part", re.I)).check()
    page.get_by_role("button", name=re.compile("I have read version")).click()

    page.goto(f"{live_server.url}/networks/")
    page.get_by_role("button", name="Connect sandbox").click()
    expect(page.locator("body")).to_contain_text("@amber")

    page.goto(f"{live_server.url}/")
    page.get_by_role("link", name=re.compile("^Share")).first.click()
    expect(page).to_have_url(re.compile(rf"/content/{item.pk}/share/"))

    caption = page.get_by_label(re.compile("caption", re.I))
    caption.fill("This is confidential news")
    guidance = page.locator("#caption-check")
    expect(guidance).to_contain_text("confidential")
    expect(guidance).to_contain_text("#employee")
    caption.fill("Our new office opens and I am thrilled to work there #employee")
    expect(guidance).not_to_contain_text("may not be used")
    page.screenshot(path=str(output_dir / "editor.png"), full_page=True)
    page.get_by_role("button", name="Share now").click()

    expect(page.locator("#share-status")).to_have_attribute(
        "data-status", "published", timeout=30_000
    )
    share = Share.objects.get()
    assert share.status == "published"
    expect(page.locator("body")).to_contain_text(f"/r/{share.code}")
    page.screenshot(path=str(output_dir / "published.png"), full_page=True)

    # Share later: a second item, for 10:00 the day after tomorrow in amber's own zone.
    later_item = factories.ContentItemFactory(
        title="Our spring event", caption_x="Join us at our spring event #employee"
    )
    zone = User.objects.get(username="amber").time_zone
    when = (timezone.now() + timedelta(days=2)).astimezone(zoneinfo.ZoneInfo(zone))
    when = when.replace(hour=10, minute=0, second=0, microsecond=0)
    shown = local_time(when, zone)
    page.goto(f"{live_server.url}/")
    page.get_by_role("link", name=re.compile("^Share")).first.click()
    expect(page).to_have_url(re.compile(rf"/content/{later_item.pk}/share/"))
    expect(page.locator("#share-later")).to_contain_text(zone)
    page.get_by_label(re.compile("caption", re.I)).fill(
        "I will be at our spring event: come and say hello #employee"
    )
    page.locator('input[name="when"]').fill(when.strftime("%Y-%m-%dT%H:%M"))
    page.screenshot(path=str(output_dir / "editor-later.png"), full_page=True)
    page.get_by_role("button", name="Share later").click()

    expect(page.locator(".messages")).to_contain_text(
        f"Scheduled: your share goes out on Sandbox on {shown}."
    )
    expect(page.locator("#share-status")).to_have_attribute("data-status", "scheduled")
    later = Share.objects.get(content_item=later_item)
    assert later.status == "scheduled"
    assert later.scheduled_at == when
    page.goto(f"{live_server.url}/shares/")
    row = page.locator("tr", has_text="Our spring event")
    expect(row.locator(".status-scheduled")).to_be_visible()
    expect(row).to_contain_text(f"goes out {shown}")
    page.screenshot(path=str(output_dir / "scheduled.png"), full_page=True)
    assert dialogs == []
