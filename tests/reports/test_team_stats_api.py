"""/api/stats/teams/<id>/?period=&group=: the dashboard's figures through the API, with the
same permissions, grouped per day, network or content item."""

from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from advocacy.models import Click, MetricSnapshot, Share
from reports.models import NetworkValue
from reports.services.rollups import rollups_rebuild
from tests import factories
from tests.conftest import api_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def team(policy: Any) -> dict[str, Any]:
    sales = factories.TeamFactory(name="Sales")
    motivator = factories.ambassador(teams=[sales])
    sales.motivators.add(motivator)
    member = factories.ambassador(teams=[sales])
    item = factories.ContentItemFactory(title="Launch")
    now = timezone.now()
    x = factories.ShareFactory(
        user=member, content_item=item, network="x", published_at=now, potential_reach=10
    )
    linkedin = factories.ShareFactory(
        user=motivator,
        content_item=item,
        network="linkedin",
        published_at=now - timedelta(days=3),
        potential_reach=20,
    )
    Click.objects.create(share=x, created_at=now)
    MetricSnapshot.objects.create(share=linkedin, taken_at=now, impressions=1000, reactions=4)
    factories.ShareFactory(
        user=member,
        status=Share.Status.FAILED,
        problem=Share.Problem.RATE_LIMIT,
        published_at=None,
    )
    NetworkValue.objects.create(network="linkedin", cpm=Decimal(5), cpe=Decimal(1))
    today = timezone.localdate()
    rollups_rebuild(since=today - timedelta(days=30), until=today)
    return {"team": sales, "motivator": motivator, "member": member}


def get(user: Any, team: Any, query: str = "") -> Any:
    return api_for(user).get(f"/api/stats/teams/{team.pk}/{query}")


def test_grouped_per_network_each_network_says_what_it_reported(team: dict[str, Any]) -> None:
    body = get(team["motivator"], team["team"], "?period=7&group=network").json()

    assert body["scope"] == "full"
    assert body["days"] == 7
    assert body["group"] == "network"
    groups = {group["key"]: group["figures"] for group in body["groups"]}
    assert groups["x"]["clicks"]["value"] == 1
    assert groups["x"]["impressions"] == {"value": None, "kind": "measured", "available": False}
    assert groups["linkedin"]["impressions"]["value"] == 1000
    assert groups["linkedin"]["emv"] == {
        "value": "9.00",  # 1 * 5 (CPM) + 4 * 1 (CPE)
        "currency": "EUR",
        "kind": "estimated",
        "available": True,
    }
    assert groups["x"]["emv"]["available"] is False  # marketing set no rate for X
    assert body["period"]["emv"]["value"] == "9.00"


def test_grouped_per_day_every_day_of_the_period_is_there(team: dict[str, Any]) -> None:
    body = get(team["motivator"], team["team"], "?period=7&group=day").json()

    assert [group["key"] for group in body["groups"]] == [
        (timezone.localdate() - timedelta(days=n)).isoformat() for n in range(6, -1, -1)
    ]
    assert [group["figures"]["shares"]["value"] for group in body["groups"]] == [
        0,
        0,
        0,
        1,
        0,
        0,
        1,
    ]


def test_grouped_per_item_and_with_wins_and_learnings(team: dict[str, Any]) -> None:
    body = get(team["motivator"], team["team"], "?period=30&group=item").json()

    assert [(g["name"], g["figures"]["shares"]["value"]) for g in body["groups"]] == [("Launch", 2)]
    assert body["learnings"] == [
        {
            "problem": "rate_limit",
            "cause": "rate limit",
            "count": 1,
            "how_to_avoid": body["learnings"][0]["how_to_avoid"],
        }
    ]
    assert "queue" in body["learnings"][0]["how_to_avoid"]
    assert {win["kind"] for win in body["wins"]} == {"first_share"}


def test_the_change_against_the_previous_period_is_given(team: dict[str, Any]) -> None:
    today = get(team["motivator"], team["team"], "?period=1").json()
    three_days = get(team["motivator"], team["team"], "?period=3").json()

    # One share today, one three days ago: the day before today had none (no percentage
    # of nothing); the three days before the last three had one.
    assert (today["period"]["shares"]["value"], today["previous"]["shares"]["value"]) == (1, 0)
    assert today["changes"]["shares"] == {"percent": None, "direction": "up"}
    assert three_days["previous"]["shares"]["value"] == 1
    assert three_days["changes"]["shares"] == {"percent": 0, "direction": "same"}


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("?group=person", 'group: "person" is not a valid choice.'),
        ("?period=0", "period: Ensure this value is greater than or equal to 1."),
        ("?period=400", "period: Ensure this value is less than or equal to 366."),
    ],
)
def test_a_bad_parameter_is_refused_with_the_reason(
    team: dict[str, Any], query: str, message: str
) -> None:
    response = get(team["motivator"], team["team"], query)

    assert response.status_code == 400
    assert response.json()["detail"] == message


def test_permissions_match_the_pages(team: dict[str, Any]) -> None:
    other = factories.TeamFactory()
    outsider = factories.ambassador(teams=[other])
    not_opted_in = factories.UserFactory()
    not_opted_in.teams.add(team["team"])

    assert get(team["motivator"], other).status_code == 404
    assert get(outsider, team["team"]).status_code == 404
    assert get(not_opted_in, team["team"]).status_code == 404
    assert get(team["member"], team["team"]).json()["scope"] == "totals"
    assert get(factories.marketing_user(), other).json()["scope"] == "full"
    assert get(factories.leadership_user(), team["team"]).json()["scope"] == "full"
    assert api_for_anonymous(team["team"]).status_code in (401, 403)


def api_for_anonymous(team: Any) -> Any:
    from rest_framework.test import APIClient

    return APIClient().get(f"/api/stats/teams/{team.pk}/")
