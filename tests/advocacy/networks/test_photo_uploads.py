"""The exact requests, in order, that put a picture on a post: LinkedIn's Images API
(initializeUpload, the upload, then the post that names the image) and X's v2 media upload
(then the post that carries the media id). An upload creates no post, so its failures are
retried or refused, never "unknown"."""

import base64
import json

import pytest
import requests
import responses
from responses import matchers

from advocacy.networks.base import LinkCard, Media, ProviderError
from advocacy.networks.linkedin.provider import LinkedInProvider
from advocacy.networks.x.provider import XProvider
from tests.advocacy.networks.conftest import connection_refused, network_account

pytestmark = pytest.mark.django_db

LINKEDIN = "https://api.linkedin.com"
X = "https://api.twitter.com"
UPLOAD_URL = "https://www.linkedin.com/dms-uploads/sp/D4E10AQF/uploaded-image/0?ca=vector&v=beta"
TEXT = "Seen from my bike this morning\n\nhttps://example.test/r/AbCdEf12"
PHOTO = Media(content=b"\xff\xd8\xff\xe0 re-encoded jpeg bytes", mime_type="image/jpeg")
X_SCOPES = "tweet.read tweet.write users.read offline.access media.write"


def rest_li(version: str = "202607") -> object:
    return matchers.header_matcher(
        {
            "Authorization": "Bearer access-1",
            "LinkedIn-Version": version,
            "X-Restli-Protocol-Version": "2.0.0",
        }
    )


def initialize_upload(rsps: responses.RequestsMock, urn: str, **kwargs: object) -> None:
    rsps.post(
        f"{LINKEDIN}/rest/images?action=initializeUpload",
        match=[
            matchers.json_params_matcher(
                {"initializeUploadRequest": {"owner": "urn:li:person:AbC123xyz"}},
                strict_match=True,
            ),
            rest_li(),
        ],
        **(
            kwargs
            or {
                "json": {
                    "value": {
                        "uploadUrlExpiresAt": 1650567510704,
                        "uploadUrl": UPLOAD_URL,
                        "image": urn,
                    }
                }
            }
        ),
    )


def post_body(call: responses.Call) -> dict[str, object]:
    return json.loads(call.request.body or b"{}")  # type: ignore[no-any-return]


# --- LinkedIn -------------------------------------------------------------------------------------


def test_a_photo_goes_to_linkedin_as_an_image_post_in_three_steps(
    rsps: responses.RequestsMock,
) -> None:
    initialize_upload(rsps, "urn:li:image:C4E10AQ1")
    rsps.put(
        UPLOAD_URL,
        status=201,
        match=[matchers.header_matcher({"Authorization": "Bearer access-1"})],
    )
    rsps.post(
        f"{LINKEDIN}/rest/posts",
        status=201,
        headers={"x-restli-id": "urn:li:share:71"},
        match=[rest_li()],
    )
    photo = Media(content=PHOTO.content, mime_type="image/jpeg", alt_text="Our plant at dawn")

    post = LinkedInProvider().publish(
        account=network_account("linkedin"),
        text=TEXT,
        client_ref="AbCdEf12",
        link=LinkCard(url="https://example.test/r/AbCdEf12", title="Our plant"),
        photo=photo,
    )

    assert [(c.request.method, c.request.url) for c in rsps.calls] == [
        ("POST", f"{LINKEDIN}/rest/images?action=initializeUpload"),
        ("PUT", UPLOAD_URL),
        ("POST", f"{LINKEDIN}/rest/posts"),
    ]
    assert rsps.calls[1].request.body == PHOTO.content
    body = post_body(rsps.calls[2])
    # The photo replaces the card; the commentary keeps the tracked link.
    assert body["content"] == {
        "media": {"id": "urn:li:image:C4E10AQ1", "altText": "Our plant at dawn"}
    }
    assert body["commentary"] == TEXT
    assert body["lifecycleState"] == "PUBLISHED"
    assert post.external_id == "urn:li:share:71"


def test_the_article_card_carries_the_items_image_as_its_thumbnail(
    rsps: responses.RequestsMock,
) -> None:
    initialize_upload(rsps, "urn:li:image:C4E10AQ2")
    rsps.put(UPLOAD_URL, status=201)
    rsps.post(f"{LINKEDIN}/rest/posts", status=201, headers={"x-restli-id": "urn:li:share:72"})
    thumbnail = Media(content=b"\x89PNG item image", mime_type="image/png")

    LinkedInProvider().publish(
        account=network_account("linkedin"),
        text=TEXT,
        client_ref="AbCdEf12",
        link=LinkCard(
            url="https://example.test/r/AbCdEf12",
            title="Our plant",
            description="Sun",
            thumbnail=thumbnail,
        ),
    )

    assert [c.request.method for c in rsps.calls] == ["POST", "PUT", "POST"]
    assert rsps.calls[1].request.body == thumbnail.content
    assert post_body(rsps.calls[2])["content"] == {
        "article": {
            "source": "https://example.test/r/AbCdEf12",
            "title": "Our plant",
            "description": "Sun",
            "thumbnail": "urn:li:image:C4E10AQ2",
        }
    }


def test_without_an_item_image_the_card_goes_without_a_thumbnail(
    rsps: responses.RequestsMock,
) -> None:
    rsps.post(f"{LINKEDIN}/rest/posts", status=201, headers={"x-restli-id": "urn:li:share:73"})

    LinkedInProvider().publish(
        account=network_account("linkedin"),
        text=TEXT,
        client_ref="AbCdEf12",
        link=LinkCard(url="https://example.test/r/AbCdEf12", title="Our plant"),
    )

    assert len(rsps.calls) == 1
    assert post_body(rsps.calls[0])["content"] == {
        "article": {"source": "https://example.test/r/AbCdEf12", "title": "Our plant"}
    }


def test_a_card_picture_linkedin_refuses_leaves_the_card_without_one(
    rsps: responses.RequestsMock,
) -> None:
    initialize_upload(rsps, "urn:li:image:C4E10AQ9")
    rsps.put(UPLOAD_URL, status=400, json={"message": "Invalid image", "status": 400})
    rsps.post(f"{LINKEDIN}/rest/posts", status=201, headers={"x-restli-id": "urn:li:share:74"})

    post = LinkedInProvider().publish(
        account=network_account("linkedin"),
        text=TEXT,
        client_ref="AbCdEf12",
        link=LinkCard(
            url="https://example.test/r/AbCdEf12",
            title="Our plant",
            thumbnail=Media(content=b"not really a png", mime_type="image/png"),
        ),
    )

    assert post.external_id == "urn:li:share:74"
    assert post_body(rsps.calls[2])["content"] == {
        "article": {"source": "https://example.test/r/AbCdEf12", "title": "Our plant"}
    }


@pytest.mark.parametrize("failing", ["initialize", "upload"])
def test_a_linkedin_server_error_before_the_post_is_retried_not_unknown(
    rsps: responses.RequestsMock, failing: str
) -> None:
    if failing == "initialize":
        initialize_upload(rsps, "", status=500, json={"message": "Internal", "status": 500})
    else:
        initialize_upload(rsps, "urn:li:image:C4E10AQ3")
        rsps.put(UPLOAD_URL, status=503)

    with pytest.raises(ProviderError) as excinfo:
        LinkedInProvider().publish(
            account=network_account("linkedin"), text=TEXT, client_ref="c", photo=PHOTO
        )

    assert not excinfo.value.ambiguous and not excinfo.value.permanent
    assert all(c.request.url != f"{LINKEDIN}/rest/posts" for c in rsps.calls)


def test_a_connection_lost_during_the_upload_is_not_ambiguous(rsps: responses.RequestsMock) -> None:
    initialize_upload(rsps, "urn:li:image:C4E10AQ4")
    rsps.put(UPLOAD_URL, body=requests.ReadTimeout("read timed out"))

    with pytest.raises(ProviderError) as excinfo:
        LinkedInProvider().publish(
            account=network_account("linkedin"), text=TEXT, client_ref="c", photo=PHOTO
        )

    assert not excinfo.value.ambiguous and not excinfo.value.permanent


def test_an_upload_linkedin_refuses_fails_the_share_for_good(rsps: responses.RequestsMock) -> None:
    initialize_upload(rsps, "urn:li:image:C4E10AQ5")
    rsps.put(UPLOAD_URL, status=400, json={"message": "Invalid image", "status": 400})

    with pytest.raises(ProviderError) as excinfo:
        LinkedInProvider().publish(
            account=network_account("linkedin"), text=TEXT, client_ref="c", photo=PHOTO
        )

    assert excinfo.value.permanent and not excinfo.value.ambiguous


def test_an_expired_token_at_initialize_upload_asks_for_a_reconnect(
    rsps: responses.RequestsMock,
) -> None:
    initialize_upload(rsps, "", status=401, json={"message": "Expired", "status": 401})

    with pytest.raises(ProviderError) as excinfo:
        LinkedInProvider().publish(
            account=network_account("linkedin"), text=TEXT, client_ref="c", photo=PHOTO
        )

    assert excinfo.value.reconnect


@pytest.mark.parametrize(
    "upload_url",
    [
        "https://evil.example/collect",
        # Read as a linkedin.com host by urlsplit, sent to evil.example by urllib3.
        "https://evil.example\\.linkedin.com/collect",
        "https://evil.example\\@www.linkedin.com/collect",
        "https://www.linkedin.com@evil.example/collect",
        "http://www.linkedin.com/collect",
    ],
)
def test_the_members_token_never_goes_to_an_upload_address_off_linkedin(
    rsps: responses.RequestsMock, upload_url: str
) -> None:
    initialize_upload(
        rsps,
        "",
        json={"value": {"uploadUrl": upload_url, "image": "urn:li:image:X"}},
    )

    with pytest.raises(ProviderError) as excinfo:
        LinkedInProvider().publish(
            account=network_account("linkedin"), text=TEXT, client_ref="c", photo=PHOTO
        )

    assert excinfo.value.permanent
    assert len(rsps.calls) == 1  # nothing was sent to evil.example


# --- X ------------------------------------------------------------------------------------------


def test_a_photo_goes_to_x_through_the_v2_media_upload_then_the_post(
    rsps: responses.RequestsMock,
) -> None:
    rsps.post(
        f"{X}/2/media/upload",
        json={
            "data": {"id": "1880028106020515840", "media_key": "3_1880028106020515840", "size": 30}
        },
        match=[
            matchers.json_params_matcher(
                {
                    "media": base64.b64encode(PHOTO.content).decode(),
                    "media_category": "tweet_image",
                    "media_type": "image/jpeg",
                },
                strict_match=True,
            ),
            matchers.header_matcher({"Authorization": "Bearer access-1"}),
        ],
    )
    rsps.post(
        f"{X}/2/tweets",
        status=201,
        json={"data": {"id": "1880000000000000009", "text": "…"}},
        match=[
            matchers.json_params_matcher(
                {"text": TEXT, "media": {"media_ids": ["1880028106020515840"]}}, strict_match=True
            )
        ],
    )

    post = XProvider().publish(
        account=network_account("x", scopes=X_SCOPES), text=TEXT, client_ref="AbCdEf12", photo=PHOTO
    )

    assert [c.request.url for c in rsps.calls] == [f"{X}/2/media/upload", f"{X}/2/tweets"]
    assert post.external_id == "1880000000000000009"


def test_an_x_connection_without_media_write_is_told_to_reconnect_and_nothing_is_sent(
    rsps: responses.RequestsMock,
) -> None:
    with pytest.raises(ProviderError) as excinfo:
        XProvider().publish(account=network_account("x"), text=TEXT, client_ref="c", photo=PHOTO)

    assert excinfo.value.permanent and not excinfo.value.reconnect  # text shares keep working
    assert "reconnect your X account" in excinfo.value.message
    assert len(rsps.calls) == 0


@pytest.mark.parametrize(
    ("status", "permanent"), [(500, False), (503, False), (400, True), (403, True)]
)
def test_a_failed_x_media_upload_posts_nothing_and_is_never_unknown(
    rsps: responses.RequestsMock, status: int, permanent: bool
) -> None:
    rsps.post(
        f"{X}/2/media/upload",
        status=status,
        json={"title": "Error", "detail": "No", "status": status},
    )

    with pytest.raises(ProviderError) as excinfo:
        XProvider().publish(
            account=network_account("x", scopes=X_SCOPES), text=TEXT, client_ref="c", photo=PHOTO
        )

    assert not excinfo.value.ambiguous
    assert excinfo.value.permanent is permanent
    assert [c.request.url for c in rsps.calls] == [f"{X}/2/media/upload"]


def test_a_refused_connection_at_the_x_media_upload_is_retried(
    rsps: responses.RequestsMock,
) -> None:
    rsps.post(f"{X}/2/media/upload", body=connection_refused(f"{X}/2/media/upload"))

    with pytest.raises(ProviderError) as excinfo:
        XProvider().publish(
            account=network_account("x", scopes=X_SCOPES), text=TEXT, client_ref="c", photo=PHOTO
        )

    assert not excinfo.value.ambiguous and not excinfo.value.permanent
