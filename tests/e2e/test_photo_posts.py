"""Image posts over real HTTP: an ambassador shares with their own photo through the API, a
separately started Celery worker uploads it and posts to the fake LinkedIn (Images API:
initializeUpload, the upload, then the post) and the fake X (v2 media upload, then the post);
a LinkedIn share without a photo gets the item's image as its card's thumbnail.

The photo is stored by this process and read by the worker: both use files in one temporary
folder (TEST_MEDIA_ROOT, see config/settings/test.py)."""

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.utils import timezone

from advocacy.models import NetworkAccount, Share, User
from tests import factories
from tests.advocacy.sharing.test_photos import jpeg_with_gps, png
from tests.conftest import api_for
from tests.fakenet import FakeNetServer, media, posts, request_log
from tests.fakenet.fixtures import APP_SETTINGS, register_account
from tests.worker import WorkerProcess, wait_for

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

X_SCOPES = "tweet.read tweet.write users.read offline.access media.write"


@pytest.fixture
def media_root(tmp_path: Path) -> Iterator[Path]:
    """Stored files on disk, where the worker process can read them too."""
    storages = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    with override_settings(STORAGES=storages, MEDIA_ROOT=str(tmp_path)):
        yield tmp_path


def ambassador_on_both(fake: FakeNetServer) -> User:
    user = factories.ambassador(username="amber")
    for network, external_id, scopes in (
        ("linkedin", "li-amber", "email openid profile w_member_social"),
        ("x", "x-amber", X_SCOPES),
    ):
        account = NetworkAccount.objects.create(
            user=user,
            network=network,
            external_id=external_id,
            display_name="Amber",
            access_token=f"{network}-access-amber",
            refresh_token="x-refresh-amber" if network == "x" else "",
            token_expires_at=timezone.now() + timedelta(hours=2),
            scopes=scopes,
        )
        register_account(fake, account)
    return user


def api_requests(fake: FakeNetServer, network: str) -> list[str]:
    """The API calls the fake received for one network, in order, as "METHOD path"."""
    return [
        f"{entry['method']} {entry['path']}"
        for entry in request_log(fake)
        if entry["network"] == network
    ]


def stored_bytes(share: Share) -> bytes:
    with share.photo.open("rb") as stored:
        return bytes(stored.read())


def test_photos_go_up_before_the_posts_that_carry_them_on_both_networks(
    celery_worker_process: WorkerProcess, fake: FakeNetServer, media_root: Path
) -> None:
    factories.PolicyVersionFactory()
    amber = ambassador_on_both(fake)
    celery_worker_process.restart(
        X_API_BASE_URL=fake.url,
        LINKEDIN_API_BASE_URL=fake.url,
        TEST_MEDIA_ROOT=str(media_root),
        **APP_SETTINGS,
    )
    try:
        api = api_for(amber)
        photo_item = factories.ContentItemFactory(title="Our new plant")
        card_item = factories.ContentItemFactory(
            title="Wind and sun", image=SimpleUploadedFile("plant.png", png(), "image/png")
        )
        ids: dict[str, Any] = {}
        for network in ("linkedin", "x"):
            created = api.post(
                "/api/shares/",
                {
                    "content_item": photo_item.pk,
                    "network": network,
                    "text": "Seen from my bike this morning",
                    "photo": SimpleUploadedFile("me.jpg", jpeg_with_gps(), "image/jpeg"),
                },
                format="multipart",
            )
            assert created.status_code == 201, created.json()
            ids[network] = created.json()["id"]
        with_card = api.post(
            "/api/shares/",
            {"content_item": card_item.pk, "network": "linkedin", "text": "Worth a read"},
            format="json",
        )
        assert with_card.status_code == 201, with_card.json()
        ids["card"] = with_card.json()["id"]

        published = wait_for(
            lambda: Share.objects.filter(pk__in=ids.values(), status="published").count() == 3,
            timeout=60,
        )
        assert published, list(Share.objects.filter(pk__in=ids.values()).values())
    finally:
        celery_worker_process.restart()

    shares = {key: Share.objects.get(pk=pk) for key, pk in ids.items()}
    # Each upload comes before the post that names it, and nothing is sent twice.
    linkedin_calls = [
        call for call in api_requests(fake, "linkedin") if not call.startswith("GET /v2/")
    ]
    uploads = [i for i, call in enumerate(linkedin_calls) if call.startswith("PUT ")]
    initializes = [i for i, call in enumerate(linkedin_calls) if "images" in call]
    post_calls = [i for i, call in enumerate(linkedin_calls) if call == "POST /rest/posts"]
    assert len(initializes) == len(uploads) == len(post_calls) == 2
    for initialize, upload, post in zip(initializes, uploads, post_calls, strict=True):
        assert initialize < upload < post
    assert api_requests(fake, "x") == ["POST /2/media/upload", "POST /2/tweets"]

    stored = {post["id"]: post for post in posts(fake)}
    uploaded = {item["id"]: item for item in media(fake)}
    image_post = stored[shares["linkedin"].external_id]
    image_urn = image_post["content"]["media"]["id"]
    assert uploaded[image_urn]["uploaded"] is True
    assert uploaded[image_urn]["size"] == len(stored_bytes(shares["linkedin"]))
    card = stored[shares["card"].external_id]["content"]["article"]
    assert uploaded[card["thumbnail"]]["mime_type"] == "image/png"
    assert card["source"].endswith(f"/r/{shares['card'].code}")
    tweet = stored[shares["x"].external_id]
    assert uploaded[tweet["media_ids"][0]]["size"] == len(stored_bytes(shares["x"]))
    # What went to the networks is the re-encoded photo, without its GPS position.
    assert b"PhoneCo" not in stored_bytes(shares["x"])
