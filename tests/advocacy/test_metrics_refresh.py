"""Reading engagement back on a schedule that follows the post's age: soon after publishing,
hourly in the first two days, daily until day 30, then never; batched per account; "not
available" kept apart from 0."""

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
import requests
import time_machine
from django.test import override_settings

from advocacy.models import MetricSnapshot, NetworkAccount, Share
from advocacy.services import metrics_refresh, share_create, share_publish
from tests import factories
from tests.fakenet import FakeNetServer, serve

pytestmark = pytest.mark.django_db
LAUNCH = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)


@pytest.fixture
def fake() -> Iterator[FakeNetServer]:
    server = serve()
    requests.post(f"{server.url}/_control", json={"metrics_growth": 10}, timeout=5)
    with override_settings(
        X_API_BASE_URL=server.url, LINKEDIN_API_BASE_URL=server.url, NETWORK_QUOTAS={}
    ):
        yield server
    server.shutdown()
    server.server_close()


def account(user, network: str, scopes: str = "") -> NetworkAccount:
    return NetworkAccount.objects.create(
        user=user,
        network=network,
        external_id=f"{network}-{user.pk}",
        access_token=f"token-{network}-{user.pk}",
        token_expires_at=LAUNCH + timedelta(days=90),
        scopes=scopes or "tweet.read tweet.write users.read offline.access",
    )


def published(user, network: str, text: str = "Proud! #employee") -> Share:
    share = share_create(user=user, item=factories.ContentItemFactory(), network=network, text=text)
    share_publish(share_id=share.pk, attempt_id=f"a-{share.pk}")
    share.refresh_from_db()
    assert share.status == Share.Status.PUBLISHED
    return share


def test_a_new_post_is_read_at_the_next_refresh_then_hourly(fake, ambassador_user):
    account(ambassador_user, "x")
    with time_machine.travel(LAUNCH, tick=False):
        share = published(ambassador_user, "x")
        assert share.metrics_due_at == LAUNCH
    with time_machine.travel(LAUNCH + timedelta(minutes=5), tick=False):
        assert metrics_refresh() == 1
        share.refresh_from_db()
        assert share.metrics_due_at == LAUNCH + timedelta(minutes=65)
        assert metrics_refresh() == 0  # not due again yet: nothing is read
    with time_machine.travel(LAUNCH + timedelta(minutes=66), tick=False):
        assert metrics_refresh() == 1
    assert MetricSnapshot.objects.filter(share=share).count() == 2


def test_after_two_days_daily_and_after_thirty_days_never(fake, ambassador_user):
    account(ambassador_user, "x")
    with time_machine.travel(LAUNCH, tick=False):
        share = published(ambassador_user, "x")
    three_days = LAUNCH + timedelta(days=3)
    with time_machine.travel(three_days, tick=False):
        metrics_refresh()
    share.refresh_from_db()
    assert share.metrics_due_at == three_days + timedelta(days=1)

    last = LAUNCH + timedelta(days=30, minutes=1)
    with time_machine.travel(last, tick=False):
        assert metrics_refresh() == 1  # one last read
    share.refresh_from_db()
    assert share.metrics_due_at is None
    with time_machine.travel(last + timedelta(days=5), tick=False):
        assert metrics_refresh() == 0


def test_x_is_read_in_batches_of_one_hundred(fake, ambassador_user):
    account(ambassador_user, "x")
    with time_machine.travel(LAUNCH, tick=False):
        shares = [published(ambassador_user, "x", f"Post {n} #employee") for n in range(150)]
    with time_machine.travel(LAUNCH + timedelta(minutes=5), tick=False):
        assert metrics_refresh() == 150
    answers = requests.get(f"{fake.url}/_stats", timeout=5).json()["answers"]
    assert answers["GET /2/tweets 200"] == 2
    assert all(s.metric_snapshots.get().impressions is not None for s in shares[:3])


def test_linkedin_without_the_analytics_permission_is_not_available_rather_than_zero(
    fake, ambassador_user
):
    account(ambassador_user, "linkedin", scopes="openid profile email w_member_social")
    with time_machine.travel(LAUNCH, tick=False):
        share = published(ambassador_user, "linkedin")
    with time_machine.travel(LAUNCH + timedelta(minutes=5), tick=False):
        metrics_refresh()
    snapshot = share.metric_snapshots.get()
    assert (snapshot.impressions, snapshot.reactions, snapshot.comments, snapshot.reposts) == (
        None,
        None,
        None,
        None,
    )
    answers = requests.get(f"{fake.url}/_stats", timeout=5).json()["answers"]
    assert not any("memberCreatorPostAnalytics" in answer for answer in answers)


def test_linkedin_with_the_analytics_permission_reports_its_figures(fake, ambassador_user):
    account(
        ambassador_user,
        "linkedin",
        scopes="openid profile email w_member_social r_member_postAnalytics",
    )
    with time_machine.travel(LAUNCH, tick=False):
        share = published(ambassador_user, "linkedin")
    with time_machine.travel(LAUNCH + timedelta(minutes=5), tick=False):
        metrics_refresh()
    assert share.metric_snapshots.get().impressions > 0
