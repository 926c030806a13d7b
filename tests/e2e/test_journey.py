"""The whole main journey through the API with a separately started worker process:
share -> published by the worker -> tracked link -> stats."""

from urllib.parse import parse_qs, urlsplit

import pytest
from rest_framework.test import APIClient

from advocacy.models import Share
from advocacy.tasks import clicks_flush_task
from reports.tasks import rollups_refresh_task
from tests import factories
from tests.worker import wait_for

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

BROWSER = "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_0) AppleWebKit/605.1.15 Safari/605.1.15"


def test_a_share_made_through_the_api_is_published_by_the_worker_and_its_link_counts(
    celery_worker_process, client
):
    team = factories.TeamFactory(name="Sales")
    motivator = factories.UserFactory(username="mo")
    team.motivators.add(motivator)
    factories.PolicyVersionFactory(required_disclosure="#employee", allowed_domains=["example.com"])
    campaign = factories.CampaignFactory(utm_campaign="launch")
    item = factories.ContentItemFactory(campaign=campaign, url="https://example.com/launch")
    factories.UserFactory(username="amber", password="secret-pw").teams.add(team)
    api = APIClient()

    token = api.post("/api/auth/token/", {"username": "amber", "password": "secret-pw"}).json()[
        "token"
    ]
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert api.post("/api/policy/current/acknowledge/").status_code in (200, 201)
    assert api.post("/api/me/opt-in/").status_code == 200
    assert api.post("/api/accounts/", {"network": "sandbox"}, format="json").status_code == 201
    feed = api.get("/api/feed/").json()
    feed_items = feed["results"] if isinstance(feed, dict) else feed
    assert [entry["id"] for entry in feed_items] == [item.pk]

    created = api.post(
        "/api/shares/",
        {"content_item": item.pk, "network": "sandbox", "text": "We launched! #employee"},
        format="json",
    )
    assert created.status_code == 201, created.json()
    share_id = created.json()["id"]

    share = wait_for(
        lambda: (
            (data := api.get(f"/api/shares/{share_id}/").json())["status"] == "published" and data
        )
    )
    assert share, Share.objects.get(pk=share_id).__dict__
    assert share["external_url"].startswith("http://127.0.0.1:8000/sandbox/posts/")
    assert share["error"] == ""
    assert share["tracked_url"].endswith(f"/r/{Share.objects.get(pk=share_id).code}")

    tracked_path = urlsplit(share["tracked_url"]).path
    response = client.get(tracked_path, HTTP_USER_AGENT=BROWSER)
    assert response.status_code == 302
    query = parse_qs(urlsplit(response["Location"]).query)
    assert query["utm_source"] == ["sandbox"]
    assert query["utm_campaign"] == ["launch"]
    assert client.get(tracked_path, HTTP_USER_AGENT="LinkedInBot/1.0").status_code == 302

    # With REDIS_URL the clicks wait in a Redis stream until the flush task (beat, every
    # 10 s) stores them: the worker runs it here. Without Redis they are stored at once.
    clicks_flush_task.delay()
    stats = wait_for(
        lambda: (
            (data := api.get("/api/stats/me/").json())["figures"]["clicks"]["value"] == 1 and data
        )
    )
    assert stats, api.get("/api/stats/me/").json()
    assert stats["figures"]["shares"]["value"] == 1

    # The team report reads daily rollups, which the beat rebuilds every two minutes (and
    # soon after a click flush): the worker runs that rebuild here.
    rollups_refresh_task.delay()
    motivator_api = APIClient()
    motivator_api.force_authenticate(motivator)
    team_stats = wait_for(
        lambda: (
            (data := motivator_api.get(f"/api/stats/teams/{team.pk}/").json())["participation"][
                "active"
            ]
            == 1
            and data
        )
    )
    assert team_stats, motivator_api.get(f"/api/stats/teams/{team.pk}/").json()
    assert team_stats["participation"]["opted_in"] == 1
    assert team_stats["participation"]["active"] == 1
