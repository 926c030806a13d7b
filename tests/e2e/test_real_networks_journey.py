"""The journey on LinkedIn and X, against the local fake network, with a separately started
Celery worker: connect both accounts through the OAuth callbacks, share to both, the worker
publishes, the metrics refresh reads engagement back, and the stats show it."""

from collections.abc import Iterator

import pytest
import requests
from django.test import Client, override_settings

from advocacy.models import MetricSnapshot, NetworkAccount, Share
from advocacy.tasks import metrics_refresh_task
from tests import factories
from tests.conftest import api_for
from tests.fakenet import FakeNetServer, control
from tests.fakenet.connect import LINKEDIN_LOGIN, X_LOGIN, connect, network_settings
from tests.worker import WorkerProcess, wait_for

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def fake(fake: FakeNetServer) -> Iterator[FakeNetServer]:
    """The fake plays the networks' OAuth servers too."""
    with override_settings(**network_settings(fake.url)):
        yield fake


def test_an_ambassador_connects_both_networks_shares_and_sees_the_engagement(
    celery_worker_process: WorkerProcess, fake: FakeNetServer
) -> None:
    factories.PolicyVersionFactory()
    team = factories.TeamFactory(name="Sales")
    amber = factories.ambassador(username="amber", connect=False, teams=[team])
    browser = Client()
    browser.force_login(amber)

    # Connect: LinkedIn grants the analytics scope too, so its engagement can be read back.
    control(fake, oauth_scope="openid profile email w_member_social r_member_postAnalytics")
    assert connect(browser, LINKEDIN_LOGIN)["Location"] == "/networks/"
    control(fake, oauth_scope=None, oauth_member="x-amber")
    assert connect(browser, X_LOGIN)["Location"] == "/networks/"
    accounts = {a.network: a for a in NetworkAccount.objects.filter(user=amber)}
    assert set(accounts) == {"linkedin", "x"}
    assert all(a.is_usable for a in accounts.values())

    control(fake, metrics_growth=5_000)
    celery_worker_process.restart(X_API_BASE_URL=fake.url, LINKEDIN_API_BASE_URL=fake.url)
    try:
        api = api_for(amber)
        item = factories.ContentItemFactory(title="Our new plant", description="Sun and wind")
        ids = []
        for network in ("linkedin", "x"):
            created = api.post(
                "/api/shares/",
                {"content_item": item.pk, "network": network, "text": "We built this!"},
                format="json",
            )
            assert created.status_code == 201, created.json()
            ids.append(created.json()["id"])

        published = wait_for(
            lambda: Share.objects.filter(pk__in=ids, status="published").count() == 2, timeout=60
        )
        assert published, [s.__dict__ for s in Share.objects.filter(pk__in=ids)]
        stored = requests.get(f"{fake.url}/_posts", timeout=5).json()["posts"]
        assert sorted(p["network"] for p in stored) == ["linkedin", "x"]
        shares = {s.network: s for s in Share.objects.filter(pk__in=ids)}
        assert {shares[p["network"]].external_id for p in stored} == {p["id"] for p in stored}
        assert shares["x"].external_url.startswith("https://x.com/i/web/status/")
        assert shares["linkedin"].external_url.startswith("https://www.linkedin.com/feed/update/")

        # The worker reads the engagement back (X in one batch, LinkedIn's analytics).
        metrics_refresh_task.delay()
        read = wait_for(
            lambda: MetricSnapshot.objects.filter(share__in=ids, impressions__gt=0).count() == 2,
            timeout=60,
        )
        assert read, list(MetricSnapshot.objects.values())

        stats = api.get("/api/stats/me/").json()["figures"]
        assert stats["shares"]["value"] == 2
        assert stats["impressions"]["value"] > 0
        assert stats["impressions"]["kind"] == "measured"
        assert stats["engagements"]["value"] is not None
    finally:
        celery_worker_process.restart()
