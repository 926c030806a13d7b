"""The exact calls the X provider makes, and what each answer of X becomes."""

import json
import time
from datetime import timedelta

import pytest
import requests
import responses
from django.core import mail
from django.db import connection
from django.test import override_settings
from django.utils import timezone
from responses import matchers

from advocacy.models import NetworkAccount, Share
from advocacy.networks.base import PostMetrics, ProviderError
from advocacy.networks.registry import get_provider
from advocacy.networks.x.provider import XProvider
from advocacy.publishing.metrics import metrics_refresh
from tests.advocacy.networks.conftest import connection_refused, network_account
from tests.factories import ShareFactory

API = "https://api.twitter.com"
TEXT = "Our new plant runs on sunlight & wind\n\nhttps://example.test/r/AbCdEf12"
pytestmark = pytest.mark.django_db


def bearer(token: str = "access-1") -> object:  # noqa: S107
    return matchers.header_matcher({"Authorization": f"Bearer {token}"})


def test_it_is_the_provider_for_x() -> None:
    assert isinstance(get_provider("x"), XProvider)


def test_it_posts_the_text_with_the_users_bearer_token(rsps: responses.RequestsMock) -> None:
    account = network_account("x")
    rsps.post(
        f"{API}/2/tweets",
        status=201,
        json={"data": {"id": "1880000000000000001", "text": "…", "edit_history_tweet_ids": []}},
        match=[matchers.json_params_matcher({"text": TEXT}, strict_match=True), bearer()],
    )

    post = XProvider().publish(account=account, text=TEXT, client_ref="AbCdEf12")

    assert post.external_id == "1880000000000000001"
    assert post.url == "https://x.com/i/web/status/1880000000000000001"
    sent = rsps.calls[0].request
    assert "oauth_signature" not in (sent.headers.get("Authorization") or "")


def test_a_429_waits_until_the_rate_limit_window_resets(rsps: responses.RequestsMock) -> None:
    reset = int(time.time()) + 600
    rsps.post(
        f"{API}/2/tweets",
        status=429,
        json={"title": "Too Many Requests", "detail": "Too Many Requests", "status": 429},
        headers={"x-rate-limit-remaining": "0", "x-rate-limit-reset": str(reset)},
    )

    with pytest.raises(ProviderError) as raised:
        XProvider().publish(account=network_account("x"), text=TEXT, client_ref="c")

    error = raised.value
    assert error.retry_after is not None
    assert 590 <= error.retry_after.total_seconds() <= 600
    assert not (error.permanent or error.ambiguous or error.reconnect)


def test_a_429_on_an_exhausted_24_hour_cap_waits_for_the_later_reset(
    rsps: responses.RequestsMock,
) -> None:
    now = int(time.time())
    rsps.post(
        f"{API}/2/tweets",
        status=429,
        json={"title": "Too Many Requests", "status": 429},
        headers={
            "x-rate-limit-remaining": "12",
            "x-rate-limit-reset": str(now + 300),
            "x-user-limit-24hour-remaining": "0",
            "x-user-limit-24hour-reset": str(now + 20_000),
            "x-app-limit-24hour-remaining": "0",
            "x-app-limit-24hour-reset": str(now + 80_000),
        },
    )

    with pytest.raises(ProviderError) as raised:
        XProvider().publish(account=network_account("x"), text=TEXT, client_ref="c")

    assert raised.value.retry_after is not None
    assert 79_990 <= raised.value.retry_after.total_seconds() <= 80_000


def test_a_24_hour_cap_that_is_not_exhausted_does_not_delay_the_retry(
    rsps: responses.RequestsMock,
) -> None:
    now = int(time.time())
    rsps.post(
        f"{API}/2/tweets",
        status=429,
        json={"title": "Too Many Requests", "status": 429},
        headers={
            "x-rate-limit-reset": str(now + 300),
            "x-app-limit-24hour-remaining": "1000",
            "x-app-limit-24hour-reset": str(now + 80_000),
        },
    )

    with pytest.raises(ProviderError) as raised:
        XProvider().publish(account=network_account("x"), text=TEXT, client_ref="c")

    assert raised.value.retry_after is not None
    assert 290 <= raised.value.retry_after.total_seconds() <= 300


def test_a_401_asks_the_ambassador_to_reconnect(rsps: responses.RequestsMock) -> None:
    rsps.post(
        f"{API}/2/tweets",
        status=401,
        json={
            "title": "Unauthorized",
            "type": "about:blank",
            "status": 401,
            "detail": "Unauthorized",
        },
    )

    with pytest.raises(ProviderError) as raised:
        XProvider().publish(account=network_account("x"), text=TEXT, client_ref="c")

    assert raised.value.reconnect and raised.value.permanent
    assert "reconnect your X account" in raised.value.message


def test_duplicate_content_means_an_earlier_attempt_landed(rsps: responses.RequestsMock) -> None:
    rsps.post(
        f"{API}/2/tweets",
        status=403,
        json={
            "detail": "You are not allowed to create a Tweet with duplicate content.",
            "type": "about:blank",
            "title": "Forbidden",
            "status": 403,
        },
    )

    with pytest.raises(ProviderError) as raised:
        XProvider().publish(account=network_account("x"), text=TEXT, client_ref="c")

    assert raised.value.duplicate
    assert raised.value.ambiguous  # a caller unaware of `duplicate` still reconciles
    assert not raised.value.permanent


def test_another_403_is_permanent_with_xs_reason(rsps: responses.RequestsMock) -> None:
    rsps.post(
        f"{API}/2/tweets",
        status=403,
        json={
            "detail": "You are not permitted to perform this action.",
            "title": "Forbidden",
            "status": 403,
        },
    )

    with pytest.raises(ProviderError) as raised:
        XProvider().publish(account=network_account("x"), text=TEXT, client_ref="c")

    assert raised.value.permanent and not raised.value.duplicate
    assert "not permitted to perform this action" in raised.value.message


@pytest.mark.parametrize(
    "answer",
    [
        {"status": 503, "json": {"title": "Service Unavailable", "status": 503}},
        {"body": requests.ReadTimeout("read timed out")},
        {"body": requests.ConnectionError("Connection aborted: RemoteDisconnected")},
    ],
    ids=["5xx", "read-timeout", "dropped-after-sending"],
)
def test_a_post_without_an_answer_is_ambiguous(
    rsps: responses.RequestsMock, answer: dict[str, object]
) -> None:
    rsps.post(f"{API}/2/tweets", **answer)  # type: ignore[arg-type]

    with pytest.raises(ProviderError) as raised:
        XProvider().publish(account=network_account("x"), text=TEXT, client_ref="c")

    assert raised.value.ambiguous and not raised.value.permanent


def test_a_refused_connection_is_retried_with_back_off(rsps: responses.RequestsMock) -> None:
    rsps.post(f"{API}/2/tweets", body=connection_refused(f"{API}/2/tweets"))

    with pytest.raises(ProviderError) as raised:
        XProvider().publish(account=network_account("x"), text=TEXT, client_ref="c")

    error = raised.value
    assert not (error.ambiguous or error.permanent or error.reconnect)
    assert error.retry_after is None  # the publishing service's exponential back-off applies


def tweet(tweet_id: str, likes: int = 3) -> dict[str, object]:
    return {
        "id": tweet_id,
        "text": "t",
        "edit_history_tweet_ids": [tweet_id],
        "public_metrics": {
            "retweet_count": 2,
            "reply_count": 1,
            "like_count": likes,
            "quote_count": 1,
            "bookmark_count": 0,
            "impression_count": 90,
        },
    }


def test_metrics_are_read_in_batches_of_100(rsps: responses.RequestsMock) -> None:
    ids = [str(1_000 + n) for n in range(150)]
    fields = "public_metrics"  # never non_public_metrics: see the test below
    for batch in (ids[:100], ids[100:]):
        rsps.get(
            f"{API}/2/tweets",
            json={"data": [tweet(tweet_id) for tweet_id in batch]},
            match=[
                matchers.query_param_matcher({"ids": ",".join(batch), "tweet.fields": fields}),
                bearer(),
            ],
        )

    metrics = XProvider().fetch_metrics(account=network_account("x"), external_ids=ids)

    assert len(metrics) == 150
    first = metrics["1000"]
    assert (first.impressions, first.reactions, first.comments, first.reposts) == (90, 3, 1, 3)


def test_deleted_posts_are_left_out_of_the_metrics(rsps: responses.RequestsMock) -> None:
    rsps.get(
        f"{API}/2/tweets",
        json={
            "data": [tweet("1")],
            "errors": [
                {
                    "value": "2",
                    "detail": "Could not find tweet with ids: [2].",
                    "title": "Not Found Error",
                }
            ],
        },
    )

    metrics = XProvider().fetch_metrics(account=network_account("x"), external_ids=["1", "2"])

    assert set(metrics) == {"1"}


def test_a_server_error_while_reading_metrics_is_only_retried(
    rsps: responses.RequestsMock,
) -> None:
    rsps.get(f"{API}/2/tweets", status=500, json={"title": "Internal Server Error"})

    with pytest.raises(ProviderError) as raised:
        XProvider().fetch_metrics(account=network_account("x"), external_ids=["1"])

    assert not (raised.value.ambiguous or raised.value.permanent)


def test_it_finds_a_post_among_the_authors_recent_posts(rsps: responses.RequestsMock) -> None:
    account = network_account("x")
    rsps.get(
        f"{API}/2/users/2244994945/tweets",
        json={
            "data": [
                {"id": "9", "text": "Something else", "edit_history_tweet_ids": ["9"]},
                {
                    # X shortens the link and escapes the ampersand.
                    "id": "8",
                    "text": "Our new plant runs on sunlight &amp; wind\n\nhttps://t.co/Xy12",
                    "edit_history_tweet_ids": ["8"],
                    "entities": {
                        "urls": [
                            {
                                "url": "https://t.co/Xy12",
                                "expanded_url": "https://example.test/r/AbCdEf12",
                            }
                        ]
                    },
                },
            ],
            "meta": {"result_count": 2, "newest_id": "9", "oldest_id": "8"},
        },
        match=[
            matchers.query_param_matcher(
                {"max_results": "100", "tweet.fields": "created_at,entities"}
            ),
            bearer(),
        ],
    )

    post = XProvider().find_post(account=account, text=TEXT, client_ref="AbCdEf12")

    assert post is not None
    assert post.external_id == "8"
    assert post.url == "https://x.com/i/web/status/8"


def test_it_finds_a_post_whose_caption_names_a_bare_domain(rsps: responses.RequestsMock) -> None:
    # X makes "acme.com" a t.co link as much as the tracked link (twitter-text's rules).
    rsps.get(
        f"{API}/2/users/2244994945/tweets",
        json={
            "data": [
                {
                    "id": "8",
                    "text": "Visit https://t.co/Ab12 today\n\nhttps://t.co/Xy12",
                    "edit_history_tweet_ids": ["8"],
                    "entities": {
                        "urls": [
                            {"url": "https://t.co/Ab12", "expanded_url": "http://acme.com"},
                            {
                                "url": "https://t.co/Xy12",
                                "expanded_url": "https://example.test/r/AbCdEf12",
                            },
                        ]
                    },
                },
            ],
            "meta": {"result_count": 1, "newest_id": "8", "oldest_id": "8"},
        },
    )

    post = XProvider().find_post(
        account=network_account("x"),
        text="Visit acme.com today\n\nhttps://example.test/r/AbCdEf12",
        client_ref="AbCdEf12",
    )

    assert post is not None
    assert post.external_id == "8"


def test_a_post_with_the_same_words_but_another_shares_link_is_not_found(
    rsps: responses.RequestsMock,
) -> None:
    rsps.get(
        f"{API}/2/users/2244994945/tweets",
        json={
            "data": [
                {
                    "id": "8",
                    "text": "Our new plant runs on sunlight &amp; wind\n\nhttps://t.co/Zz99",
                    "entities": {"urls": [{"expanded_url": "https://example.test/r/OTHER999"}]},
                }
            ],
            "meta": {"result_count": 1},
        },
    )

    assert (
        XProvider().find_post(account=network_account("x"), text=TEXT, client_ref="AbCdEf12")
        is None
    )


def token_answer(access: str, refresh: str) -> dict[str, object]:
    return {
        "token_type": "bearer",
        "expires_in": 7200,
        "access_token": access,
        "scope": "tweet.read tweet.write users.read offline.access",
        "refresh_token": refresh,
    }


def token_call(refresh: str) -> list[object]:
    return [
        matchers.urlencoded_params_matcher(
            {"grant_type": "refresh_token", "refresh_token": refresh, "client_id": "app-id"}
        ),
        # HTTP Basic "app-id:app-secret"
        matchers.header_matcher({"Authorization": "Basic YXBwLWlkOmFwcC1zZWNyZXQ="}),
    ]


@override_settings(X_CLIENT_ID="app-id", X_CLIENT_SECRET="app-secret")
def test_refreshing_saves_the_rotated_refresh_token_and_the_next_refresh_uses_it(
    rsps: responses.RequestsMock,
) -> None:
    account = network_account("x", token_expires_at=timezone.now() - timedelta(minutes=1))
    rsps.post(
        f"{API}/2/oauth2/token",
        json=token_answer("access-2", "refresh-2"),
        match=token_call("refresh-1"),
    )
    rsps.post(
        f"{API}/2/oauth2/token",
        json=token_answer("access-3", "refresh-3"),
        match=token_call("refresh-2"),
    )

    XProvider().refresh_token(account=account)
    stored = NetworkAccount.objects.get(pk=account.pk)
    assert (stored.access_token, stored.refresh_token) == ("access-2", "refresh-2")
    assert stored.token_expires_at is not None
    assert stored.token_expires_at > timezone.now() + timedelta(minutes=119)

    XProvider().refresh_token(account=account)
    stored = NetworkAccount.objects.get(pk=account.pk)
    assert (stored.access_token, stored.refresh_token) == ("access-3", "refresh-3")
    assert account.refresh_token == "refresh-3"

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT refresh_token FROM advocacy_networkaccount WHERE id = %s", [account.pk]
        )
        (raw,) = cursor.fetchone()
    assert "refresh-3" not in raw  # encrypted at rest


@override_settings(X_CLIENT_ID="app-id", X_CLIENT_SECRET="app-secret")
def test_a_worker_holding_an_old_copy_uses_the_tokens_another_worker_just_got(
    rsps: responses.RequestsMock,
) -> None:
    first = network_account("x", token_expires_at=timezone.now() - timedelta(minutes=1))
    second = NetworkAccount.objects.get(pk=first.pk)  # loaded before the first refresh
    rsps.post(
        f"{API}/2/oauth2/token",
        json=token_answer("access-2", "refresh-2"),
        match=token_call("refresh-1"),
    )

    XProvider().refresh_token(account=first)
    XProvider().refresh_token(account=second)  # no second exchange: refresh-1 is spent

    assert (second.access_token, second.refresh_token) == ("access-2", "refresh-2")
    assert len(rsps.calls) == 1


def test_a_refused_refresh_token_asks_the_ambassador_to_reconnect(
    rsps: responses.RequestsMock,
) -> None:
    account = network_account("x")
    rsps.post(
        f"{API}/2/oauth2/token",
        status=400,
        json={
            "error": "invalid_request",
            "error_description": "Value passed for the token was invalid.",
        },
    )

    with pytest.raises(ProviderError) as raised:
        XProvider().refresh_token(account=account)

    assert raised.value.reconnect
    assert NetworkAccount.objects.get(pk=account.pk).refresh_token == "refresh-1"


@override_settings(X_CLIENT_ID="app-id", X_CLIENT_SECRET="")
def test_an_expiring_token_is_refreshed_before_posting(rsps: responses.RequestsMock) -> None:
    account = network_account("x", token_expires_at=timezone.now() + timedelta(minutes=2))
    rsps.post(
        f"{API}/2/oauth2/token",
        json=token_answer("access-2", "refresh-2"),
        match=[
            matchers.urlencoded_params_matcher(
                {"grant_type": "refresh_token", "refresh_token": "refresh-1", "client_id": "app-id"}
            )
        ],
    )
    rsps.post(
        f"{API}/2/tweets",
        status=201,
        json={"data": {"id": "5", "text": "t"}},
        match=[bearer("access-2")],
    )

    XProvider().publish(account=account, text=TEXT, client_ref="c")

    assert "Authorization" not in rsps.calls[0].request.headers  # a public client: no Basic
    assert json.loads(rsps.calls[1].request.body or b"{}") == {"text": TEXT}


def test_a_401_while_reading_metrics_asks_the_ambassador_to_reconnect(
    rsps: responses.RequestsMock,
) -> None:
    rsps.get(
        f"{API}/2/tweets",
        status=401,
        json={"title": "Unauthorized", "type": "about:blank", "status": 401},
        match=[bearer()],
    )

    with pytest.raises(ProviderError) as raised:
        XProvider().fetch_metrics(account=network_account("x"), external_ids=["1"])

    assert raised.value.reconnect
    assert "reconnect your X account" in raised.value.message


@override_settings(X_CLIENT_ID="app-id", X_CLIENT_SECRET="app-secret")
def test_a_refresh_token_refused_before_reading_metrics_asks_to_reconnect_and_reads_nothing(
    rsps: responses.RequestsMock,
) -> None:
    account = network_account("x", token_expires_at=timezone.now() + timedelta(minutes=2))
    rsps.post(
        f"{API}/2/oauth2/token",
        status=400,
        json={
            "error": "invalid_grant",
            "error_description": "Value passed for the token was invalid.",
        },
        match=token_call("refresh-1"),
    )

    with pytest.raises(ProviderError) as raised:
        XProvider().fetch_metrics(account=account, external_ids=["1"])

    assert raised.value.reconnect
    assert [call.request.url for call in rsps.calls] == [f"{API}/2/oauth2/token"]


def test_a_metrics_refresh_that_meets_a_401_expires_the_account_and_keeps_the_read_due(
    rsps: responses.RequestsMock,
) -> None:
    refused = network_account("x")
    other = network_account("x", access_token="access-2")
    due = timezone.now() - timedelta(minutes=1)
    shares = [
        ShareFactory(
            user=account.user,
            account=account,
            network="x",
            external_id=post_id,
            published_at=due,
            metrics_due_at=due,
        )
        for account, post_id in ((refused, "1"), (other, "2"))
    ]
    rsps.get(
        f"{API}/2/tweets",
        status=401,
        json={"title": "Unauthorized", "type": "about:blank", "status": 401},
        match=[bearer("access-1")],
    )
    rsps.get(f"{API}/2/tweets", json={"data": [tweet("2")]}, match=[bearer("access-2")])

    assert metrics_refresh() == 1

    refused.refresh_from_db()
    assert refused.status == NetworkAccount.Status.EXPIRED
    assert [email.subject for email in mail.outbox] == ["Reconnect your X account"]
    assert not shares[0].metric_snapshots.exists()
    assert Share.objects.get(pk=shares[0].pk).metrics_due_at == due
    assert shares[1].metric_snapshots.get().impressions == 90
    assert metrics_refresh() == 0  # X is not asked again (an unregistered call would fail)
    assert len(mail.outbox) == 1


# --- pay-per-use credits (402) and metrics without non_public_metrics --------------------------
# X's answer when the app's prepaid credits are spent, as reported by its users (e.g.
# github.com/tryethernal/ethernal/issues/1307): 402 Payment Required with an RFC 7807 problem.
CREDITS_DEPLETED = {
    "title": "CreditsDepleted",
    "detail": "Your enrolled account does not have any credits",
    "type": "https://api.x.com/2/problems/credits",
}


def test_a_402_for_spent_credits_pauses_x_instead_of_failing(rsps: responses.RequestsMock) -> None:
    rsps.post(f"{API}/2/tweets", status=402, json=CREDITS_DEPLETED)

    with pytest.raises(ProviderError) as raised:
        XProvider().publish(account=network_account("x"), text=TEXT, client_ref="c")

    error = raised.value
    assert error.pause == "credits"
    assert not (error.permanent or error.ambiguous or error.reconnect or error.duplicate)
    assert "does not have any credits" in error.message


def test_a_402_without_a_body_is_still_spent_credits(rsps: responses.RequestsMock) -> None:
    rsps.post(f"{API}/2/tweets", status=402, body="")

    with pytest.raises(ProviderError) as raised:
        XProvider().publish(account=network_account("x"), text=TEXT, client_ref="c")

    assert raised.value.pause == "credits" and not raised.value.permanent


def test_a_credits_problem_under_another_status_is_spent_credits(
    rsps: responses.RequestsMock,
) -> None:
    rsps.post(
        f"{API}/2/tweets",
        status=403,
        json={**CREDITS_DEPLETED, "title": "Forbidden", "status": 403},
    )

    with pytest.raises(ProviderError) as raised:
        XProvider().publish(account=network_account("x"), text=TEXT, client_ref="c")

    assert raised.value.pause == "credits" and not raised.value.permanent


def test_another_refusal_does_not_pause_x(rsps: responses.RequestsMock) -> None:
    rsps.post(
        f"{API}/2/tweets",
        status=400,
        json={"title": "Invalid Request", "detail": "Your Tweet text is too long.", "status": 400},
    )

    with pytest.raises(ProviderError) as raised:
        XProvider().publish(account=network_account("x"), text=TEXT, client_ref="c")

    assert raised.value.pause == "" and raised.value.permanent


def test_metrics_never_ask_for_non_public_metrics_and_read_repost_count(
    rsps: responses.RequestsMock,
) -> None:
    # Asking for non_public_metrics makes X drop every post older than 30 days (or not the
    # author's) from "data" with a Field Authorization Error: the strict query match fails
    # the test if the field is asked for again.
    rsps.get(
        f"{API}/2/tweets",
        json={
            "data": [
                {
                    "id": "1",
                    "text": "t",
                    "public_metrics": {
                        "repost_count": 4,
                        "reply_count": 2,
                        "like_count": 7,
                        "quote_count": 1,
                        "impression_count": 300,
                    },
                }
            ]
        },
        match=[
            matchers.query_param_matcher(
                {"ids": "1", "tweet.fields": "public_metrics"}, strict_match=True
            ),
            bearer(),
        ],
    )

    metrics = XProvider().fetch_metrics(account=network_account("x"), external_ids=["1"])

    assert metrics["1"] == PostMetrics(impressions=300, reactions=7, comments=2, reposts=5)


def test_figures_x_does_not_report_stay_unknown_not_zero(rsps: responses.RequestsMock) -> None:
    rsps.get(
        f"{API}/2/tweets",
        json={"data": [{"id": "1", "text": "t", "public_metrics": {"like_count": 2}}]},
    )

    metrics = XProvider().fetch_metrics(account=network_account("x"), external_ids=["1"])

    assert metrics["1"] == PostMetrics(impressions=None, reactions=2, comments=None, reposts=None)
