"""The X budget in the Django admin: marketing's budget is editable (through the service, never
negative, only for a network that bills); what each month cost is read-only."""

from decimal import Decimal

import pytest
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from advocacy.models import BudgetSpend, NetworkBudget
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(db: None) -> Client:
    client = Client()
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    return client


def change_url(budget: NetworkBudget) -> str:
    return reverse("admin:advocacy_networkbudget_change", args=[budget.pk])


def test_the_admin_changes_the_monthly_budget(admin_client: Client) -> None:
    budget = NetworkBudget.objects.create(network="x", monthly_limit=Decimal("10.00"))

    response = admin_client.post(change_url(budget), {"monthly_limit": "75.25"})

    assert response.status_code == 302
    budget.refresh_from_db()
    assert budget.monthly_limit == Decimal("75.25")
    assert NetworkBudget.objects.count() == 1


def test_the_admin_refuses_a_negative_budget_with_the_reason(admin_client: Client) -> None:
    budget = NetworkBudget.objects.create(network="x", monthly_limit=Decimal("10.00"))

    response = admin_client.post(change_url(budget), {"monthly_limit": "-3"})

    assert response.status_code == 200
    assert "A budget cannot be negative." in response.content.decode()
    budget.refresh_from_db()
    assert budget.monthly_limit == Decimal("10.00")


@override_settings(NETWORK_POST_COSTS={"x": "0.20"})
def test_a_budget_is_added_only_for_a_network_that_bills(admin_client: Client) -> None:
    url = reverse("admin:advocacy_networkbudget_add")

    refused = admin_client.post(url, {"network": "linkedin", "monthly_limit": "5"})
    added = admin_client.post(url, {"network": "x", "monthly_limit": "5"})

    assert refused.status_code == 200
    assert 'value="linkedin"' not in refused.content.decode()
    assert added.status_code == 302
    assert list(NetworkBudget.objects.values_list("network", "monthly_limit")) == [
        ("x", Decimal("5.00"))
    ]


def test_the_network_of_a_budget_cannot_be_changed(admin_client: Client) -> None:
    budget = NetworkBudget.objects.create(network="x", monthly_limit=Decimal("10.00"))

    admin_client.post(change_url(budget), {"network": "linkedin", "monthly_limit": "10"})

    budget.refresh_from_db()
    assert budget.network == "x"


def test_what_a_month_cost_is_read_only(admin_client: Client) -> None:
    spend = BudgetSpend.objects.create(
        network="x", month=timezone.now().date().replace(day=1), spent=Decimal("3.20")
    )
    url = reverse("admin:advocacy_budgetspend_change", args=[spend.pk])

    page = admin_client.get(url)
    admin_client.post(url, {"network": "x", "month": spend.month, "spent": "0"})
    delete = admin_client.post(reverse("admin:advocacy_budgetspend_delete", args=[spend.pk]))

    assert page.status_code == 200
    assert "3.2" in page.content.decode()
    assert delete.status_code == 403
    spend.refresh_from_db()
    assert spend.spent == Decimal("3.20")
    assert admin_client.get(reverse("admin:advocacy_budgetspend_add")).status_code == 403
