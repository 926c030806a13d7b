"""Who may see which report: every report page, its CSV and every stats endpoint, for every
role, with the exact answer. The pages send an anonymous visitor to the login page and
answer 404 for what a person may not see; the API answers 401 without credentials, 404 for a
team or campaign the person may not see, and 403 for the organisation's figures.

An ambassador sees their own figures and their team's totals (never a colleague's rows), a
motivator their teams, marketing and leadership everything."""

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from advocacy.models import User
from reports.services.rollups import rollups_rebuild
from tests import factories
from tests.conftest import api_for, client_for

pytestmark = pytest.mark.django_db

ROLES = (
    "anonymous",
    "ambassador outside the team",
    "ambassador in the team",
    "motivator of the team",
    "motivator of another team",
    "marketing",
    "leadership",
)
LOGIN = 302  # a page sends an anonymous visitor to the login page

Url = Callable[[dict[str, Any]], str]

# Each report, its address, and the answer for each role in the order of ROLES.
PAGES: dict[str, tuple[Url, tuple[int, ...]]] = {
    "team dashboard": (
        lambda w: reverse("team-detail", args=[w["team"].pk]),
        (LOGIN, 404, 404, 200, 404, 200, 200),
    ),
    "team dashboard CSV": (
        lambda w: reverse("team-csv", args=[w["team"].pk, "days"]),
        (LOGIN, 404, 404, 200, 404, 200, 200),
    ),
    "campaign report": (
        lambda w: reverse("campaign-report", args=[w["campaign"].pk]),
        (LOGIN, 404, 404, 404, 404, 200, 200),
    ),
    "campaign report CSV": (
        lambda w: reverse("campaign-csv", args=[w["campaign"].pk, "costs"]),
        (LOGIN, 404, 404, 404, 404, 200, 200),
    ),
    "organisation report": (
        lambda w: reverse("organisation-report"),
        (LOGIN, 404, 404, 404, 404, 200, 200),
    ),
    "organisation report CSV": (
        lambda w: reverse("organisation-csv", args=["teams"]),
        (LOGIN, 404, 404, 404, 404, 200, 200),
    ),
    "reports index": (
        lambda w: reverse("reports-home"),
        (LOGIN, 404, 404, 404, 404, 200, 200),
    ),
}
ENDPOINTS: dict[str, tuple[Url, tuple[int, ...]]] = {
    "team stats": (
        lambda w: f"/api/stats/teams/{w['team'].pk}/?group=item",
        (401, 404, 200, 200, 404, 200, 200),
    ),
    "campaign stats": (
        lambda w: f"/api/stats/campaigns/{w['campaign'].pk}/?group=team",
        (401, 404, 404, 404, 404, 200, 200),
    ),
    "organisation stats": (
        lambda w: "/api/stats/organisation/?group=team",
        (401, 403, 403, 403, 403, 200, 200),
    ),
    "my stats": (
        lambda w: "/api/stats/me/",
        (401, 200, 200, 200, 200, 200, 200),
    ),
}
# What an ambassador gets of their team: its totals, nothing per item, per day or per person.
TEAM_TOTALS = {
    "team",
    "scope",
    "days",
    "since",
    "until",
    "participation",
    "period",
    "previous",
    "changes",
    "all_time",
}


@pytest.fixture
def world(policy: Any) -> dict[str, Any]:
    team, other = factories.TeamFactory(name="Sales"), factories.TeamFactory(name="Support")
    member = factories.ambassador(teams=[team], username="member")
    motivator = factories.ambassador(teams=[team], username="motivator")
    team.motivators.add(motivator)
    other_motivator = factories.ambassador(teams=[other], username="othermotivator")
    other.motivators.add(other_motivator)
    campaign = factories.CampaignFactory(name="Spring")
    item = factories.ContentItemFactory(campaign=campaign, title="Launch")
    for person in (member, motivator, other_motivator):
        factories.ShareFactory(user=person, content_item=item, published_at=timezone.now())
    today = timezone.localdate()
    rollups_rebuild(since=today - timedelta(days=7), until=today)
    return {
        "team": team,
        "campaign": campaign,
        "anonymous": None,
        "ambassador outside the team": factories.ambassador(teams=[other], username="outsider"),
        "ambassador in the team": member,
        "motivator of the team": motivator,
        "motivator of another team": other_motivator,
        "marketing": factories.marketing_user(username="marketing"),
        "leadership": factories.leadership_user(username="leadership"),
    }


def matrix(reports: dict[str, tuple[Url, tuple[int, ...]]]) -> list[Any]:
    return [
        pytest.param(name, role, statuses[index], id=f"{name} / {role}")
        for name, (_url, statuses) in reports.items()
        for index, role in enumerate(ROLES)
    ]


@pytest.mark.parametrize(("page", "role", "status"), matrix(PAGES))
def test_each_report_page_answers_each_role_as_the_matrix_says(
    world: dict[str, Any], page: str, role: str, status: int
) -> None:
    user: User | None = world[role]
    client = Client() if user is None else client_for(user)
    url = PAGES[page][0](world)

    response = client.get(url)

    assert response.status_code == status
    if status == LOGIN:
        assert response["Location"] == f"{reverse('login')}?next={url}"


@pytest.mark.parametrize(("endpoint", "role", "status"), matrix(ENDPOINTS))
def test_each_stats_endpoint_answers_each_role_as_the_matrix_says(
    world: dict[str, Any], endpoint: str, role: str, status: int
) -> None:
    user: User | None = world[role]
    client = APIClient() if user is None else api_for(user)

    response = client.get(ENDPOINTS[endpoint][0](world))

    assert response.status_code == status
    if status != 200 or endpoint == "my stats":
        return
    # No report names a person: the figures are a team's, a campaign's or the company's.
    body = response.content.decode()
    for person in ("member", "motivator", "othermotivator", "outsider"):
        assert f'"{person}"' not in body
    if role == "ambassador in the team":
        assert set(response.json()) == TEAM_TOTALS
        assert response.json()["scope"] == "totals"


def test_an_ambassador_in_the_team_gets_its_totals_and_the_motivator_the_whole_report(
    world: dict[str, Any],
) -> None:
    url = f"/api/stats/teams/{world['team'].pk}/?group=item"

    member = api_for(world["ambassador in the team"]).get(url).json()
    motivator = api_for(world["motivator of the team"]).get(url).json()

    # The team's two shares, whoever made them: a total, not a row per colleague.
    assert member["period"]["shares"]["value"] == 2
    assert member["participation"] == {"eligible": 2, "opted_in": 2, "active": 2}
    assert motivator["scope"] == "full"
    assert set(motivator) == TEAM_TOTALS | {"top_items", "wins", "learnings", "group", "groups"}
    assert [(g["name"], g["figures"]["shares"]["value"]) for g in motivator["groups"]] == [
        ("Launch", 2)
    ]
