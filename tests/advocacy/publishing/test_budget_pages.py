"""The X budget on the pages: marketing sets the monthly budget on /manage/budget/, leadership
reads it, and the campaign page shows what the campaign's X posts cost (charged, committed, and
the estimate) beside this month's remaining budget."""

import re
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from advocacy.models import BudgetSpend, NetworkBudget, Share, User
from advocacy.publishing.budget import budget_set, month_of
from campaigns.models import Campaign
from tests.factories import (
    CampaignFactory,
    ContentItemFactory,
    ShareFactory,
    ambassador,
    leadership_user,
    x_share,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("x_at_twenty_cents")]


@pytest.fixture
def x_at_twenty_cents() -> Any:
    with override_settings(NETWORK_POST_COSTS={"x": "0.20"}):
        yield


def logged_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def cell(response: Any, css_class: str) -> str:
    """The text of the one table cell with this class."""
    match = re.search(rf'<td class="{css_class}">(.*?)</td>', response.content.decode(), re.S)
    assert match, css_class
    return re.sub(r"<[^>]+>", "", match.group(1)).strip()


def spend_this_month(amount: str) -> None:
    BudgetSpend.objects.create(network="x", month=month_of(timezone.now()), spent=Decimal(amount))


# --- The budget page ---------------------------------------------------------------------------


def test_marketing_sees_this_months_x_budget_spend_remaining_waiting_shares_and_price(
    policy: Any, marketing: User
) -> None:
    budget_set(network="x", monthly_limit=Decimal("10.00"))
    spend_this_month("1.40")
    BudgetSpend.objects.create(network="x", month=datetime(2020, 1, 1, tzinfo=UTC).date(), spent=9)
    for _ in range(2):
        x_share(None, Share.Status.SCHEDULED, problem=Share.Problem.BUDGET)
    x_share(None, Share.Status.SCHEDULED)  # waits for its time, not for the budget
    x_share(None, Share.Status.FAILED, problem=Share.Problem.BUDGET)  # no longer waiting

    response = logged_in(marketing).get(reverse("budget-manage"))

    assert response.status_code == 200
    assert cell(response, "budget-limit") == "10.00"
    assert cell(response, "budget-spent") == "1.40"
    assert cell(response, "budget-remaining") == "8.60"
    assert cell(response, "budget-waiting") == "2"
    assert cell(response, "budget-price").startswith("0.20")
    assert 'name="x-monthly_limit"' in response.content.decode()
    assert (
        reverse("budget-manage")
        in logged_in(marketing).get(reverse("manage-home")).content.decode()
    )


def test_without_a_budget_the_page_says_x_posts_are_not_capped(
    policy: Any, marketing: User
) -> None:
    response = logged_in(marketing).get(reverse("budget-manage"))

    assert cell(response, "budget-limit") == "No budget is set: posts are not capped."
    assert cell(response, "budget-remaining") == "no limit"
    assert cell(response, "budget-spent") == "0.00"


def test_marketing_sets_the_monthly_x_budget(policy: Any, marketing: User) -> None:
    budget_set(network="x", monthly_limit=Decimal("10.00"))

    response = logged_in(marketing).post(
        reverse("budget-manage"), {"network": "x", "x-monthly_limit": "250.50"}
    )

    assert response.status_code == 302
    assert response.url == reverse("budget-manage")
    assert NetworkBudget.objects.get(network="x").monthly_limit == Decimal("250.50")
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "The X budget for this month is now 250.50."
    ]


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("-5", "A budget cannot be negative."),
        ("lots", "Enter the monthly budget as a number, for example 250 or 99.50."),
        ("", "Enter the monthly budget, for example 250 or 99.50."),
        ("10.005", "Give the budget in cents at most (two decimals)."),
        ("123456789012", "A budget can be at most 99,999,999.99."),
    ],
)
def test_a_budget_that_is_negative_or_not_an_amount_is_refused_with_the_reason(
    policy: Any, marketing: User, value: str, message: str
) -> None:
    budget_set(network="x", monthly_limit=Decimal("10.00"))

    response = logged_in(marketing).post(
        reverse("budget-manage"), {"network": "x", "x-monthly_limit": value}
    )

    assert response.status_code == 400
    assert response.context["rows"][0][1].errors == {"monthly_limit": [message]}
    assert message in response.content.decode()
    assert NetworkBudget.objects.get(network="x").monthly_limit == Decimal("10.00")


def test_a_network_that_does_not_bill_has_no_budget_to_set(policy: Any, marketing: User) -> None:
    response = logged_in(marketing).post(
        reverse("budget-manage"), {"network": "linkedin", "linkedin-monthly_limit": "5"}
    )

    assert response.status_code == 404
    assert not NetworkBudget.objects.exists()


def test_leadership_reads_the_budget_but_cannot_change_it(policy: Any) -> None:
    budget_set(network="x", monthly_limit=Decimal("10.00"))
    client = logged_in(leadership_user())

    page = client.get(reverse("budget-manage"))
    change = client.post(reverse("budget-manage"), {"network": "x", "x-monthly_limit": "99"})

    assert page.status_code == 200
    assert cell(page, "budget-limit") == "10.00"
    assert "<form" not in page.content.decode().split("<main", 1)[-1]
    assert change.status_code == 403
    assert NetworkBudget.objects.get(network="x").monthly_limit == Decimal("10.00")


def test_an_ambassador_gets_404_on_the_budget_page_and_cannot_change_it(
    policy: Any, ambassador_user: User
) -> None:
    budget_set(network="x", monthly_limit=Decimal("10.00"))
    client = logged_in(ambassador_user)

    assert client.get(reverse("budget-manage")).status_code == 404
    change = client.post(reverse("budget-manage"), {"network": "x", "x-monthly_limit": "99"})
    assert change.status_code == 404
    assert NetworkBudget.objects.get(network="x").monthly_limit == Decimal("10.00")


def test_a_visitor_who_is_not_logged_in_is_sent_to_log_in_for_the_budget(policy: Any) -> None:
    response = Client().get(reverse("budget-manage"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


# --- What a campaign's X posts cost ------------------------------------------------------------


@pytest.fixture
def campaign_with_x_shares(policy: Any) -> Campaign:
    """Charged: 0.20 + 0.20 + 0.15 (a post charged at an earlier price) = 0.55 over three
    posts; committed: three shares still to go out at 0.20 = 0.60; the estimate 1.15."""
    campaign = CampaignFactory(name="Open <b>day</b>")
    x_share(campaign, Share.Status.PUBLISHED, cost=Decimal("0.20"))
    x_share(campaign, Share.Status.PUBLISHED, cost=Decimal("0.15"))
    # Publishing, its cost already reserved: charged, and not counted again as committed.
    x_share(campaign, Share.Status.PUBLISHING, cost=Decimal("0.20"))
    x_share(campaign, Share.Status.SCHEDULED)
    x_share(campaign, Share.Status.SCHEDULED, problem=Share.Problem.BUDGET)
    x_share(campaign, Share.Status.UNKNOWN)  # reservation given back: it may be posted again
    x_share(campaign, Share.Status.FAILED)
    x_share(campaign, Share.Status.CANCELLED)
    item = ContentItemFactory(campaign=campaign)
    ShareFactory(content_item=item, network="linkedin", status=Share.Status.SCHEDULED)
    x_share(CampaignFactory(), Share.Status.PUBLISHED, cost=Decimal("0.20"))  # not this campaign
    x_share(CampaignFactory(), Share.Status.SCHEDULED)
    budget_set(network="x", monthly_limit=Decimal("10.00"))
    spend_this_month("4.00")
    return campaign


def test_the_campaign_page_shows_charged_committed_and_the_estimate_beside_the_remaining_budget(
    marketing: User, campaign_with_x_shares: Campaign
) -> None:
    response = logged_in(marketing).get(
        reverse("campaign-detail", args=[campaign_with_x_shares.pk])
    )

    assert response.status_code == 200
    assert cell(response, "cost-charged") == "0.55"
    assert cell(response, "cost-committed") == "0.60"
    assert cell(response, "cost-estimate") == "1.15"
    assert cell(response, "cost-remaining") == "6.00"
    body = response.content.decode()
    assert "3 posts, as billed" in body
    assert "3 shares still to go out \N{MULTIPLICATION SIGN} 0.20" in body
    assert "estimate: waiting shares may still be cancelled or fail" in body
    assert "Estimated total" in body
    assert "1 share waits because the budget is spent" in body
    assert "Open &lt;b&gt;day&lt;/b&gt;" in body


def test_leadership_sees_the_campaign_cost_too(campaign_with_x_shares: Campaign) -> None:
    response = logged_in(leadership_user()).get(
        reverse("campaign-detail", args=[campaign_with_x_shares.pk])
    )

    assert cell(response, "cost-estimate") == "1.15"
    assert reverse("budget-manage") in response.content.decode()


def test_an_ambassador_does_not_see_a_campaigns_cost(
    campaign_with_x_shares: Campaign,
) -> None:
    client = logged_in(ambassador(username="amber"))

    response = client.get(reverse("campaign-detail", args=[campaign_with_x_shares.pk]))

    assert response.status_code == 404
    assert "0.55" not in response.content.decode()


def test_the_campaign_cost_takes_as_many_queries_for_many_shares_as_for_few(
    marketing: User, policy: Any
) -> None:
    campaign = CampaignFactory()
    x_share(campaign, Share.Status.SCHEDULED)
    client = logged_in(marketing)
    url = reverse("campaign-detail", args=[campaign.pk])
    client.get(url)  # warm up sessions and caches
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for status in (Share.Status.SCHEDULED, Share.Status.PUBLISHED, Share.Status.UNKNOWN) * 4:
        x_share(campaign, status, cost=Decimal("0.20") if status != "scheduled" else None)

    with CaptureQueriesContext(connection) as many:
        response = client.get(url)

    assert cell(response, "cost-committed") == "1.00"
    assert len(many) == len(few)
