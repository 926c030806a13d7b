"""The fake network cannot agree with a mistake: it refuses what X and LinkedIn refuse, with
their answers (docs/networks.md), over real HTTP. Where the product's reaction to an answer is
settled, the real providers are driven against it; elsewhere raw requests prove the answer.
No worker is needed: these run with the fast tests."""

import base64
import struct
import zlib
from collections.abc import Callable
from typing import Any

import pytest
import requests
from django.test import override_settings

from advocacy.models import NetworkAccount
from advocacy.networks.base import ProviderError
from advocacy.networks.linkedin.provider import LinkedInProvider
from advocacy.networks.x.provider import XProvider
from tests.advocacy.networks.conftest import network_account as unregistered_account
from tests.fakenet import FakeNetServer, control, posts, register_token, request_log
from tests.fakenet.fixtures import (
    LINKEDIN_CLIENT_ID,
    LINKEDIN_CLIENT_SECRET,
    X_CLIENT_ID,
    X_CLIENT_SECRET,
    register_account,
)

pytestmark = pytest.mark.django_db
ACTIVE = "202607"  # supported until at least 2027-07-01 (one year after its release)
X_SCOPE = "tweet.read tweet.write users.read offline.access"
LI_SCOPE = "openid profile email w_member_social"


def png(width: int = 2, height: int = 2) -> bytes:
    """A real (tiny) PNG."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    rows = b"".join(b"\x00" + b"\xff\x00\x00" * width for _ in range(height))
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


def li_headers(token: str, version: str | None = ACTIVE, restli: bool = True) -> dict[str, str]:
    headers = {"Authorization": f"Bearer {token}"}
    if version is not None:
        headers["LinkedIn-Version"] = version
    if restli:
        headers["X-Restli-Protocol-Version"] = "2.0.0"
    return headers


def li_post(author: str = "urn:li:person:amber", **changes: Any) -> dict[str, Any]:
    """A Posts API body with every documented required field; `changes` replace or (None)
    remove fields."""
    body: dict[str, Any] = {
        "author": author,
        "commentary": "Proud of the team",
        "visibility": "PUBLIC",
        "distribution": {
            "feedDistribution": "MAIN_FEED",
            "targetEntities": [],
            "thirdPartyDistributionChannels": [],
        },
        "lifecycleState": "PUBLISHED",
    }
    body.update(changes)
    return {key: value for key, value in body.items() if value is not None}


@pytest.fixture
def known(fake: FakeNetServer) -> Callable[..., str]:
    """Register a token with the fake and return it."""

    def make(network: str, token: str, member: str, scope: str) -> str:
        register_token(fake, network=network, token=token, member=member, scope=scope)
        return token

    return make


@pytest.fixture
def account(fake: FakeNetServer) -> Callable[..., NetworkAccount]:
    def make(network: str, **fields: object) -> NetworkAccount:
        return register_account(fake, unregistered_account(network, **fields))

    return make


# --- LinkedIn: versions ----------------------------------------------------------------------
def test_a_provider_that_sends_a_retired_linkedin_version_gets_linkedins_426_and_fails(
    fake: FakeNetServer, account: Callable[..., NetworkAccount]
) -> None:
    member = account("linkedin")
    control(fake, today="2026-12-07")

    with override_settings(LINKEDIN_VERSION="202510"), pytest.raises(ProviderError):
        LinkedInProvider().publish(account=member, text="Hello", client_ref="c")
    LinkedInProvider().publish(account=member, text="Hello", client_ref="c")  # 202607: active

    answer = requests.post(
        f"{fake.url}/rest/posts",
        json=li_post(),
        headers=li_headers("access-1", "202510"),
        timeout=5,
    )
    assert answer.status_code == 426
    assert answer.json() == {
        "status": 426,
        "code": "NONEXISTENT_VERSION",
        "message": "Requested version 20251001 is not active",
    }
    assert [r["status"] for r in request_log(fake) if r["path"] == "/rest/posts"] == [426, 201, 426]
    assert len(posts(fake)) == 1


def test_each_version_retires_on_its_published_sunset_and_the_shipped_one_retires_too(
    fake: FakeNetServer, known: Callable[..., str]
) -> None:
    token = known("linkedin", "li-1", "amber", LI_SCOPE)

    def status(version: str, today: str) -> int:
        control(fake, today=today)
        return requests.post(
            f"{fake.url}/rest/posts",
            json=li_post(commentary=today + version),
            headers=li_headers(token, version),
            timeout=5,
        ).status_code

    assert status("202510", "2026-10-14") == 201
    assert status("202510", "2026-10-15") == 426
    assert status("202511", "2026-11-16") == 426
    assert status("202603", "2027-03-15") == 201
    assert status("202512", "2026-12-07") == 426  # never released
    assert status(ACTIVE, "2027-06-30") == 201
    assert status(ACTIVE, "2027-08-01") == 426  # the day a test makes the shipped version retire


def test_a_missing_or_malformed_version_header_is_refused(
    fake: FakeNetServer, known: Callable[..., str]
) -> None:
    token = known("linkedin", "li-1", "amber", LI_SCOPE)

    missing = requests.post(
        f"{fake.url}/rest/posts", json=li_post(), headers=li_headers(token, None), timeout=5
    )
    malformed = requests.post(
        f"{fake.url}/rest/posts", json=li_post(), headers=li_headers(token, "2026-07"), timeout=5
    )

    assert missing.status_code == 400
    assert missing.json()["code"] == "VERSION_MISSING"
    assert malformed.status_code == 400
    assert posts(fake) == []


def test_a_provider_that_leaves_out_the_restli_protocol_header_fails(
    fake: FakeNetServer, account: Callable[..., NetworkAccount], monkeypatch: pytest.MonkeyPatch
) -> None:
    member = account("linkedin")
    sends = LinkedInProvider._headers

    def without_restli(self: LinkedInProvider, account: NetworkAccount) -> dict[str, str]:
        headers = dict(sends(self, account))
        headers.pop("X-Restli-Protocol-Version")
        return headers

    monkeypatch.setattr(LinkedInProvider, "_headers", without_restli)
    with pytest.raises(ProviderError):
        LinkedInProvider().publish(account=member, text="Hello", client_ref="c")
    monkeypatch.undo()
    LinkedInProvider().publish(account=member, text="Hello", client_ref="c")

    assert [r["status"] for r in request_log(fake)] == [400, 201]
    assert len(posts(fake)) == 1


# --- LinkedIn: Posts API bodies --------------------------------------------------------------
@pytest.mark.parametrize(
    ("changes", "named"),
    [
        ({"visibility": None}, "/visibility"),
        ({"distribution": None}, "/distribution"),
        ({"distribution": {"targetEntities": []}}, "/distribution/feedDistribution"),
        ({"lifecycleState": None}, "/lifecycleState"),
        ({"commentary": None}, "/commentary"),
        ({"visibility": "EVERYONE"}, "/visibility"),
        ({"shareCommentary": "x"}, "/shareCommentary"),
        ({"content": {"article": {"source": "https://example.com/a"}}}, "/content/article/title"),
    ],
)
def test_a_linkedin_post_without_its_documented_fields_is_refused(
    fake: FakeNetServer, known: Callable[..., str], changes: dict[str, Any], named: str
) -> None:
    token = known("linkedin", "li-1", "amber", LI_SCOPE)

    answer = requests.post(
        f"{fake.url}/rest/posts", json=li_post(**changes), headers=li_headers(token), timeout=5
    )

    assert answer.status_code == 422
    assert f"ERROR :: {named} :: " in answer.json()["message"]
    assert posts(fake) == []


def test_a_linkedin_post_by_someone_else_than_the_token_owner_is_refused(
    fake: FakeNetServer, known: Callable[..., str]
) -> None:
    token = known("linkedin", "li-1", "amber", LI_SCOPE)

    answer = requests.post(
        f"{fake.url}/rest/posts",
        json=li_post("urn:li:person:bob"),
        headers=li_headers(token),
        timeout=5,
    )

    assert answer.status_code == 403
    assert answer.json()["code"] == "ACCESS_DENIED"


def test_an_image_is_usable_only_after_initialize_upload_and_the_upload_in_that_order(
    fake: FakeNetServer, known: Callable[..., str]
) -> None:
    token = known("linkedin", "li-1", "amber", LI_SCOPE)
    headers = li_headers(token)
    started = requests.post(
        f"{fake.url}/rest/images?action=initializeUpload",
        json={"initializeUploadRequest": {"owner": "urn:li:person:amber"}},
        headers=headers,
        timeout=5,
    )
    value = started.json()["value"]
    image = value["image"]
    article = {"article": {"source": "https://example.com/a", "title": "A", "thumbnail": image}}

    too_soon = requests.post(
        f"{fake.url}/rest/posts", json=li_post(content=article), headers=headers, timeout=5
    )
    not_an_image = requests.put(
        value["uploadUrl"], data=b"hello", headers={"Authorization": f"Bearer {token}"}, timeout=5
    )
    uploaded = requests.put(
        value["uploadUrl"], data=png(), headers={"Authorization": f"Bearer {token}"}, timeout=5
    )
    posted = requests.post(
        f"{fake.url}/rest/posts", json=li_post(content=article), headers=headers, timeout=5
    )
    media = requests.post(
        f"{fake.url}/rest/posts",
        json=li_post(
            commentary="A photo", content={"media": {"id": image, "altText": "A red square"}}
        ),
        headers=headers,
        timeout=5,
    )

    assert started.status_code == 200
    assert set(value) == {"uploadUrlExpiresAt", "uploadUrl", "image"}
    assert image.startswith("urn:li:image:")
    assert too_soon.status_code == 422 and image in too_soon.json()["message"]
    assert not_an_image.status_code == 400
    assert (uploaded.status_code, posted.status_code, media.status_code) == (201, 201, 201)
    order = [(r["method"], r["path"].split("/")[1], r["status"]) for r in request_log(fake)]
    assert order == [
        ("POST", "rest", 200),
        ("POST", "rest", 422),
        ("PUT", "dms-uploads", 400),
        ("PUT", "dms-uploads", 201),
        ("POST", "rest", 201),
        ("POST", "rest", 201),
    ]
    assert [p["content"] for p in posts(fake)] == [
        article,
        {"media": {"id": image, "altText": "A red square"}},
    ]


def test_linkedins_daily_429_and_its_short_infrastructure_429_say_which_they_are(
    fake: FakeNetServer, known: Callable[..., str]
) -> None:
    token = known("linkedin", "li-1", "amber", LI_SCOPE)

    def answer(fail: str) -> dict[str, Any]:
        control(fake, fail=fail, fail_count=1)
        refused = requests.post(
            f"{fake.url}/rest/posts", json=li_post(), headers=li_headers(token), timeout=5
        )
        assert refused.status_code == 429
        assert "Retry-After" not in refused.headers
        body: dict[str, Any] = refused.json()
        return body

    assert " DAY limit " in answer("429")["message"]
    assert "DAY" not in answer("429short")["message"]
    assert posts(fake) == []


# --- X ---------------------------------------------------------------------------------------
def test_x_refuses_text_over_280_weighted_characters_counted_as_twitter_text_counts(
    fake: FakeNetServer, known: Callable[..., str], account: Callable[..., NetworkAccount]
) -> None:
    token = known("x", "x-1", "2244994945", X_SCOPE)

    def create(text: str) -> requests.Response:
        return requests.post(
            f"{fake.url}/2/tweets",
            json={"text": text},
            headers={"Authorization": f"Bearer {token}"},
            timeout=5,
        )

    full = create("x" * 280)
    over = create("y" * 281)
    wide = create("漢" * 141)  # CJK weighs 2: 282
    domain = create("a" * 257 + " acme.com")  # a bare domain is a link of 23: 281
    with pytest.raises(ProviderError) as from_provider:
        XProvider().publish(account=account("x"), text="z" * 300, client_ref="c")

    assert full.status_code == 201
    for refused in (over, wide, domain):
        assert refused.status_code == 400
        assert refused.json()["detail"].startswith("Your Tweet text is too long.")
    assert from_provider.value.permanent
    assert [p["text"] for p in posts(fake)] == ["x" * 280]


def test_x_answers_402_when_the_apps_credits_are_spent(
    fake: FakeNetServer, known: Callable[..., str]
) -> None:
    token = known("x", "x-1", "2244994945", X_SCOPE)
    control(fake, fail="402", fail_count=1)

    spent = requests.post(
        f"{fake.url}/2/tweets",
        json={"text": "Hi"},
        headers={"Authorization": f"Bearer {token}"},
        timeout=5,
    )
    topped_up = requests.post(
        f"{fake.url}/2/tweets",
        json={"text": "Hi"},
        headers={"Authorization": f"Bearer {token}"},
        timeout=5,
    )

    assert spent.status_code == 402
    assert spent.json()["title"] == "CreditsDepleted"
    assert spent.json()["type"] == "https://api.twitter.com/2/problems/credits"
    assert topped_up.status_code == 201


def test_unknown_bearer_tokens_are_refused_by_both_networks(fake: FakeNetServer) -> None:
    x = unregistered_account("x")
    linkedin = unregistered_account("linkedin")

    with pytest.raises(ProviderError) as from_x:
        XProvider().publish(account=x, text="Hello", client_ref="c")
    with pytest.raises(ProviderError) as from_linkedin:
        LinkedInProvider().publish(account=linkedin, text="Hello", client_ref="c")
    userinfo = requests.get(
        f"{fake.url}/v2/userinfo", headers={"Authorization": "Bearer made-up"}, timeout=5
    )

    assert from_x.value.reconnect and from_linkedin.value.reconnect
    assert userinfo.status_code == 401
    assert userinfo.json()["serviceErrorCode"] == 65600
    assert [r["status"] for r in request_log(fake)] == [401, 401, 401]
    assert posts(fake) == []


def test_the_token_endpoints_refuse_wrong_client_authentication(fake: FakeNetServer) -> None:
    register_token(
        fake, network="x", token="x-1", member="2244994945", scope=X_SCOPE, refresh_token="x-r1"
    )
    refresh = {"grant_type": "refresh_token", "refresh_token": "x-r1"}

    wrong_secret = requests.post(
        f"{fake.url}/2/oauth2/token", data=refresh, auth=(X_CLIENT_ID, "nope"), timeout=5
    )
    id_only = requests.post(
        f"{fake.url}/2/oauth2/token", data={**refresh, "client_id": X_CLIENT_ID}, timeout=5
    )
    right = requests.post(
        f"{fake.url}/2/oauth2/token",
        data=refresh,
        auth=(X_CLIENT_ID, str(X_CLIENT_SECRET)),
        timeout=5,
    )
    linkedin = {"grant_type": "authorization_code", "code": "c", "redirect_uri": "https://s/cb"}
    li_wrong = requests.post(
        f"{fake.url}/oauth/v2/accessToken",
        data={**linkedin, "client_id": LINKEDIN_CLIENT_ID, "client_secret": "nope"},
        timeout=5,
    )
    li_basic = requests.post(
        f"{fake.url}/oauth/v2/accessToken",
        data={**linkedin, "client_id": LINKEDIN_CLIENT_ID},
        auth=(LINKEDIN_CLIENT_ID, str(LINKEDIN_CLIENT_SECRET)),
        timeout=5,
    )

    for refused in (wrong_secret, id_only):
        assert refused.status_code == 401
        assert refused.json()["error"] == "unauthorized_client"
    assert right.status_code == 200  # the same refresh token, properly authenticated
    for refused in (li_wrong, li_basic):
        assert refused.status_code == 401
        assert refused.json() == {
            "error": "invalid_client",
            "error_description": "Client authentication failed",
        }


def test_non_public_metrics_of_an_old_post_drop_it_with_a_field_error(
    fake: FakeNetServer, known: Callable[..., str]
) -> None:
    token = known("x", "x-1", "2244994945", X_SCOPE)
    other = known("x", "x-2", "783214", X_SCOPE)
    headers = {"Authorization": f"Bearer {token}"}
    post_id = requests.post(
        f"{fake.url}/2/tweets", json={"text": "Hi"}, headers=headers, timeout=5
    ).json()["data"]["id"]

    def lookup(fields: str, bearer: str = token) -> dict[str, Any]:
        answer = requests.get(
            f"{fake.url}/2/tweets",
            params={"ids": post_id, "tweet.fields": fields},
            headers={"Authorization": f"Bearer {bearer}"},
            timeout=5,
        )
        assert answer.status_code == 200
        body: dict[str, Any] = answer.json()
        return body

    young = lookup("public_metrics,non_public_metrics")
    not_theirs = lookup("public_metrics,non_public_metrics", other)
    control(fake, post_age_days=31)
    old = lookup("public_metrics,non_public_metrics")
    public = lookup("public_metrics")

    assert [t["id"] for t in young["data"]] == [post_id]
    for dropped in (not_theirs, old):
        assert "data" not in dropped
        assert {e["title"] for e in dropped["errors"]} == {"Field Authorization Error"}
        assert {e["field"] for e in dropped["errors"]} >= {"non_public_metrics.impression_count"}
    assert "impression_count" in public["data"][0]["public_metrics"]


@pytest.mark.parametrize(
    ("named", "present", "absent"),
    [
        ("repost_count", {"repost_count"}, {"retweet_count"}),
        ("retweet_count", {"retweet_count"}, {"repost_count"}),
        ("both", {"retweet_count", "repost_count"}, set()),
    ],
)
def test_the_reposts_figure_is_named_as_the_knob_says(
    fake: FakeNetServer, known: Callable[..., str], named: str, present: set[str], absent: set[str]
) -> None:
    token = known("x", "x-1", "2244994945", X_SCOPE)
    headers = {"Authorization": f"Bearer {token}"}
    post_id = requests.post(
        f"{fake.url}/2/tweets", json={"text": "Hi"}, headers=headers, timeout=5
    ).json()["data"]["id"]
    control(fake, x_repost_field=named)

    metrics = requests.get(
        f"{fake.url}/2/tweets",
        params={"ids": post_id, "tweet.fields": "public_metrics"},
        headers=headers,
        timeout=5,
    ).json()["data"][0]["public_metrics"]

    assert present <= set(metrics)
    assert not absent & set(metrics)


def test_xs_24_hour_cap_headers_come_only_when_asked_for(
    fake: FakeNetServer, known: Callable[..., str]
) -> None:
    token = known("x", "x-1", "2244994945", X_SCOPE)

    def limited() -> requests.Response:
        control(fake, fail="429", fail_count=1)
        return requests.post(
            f"{fake.url}/2/tweets",
            json={"text": "Hi"},
            headers={"Authorization": f"Bearer {token}"},
            timeout=5,
        )

    documented = limited()
    control(fake, x_24h_headers=True)
    observed = limited()

    assert documented.status_code == observed.status_code == 429
    assert "x-rate-limit-reset" in documented.headers
    assert "x-user-limit-24hour-reset" not in documented.headers
    assert "x-user-limit-24hour-reset" in observed.headers


def test_x_media_needs_media_write_and_belongs_to_the_member_who_uploaded_it(
    fake: FakeNetServer, known: Callable[..., str]
) -> None:
    without = known("x", "x-0", "2244994945", X_SCOPE)
    amber = known("x", "x-1", "2244994945", X_SCOPE + " media.write")
    bob = known("x", "x-2", "783214", X_SCOPE + " media.write")
    image = base64.b64encode(png()).decode()

    def upload(token: str) -> requests.Response:
        return requests.post(
            f"{fake.url}/2/media/upload",
            json={"media": image, "media_category": "tweet_image"},
            headers={"Authorization": f"Bearer {token}"},
            timeout=5,
        )

    def tweet(token: str, media_id: str) -> requests.Response:
        return requests.post(
            f"{fake.url}/2/tweets",
            json={"text": "A photo", "media": {"media_ids": [media_id]}},
            headers={"Authorization": f"Bearer {token}"},
            timeout=5,
        )

    forbidden = upload(without)
    uploaded = upload(amber)
    media_id = uploaded.json()["data"]["id"]
    multipart = requests.post(
        f"{fake.url}/2/media/upload",
        files={"media": ("p.png", png(), "image/png")},
        data={"media_category": "tweet_image"},
        headers={"Authorization": f"Bearer {bob}"},
        timeout=5,
    )

    assert forbidden.status_code == 403
    assert uploaded.status_code == 200
    assert uploaded.json()["data"]["media_key"] == f"3_{media_id}"
    assert uploaded.json()["data"]["image"] == {"image_type": "image/png", "w": 2, "h": 2}
    assert multipart.status_code == 200
    assert tweet(bob, media_id).status_code == 400  # not bob's upload
    assert tweet(amber, "1234567890123456789").status_code == 400  # never uploaded
    assert tweet(amber, media_id).status_code == 201
    assert [p["media_ids"] for p in posts(fake)] == [[media_id]]


def test_x_chunked_media_upload_is_usable_only_once_finalized_with_all_its_bytes(
    fake: FakeNetServer, known: Callable[..., str]
) -> None:
    token = known("x", "x-1", "2244994945", X_SCOPE + " media.write")
    headers = {"Authorization": f"Bearer {token}"}
    data = png()
    started = requests.post(
        f"{fake.url}/2/media/upload/initialize",
        json={"media_type": "image/png", "total_bytes": len(data), "media_category": "tweet_image"},
        headers=headers,
        timeout=5,
    ).json()["data"]
    media_id = started["id"]
    tweet = {"text": "A photo", "media": {"media_ids": [media_id]}}

    early = requests.post(f"{fake.url}/2/tweets", json=tweet, headers=headers, timeout=5)
    for index, part in enumerate((data[:10], data[10:])):
        requests.post(
            f"{fake.url}/2/media/upload/{media_id}/append",
            json={"media": base64.b64encode(part).decode(), "segment_index": index},
            headers=headers,
            timeout=5,
        ).raise_for_status()
    finalized = requests.post(
        f"{fake.url}/2/media/upload/{media_id}/finalize", headers=headers, timeout=5
    )
    posted = requests.post(f"{fake.url}/2/tweets", json=tweet, headers=headers, timeout=5)

    assert early.status_code == 400
    assert finalized.status_code == 200 and finalized.json()["data"]["size"] == len(data)
    assert posted.status_code == 201
    assert [
        (r["method"], r["path"].rsplit("/", 1)[-1], r["status"]) for r in request_log(fake)
    ] == [
        ("POST", "initialize", 200),
        ("POST", "tweets", 400),
        ("POST", "append", 200),
        ("POST", "append", 200),
        ("POST", "finalize", 200),
        ("POST", "tweets", 201),
    ]
