"""After reconnecting, the shares that failed because the connection had expired are retried in
one action: each re-checked against the current policy and scheduled now on the new account."""

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from advocacy.models import NetworkAccount, Share, User
from advocacy.sharing.retry import shares_retry_failed
from campaigns.models import ContentItem
from tests import factories
from tests.conftest import api_for

pytestmark = pytest.mark.django_db

CaptureCallbacks = Callable[..., AbstractContextManager[list[Callable[[], Any]]]]


@pytest.fixture
def sent(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[int]]:
    """The share ids handed to the worker (enqueue._send) once the transaction commits."""
    ids: list[int] = []
    monkeypatch.setattr("advocacy.sharing.enqueue._send", ids.extend)
    yield ids


@pytest.fixture
def account(ambassador_user: User) -> NetworkAccount:
    return NetworkAccount.objects.create(
        user=ambassador_user,
        network="linkedin",
        external_id="li-sub",
        display_name="Amber",
        access_token="new-token",
        token_expires_at=timezone.now() + timedelta(days=60),
        scopes="email openid profile w_member_social",
        followers_count=321,
    )


def failed_share(user: User, account: NetworkAccount | None = None, **fields: Any) -> Share:
    values: dict[str, Any] = {
        "user": user,
        "account": account,
        "network": "linkedin",
        "status": Share.Status.FAILED,
        "problem": Share.Problem.RECONNECT,
        "error": "LinkedIn no longer accepts the connection: reconnect your LinkedIn account.",
        "attempts": 3,
        "scheduled_at": timezone.now() - timedelta(days=1),
        "potential_reach": 10,
    }
    values.update(fields)
    share: Share = factories.ShareFactory(**values)
    return share


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_failed_shares_go_back_to_scheduled_now_on_the_new_connection(
    ambassador_user: User,
    account: NetworkAccount,
    sent: list[int],
    django_capture_on_commit_callbacks: CaptureCallbacks,
) -> None:
    first = failed_share(ambassador_user)
    second = failed_share(ambassador_user, account)
    before = timezone.now()

    with django_capture_on_commit_callbacks(execute=True):
        outcome = shares_retry_failed(user=ambassador_user, account=account)

    assert {share.pk for share in outcome.retried} == {first.pk, second.pk}
    assert outcome.skipped == []
    assert sorted(sent) == sorted([first.pk, second.pk])
    for share in (first, second):
        share.refresh_from_db()
        assert share.status == Share.Status.SCHEDULED
        assert share.account_id == account.pk
        assert share.attempts == 0
        assert share.error == share.problem == ""
        assert share.scheduled_at >= before
        assert share.enqueued_at is not None
        assert share.potential_reach == 321


def test_other_failures_and_other_networks_are_left_alone(
    ambassador_user: User, account: NetworkAccount, sent: list[int]
) -> None:
    refused = failed_share(ambassador_user, problem=Share.Problem.REFUSED)
    on_x = failed_share(ambassador_user, network="x")

    outcome = shares_retry_failed(user=ambassador_user, account=account)

    assert outcome.retried == []
    refused.refresh_from_db()
    on_x.refresh_from_db()
    assert refused.status == on_x.status == Share.Status.FAILED


def test_an_item_that_already_has_a_live_share_is_skipped_and_said_so(
    ambassador_user: User, account: NetworkAccount
) -> None:
    failed = failed_share(ambassador_user)
    factories.ShareFactory(
        user=ambassador_user,
        network="linkedin",
        content_item=failed.content_item,
        status=Share.Status.SCHEDULED,
    )

    outcome = shares_retry_failed(user=ambassador_user, account=account)

    assert outcome.retried == []
    assert [(share.pk, "already shared" in reason) for share, reason in outcome.skipped] == [
        (failed.pk, True)
    ]
    failed.refresh_from_db()
    assert failed.status == Share.Status.FAILED


def test_the_unique_constraint_keeps_one_of_two_failed_shares_of_the_same_item(
    ambassador_user: User, account: NetworkAccount
) -> None:
    # Two failed shares of one item (say, shared again after the first failed, then that
    # one failed too): only one may become live again.
    first = failed_share(ambassador_user)
    second = failed_share(ambassador_user, content_item=first.content_item)

    outcome = shares_retry_failed(user=ambassador_user, account=account)

    assert len(outcome.retried) == 1
    assert len(outcome.skipped) == 1
    assert "already shared" in outcome.skipped[0][1]
    live = Share.objects.filter(pk__in=[first.pk, second.pk], status=Share.Status.SCHEDULED)
    assert live.count() == 1


def test_a_caption_the_current_policy_blocks_is_not_retried(
    ambassador_user: User, account: NetworkAccount, policy: Any
) -> None:
    policy.blocked_terms = ["Project Falcon"]
    policy.save()
    blocked = failed_share(ambassador_user, text="Project Falcon is here #employee")
    fine = failed_share(ambassador_user)

    outcome = shares_retry_failed(user=ambassador_user, account=account)

    assert [share.pk for share in outcome.retried] == [fine.pk]
    assert [share.pk for share, _reason in outcome.skipped] == [blocked.pk]
    assert "Project Falcon" in outcome.skipped[0][1]


def test_a_withdrawn_item_is_not_retried(ambassador_user: User, account: NetworkAccount) -> None:
    gone = failed_share(ambassador_user)
    ContentItem.objects.filter(pk=gone.content_item_id).update(status=ContentItem.Status.ARCHIVED)

    outcome = shares_retry_failed(user=ambassador_user, account=account)

    assert outcome.retried == []
    assert "no longer available" in outcome.skipped[0][1]


def test_retrying_before_reconnecting_is_refused(
    ambassador_user: User, account: NetworkAccount
) -> None:
    failed_share(ambassador_user)
    account.status = NetworkAccount.Status.EXPIRED
    account.save()

    response = api_for(ambassador_user).post(
        reverse("api-account-retry-failed-shares", args=[account.pk])
    )

    assert response.status_code == 400
    assert "Reconnect your LinkedIn account first" in response.content.decode()


# --- My networks -----------------------------------------------------------------------------


def test_my_networks_offers_to_retry_the_failed_shares(
    ambassador_user: User, account: NetworkAccount, sent: list[int]
) -> None:
    failed_share(ambassador_user)
    failed_share(ambassador_user)
    client = client_for(ambassador_user)

    html = client.get(reverse("my-networks")).content.decode()

    assert "2 shares failed because the connection had expired." in html
    assert reverse("network-retry-failed", args=[account.pk]) in html
    assert "Retry them" in html

    response = client.post(reverse("network-retry-failed", args=[account.pk]), follow=True)

    assert "2 shares are on their way again." in response.content.decode()
    assert not Share.objects.filter(status=Share.Status.FAILED).exists()


def test_the_retry_button_waits_for_the_reconnect(
    ambassador_user: User, account: NetworkAccount
) -> None:
    failed_share(ambassador_user)
    account.status = NetworkAccount.Status.EXPIRED
    account.save()

    html = client_for(ambassador_user).get(reverse("my-networks")).content.decode()

    assert "1 share failed because the connection had expired." in html
    assert "Reconnect first, then retry them here." in html
    assert reverse("network-retry-failed", args=[account.pk]) not in html


def test_retrying_on_another_persons_account_is_404(
    ambassador_user: User, account: NetworkAccount, policy: Any
) -> None:
    failed_share(ambassador_user)
    other = factories.ambassador(connect=False)

    page = client_for(other).post(reverse("network-retry-failed", args=[account.pk]))
    api = api_for(other).post(reverse("api-account-retry-failed-shares", args=[account.pk]))

    assert page.status_code == api.status_code == 404
    assert Share.objects.get().status == Share.Status.FAILED


# --- The API -----------------------------------------------------------------------------------


def test_the_api_counts_and_retries_the_failed_shares(
    ambassador_user: User, account: NetworkAccount, sent: list[int]
) -> None:
    share = failed_share(ambassador_user)
    api = api_for(ambassador_user)
    url = reverse("api-account-retry-failed-shares", args=[account.pk])

    listed = api.get(url).json()
    detail = api.get(reverse("api-account", args=[account.pk])).json()
    retried = api.post(url, {}, format="json")

    assert listed == {"count": 1, "shares": [share.pk]}
    assert detail["failed_shares_to_retry"] == 1
    assert retried.status_code == 200
    assert retried.json() == {"retried": [share.pk], "skipped": []}


def test_the_api_retries_only_the_shares_named(
    ambassador_user: User, account: NetworkAccount, sent: list[int]
) -> None:
    wanted = failed_share(ambassador_user)
    later = failed_share(ambassador_user)

    response = api_for(ambassador_user).post(
        reverse("api-account-retry-failed-shares", args=[account.pk]),
        {"shares": [wanted.pk]},
        format="json",
    )

    assert response.json()["retried"] == [wanted.pk]
    later.refresh_from_db()
    assert later.status == Share.Status.FAILED


def test_naming_another_persons_share_is_404_and_retries_nothing(
    ambassador_user: User, account: NetworkAccount, policy: Any
) -> None:
    mine = failed_share(ambassador_user)
    other = factories.ambassador(connect=False)
    theirs = failed_share(other)

    response = api_for(ambassador_user).post(
        reverse("api-account-retry-failed-shares", args=[account.pk]),
        {"shares": [mine.pk, theirs.pk]},
        format="json",
    )

    assert response.status_code == 404
    assert set(Share.objects.values_list("status", flat=True)) == {Share.Status.FAILED}
