"""`make demo` gives the motivator a dashboard worth opening: shares, clicks, network figures,
wins and learnings. Running the seed again adds nothing."""

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from advocacy.models import Share, Team, User

pytestmark = pytest.mark.django_db


def test_the_demo_motivator_sees_a_meaningful_dashboard_and_the_seed_is_idempotent() -> None:
    call_command("demo_seed", stdout=None)
    shares = Share.objects.count()
    call_command("demo_seed", stdout=None)
    client = Client()
    client.force_login(User.objects.get(username="motivator"))

    response = client.get(reverse("team-detail", args=[Team.objects.get(name="Sales").pk]))

    d = response.context["d"]
    assert Share.objects.count() == shares
    assert response.status_code == 200
    assert d.totals.shares >= 4 and d.totals.clicks >= 50
    assert d.totals.engagements is not None and d.totals.emv is not None
    assert {learning.problem for learning in d.learnings} == {"reconnect", "duplicate_caption"}
    assert {win.kind for win in d.wins} >= {"first_share", "clicks"}
    assert len(d.networks) == 2
    html = response.content.decode()
    for name in ("Sara", "Abe", "ambassador2"):
        assert name not in html.split("<main>")[1]  # nobody named on the dashboard
