"""/api/budgets/<network>/ (the monthly X budget: marketing sets it, marketing and leadership
read it) and the cost of a campaign's X posts in /api/campaigns/<id>/."""

from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from advocacy.models import BudgetSpend, NetworkBudget, Share
from advocacy.publishing.budget import budget_set, month_of
from campaigns.models import Campaign
from tests.api.helpers import detail
from tests.conftest import api_for
from tests.factories import (
    CampaignFactory,
    ContentItemFactory,
    ShareFactory,
    leadership_user,
    marketing_user,
    x_share,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("x_at_twenty_cents")]

URL = "/api/budgets/x/"


@pytest.fixture
def x_at_twenty_cents() -> Any:
    with override_settings(NETWORK_POST_COSTS={"x": "0.20"}):
        yield


def spend_this_month(amount: str) -> None:
    BudgetSpend.objects.create(network="x", month=month_of(timezone.now()), spent=Decimal(amount))


# --- The budget -------------------------------------------------------------------------------


def test_marketing_reads_this_months_budget_spend_remaining_waiting_shares_and_price(
    policy: Any,
) -> None:
    budget_set(network="x", monthly_limit=Decimal("10.00"))
    spend_this_month("1.40")
    x_share(None, Share.Status.SCHEDULED, problem=Share.Problem.BUDGET)
    x_share(None, Share.Status.SCHEDULED)

    response = api_for(marketing_user()).get(URL)

    assert response.status_code == 200
    assert response.json() == {
        "network": "x",
        "month": month_of(timezone.now()).isoformat(),
        "price_per_post": "0.2000",
        "monthly_limit": "10.0000",
        "spent": "1.4000",
        "remaining": "8.6000",
        "waiting_shares": 1,
    }


def test_without_a_budget_the_limit_and_remaining_are_null(db: None) -> None:
    body = api_for(marketing_user()).get(URL).json()

    assert (body["monthly_limit"], body["remaining"], body["spent"]) == (None, None, "0.0000")


def test_marketing_sets_the_budget(db: None) -> None:
    response = api_for(marketing_user()).put(URL, {"monthly_limit": "250.50"}, format="json")

    assert response.status_code == 200
    assert response.json()["monthly_limit"] == "250.5000"
    assert response.json()["remaining"] == "250.5000"
    assert NetworkBudget.objects.get(network="x").monthly_limit == Decimal("250.50")


def test_a_negative_budget_is_refused_with_the_reason_the_page_gives(db: None) -> None:
    budget_set(network="x", monthly_limit=Decimal("10.00"))

    response = api_for(marketing_user()).put(URL, {"monthly_limit": "-1"}, format="json")

    assert response.status_code == 400
    assert detail(response) == "A budget cannot be negative."
    assert response.json()["code"] == "negative_budget"
    assert NetworkBudget.objects.get(network="x").monthly_limit == Decimal("10.00")


@pytest.mark.parametrize("payload", [{"monthly_limit": "lots"}, {}, {"monthly_limit": "1.234"}])
def test_a_budget_that_is_not_an_amount_is_refused_naming_the_field(
    db: None, payload: dict[str, str]
) -> None:
    response = api_for(marketing_user()).put(URL, payload, format="json")

    assert response.status_code == 400
    assert detail(response).startswith("monthly_limit: ")
    assert not NetworkBudget.objects.exists()


def test_leadership_reads_the_budget_but_cannot_change_it(db: None) -> None:
    budget_set(network="x", monthly_limit=Decimal("10.00"))
    client = api_for(leadership_user())

    read = client.get(URL)
    change = client.put(URL, {"monthly_limit": "99"}, format="json")

    assert read.status_code == 200
    assert read.json()["monthly_limit"] == "10.0000"
    assert change.status_code == 403
    assert detail(change) == "Only marketing can change the budget."
    assert NetworkBudget.objects.get(network="x").monthly_limit == Decimal("10.00")


def test_an_ambassador_can_neither_read_nor_change_the_budget(ambassador_user: Any) -> None:
    budget_set(network="x", monthly_limit=Decimal("10.00"))
    client = api_for(ambassador_user)

    read = client.get(URL)
    change = client.put(URL, {"monthly_limit": "99"}, format="json")

    assert read.status_code == change.status_code == 403
    assert detail(read) == "Only marketing and leadership can see the budget."
    assert detail(change) == "Only marketing can change the budget."
    assert NetworkBudget.objects.get(network="x").monthly_limit == Decimal("10.00")


def test_someone_not_logged_in_can_neither_read_nor_change_the_budget(api: Any, db: None) -> None:
    assert api.get(URL).status_code in (401, 403)
    assert api.put(URL, {"monthly_limit": "99"}, format="json").status_code in (401, 403)
    assert not NetworkBudget.objects.exists()


def test_a_network_that_does_not_bill_has_no_budget(db: None) -> None:
    client = api_for(marketing_user())

    read = client.get("/api/budgets/linkedin/")
    change = client.put("/api/budgets/linkedin/", {"monthly_limit": "5"}, format="json")

    assert read.status_code == change.status_code == 404
    assert detail(read) == "This network does not bill per post, so it has no budget."
    assert not NetworkBudget.objects.exists()


# --- What a campaign's X posts cost ------------------------------------------------------------


@pytest.fixture
def campaign_with_x_shares(policy: Any) -> Campaign:
    campaign = CampaignFactory()
    x_share(campaign, Share.Status.PUBLISHED, cost=Decimal("0.20"))
    x_share(campaign, Share.Status.PUBLISHED, cost=Decimal("0.15"))
    x_share(campaign, Share.Status.UNKNOWN, cost=Decimal("0.20"))  # reserved: charged once
    x_share(campaign, Share.Status.SCHEDULED)
    x_share(campaign, Share.Status.PUBLISHING)  # claimed, cost not reserved yet
    x_share(campaign, Share.Status.FAILED)
    x_share(campaign, Share.Status.CANCELLED)
    item = ContentItemFactory(campaign=campaign)
    ShareFactory(content_item=item, network="linkedin", status=Share.Status.SCHEDULED)
    x_share(CampaignFactory(), Share.Status.PUBLISHED, cost=Decimal("0.20"))
    budget_set(network="x", monthly_limit=Decimal("10.00"))
    spend_this_month("4.00")
    return campaign


def test_the_campaign_api_gives_charged_committed_and_the_estimate_with_the_remaining_budget(
    campaign_with_x_shares: Campaign,
) -> None:
    response = api_for(marketing_user()).get(f"/api/campaigns/{campaign_with_x_shares.pk}/")

    assert response.status_code == 200
    [cost] = response.json()["costs"]
    assert cost["network"] == "x"
    assert cost["price_per_post"] == "0.2000"
    assert (cost["charged"], cost["charged_shares"]) == ("0.5500", 3)
    assert (cost["committed"], cost["committed_shares"]) == ("0.4000", 2)
    assert cost["estimated_total"] == "0.9500"
    assert cost["budget"]["remaining"] == "6.0000"
    assert cost["budget"]["monthly_limit"] == "10.0000"


def test_leadership_reads_a_campaigns_cost_and_ambassadors_do_not(
    campaign_with_x_shares: Campaign, ambassador_user: Any
) -> None:
    url = f"/api/campaigns/{campaign_with_x_shares.pk}/"

    lead = api_for(leadership_user()).get(url)
    amb = api_for(ambassador_user).get(url)

    assert lead.json()["costs"][0]["estimated_total"] == "0.9500"
    assert amb.status_code == 403
    assert "costs" not in amb.json()


def test_the_campaign_cost_takes_as_many_queries_for_many_shares_as_for_few(policy: Any) -> None:
    campaign = CampaignFactory()
    x_share(campaign, Share.Status.SCHEDULED)
    client = api_for(marketing_user())
    url = f"/api/campaigns/{campaign.pk}/"
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for _ in range(6):
        x_share(campaign, Share.Status.SCHEDULED)
        x_share(campaign, Share.Status.PUBLISHED, cost=Decimal("0.20"))

    with CaptureQueriesContext(connection) as many:
        response = client.get(url)

    assert response.json()["costs"][0]["estimated_total"] == "2.6000"
    assert len(many) == len(few)
