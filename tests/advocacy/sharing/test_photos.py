"""An ambassador's own photo on a share: re-encoded without EXIF, checked against the product's
and each network's limits, attached in the editor and the API, served to its owner and to
marketing only, and posted by the worker (LinkedIn's Images API, X's v2 media upload)."""

import io
import json
import struct
import zlib
from datetime import timedelta
from typing import Any

import pytest
import responses
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import ExifTags, Image

from advocacy.models import NetworkAccount, Share, User
from advocacy.publishing.publish import share_publish
from advocacy.sharing.photos import (
    MAX_UPLOAD_BYTES,
    PreparedPhoto,
    photo_check_account,
    photo_check_network,
    photo_prepare,
    share_photo_set,
)
from advocacy.sharing.scheduling import share_schedule
from advocacy.sharing.shares import share_create
from tests import factories
from tests.conftest import api_for, client_for

pytestmark = pytest.mark.django_db

# --- Pictures made for the tests ---------------------------------------------------------------


def jpeg_with_gps(*, orientation: int = 6) -> bytes:
    """40 x 20 pixels, left half red, right half blue, taken "on its side": the EXIF says
    rotate 90 degrees clockwise to show it (orientation 6). With a GPS position, a camera make
    and a comment."""
    image = Image.new("RGB", (40, 20), (0, 0, 255))
    image.paste((255, 0, 0), (0, 0, 20, 20))
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = orientation
    exif[ExifTags.Base.Make] = "PhoneCo"
    exif[ExifTags.IFD.GPSInfo] = {1: "N", 2: (52.0, 22.0, 12.5), 3: "E", 4: (4.0, 53.0, 1.0)}
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif, quality=95, comment=b"at home")
    return out.getvalue()


def png(size: tuple[int, int] = (30, 30), mode: str = "RGB", **params: Any) -> bytes:
    out = io.BytesIO()
    Image.new(mode, size, (10, 200, 30) if mode == "RGB" else (10, 200, 30, 128)).save(
        out, "PNG", **params
    )
    return out.getvalue()


def gif() -> bytes:
    out = io.BytesIO()
    Image.new("P", (10, 10)).save(out, "GIF")
    return out.getvalue()


def png_header_only(width: int, height: int) -> bytes:
    """A tiny PNG file that claims width x height pixels: what a decompression bomb looks like
    before anything is decoded."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00"))
        + chunk(b"IEND", b"")
    )


def upload(content: bytes, name: str = "photo.jpg", content_type: str = "image/jpeg") -> Any:
    return SimpleUploadedFile(name, content, content_type=content_type)


def reopened(photo: PreparedPhoto) -> Image.Image:
    return Image.open(io.BytesIO(photo.content))


def x_account(user: User, scopes: str = "tweet.read tweet.write users.read offline.access") -> Any:
    return NetworkAccount.objects.create(
        user=user,
        network="x",
        external_id=f"x-{user.pk}",
        display_name="@amber",
        access_token="x-access",
        refresh_token="x-refresh",
        token_expires_at=timezone.now() + timedelta(hours=2),
        scopes=scopes,
    )


def linkedin_account(user: User) -> Any:
    return NetworkAccount.objects.create(
        user=user,
        network="linkedin",
        external_id="AbC123xyz",
        display_name="Amber",
        access_token="li-access",
        token_expires_at=timezone.now() + timedelta(days=30),
        scopes="email openid profile w_member_social",
    )


def error_code(excinfo: pytest.ExceptionInfo[ValidationError]) -> str:
    return str(excinfo.value.error_list[0].code)


# --- Re-encoding and limits ---------------------------------------------------------------------


def test_a_jpeg_with_a_gps_position_comes_out_without_any_exif_and_upright() -> None:
    photo = photo_prepare(upload=upload(jpeg_with_gps()))

    result = reopened(photo)
    assert photo.mime_type == "image/jpeg"
    assert dict(result.getexif()) == {}
    assert "exif" not in result.info and "comment" not in result.info
    assert b"PhoneCo" not in photo.content and b"at home" not in photo.content
    # Turned as the orientation tag said before the tag was dropped: the red left half of
    # the sensor is now the top.
    assert result.size == (20, 40)
    red, _green, blue = result.convert("RGB").getpixel((10, 5))  # type: ignore[misc]
    assert red > 200 and blue < 60
    red, _green, blue = result.convert("RGB").getpixel((10, 35))  # type: ignore[misc]
    assert blue > 200 and red < 60


def test_a_phones_jpeg_with_a_second_picture_is_a_jpeg_of_its_first_picture() -> None:
    # HDR phones add a gain map as a second picture (MPO); Pillow then reports "MPO".
    first, second = Image.new("RGB", (40, 20), (250, 0, 0)), Image.new("RGB", (40, 20), (0, 0, 250))
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "PhoneCo"
    buffer = io.BytesIO()
    first.save(buffer, "MPO", save_all=True, append_images=[second], exif=exif)
    assert Image.open(io.BytesIO(buffer.getvalue())).format == "MPO"

    photo = photo_prepare(upload=upload(buffer.getvalue()))

    result = reopened(photo)
    assert photo.mime_type == "image/jpeg"
    assert result.format == "JPEG" and getattr(result, "n_frames", 1) == 1
    assert b"PhoneCo" not in photo.content
    red, _green, blue = result.convert("RGB").getpixel((20, 10))  # type: ignore[misc]
    assert red > 200 and blue < 60


def test_a_png_keeps_its_transparency_and_loses_its_text_and_exif() -> None:
    from PIL.PngImagePlugin import PngInfo

    info = PngInfo()
    info.add_text("Location", "52.37 N, 4.89 E")
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "PhoneCo"
    photo = photo_prepare(upload=upload(png(mode="RGBA", pnginfo=info, exif=exif), "a.png"))

    result = reopened(photo)
    assert photo.mime_type == "image/png"
    assert result.mode == "RGBA"
    assert b"Location" not in photo.content and b"PhoneCo" not in photo.content
    assert dict(result.getexif()) == {}


def test_a_photo_over_5_mb_is_refused_with_its_size() -> None:
    too_big = upload(b"\xff\xd8" + b"\x00" * MAX_UPLOAD_BYTES)

    with pytest.raises(ValidationError) as excinfo:
        photo_prepare(upload=too_big)

    assert error_code(excinfo) == "photo_too_large"
    assert "5.0 MB" in excinfo.value.messages[0] and "at most 5 MB" in excinfo.value.messages[0]


def test_a_file_that_is_not_a_picture_is_refused() -> None:
    with pytest.raises(ValidationError) as excinfo:
        photo_prepare(upload=upload(b"%PDF-1.7 not a photo", "cv.pdf", "application/pdf"))

    assert error_code(excinfo) == "photo_not_image"
    assert "not a picture" in excinfo.value.messages[0]


@pytest.mark.parametrize(
    ("content", "code"),
    [(b"<html><script>alert(1)</script></html>", "photo_not_image"), (gif(), "photo_format")],
    ids=["html", "gif"],
)
def test_a_png_that_is_really_something_else_is_refused(content: bytes, code: str) -> None:
    with pytest.raises(ValidationError) as excinfo:
        photo_prepare(upload=upload(content, "holiday.png", "image/png"))

    assert error_code(excinfo) == code
    assert "JPEG or PNG" in excinfo.value.messages[0]


def test_a_damaged_jpeg_is_refused() -> None:
    broken = jpeg_with_gps()[:-200]

    with pytest.raises(ValidationError) as excinfo:
        photo_prepare(upload=upload(broken))

    assert error_code(excinfo) == "photo_not_image"


@pytest.mark.parametrize("side", [10_000, 40_000], ids=["warned-by-pillow", "refused-by-pillow"])
def test_a_decompression_bomb_is_refused_before_it_is_decoded(side: int) -> None:
    with pytest.raises(ValidationError) as excinfo:
        photo_prepare(upload=upload(png_header_only(side, side), "bomb.png", "image/png"))

    assert error_code(excinfo) == "photo_too_many_pixels"
    assert "too many pixels" in excinfo.value.messages[0]


def test_pillows_own_bomb_error_becomes_the_same_clear_message(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 100)

    with pytest.raises(ValidationError) as excinfo:
        photo_prepare(upload=upload(png((30, 30)), "a.png"))  # 900 pixels: over twice 100

    assert error_code(excinfo) == "photo_too_many_pixels"


def test_a_large_photo_is_scaled_down_to_4096_pixels_on_its_longest_side() -> None:
    out = io.BytesIO()
    Image.new("RGB", (5000, 1000), (200, 100, 50)).save(out, "JPEG", quality=50)

    photo = photo_prepare(upload=upload(out.getvalue()))

    assert (photo.width, photo.height) == (4096, 819)
    assert reopened(photo).size == (4096, 819)


def test_each_networks_documented_limits_are_checked_with_its_name() -> None:
    big = PreparedPhoto(b"x" * (5 * 1024 * 1024 + 1), "image/jpeg", 100, 100)
    with pytest.raises(ValidationError) as excinfo:
        photo_check_network(photo=big, network="x")
    assert error_code(excinfo) == "photo_network_size"
    assert excinfo.value.messages[0].startswith("X takes pictures of at most 5 MB")

    huge = PreparedPhoto(b"x", "image/jpeg", 6100, 6000)  # 36.6 million pixels
    with pytest.raises(ValidationError) as excinfo:
        photo_check_network(photo=huge, network="linkedin")
    assert error_code(excinfo) == "photo_network_pixels"
    assert "36,152,320" in excinfo.value.messages[0]

    webp = PreparedPhoto(b"x", "image/webp", 10, 10)
    with pytest.raises(ValidationError):
        photo_check_network(photo=webp, network="linkedin")
    photo_check_network(photo=webp, network="x")  # X takes WEBP
    photo_check_network(photo=big, network="linkedin")  # LinkedIn names no byte limit
    photo_check_network(photo=huge, network="x")


def test_an_x_account_connected_before_media_write_must_reconnect_for_photos(
    ambassador_user: User,
) -> None:
    account = x_account(ambassador_user)

    with pytest.raises(ValidationError) as excinfo:
        photo_check_account(account=account)

    assert error_code(excinfo) == "photo_needs_reconnect"
    assert "Reconnect X on My networks" in excinfo.value.messages[0]
    account.scopes += " media.write"
    photo_check_account(account=account)
    photo_check_account(account=linkedin_account(factories.ambassador()))


# --- Attaching, replacing, removing ----------------------------------------------------------


def scheduled_share(user: User, item: Any, network: str = "sandbox") -> Share:
    return share_schedule(
        user=user,
        item=item,
        network=network,
        text="My words",
        when=timezone.now() + timedelta(days=1),
    )


def test_a_photo_is_stored_re_encoded_under_a_random_name(ambassador_user: User, item: Any) -> None:
    share = scheduled_share(ambassador_user, item)

    share = share_photo_set(
        share=share, photo=photo_prepare(upload=upload(jpeg_with_gps(), "amber-home.jpg"))
    )

    assert share.photo.name.startswith("shares/") and share.photo.name.endswith(".jpg")
    assert "amber" not in share.photo.name
    with share.photo.open("rb") as stored:
        assert dict(Image.open(stored).getexif()) == {}


def test_removing_the_photo_of_a_scheduled_share_deletes_the_file(
    ambassador_user: User, item: Any, django_capture_on_commit_callbacks: Any
) -> None:
    share = scheduled_share(ambassador_user, item)
    with django_capture_on_commit_callbacks(execute=True):
        share = share_photo_set(share=share, photo=photo_prepare(upload=upload(png(), "a.png")))
    name = share.photo.name
    storage = share.photo.storage

    with django_capture_on_commit_callbacks(execute=True):
        share = share_photo_set(share=share, photo=None)

    assert not Share.objects.get(pk=share.pk).photo
    assert not storage.exists(name)


def test_a_published_shares_photo_cannot_change(ambassador_user: User, item: Any) -> None:
    share = scheduled_share(ambassador_user, item)
    Share.objects.filter(pk=share.pk).update(status=Share.Status.PUBLISHED)

    with pytest.raises(ValidationError) as excinfo:
        share_photo_set(share=share, photo=photo_prepare(upload=upload(png(), "a.png")))

    assert error_code(excinfo) == "not_editable"
    assert not Share.objects.get(pk=share.pk).photo


# --- The editor --------------------------------------------------------------------------------


def test_the_editor_is_a_multipart_form_with_a_photo_input(
    ambassador_user: User, item: Any
) -> None:
    page = client_for(ambassador_user).get(f"/content/{item.pk}/share/").content.decode()

    assert 'enctype="multipart/form-data"' in page
    assert 'type="file" name="photo"' in page
    assert 'accept="image/jpeg,image/png"' in page


def test_sharing_with_a_photo_stores_it_without_exif(ambassador_user: User, item: Any) -> None:
    response = client_for(ambassador_user).post(
        f"/content/{item.pk}/share/",
        {
            "network": "sandbox",
            "text": "Our plant, seen from my bike",
            "action": "now",
            "photo": upload(jpeg_with_gps()),
        },
    )

    assert response.status_code == 302
    share = Share.objects.get(user=ambassador_user)
    with share.photo.open("rb") as stored:
        assert dict(Image.open(stored).getexif()) == {}


def test_a_bad_photo_keeps_the_caption_and_says_why(ambassador_user: User, item: Any) -> None:
    response = client_for(ambassador_user).post(
        f"/content/{item.pk}/share/",
        {
            "network": "sandbox",
            "text": "Words I took time to write",
            "action": "now",
            "photo": upload(b"GIF89a....", "x.png", "image/png"),
        },
    )

    page = response.content.decode()
    assert response.status_code == 400
    assert "Words I took time to write</textarea>" in page
    assert "This file is not a picture we can read" in page
    assert "Choose your photo again" in page
    assert not Share.objects.filter(user=ambassador_user).exists()


def test_a_photo_for_an_old_x_connection_asks_to_reconnect_while_text_still_shares(
    ambassador_user: User, item: Any
) -> None:
    x_account(ambassador_user)
    browser = client_for(ambassador_user)

    refused = browser.post(
        f"/content/{item.pk}/share/",
        {
            "network": "x",
            "text": "With my photo",
            "action": "now",
            "photo": upload(jpeg_with_gps()),
        },
    )
    shared = browser.post(
        f"/content/{item.pk}/share/", {"network": "x", "text": "Without a photo", "action": "now"}
    )

    page = refused.content.decode()
    assert refused.status_code == 400
    assert "Reconnect X on My networks to share photos" in page
    assert 'href="/networks/"' in page
    assert shared.status_code == 302
    assert Share.objects.get(user=ambassador_user).text == "Without a photo"


def test_the_photo_check_previews_the_photo_as_it_will_be_posted(
    ambassador_user: User, item: Any
) -> None:
    response = client_for(ambassador_user).post(
        f"/content/{item.pk}/photo-check/", {"network": "sandbox", "photo": upload(jpeg_with_gps())}
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert 'src="data:image/jpeg;base64,' in page
    preview = page.split("base64,", 1)[1].split('"', 1)[0]
    import base64

    shown = Image.open(io.BytesIO(base64.b64decode(preview)))
    assert shown.size == (20, 40)  # upright
    assert dict(shown.getexif()) == {}


def test_the_photo_check_tells_an_old_x_connection_to_reconnect(
    ambassador_user: User, item: Any
) -> None:
    x_account(ambassador_user)

    page = (
        client_for(ambassador_user)
        .post(
            f"/content/{item.pk}/photo-check/", {"network": "x", "photo": upload(jpeg_with_gps())}
        )
        .content.decode()
    )

    assert "Reconnect X on My networks to share photos" in page
    assert "data:image" not in page


def test_the_linkedin_preview_shows_the_card_with_the_items_image(
    ambassador_user: User, policy: Any
) -> None:
    item = factories.ContentItemFactory(
        title="Our new plant",
        description="Sun and wind",
        image=SimpleUploadedFile("plant.png", png(), "image/png"),
    )
    linkedin_account(ambassador_user)

    page = (
        client_for(ambassador_user)
        .post(f"/content/{item.pk}/caption-check/", {"network": "linkedin", "text": "Proud"})
        .content.decode()
    )

    assert 'class="link-card"' in page
    assert item.image.url in page
    assert "Our new plant" in page and "Sun and wind" in page


# --- The share page: showing, replacing and removing -------------------------------------------


def test_the_share_page_shows_the_photo_and_can_remove_it(ambassador_user: User, item: Any) -> None:
    share = scheduled_share(ambassador_user, item)
    share_photo_set(share=share, photo=photo_prepare(upload=upload(png(), "a.png")))
    browser = client_for(ambassador_user)

    page = browser.get(f"/shares/{share.pk}/").content.decode()
    assert f'src="/shares/{share.pk}/photo/"' in page
    assert 'name="remove_photo"' in page

    response = browser.post(
        f"/shares/{share.pk}/edit/",
        {"text": "My words", "when": _edit_when(share, ambassador_user), "remove_photo": "on"},
    )
    assert response.status_code == 302
    assert not Share.objects.get(pk=share.pk).photo


def test_the_share_page_replaces_the_photo(ambassador_user: User, item: Any) -> None:
    share = scheduled_share(ambassador_user, item)

    response = client_for(ambassador_user).post(
        f"/shares/{share.pk}/edit/",
        {
            "text": "My words",
            "when": _edit_when(share, ambassador_user),
            "photo": upload(jpeg_with_gps()),
        },
    )

    assert response.status_code == 302
    assert Share.objects.get(pk=share.pk).photo.name.endswith(".jpg")


def _edit_when(share: Share, user: User) -> str:
    import zoneinfo

    moment = (share.requested_at or share.scheduled_at).astimezone(
        zoneinfo.ZoneInfo(user.time_zone)
    )
    return moment.strftime("%Y-%m-%dT%H:%M")


# --- Who may see a photo -----------------------------------------------------------------------


@pytest.fixture
def shared_photo(ambassador_user: User, item: Any) -> Share:
    share = scheduled_share(ambassador_user, item)
    return share_photo_set(share=share, photo=photo_prepare(upload=upload(jpeg_with_gps())))


def test_the_owner_and_marketing_see_the_photo_and_nobody_else(
    shared_photo: Share, marketing: User
) -> None:
    owner = client_for(shared_photo.user).get(f"/shares/{shared_photo.pk}/photo/")
    by_marketing = client_for(marketing).get(f"/shares/{shared_photo.pk}/photo/")
    colleague = client_for(factories.ambassador()).get(f"/shares/{shared_photo.pk}/photo/")

    assert owner.status_code == 200
    assert owner["Content-Type"] == "image/jpeg"
    assert "private" in owner["Cache-Control"]
    assert Image.open(io.BytesIO(b"".join(owner.streaming_content))).size == (20, 40)
    assert by_marketing.status_code == 200
    assert colleague.status_code == 404


def test_a_share_without_a_photo_has_no_photo_page(ambassador_user: User, item: Any) -> None:
    share = scheduled_share(ambassador_user, item)

    assert client_for(ambassador_user).get(f"/shares/{share.pk}/photo/").status_code == 404


# --- The API ------------------------------------------------------------------------------------


def test_the_api_takes_a_photo_on_create_and_returns_its_url(
    ambassador_user: User, item: Any
) -> None:
    api = api_for(ambassador_user)

    created = api.post(
        "/api/shares/",
        {
            "content_item": item.pk,
            "network": "sandbox",
            "text": "Mine",
            "photo": upload(jpeg_with_gps()),
        },
        format="multipart",
    )

    assert created.status_code == 201, created.json()
    photo_url = created.json()["photo_url"]
    assert photo_url == f"http://127.0.0.1:8000/api/shares/{created.json()['id']}/photo/"
    fetched = api.get(photo_url.removeprefix("http://127.0.0.1:8000"), HTTP_ACCEPT="image/jpeg")
    assert fetched.status_code == 200
    assert fetched["Content-Type"] == "image/jpeg"
    assert dict(Image.open(io.BytesIO(b"".join(fetched.streaming_content))).getexif()) == {}


def test_the_api_refuses_a_photo_for_an_old_x_connection_with_its_code(
    ambassador_user: User, item: Any
) -> None:
    x_account(ambassador_user)

    refused = api_for(ambassador_user).post(
        "/api/shares/",
        {"content_item": item.pk, "network": "x", "text": "Mine", "photo": upload(jpeg_with_gps())},
        format="multipart",
    )

    assert refused.status_code == 400
    assert refused.json()["code"] == "photo_needs_reconnect"
    assert not Share.objects.filter(user=ambassador_user).exists()


def test_the_api_refuses_a_bad_photo_and_creates_nothing(ambassador_user: User, item: Any) -> None:
    refused = api_for(ambassador_user).post(
        "/api/shares/",
        {
            "content_item": item.pk,
            "network": "sandbox",
            "text": "Mine",
            "photo": upload(b"not a photo"),
        },
        format="multipart",
    )

    assert refused.status_code == 400
    assert refused.json()["code"] == "photo_not_image"
    assert not Share.objects.filter(user=ambassador_user).exists()


def test_the_api_replaces_and_removes_the_photo_of_a_scheduled_share(
    ambassador_user: User, item: Any
) -> None:
    api = api_for(ambassador_user)
    share = scheduled_share(ambassador_user, item)

    added = api.patch(
        f"/api/shares/{share.pk}/", {"photo": upload(png(), "p.png")}, format="multipart"
    )
    assert added.status_code == 200, added.json()
    assert added.json()["photo_url"].endswith(f"/api/shares/{share.pk}/photo/")
    assert added.json()["text"] == "My words"

    removed = api.patch(f"/api/shares/{share.pk}/", {"remove_photo": True}, format="json")
    assert removed.status_code == 200
    assert removed.json()["photo_url"] is None


def test_the_api_will_not_change_a_published_shares_photo(ambassador_user: User, item: Any) -> None:
    share = scheduled_share(ambassador_user, item)
    Share.objects.filter(pk=share.pk).update(status=Share.Status.PUBLISHED)

    refused = api_for(ambassador_user).patch(
        f"/api/shares/{share.pk}/", {"photo": upload(png(), "p.png")}, format="multipart"
    )

    assert refused.status_code == 400
    assert refused.json()["code"] == "not_editable"


def test_another_persons_photo_is_a_404_in_the_api(shared_photo: Share, marketing: User) -> None:
    url = f"/api/shares/{shared_photo.pk}/photo/"

    assert api_for(factories.ambassador()).get(url).status_code == 404
    assert api_for(marketing).get(url).status_code == 200


# --- Publishing --------------------------------------------------------------------------------

LINKEDIN = "https://api.linkedin.com"
X_API = "https://api.twitter.com"
UPLOAD_URL = "https://www.linkedin.com/dms-uploads/sp/D4E10AQ/upload?token=abc"


def _linkedin_image_calls(rsps: responses.RequestsMock, urn: str) -> None:
    rsps.post(
        f"{LINKEDIN}/rest/images?action=initializeUpload",
        json={"value": {"uploadUrlExpiresAt": 1, "uploadUrl": UPLOAD_URL, "image": urn}},
    )
    rsps.put(UPLOAD_URL, status=201)


def test_the_worker_posts_the_photo_to_linkedin_as_an_image_post(
    ambassador_user: User, item: Any
) -> None:
    linkedin_account(ambassador_user)
    share = share_create(user=ambassador_user, item=item, network="linkedin", text="My photo")
    share_photo_set(share=share, photo=photo_prepare(upload=upload(jpeg_with_gps())))
    stored = Share.objects.get(pk=share.pk).photo.open("rb").read()

    with responses.RequestsMock(assert_all_requests_are_fired=True) as rsps:
        _linkedin_image_calls(rsps, "urn:li:image:C4E10AQ1")
        rsps.post(f"{LINKEDIN}/rest/posts", status=201, headers={"x-restli-id": "urn:li:share:1"})
        share_publish(share_id=share.pk, attempt_id="a-1")
        calls = [(call.request.method, call.request.url) for call in rsps.calls]
        uploaded = rsps.calls[1].request.body
        post = json.loads(rsps.calls[2].request.body or b"{}")

    assert calls == [
        ("POST", f"{LINKEDIN}/rest/images?action=initializeUpload"),
        ("PUT", UPLOAD_URL),
        ("POST", f"{LINKEDIN}/rest/posts"),
    ]
    assert uploaded == stored
    assert post["content"] == {"media": {"id": "urn:li:image:C4E10AQ1"}}
    assert Share.objects.get(pk=share.pk).status == Share.Status.PUBLISHED


def test_the_worker_gives_linkedins_card_the_items_image(
    ambassador_user: User, policy: Any
) -> None:
    item = factories.ContentItemFactory(
        title="Plant", image=SimpleUploadedFile("plant.png", png(), "image/png")
    )
    linkedin_account(ambassador_user)
    share = share_create(user=ambassador_user, item=item, network="linkedin", text="Look")

    with responses.RequestsMock(assert_all_requests_are_fired=True) as rsps:
        _linkedin_image_calls(rsps, "urn:li:image:C4E10AQ2")
        rsps.post(f"{LINKEDIN}/rest/posts", status=201, headers={"x-restli-id": "urn:li:share:2"})
        share_publish(share_id=share.pk, attempt_id="a-1")
        uploaded = rsps.calls[1].request.body
        post = json.loads(rsps.calls[2].request.body or b"{}")

    assert uploaded == item.image.open("rb").read()
    assert post["content"]["article"]["thumbnail"] == "urn:li:image:C4E10AQ2"
    assert post["content"]["article"]["source"].endswith(f"/r/{share.code}")


def test_an_x_share_never_reads_the_items_image(
    ambassador_user: User, policy: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    # X makes its own card from the page: the worker has no reason to open the file.
    item = factories.ContentItemFactory(
        title="Plant", image=SimpleUploadedFile("plant.png", png(), "image/png")
    )
    x_account(ambassador_user)
    share = share_create(user=ambassador_user, item=item, network="x", text="Look")
    opened = []
    monkeypatch.setattr(
        "advocacy.publishing.publish.item_thumbnail", lambda **kwargs: opened.append(kwargs)
    )

    with responses.RequestsMock(assert_all_requests_are_fired=True) as rsps:
        rsps.post(f"{X_API}/2/tweets", status=201, json={"data": {"id": "77", "text": "Look"}})
        share_publish(share_id=share.pk, attempt_id="a-1")

    assert opened == []
    assert Share.objects.get(pk=share.pk).status == Share.Status.PUBLISHED


def test_a_failed_image_upload_is_surely_not_posted_and_tried_again(
    ambassador_user: User, item: Any
) -> None:
    linkedin_account(ambassador_user)
    share = share_create(user=ambassador_user, item=item, network="linkedin", text="My photo")
    share_photo_set(share=share, photo=photo_prepare(upload=upload(jpeg_with_gps())))

    with responses.RequestsMock(assert_all_requests_are_fired=True) as rsps:
        rsps.post(
            f"{LINKEDIN}/rest/images?action=initializeUpload",
            json={"value": {"uploadUrl": UPLOAD_URL, "image": "urn:li:image:C4E10AQ3"}},
        )
        rsps.put(UPLOAD_URL, status=500)
        share_publish(share_id=share.pk, attempt_id="a-1")

    share.refresh_from_db()
    assert share.status == Share.Status.SCHEDULED  # not "unknown": nothing was posted
    assert share.attempts == 1
    assert share.next_attempt_at is not None


def test_the_api_schema_documents_the_photo_upload_and_the_photo() -> None:
    import yaml
    from rest_framework.test import APIClient

    schema = yaml.safe_load(APIClient().get("/api/schema/").content)

    paths = schema["paths"]
    assert set(paths["/api/shares/{id}/photo/"]) == {"get"}
    for path, method in (("/api/shares/", "post"), ("/api/shares/{id}/", "patch")):
        content = paths[path][method]["requestBody"]["content"]
        assert {"application/json", "multipart/form-data"} <= set(content)
    assert "photo_url" in schema["components"]["schemas"]["Share"]["properties"]


def test_a_queued_share_can_carry_a_photo_and_a_bad_one_keeps_the_caption(
    ambassador_user: User, item: Any
) -> None:
    from datetime import time

    from advocacy.sharing.queue import queue_slots_set

    queue_slots_set(user=ambassador_user, slots=[(1, time(8, 30))])
    browser = client_for(ambassador_user)
    url = f"/content/{item.pk}/queue/"

    refused = browser.post(
        url, {"network": "sandbox", "text": "Queued words", "photo": upload(gif(), "a.png")}
    )
    queued = browser.post(
        url, {"network": "sandbox", "text": "Queued words", "photo": upload(jpeg_with_gps())}
    )

    assert refused.status_code == 400
    assert "Queued words</textarea>" in refused.content.decode()
    assert queued.status_code == 302
    share = Share.objects.get(user=ambassador_user)
    assert share.in_queue and share.photo.name.endswith(".jpg")
