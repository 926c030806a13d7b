"""The team dashboard in a real browser: a motivator logs in, opens their team, sees the
charts drawn (trend, funnel, networks), switches the period, and the page prints without the
navigation; then reads the team digest on its page, chart drawn, and has it emailed to
forward it. Nothing is published, so no worker is needed."""

from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from advocacy.models import Click, MetricSnapshot, Share
from reports.services.rollups import rollups_rebuild
from tests import factories
from tests.browser.pages import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_motivator_opens_the_team_dashboard_and_sees_its_charts(
    browser: Any, live_server: Any, output_dir: Any
) -> None:
    factories.PolicyVersionFactory()
    sales = factories.TeamFactory(name="Sales")
    motivator = factories.ambassador(
        teams=[sales], username="molly", password="secret-pw", email="molly@example.com"
    )
    sales.motivators.add(motivator)
    people = [factories.ambassador(teams=[sales]) for _ in range(3)]
    factories.UserFactory().teams.add(sales)  # eligible, not opted in
    items = [
        factories.ContentItemFactory(title=title)
        for title in ("Our new office", "We are hiring", "Customer story")
    ]
    now = timezone.now()
    for n, person in enumerate(people):
        for k, days_ago in enumerate((n, n + 4, n + 9)):
            share = factories.ShareFactory(
                user=person,
                content_item=items[k],
                network=("linkedin", "x", "sandbox")[n],
                published_at=now - timedelta(days=days_ago),
                potential_reach=200 + 50 * n,
            )
            Click.objects.bulk_create(
                Click(share=share, created_at=now - timedelta(days=days_ago), visitor_hash=str(k))
                for k in range(5 + 3 * days_ago)
            )
            if share.network == "linkedin":
                MetricSnapshot.objects.create(
                    share=share, taken_at=share.published_at, impressions=300, reactions=7
                )
    factories.ShareFactory(
        user=people[0], status=Share.Status.FAILED, problem=Share.Problem.RECONNECT
    )
    today = timezone.localdate()
    rollups_rebuild(since=today - timedelta(days=90), until=today)

    page = browser.new_page(viewport={"width": 1100, "height": 900})
    page.set_default_timeout(15_000)
    log_in(page, live_server.url, "molly", "secret-pw")
    page.get_by_role("link", name="Teams").click()
    page.get_by_role("link", name="Sales").click()

    expect(page.get_by_role("heading", name="Sales", level=1)).to_be_visible()
    for chart in ("#chart-trend svg", "#chart-funnel svg", "#chart-networks svg"):
        svg = page.locator(chart)
        expect(svg).to_be_visible()
        box = svg.bounding_box()
        assert box is not None and box["width"] > 300 and box["height"] > 60, (chart, box)
    # Drawn, not empty: shares and clicks every day, engagements on the days a network
    # reported them (points where there is a gap), a bar per step and per network.
    expect(page.locator("#chart-trend polyline.s0")).to_have_count(1)
    expect(page.locator("#chart-trend polyline.s1")).to_have_count(1)
    assert page.locator("#chart-trend .s2").count() >= 1
    expect(page.locator("#chart-funnel rect.bar")).to_have_count(3)
    expect(page.locator("#chart-networks rect.bar")).to_have_count(3)
    widths = page.locator("#chart-funnel rect.bar").evaluate_all(
        "bars => bars.map(bar => bar.getBBox().width)"
    )
    assert all(width > 0 for width in widths), widths
    expect(page.locator(".learnings")).to_contain_text("expired connection")
    expect(page.locator(".wins")).to_contain_text("shared for the first time")
    page.screenshot(path=str(output_dir / "team-dashboard.png"), full_page=True)

    page.get_by_role("link", name="7 days").click()
    expect(page.locator(".report-head")).to_contain_text("The last 7 days")
    expect(page.locator("#chart-trend polyline.s0")).to_have_count(1)

    page.emulate_media(media="print")
    expect(page.locator(".topbar")).to_be_hidden()
    expect(page.locator(".csv-link").first).to_be_hidden()
    expect(page.locator("#chart-trend svg")).to_be_visible()
    page.screenshot(path=str(output_dir / "team-dashboard-print.png"), full_page=True)

    page.emulate_media(media="screen")
    page.get_by_role("link", name="The team digest, to forward").click()
    expect(page.get_by_role("heading", name="Digest of Sales")).to_be_visible()
    digest = page.frame_locator("iframe.digest-preview")
    expect(digest.get_by_role("heading", level=1)).to_contain_text("what the team achieved")
    chart = digest.get_by_role("img", name="Clicks per day")
    expect(chart).to_be_visible()
    assert chart.evaluate("image => image.complete && image.naturalWidth") > 300
    expect(digest.get_by_text("expired connection")).to_be_visible()
    page.screenshot(path=str(output_dir / "team-digest.png"), full_page=True)

    page.get_by_role("button", name="Email it to me now").click()
    expect(page.get_by_role("status")).to_contain_text("Sent to molly@example.com")
    assert [message.to for message in mail.outbox] == [["molly@example.com"]]
