"""/api/stats/...: my impact, a team's page (its motivators, marketing, leadership) and a
campaign's progress. Measured and estimated figures are tagged; "not available" is never 0."""

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from advocacy.clicks.count import click_record
from advocacy.models import MetricSnapshot, NetworkAccount, Share
from reports.services.rollups import rollups_rebuild
from tests.api.helpers import detail
from tests.conftest import api_for
from tests.factories import (
    CampaignFactory,
    ContentItemFactory,
    ShareFactory,
    TeamFactory,
    UserFactory,
    ambassador,
    leadership_user,
    marketing_user,
)

pytestmark = pytest.mark.django_db

NOT_AVAILABLE = {"value": None, "kind": "measured", "available": False}
BROWSER = "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_0)"


def measured(value: int) -> dict[str, Any]:
    return {"value": value, "kind": "measured", "available": True}


def estimated(value: int) -> dict[str, Any]:
    return {"value": value, "kind": "estimated", "available": True}


def rebuild_rollups() -> None:
    """The team and campaign reports read the rollups the beat rebuilds every few minutes."""
    today = timezone.localdate()
    rollups_rebuild(since=today - timedelta(days=120), until=today)


def published(user: Any, **kwargs: Any) -> Share:
    kwargs.setdefault("published_at", timezone.now())
    return ShareFactory(user=user, **kwargs)  # type: ignore[no-any-return]


def test_my_impact_tags_every_figure_and_says_what_is_not_available(
    ambassador_user: Any,
) -> None:
    best = published(ambassador_user, potential_reach=300)
    published(ambassador_user, potential_reach=200)
    ShareFactory(user=ambassador_user, status="failed", error="Token expired")
    click_record(share=best, ip="192.0.2.1", user_agent=BROWSER)
    click_record(share=best, ip="192.0.2.2", user_agent=BROWSER)
    click_record(share=best, ip="192.0.2.3", user_agent="Slackbot-LinkExpanding 1.0")

    response = api_for(ambassador_user).get("/api/stats/me/")

    assert response.status_code == 200
    body = response.json()
    assert body["figures"] == {
        "shares": measured(2),
        "clicks": measured(2),
        "bot_visits": measured(1),
        "potential_reach": estimated(500),
        "impressions": NOT_AVAILABLE,
        "engagements": NOT_AVAILABLE,
    }
    assert body["by_status"]["published"] == 2
    assert body["by_status"]["failed"] == 1
    assert body["by_status"]["scheduled"] == 0
    assert body["best_shares"][0]["id"] == best.pk
    assert body["best_shares"][0]["clicks"] == 2


def test_my_impact_shows_network_metrics_once_reported(ambassador_user: Any) -> None:
    one = published(ambassador_user)
    MetricSnapshot.objects.create(
        share=one, taken_at=timezone.now(), impressions=1200, reactions=10, comments=2
    )

    figures = api_for(ambassador_user).get("/api/stats/me/").json()["figures"]

    assert figures["impressions"] == measured(1200)
    assert figures["engagements"] == measured(12)


def test_only_each_shares_latest_snapshot_counts(ambassador_user: Any) -> None:
    one, two = published(ambassador_user), published(ambassador_user)
    earlier = timezone.now() - timezone.timedelta(hours=6)
    MetricSnapshot.objects.create(share=one, taken_at=earlier, impressions=100, reactions=1)
    MetricSnapshot.objects.create(share=one, taken_at=timezone.now(), impressions=900, reactions=9)
    MetricSnapshot.objects.create(share=two, taken_at=earlier, impressions=50, reposts=3)

    figures = api_for(ambassador_user).get("/api/stats/me/").json()["figures"]

    assert figures["impressions"] == measured(950)
    assert figures["engagements"] == measured(12)


def test_a_new_user_sees_zeros_not_errors(policy: Any) -> None:
    body = api_for(UserFactory()).get("/api/stats/me/").json()

    assert body["figures"]["shares"] == measured(0)
    assert body["figures"]["impressions"] == NOT_AVAILABLE
    assert body["best_shares"] == []


# --- Teams ----------------------------------------------------------------------------------


@pytest.fixture
def teams(policy: Any) -> dict[str, Any]:
    team_a, team_b = TeamFactory(name="Alpha"), TeamFactory(name="Bravo")
    motivator = ambassador(teams=[team_a])
    team_a.motivators.add(motivator)
    member = ambassador(teams=[team_a])
    UserFactory().teams.add(team_a)  # eligible, not opted in
    outsider = ambassador(teams=[team_b])
    return {"a": team_a, "b": team_b, "motivator": motivator, "member": member, "out": outsider}


def test_a_motivator_sees_their_teams_participation_and_reach(teams: dict[str, Any]) -> None:
    item = ContentItemFactory(title="Office opening")
    share = published(teams["member"], content_item=item, potential_reach=250)
    published(teams["member"], published_at=timezone.now() - timedelta(days=60))
    published(teams["out"], content_item=item)
    click_record(share=share, ip="192.0.2.9", user_agent=BROWSER)
    rebuild_rollups()

    response = api_for(teams["motivator"]).get(f"/api/stats/teams/{teams['a'].pk}/?days=30")

    assert response.status_code == 200
    body = response.json()
    assert body["team"] == {"id": teams["a"].pk, "name": "Alpha"}
    assert body["days"] == 30
    assert body["participation"] == {"eligible": 3, "opted_in": 2, "active": 1}
    assert body["period"]["shares"] == measured(1)
    assert body["period"]["clicks"] == measured(1)
    assert body["period"]["potential_reach"] == estimated(250)
    assert body["period"]["impressions"] == NOT_AVAILABLE
    assert body["all_time"]["shares"] == measured(2)
    assert body["top_items"] == [
        {"id": item.pk, "title": "Office opening", "share_count": 1, "click_count": 1}
    ]


def test_a_motivator_of_team_a_gets_404_for_team_b(teams: dict[str, Any]) -> None:
    response = api_for(teams["motivator"]).get(f"/api/stats/teams/{teams['b'].pk}/")

    assert response.status_code == 404
    assert detail(response) == "No such team."


def test_a_member_who_is_not_a_motivator_sees_only_their_own_teams_totals(
    teams: dict[str, Any],
) -> None:
    published(teams["member"], content_item=ContentItemFactory(title="Office opening"))
    rebuild_rollups()

    own = api_for(teams["member"]).get(f"/api/stats/teams/{teams['a'].pk}/?group=item")
    other = api_for(teams["member"]).get(f"/api/stats/teams/{teams['b'].pk}/")

    assert own.status_code == 200
    body = own.json()
    assert body["scope"] == "totals"
    assert body["period"]["shares"] == measured(1)
    assert body["participation"] == {"eligible": 3, "opted_in": 2, "active": 1}
    for detail_only in ("top_items", "wins", "learnings", "groups"):
        assert detail_only not in body
    assert other.status_code == 404


def test_marketing_and_leadership_see_every_team(teams: dict[str, Any]) -> None:
    for user in (marketing_user(), leadership_user()):
        response = api_for(user).get(f"/api/stats/teams/{teams['b'].pk}/")
        assert response.status_code == 200
        assert response.json()["participation"]["opted_in"] == 1


@pytest.mark.parametrize(
    ("days", "message"),
    [
        ("0", "days: Ensure this value is greater than or equal to 1."),
        ("soon", "days: A valid integer is required."),
    ],
)
def test_a_bad_period_is_refused(teams: dict[str, Any], days: str, message: str) -> None:
    response = api_for(teams["motivator"]).get(f"/api/stats/teams/{teams['a'].pk}/?days={days}")

    assert response.status_code == 400
    assert detail(response) == message


def test_opting_out_cancels_scheduled_shares_and_blanks_tokens_but_past_shares_still_count(
    teams: dict[str, Any],
) -> None:
    member = teams["member"]
    done = published(member, potential_reach=400)
    click_record(share=done, ip="192.0.2.4", user_agent=BROWSER)
    waiting = api_for(member).post(
        "/api/shares/",
        {"content_item": ContentItemFactory().pk, "network": "sandbox", "text": "Mine #employee"},
        format="json",
    )
    assert waiting.status_code == 201

    opted_out = api_for(member).post("/api/me/opt-out/")

    assert opted_out.status_code == 200
    assert opted_out.json()["is_ambassador"] is False
    cancelled = Share.objects.get(pk=waiting.json()["id"])
    assert cancelled.status == "cancelled"
    assert cancelled.error == "Cancelled because you opted out."
    account = NetworkAccount.objects.get(user=member)
    assert (account.access_token, account.refresh_token, account.status) == (
        "",
        "",
        "disconnected",
    )
    accounts = api_for(member).get("/api/accounts/").json()
    assert accounts[0]["status"] == "disconnected"
    rebuild_rollups()
    team = api_for(teams["motivator"]).get(f"/api/stats/teams/{teams['a'].pk}/").json()
    assert team["participation"]["opted_in"] == 1
    assert team["all_time"]["shares"] == measured(1)
    assert team["all_time"]["clicks"] == measured(1)
    assert team["all_time"]["potential_reach"] == estimated(400)


# --- Campaigns ------------------------------------------------------------------------------


def test_marketing_sees_a_campaigns_progress_against_its_goal(policy: Any) -> None:
    campaign = CampaignFactory(name="Spring", goal_metric="clicks", goal_target=4)
    item = ContentItemFactory(campaign=campaign, title="Launch")
    ContentItemFactory(campaign=campaign, title="Unshared")
    share = published(UserFactory(), content_item=item)
    click_record(share=share, ip="192.0.2.5", user_agent=BROWSER)
    rebuild_rollups()

    response = api_for(marketing_user()).get(f"/api/stats/campaigns/{campaign.pk}/")

    assert response.status_code == 200
    body = response.json()
    assert body["campaign"]["name"] == "Spring"
    assert body["goal"] == {
        "goal_metric": "clicks",
        "target": 4,
        "achieved": measured(1),
        "percent": 25,
    }
    assert body["figures"]["shares"] == measured(1)
    assert {(i["title"], i["share_count"], i["click_count"]) for i in body["items"]} == {
        ("Launch", 1, 1),
        ("Unshared", 0, 0),
    }


def test_a_reach_goal_is_labelled_as_an_estimate(policy: Any) -> None:
    campaign = CampaignFactory(goal_metric="reach", goal_target=0)
    published(UserFactory(), content_item=ContentItemFactory(campaign=campaign))
    rebuild_rollups()

    goal = api_for(leadership_user()).get(f"/api/stats/campaigns/{campaign.pk}/").json()["goal"]

    assert goal["achieved"] == estimated(100)
    assert goal["percent"] is None


def test_an_ambassador_gets_404_for_campaign_stats(ambassador_user: Any) -> None:
    campaign = CampaignFactory()

    response = api_for(ambassador_user).get(f"/api/stats/campaigns/{campaign.pk}/")

    assert response.status_code == 404
    assert detail(response) == "No such campaign."
