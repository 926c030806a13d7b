"""The campaign report shows what the campaign's posts cost beside its results: on X what was
charged so far, what the shares still scheduled commit and the estimated total; LinkedIn and
the sandbox are "not billed". The same figures are on the page and in its CSV."""

import csv
import io
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection, transaction
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from advocacy.models import Share
from advocacy.publishing.costs import COMMITTED_STATUSES, campaign_costs
from campaigns.models import Campaign
from reports.models import ShareChange
from reports.services.marks import rollups_mark_changed
from reports.services.refresh import rollups_refresh
from reports.services.rollups import rollups_rebuild
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


def x_cost(campaign: Campaign) -> tuple[Decimal, int, int]:
    (x,) = [cost for cost in campaign_costs(campaign=campaign) if cost.network == "x"]
    return x.charged, x.charged_shares, x.committed_shares


def share_by_share(campaign: Campaign) -> tuple[Decimal, int, int]:
    """What the campaign's X shares cost, added up one share at a time."""
    shares = list(Share.objects.filter(content_item__campaign=campaign, network="x"))
    costs = [share.cost for share in shares if share.cost is not None]
    waiting = [s for s in shares if s.status in COMMITTED_STATUSES and s.cost is None]
    return sum(costs, Decimal(0)), len(costs), len(waiting)


def test_a_share_published_since_the_last_refresh_counts_once_before_and_after_it(
    campaign: Campaign,
) -> None:
    item = campaign.items.get()
    with transaction.atomic():  # as publishing marks it for the rollups' next refresh
        share = factories.ShareFactory(
            content_item=item, network="x", published_at=timezone.now(), cost=Decimal("0.20")
        )
        rollups_mark_changed(changes=[(share.pk, share.published_at)])

    assert x_cost(campaign) == (Decimal("0.55"), 3, 2) == share_by_share(campaign)
    rollups_refresh()
    assert not ShareChange.objects.exists()
    assert x_cost(campaign) == (Decimal("0.55"), 3, 2)
    rollups_mark_changed(changes=[(share.pk, timezone.now())])  # a click: marked again
    assert x_cost(campaign) == (Decimal("0.55"), 3, 2)


def test_the_cost_equals_the_shares_costs_added_up_one_by_one(campaign: Campaign) -> None:
    item = campaign.items.get()
    now = timezone.now()
    for status, cost in (
        (Share.Status.PUBLISHING, "0.20"),  # reserved: charged
        (Share.Status.UNKNOWN, "0.20"),  # reserved while it is found out
        (Share.Status.UNKNOWN, None),  # given back: committed again
        (Share.Status.FAILED, "0.20"),  # a reservation never given back still counts
    ):
        factories.ShareFactory(
            content_item=item, network="x", status=status, cost=cost and Decimal(cost)
        )
    # Published on earlier days and rolled up.
    for days in (3, 10):
        factories.ShareFactory(
            content_item=item,
            network="x",
            published_at=now - timedelta(days=days),
            cost=Decimal("0.1234"),
        )
    today = timezone.localdate()
    rollups_rebuild(since=today - timedelta(days=30), until=today)

    assert x_cost(campaign) == share_by_share(campaign)
    assert x_cost(campaign) == (Decimal("1.1968"), 7, 3)


def test_the_cost_reads_no_more_with_more_shares(campaign: Campaign) -> None:
    few = CaptureQueriesContext(connection)
    with few:
        campaign_costs(campaign=campaign)
    item = campaign.items.get()
    for days in range(5):
        factories.ShareFactory(
            content_item=item,
            network="x",
            published_at=timezone.now() - timedelta(days=days),
            cost=Decimal("0.20"),
        )
    today = timezone.localdate()
    rollups_rebuild(since=today - timedelta(days=7), until=today)
    with CaptureQueriesContext(connection) as many:
        campaign_costs(campaign=campaign)

    assert len(many) == len(few)
    assert x_cost(campaign) == share_by_share(campaign)
