"""My impact in a real browser: an ambassador logs in, opens My impact, sees their charts
drawn (trend, points, reach, networks), switches the period, and finds their team's totals
without a colleague named. Nothing is published, so no worker is needed."""

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from advocacy.models import Click, MetricSnapshot, User
from reports.services.rollups import rollups_rebuild
from tests import factories
from tests.browser.pages import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CHARTS = ("#chart-trend svg", "#chart-points svg", "#chart-reach svg", "#chart-networks svg")


def shares_with_clicks(person: User, networks: tuple[str, ...], reach: int) -> None:
    now = timezone.now()
    items = [factories.ContentItemFactory(title=f"Story {n}") for n in range(len(networks))]
    for n, (item, network) in enumerate(zip(items, networks, strict=True)):
        days_ago = 1 + 4 * n
        share = factories.ShareFactory(
            user=person,
            content_item=item,
            network=network,
            published_at=now - timedelta(days=days_ago),
            potential_reach=reach,
        )
        Click.objects.bulk_create(
            Click(share=share, created_at=share.published_at, visitor_hash=str(k))
            for k in range(3 + 2 * n)
        )
        MetricSnapshot.objects.create(
            share=share, taken_at=share.published_at, impressions=200, reactions=5 + n
        )


def test_an_ambassador_opens_my_impact_and_sees_charts_and_team_totals(
    browser: Any, live_server: Any, output_dir: Path
) -> None:
    factories.PolicyVersionFactory()
    sales = factories.TeamFactory(name="Sales")
    amber = factories.ambassador(
        teams=[sales], username="amber", password="secret-pw", first_name="Amber"
    )
    colleague = factories.ambassador(teams=[sales], first_name="Zelda", last_name="Quasimodo")
    shares_with_clicks(amber, ("x", "sandbox", "x"), reach=300)
    shares_with_clicks(colleague, ("sandbox", "x"), reach=800)
    today = timezone.localdate()
    rollups_rebuild(since=today - timedelta(days=90), until=today)

    page = browser.new_page(viewport={"width": 1100, "height": 900})
    page.set_default_timeout(15_000)
    log_in(page, live_server.url, "amber", "secret-pw")
    page.get_by_role("link", name="My impact").click()

    expect(page.get_by_role("heading", name="My impact", level=1)).to_be_visible()
    for chart in CHARTS:
        svg = page.locator(chart)
        expect(svg).to_be_visible()
        box = svg.bounding_box()
        assert box is not None and box["width"] > 300 and box["height"] > 60, (chart, box)
    expect(page.locator("#chart-trend polyline.s0")).to_have_count(1)
    expect(page.locator("#chart-networks rect.bar")).to_have_count(2)

    teams = page.locator("#my-teams")
    expect(teams.get_by_role("heading", name="My teams")).to_be_visible()
    row = teams.locator("tbody tr")
    expect(row).to_have_count(1)
    # Sales: both members shared; 5 shares, 3+5+7 and 3+5 clicks, 5+6+7 and 5+6 reactions.
    expect(row.locator("td")).to_have_text(["Sales", "2", "2", "5", "23", "29", "2500"])
    expect(page.locator("body")).not_to_contain_text("Zelda")
    expect(page.locator("body")).not_to_contain_text("Quasimodo")
    page.screenshot(path=str(output_dir / "my-impact.png"), full_page=True)

    page.get_by_role("link", name="7 days").click()
    expect(page.locator(".report-head")).to_contain_text("The last 7 days")
    expect(page.locator(".period-picker [aria-current=page]")).to_have_text("7 days")
    for chart in CHARTS:
        expect(page.locator(chart)).to_be_visible()
    # In 7 days: Amber's shares of 1 and 5 days ago, the colleague's of 1 and 5 days ago.
    expect(row.locator("td")).to_have_text(["Sales", "2", "2", "4", "16", "22", "2200"])
