"""The campaign report shows what the campaign's posts cost beside its results: on X what was
charged so far, what the shares still scheduled commit and the estimated total; LinkedIn and
the sandbox are "not billed". The same figures are on the page and in its CSV."""

import csv
import io
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from advocacy.models import Share
from campaigns.models import Campaign
from reports.services import rollups_rebuild
from tests import factories
from tests.conftest import client_for

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("x_at_twenty_cents")]


@pytest.fixture
def x_at_twenty_cents() -> Any:
    with override_settings(NETWORK_POST_COSTS={"x": "0.20"}):
        yield


@pytest.fixture
def campaign(policy: Any) -> Campaign:
    """Charged: 0.20 + 0.15 (a post charged at an earlier price) over two posts; committed:
    two shares still scheduled at 0.20 = 0.40; the estimate 0.75."""
    campaign: Campaign = factories.CampaignFactory(name="Spring", goal_metric="shares")
    item = factories.ContentItemFactory(campaign=campaign, title="Launch")
    now = timezone.now()
    for cost in ("0.20", "0.15"):
        factories.ShareFactory(content_item=item, network="x", published_at=now, cost=Decimal(cost))
    for _ in range(2):
        factories.ShareFactory(
            content_item=item,
            network="x",
            status=Share.Status.SCHEDULED,
            scheduled_at=now + timedelta(hours=2),
        )
    factories.ShareFactory(content_item=item, network="x", status=Share.Status.CANCELLED)
    factories.ShareFactory(content_item=item, network="linkedin", published_at=now)
    # Another campaign's X post is not this campaign's cost.
    factories.ShareFactory(network="x", published_at=now, cost=Decimal("0.20"))
    today = timezone.localdate()
    rollups_rebuild(since=today - timedelta(days=7), until=today)
    return campaign


def test_the_campaign_report_shows_the_x_cost_beside_the_figures(campaign: Campaign) -> None:
    response = client_for(factories.marketing_user()).get(
        reverse("campaign-report", args=[campaign.pk])
    )

    assert response.status_code == 200
    costs = {row.network: row.cost for row in response.context["r"].costs}
    assert costs["linkedin"] is None and costs["sandbox"] is None
    x = costs["x"]
    assert (x.charged, x.charged_shares) == (Decimal("0.35"), 2)
    assert (x.committed, x.committed_shares, x.estimate) == (Decimal("0.40"), 2, Decimal("0.75"))
    html = response.content.decode()
    figure = html.split('id="figure-cost-x"')[1][:500]
    assert "X cost" in figure and "0.75" in figure
    assert "0.35 charged so far + 0.40 committed for the shares still scheduled" in figure
    assert "not billed" in html.split('id="costs"')[1]


def test_the_cost_table_downloads_as_csv_with_linkedin_not_billed(campaign: Campaign) -> None:
    response = client_for(factories.leadership_user()).get(
        reverse("campaign-csv", args=[campaign.pk, "costs"])
    )

    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows == [
        [
            "Network",
            "Charged so far (measured)",
            "Posts charged",
            "Committed",
            "Shares still to go out",
            "Estimated total (estimated)",
        ],
        ["Sandbox", "not billed", "", "not billed", "", "not billed"],
        ["LinkedIn", "not billed", "", "not billed", "", "not billed"],
        ["X", "0.35", "2", "0.40", "2", "0.75"],
    ]
