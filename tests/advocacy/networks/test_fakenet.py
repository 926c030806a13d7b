"""Both providers for real over HTTP against the local fake network (tests/fakenet): tweepy's
session reaches it through the host-rewriting adapter, LinkedIn through its base URL setting."""

import socket
import time
from collections.abc import Callable
from datetime import timedelta

import pytest
import requests
from django.test import override_settings
from django.utils import timezone

from advocacy.models import NetworkAccount
from advocacy.networks.base import ProviderError
from advocacy.networks.linkedin.provider import LinkedInProvider
from advocacy.networks.x.provider import XProvider
from tests.advocacy.networks.conftest import network_account as unregistered_account
from tests.fakenet import FakeNetServer, control, posts
from tests.fakenet.fixtures import register_account

TEXT = "Our new plant runs on sunlight & wind (finally)\n\nhttps://example.test/r/AbCdEf12"
pytestmark = pytest.mark.django_db


@pytest.fixture
def fakenet_settings() -> dict[str, object]:
    return {"PROVIDER_READ_TIMEOUT": 1.0}


@pytest.fixture
def network_account(fake: FakeNetServer) -> Callable[..., NetworkAccount]:
    """A connected account whose tokens the fake knows, as if the network had issued them."""

    def make(network: str, **fields: object) -> NetworkAccount:
        return register_account(fake, unregistered_account(network, **fields))

    return make


def test_it_posts_to_x_reads_the_metrics_back_and_finds_the_post(
    fake: FakeNetServer, network_account: Callable[..., NetworkAccount]
) -> None:
    account = network_account("x")
    control(fake, metrics_growth=10_000)

    post = XProvider().publish(account=account, text=TEXT, client_ref="AbCdEf12")
    time.sleep(0.05)
    metrics = XProvider().fetch_metrics(account=account, external_ids=[post.external_id, "404"])
    found = XProvider().find_post(account=account, text=TEXT, client_ref="AbCdEf12")

    assert [p["text"] for p in posts(fake)] == [TEXT]
    assert set(metrics) == {post.external_id}
    assert metrics[post.external_id].impressions
    assert metrics[post.external_id].reactions is not None
    assert found == post


def test_it_posts_to_linkedin_and_reads_the_metrics_back(
    fake: FakeNetServer, network_account: Callable[..., NetworkAccount]
) -> None:
    account = network_account("linkedin", scopes="w_member_social r_member_postAnalytics")
    control(fake, metrics_growth=10_000)

    post = LinkedInProvider().publish(account=account, text=TEXT, client_ref="AbCdEf12")
    time.sleep(0.05)
    metrics = LinkedInProvider().fetch_metrics(account=account, external_ids=[post.external_id])

    assert post.external_id.startswith("urn:li:share:")
    assert posts(fake)[0]["text"] == (
        "Our new plant runs on sunlight & wind \\(finally\\)\n\nhttps://example.test/r/AbCdEf12"
    )
    assert metrics[post.external_id].impressions
    assert metrics[post.external_id].comments is not None


def test_a_429_from_either_network_becomes_a_wait(
    fake: FakeNetServer, network_account: Callable[..., NetworkAccount]
) -> None:
    control(fake, fail="429", fail_count=2, rate_reset_seconds=600)

    with pytest.raises(ProviderError) as from_x:
        XProvider().publish(account=network_account("x"), text=TEXT, client_ref="c")
    with pytest.raises(ProviderError) as from_linkedin:
        LinkedInProvider().publish(account=network_account("linkedin"), text=TEXT, client_ref="c")

    assert from_x.value.retry_after is not None
    assert 590 <= from_x.value.retry_after.total_seconds() <= 600
    assert from_linkedin.value.retry_after is not None
    assert posts(fake) == []


def test_a_post_accepted_before_a_timeout_is_ambiguous_then_a_duplicate_and_found(
    fake: FakeNetServer, network_account: Callable[..., NetworkAccount]
) -> None:
    account = network_account("x")
    control(fake, fail="timeout_after_accept", fail_count=1, hang_seconds=3)

    with pytest.raises(ProviderError) as timed_out:
        XProvider().publish(account=account, text=TEXT, client_ref="AbCdEf12")
    with pytest.raises(ProviderError) as again:
        XProvider().publish(account=account, text=TEXT, client_ref="AbCdEf12")
    found = XProvider().find_post(account=account, text=TEXT, client_ref="AbCdEf12")

    assert timed_out.value.ambiguous and not timed_out.value.duplicate
    assert again.value.duplicate
    assert len(posts(fake)) == 1
    assert found is not None and found.external_id == posts(fake)[0]["id"]


def test_x_tokens_rotate_on_the_fake_and_a_spent_one_is_refused(
    fake: FakeNetServer, network_account: Callable[..., NetworkAccount]
) -> None:
    account = network_account("x", token_expires_at=timezone.now() - timedelta(minutes=1))

    XProvider().refresh_token(account=account)
    with pytest.raises(ProviderError) as refused:
        XProvider()._exchange("refresh-1")  # what a worker that lost the race would send

    assert account.refresh_token.startswith("x-refresh-")
    assert NetworkAccount.objects.get(pk=account.pk).refresh_token == account.refresh_token
    assert refused.value.reconnect


def test_a_refused_connection_is_not_ambiguous() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]  # free, and nothing listens once the probe closes
    with (
        override_settings(X_API_BASE_URL=f"http://127.0.0.1:{port}"),
        pytest.raises(ProviderError) as raised,
    ):
        XProvider().publish(account=unregistered_account("x"), text=TEXT, client_ref="c")

    assert not (raised.value.ambiguous or raised.value.permanent)


def test_the_fake_enforces_posting_limits_and_counts_its_answers(
    fake: FakeNetServer, network_account: Callable[..., NetworkAccount]
) -> None:
    control(fake, post_limits={"x": {"user": [1, 900]}, "linkedin": {"user": [1, 86_400]}})
    x_account = network_account("x")
    linkedin_account = network_account("linkedin")

    XProvider().publish(account=x_account, text="first", client_ref="a")
    with pytest.raises(ProviderError) as x_refused:
        XProvider().publish(account=x_account, text="second", client_ref="b")
    LinkedInProvider().publish(account=linkedin_account, text="first", client_ref="a")
    with pytest.raises(ProviderError) as linkedin_refused:
        LinkedInProvider().publish(account=linkedin_account, text="second", client_ref="b")

    assert x_refused.value.retry_after is not None
    assert x_refused.value.retry_after <= timedelta(seconds=900)
    assert linkedin_refused.value.retry_after is not None
    answers = requests.get(f"{fake.url}/_stats", timeout=5).json()["answers"]
    assert answers["POST /2/tweets 201"] == 1
    assert answers["POST /2/tweets 429"] == 1
    assert answers["POST /rest/posts 201"] == 1
    assert answers["POST /rest/posts 429"] == 1
    assert len(posts(fake)) == 2
