"""The exact calls the LinkedIn provider makes, and what each answer of LinkedIn becomes."""

from datetime import UTC, datetime, timedelta

import pytest
import requests
import responses
from django.test import override_settings
from responses import matchers

from advocacy.networks.base import LinkCard, PostMetrics, ProviderError
from advocacy.networks.linkedin.provider import (
    LinkedInProvider,
    escape_commentary,
    until_midnight_utc,
)
from advocacy.networks.registry import get_provider
from tests.advocacy.networks.conftest import connection_refused, network_account

API = "https://api.linkedin.com"
TEXT = "Proud of our team (again)!\n\nhttps://example.test/r/AbCdEf12"
pytestmark = pytest.mark.django_db


def rest_li_headers(version: str = "202607") -> object:
    return matchers.header_matcher(
        {
            "Authorization": "Bearer access-1",
            "LinkedIn-Version": version,
            "X-Restli-Protocol-Version": "2.0.0",
            "Content-Type": "application/json",
        }
    )


def test_it_is_the_provider_for_linkedin() -> None:
    assert isinstance(get_provider("linkedin"), LinkedInProvider)


@override_settings(LINKEDIN_VERSION="202601")
def test_it_posts_to_the_posts_api_with_the_versioned_rest_li_headers(
    rsps: responses.RequestsMock,
) -> None:
    rsps.post(
        f"{API}/rest/posts",
        status=201,
        headers={"x-restli-id": "urn:li:share:7130000000000000001"},
        match=[
            matchers.json_params_matcher(
                {
                    "author": "urn:li:person:AbC123xyz",
                    "commentary": "Proud of our team \\(again\\)!\n\nhttps://example.test/r/AbCdEf12",
                    "visibility": "PUBLIC",
                    "distribution": {
                        "feedDistribution": "MAIN_FEED",
                        "targetEntities": [],
                        "thirdPartyDistributionChannels": [],
                    },
                    "lifecycleState": "PUBLISHED",
                    "isReshareDisabledByAuthor": False,
                },
                strict_match=True,
            ),
            rest_li_headers("202601"),
        ],
    )

    post = LinkedInProvider().publish(
        account=network_account("linkedin"), text=TEXT, client_ref="c"
    )

    assert post.external_id == "urn:li:share:7130000000000000001"
    assert post.url == "https://www.linkedin.com/feed/update/urn:li:share:7130000000000000001/"
    assert "access-1" not in (rsps.calls[0].request.url or "")  # never the token in the URL


def test_the_tracked_link_goes_as_an_article_card_with_the_items_title(
    rsps: responses.RequestsMock,
) -> None:
    rsps.post(
        f"{API}/rest/posts",
        status=201,
        headers={"x-restli-id": "urn:li:share:7130000000000000002"},
        match=[
            matchers.json_params_matcher(
                {
                    "author": "urn:li:person:AbC123xyz",
                    "commentary": "Proud of our team \\(again\\)!\n\nhttps://example.test/r/AbCdEf12",
                    "visibility": "PUBLIC",
                    "distribution": {
                        "feedDistribution": "MAIN_FEED",
                        "targetEntities": [],
                        "thirdPartyDistributionChannels": [],
                    },
                    "content": {
                        "article": {
                            "source": "https://example.test/r/AbCdEf12",
                            "title": "Our new plant (finally)",
                            "description": "Sun & wind <3",
                        }
                    },
                    "lifecycleState": "PUBLISHED",
                    "isReshareDisabledByAuthor": False,
                },
                strict_match=True,
            ),
            rest_li_headers(),
        ],
    )

    post = LinkedInProvider().publish(
        account=network_account("linkedin"),
        text=TEXT,
        client_ref="AbCdEf12",
        link=LinkCard(
            url="https://example.test/r/AbCdEf12",
            title="Our new plant (finally)",
            description="Sun & wind <3",
        ),
    )

    assert post.external_id == "urn:li:share:7130000000000000002"


def test_a_duplicate_answer_names_the_post_an_earlier_attempt_made(
    rsps: responses.RequestsMock,
) -> None:
    rsps.post(
        f"{API}/rest/posts",
        status=422,
        json={
            "message": "Content is a duplicate of urn:li:share:7130000000000000003",
            "status": 422,
        },
    )

    with pytest.raises(ProviderError) as raised:
        LinkedInProvider().publish(account=network_account("linkedin"), text=TEXT, client_ref="c")

    assert raised.value.duplicate and raised.value.ambiguous
    assert raised.value.existing is not None
    assert raised.value.existing.external_id == "urn:li:share:7130000000000000003"
    assert raised.value.existing.url.endswith("/urn:li:share:7130000000000000003/")


def test_reserved_characters_of_the_commentary_are_escaped() -> None:
    assert escape_commentary("a (b) [c] {d} <e> @f |g ~h _i *j \\k #l") == (
        "a \\(b\\) \\[c\\] \\{d\\} \\<e\\> \\@f \\|g \\~h \\_i \\*j \\\\k #l"
    )


def test_a_401_asks_the_ambassador_to_reconnect(rsps: responses.RequestsMock) -> None:
    rsps.post(
        f"{API}/rest/posts",
        status=401,
        json={
            "serviceErrorCode": 65601,
            "message": "The token used in the request has been revoked by the user",
            "status": 401,
        },
    )

    with pytest.raises(ProviderError) as raised:
        LinkedInProvider().publish(account=network_account("linkedin"), text=TEXT, client_ref="c")

    assert raised.value.reconnect
    assert "reconnect your LinkedIn account" in raised.value.message


def test_a_429_waits_until_midnight_utc(rsps: responses.RequestsMock) -> None:
    rsps.post(
        f"{API}/rest/posts",
        status=429,
        json={
            "message": "Resource level throttle MEMBER DAY limit for calls to this resource is reached.",
            "status": 429,
        },
    )

    with pytest.raises(ProviderError) as raised:
        LinkedInProvider().publish(account=network_account("linkedin"), text=TEXT, client_ref="c")

    error = raised.value
    assert not (error.permanent or error.ambiguous)
    assert error.retry_after is not None
    assert abs((error.retry_after - until_midnight_utc()).total_seconds()) < 5


def test_midnight_utc_is_the_next_one() -> None:
    late = datetime(2026, 3, 1, 23, 30, tzinfo=UTC)
    assert until_midnight_utc(late) == timedelta(minutes=30)


@pytest.mark.parametrize(
    "answer",
    [
        {"status": 504, "json": {"message": "Gateway timeout", "status": 504}},
        {"body": requests.ReadTimeout("read timed out")},
        {"status": 201},  # accepted, but without the post's id
    ],
    ids=["5xx", "read-timeout", "no-id"],
)
def test_a_post_without_a_clear_answer_is_ambiguous(
    rsps: responses.RequestsMock, answer: dict[str, object]
) -> None:
    rsps.post(f"{API}/rest/posts", **answer)  # type: ignore[arg-type]

    with pytest.raises(ProviderError) as raised:
        LinkedInProvider().publish(account=network_account("linkedin"), text=TEXT, client_ref="c")

    assert raised.value.ambiguous and not raised.value.permanent


def test_a_refused_connection_is_retried_with_back_off(rsps: responses.RequestsMock) -> None:
    rsps.post(f"{API}/rest/posts", body=connection_refused(f"{API}/rest/posts"))

    with pytest.raises(ProviderError) as raised:
        LinkedInProvider().publish(account=network_account("linkedin"), text=TEXT, client_ref="c")

    assert not (raised.value.ambiguous or raised.value.permanent)


def test_another_4xx_is_permanent_with_linkedins_message(rsps: responses.RequestsMock) -> None:
    rsps.post(
        f"{API}/rest/posts",
        status=422,
        json={
            "message": "ERROR :: /commentary :: is too long",
            "serviceErrorCode": 100,
            "status": 422,
        },
    )

    with pytest.raises(ProviderError) as raised:
        LinkedInProvider().publish(account=network_account("linkedin"), text=TEXT, client_ref="c")

    assert raised.value.permanent and not raised.value.reconnect
    assert "/commentary :: is too long" in raised.value.message


def test_without_the_analytics_scope_metrics_are_not_available_not_zero(
    rsps: responses.RequestsMock,
) -> None:
    metrics = LinkedInProvider().fetch_metrics(
        account=network_account("linkedin"), external_ids=["urn:li:share:1"]
    )

    assert metrics == {"urn:li:share:1": PostMetrics()}
    assert metrics["urn:li:share:1"].impressions is None
    assert len(rsps.calls) == 0


def test_with_the_analytics_scope_it_reads_member_creator_post_analytics(
    rsps: responses.RequestsMock,
) -> None:
    account = network_account(
        "linkedin", scopes="openid profile email w_member_social r_member_postAnalytics"
    )
    counts = {"IMPRESSION": 900, "REACTION": 40, "COMMENT": 6, "RESHARE": 2}
    for query_type, count in counts.items():
        rsps.get(
            f"{API}/rest/memberCreatorPostAnalytics",
            json={
                "paging": {"start": 0, "count": 10, "links": []},
                "elements": [
                    {
                        "count": count,
                        "metricType": {
                            "com.linkedin.adsexternalapi.memberanalytics.v1.CreatorPostAnalyticsMetricTypeV1": query_type
                        },
                        "targetEntity": {"share": "urn:li:share:7"},
                    }
                ],
            },
            match=[
                matchers.query_string_matcher(
                    f"q=entity&entity=(share:urn%3Ali%3Ashare%3A7)&queryType={query_type}&aggregation=TOTAL"
                ),
                matchers.header_matcher(
                    {
                        "Authorization": "Bearer access-1",
                        "LinkedIn-Version": "202607",
                        "X-Restli-Protocol-Version": "2.0.0",
                    }
                ),
            ],
        )

    metrics = LinkedInProvider().fetch_metrics(account=account, external_ids=["urn:li:share:7"])

    assert metrics == {
        "urn:li:share:7": PostMetrics(impressions=900, reactions=40, comments=6, reposts=2)
    }


def test_a_server_error_while_reading_metrics_is_only_retried(
    rsps: responses.RequestsMock,
) -> None:
    account = network_account("linkedin", scopes="w_member_social r_member_postAnalytics")
    rsps.get(
        f"{API}/rest/memberCreatorPostAnalytics",
        status=500,
        json={"message": "oops", "status": 500},
    )

    with pytest.raises(ProviderError) as raised:
        LinkedInProvider().fetch_metrics(account=account, external_ids=["urn:li:share:7"])

    assert not (raised.value.ambiguous or raised.value.permanent)


def test_linkedin_offers_no_way_to_find_a_post(rsps: responses.RequestsMock) -> None:
    with pytest.raises(ProviderError) as raised:
        LinkedInProvider().find_post(account=network_account("linkedin"), text=TEXT, client_ref="c")

    assert raised.value.permanent


def test_a_linkedin_token_cannot_be_refreshed_so_the_ambassador_reconnects(
    rsps: responses.RequestsMock,
) -> None:
    with pytest.raises(ProviderError) as raised:
        LinkedInProvider().refresh_token(account=network_account("linkedin"))

    assert raised.value.reconnect
    assert "reconnect your LinkedIn account" in raised.value.message


def test_a_401_while_reading_metrics_asks_to_reconnect_after_one_call(
    rsps: responses.RequestsMock,
) -> None:
    account = network_account("linkedin", scopes="w_member_social r_member_postAnalytics")
    rsps.get(
        f"{API}/rest/memberCreatorPostAnalytics",
        status=401,
        json={
            "serviceErrorCode": 65601,
            "message": "The token used in the request has been revoked by the user",
            "status": 401,
        },
        match=[matchers.header_matcher({"Authorization": "Bearer access-1"})],
    )

    with pytest.raises(ProviderError) as raised:
        LinkedInProvider().fetch_metrics(account=account, external_ids=["urn:li:share:7"])

    assert raised.value.reconnect
    assert "reconnect your LinkedIn account" in raised.value.message
    assert len(rsps.calls) == 1


# --- a retired API version, and the two kinds of 429 --------------------------------------------
@pytest.mark.parametrize(
    "answer",
    [
        # LinkedIn's answer today (github.com/n8n-io/n8n/issues/14737 and many alike).
        {
            "status": 426,
            "json": {
                "status": 426,
                "code": "NONEXISTENT_VERSION",
                "message": "Requested version 202510 is not active",
            },
        },
        {"status": 426, "body": ""},
        {"status": 400, "json": {"status": 400, "code": "NONEXISTENT_VERSION", "message": "x"}},
        {"status": 400, "json": {"status": 400, "message": "Version Header is Deprecated"}},
    ],
    ids=["426-nonexistent-version", "426-without-body", "400-code", "400-deprecated"],
)
@override_settings(LINKEDIN_VERSION="202510")
def test_a_version_linkedin_no_longer_serves_pauses_linkedin_instead_of_failing(
    rsps: responses.RequestsMock, answer: dict[str, object]
) -> None:
    rsps.post(f"{API}/rest/posts", **answer)  # type: ignore[arg-type]

    with pytest.raises(ProviderError) as raised:
        LinkedInProvider().publish(account=network_account("linkedin"), text=TEXT, client_ref="c")

    error = raised.value
    assert error.pause == "api_version"
    assert not (error.permanent or error.ambiguous or error.reconnect)
    assert "202510" in error.message


@override_settings(LINKEDIN_VERSION="202510")
def test_reading_metrics_with_a_retired_version_says_so_too(rsps: responses.RequestsMock) -> None:
    account = network_account(
        "linkedin", scopes="openid profile email w_member_social r_member_postAnalytics"
    )
    rsps.get(
        f"{API}/rest/memberCreatorPostAnalytics",
        status=426,
        json={
            "status": 426,
            "code": "NONEXISTENT_VERSION",
            "message": "Requested version 202510 is not active",
        },
    )

    with pytest.raises(ProviderError) as raised:
        LinkedInProvider().fetch_metrics(account=account, external_ids=["urn:li:share:1"])

    assert raised.value.pause == "api_version" and not raised.value.reconnect


def test_a_400_about_something_else_is_not_a_version_problem(
    rsps: responses.RequestsMock,
) -> None:
    rsps.post(
        f"{API}/rest/posts",
        status=400,
        json={"status": 400, "message": "Field /visibility is deprecated in this version"},
    )

    with pytest.raises(ProviderError) as raised:
        LinkedInProvider().publish(account=network_account("linkedin"), text=TEXT, client_ref="c")

    assert raised.value.pause == "" and raised.value.permanent


def test_a_429_that_names_no_daily_limit_is_retried_soon_first(
    rsps: responses.RequestsMock,
) -> None:
    # The short "infrastructure protection" 429 has no documented body; the message of
    # LinkedIn's error-handling page names no limit either: the first tries come soon.
    rsps.post(
        f"{API}/rest/posts",
        status=429,
        json={
            "status": 429,
            "message": "Resource level throttle limit for calls to this resource is reached.",
        },
    )

    with pytest.raises(ProviderError) as raised:
        LinkedInProvider().publish(account=network_account("linkedin"), text=TEXT, client_ref="c")

    error = raised.value
    assert error.short_first
    assert error.retry_after is not None  # a repeated one waits for midnight
    assert abs((error.retry_after - until_midnight_utc()).total_seconds()) < 5
    assert error.pause == "" and not error.permanent


@pytest.mark.parametrize("limit", ["MEMBER DAY", "APPLICATION DAY", "APPLICATION_AND_MEMBER DAY"])
def test_a_429_naming_a_daily_limit_waits_for_midnight_at_once(
    rsps: responses.RequestsMock, limit: str
) -> None:
    rsps.post(
        f"{API}/rest/posts",
        status=429,
        json={
            "status": 429,
            "serviceErrorCode": 101,
            "code": "TOO_MANY_REQUESTS",
            "message": f"Resource level throttle {limit} limit for calls to this resource is reached.",
        },
    )

    with pytest.raises(ProviderError) as raised:
        LinkedInProvider().publish(account=network_account("linkedin"), text=TEXT, client_ref="c")

    assert not raised.value.short_first
    assert "after midnight (UTC)" in raised.value.message
