"""The ambassador's own photo and the network pause banner in a real browser: an ambassador
attaches a phone photo to a share, sees it previewed upright and fitting a phone's screen,
shares it and finds it on the share page, while a colleague cannot open it; a marketing user
sees X paused for spent credits, presses "Credits topped up" and the banner goes, and an
ambassador never sees the banner. Nothing is published, so no worker is needed."""

import io
import re
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone
from PIL import ExifTags, Image, ImageDraw
from playwright.sync_api import expect

from advocacy.models import NetworkPause, Share
from advocacy.networks.pauses import network_pause_start
from tests import factories
from tests.browser.pages import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


def phone_photo(folder: Path) -> Path:
    """A 1200 x 800 JPEG taken "on its side" (EXIF orientation 6: shown upright it is 800 x
    1200), with a GPS position and a camera make, as a phone writes it."""
    image = Image.new("RGB", (1200, 800), (30, 90, 200))
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, 600, 800), fill=(220, 60, 40))
    draw.ellipse((450, 250, 750, 550), fill=(250, 210, 40))
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = 6
    exif[ExifTags.Base.Make] = "PhoneCo"
    exif[ExifTags.IFD.GPSInfo] = {1: "N", 2: (52.0, 22.0, 12.5), 3: "E", 4: (4.0, 53.0, 1.0)}
    path = folder / "holiday.jpg"
    image.save(path, "JPEG", exif=exif, quality=90)
    return path


def natural_size(img: Any) -> tuple[int, int]:
    """The picture's own size once the browser decoded it (0 x 0 for a broken picture)."""
    width, height = img.evaluate("i => [i.complete ? i.naturalWidth : 0, i.naturalHeight]")
    return int(width), int(height)


def test_an_ambassador_shares_an_item_with_their_own_photo_which_only_they_can_open(
    browser: Any, live_server: Any, output_dir: Path, tmp_path: Path
) -> None:
    factories.PolicyVersionFactory(required_disclosure="#employee")
    item = factories.ContentItemFactory(
        title="Our new office opens", caption_x="Our new office opens #employee"
    )
    factories.ambassador(username="amber", password="secret-pw")
    factories.ambassador(username="bruno", password="secret-pw")
    photo = phone_photo(tmp_path)

    page = browser.new_page(viewport={"width": 1100, "height": 900})
    page.set_default_timeout(15_000)
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    log_in(page, live_server.url, "amber", "secret-pw")

    page.goto(f"{live_server.url}/")
    page.get_by_role("link", name=re.compile("^Share")).first.click()
    expect(page).to_have_url(re.compile(rf"/content/{item.pk}/share/"))
    page.get_by_label(re.compile("caption", re.I)).fill(
        "The view from our new office on its first day #employee"
    )
    page.get_by_label("Your own photo (optional)").set_input_files(str(photo))

    # The preview is the photo as it will be posted: upright (taller than wide), not the file.
    preview = page.locator("#photo-check figure.photo-preview img")
    expect(preview).to_be_visible()
    expect(page.locator("#photo-check .errorlist")).to_have_count(0)
    width, height = natural_size(preview)
    assert 0 < width < height, (width, height)
    page.screenshot(path=str(output_dir / "editor-with-photo.png"), full_page=True)

    # On a phone the preview fits the screen: nothing scrolls sideways.
    page.set_viewport_size(PHONE)
    preview.scroll_into_view_if_needed()
    box = preview.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], box
    overflow = page.evaluate("document.documentElement.scrollWidth")
    assert overflow <= PHONE["width"], overflow
    page.screenshot(path=str(output_dir / "editor-with-photo-phone.png"), full_page=True)
    page.set_viewport_size({"width": 1100, "height": 900})

    page.get_by_role("button", name="Share now").click()

    share = Share.objects.get()
    expect(page).to_have_url(re.compile(rf"/shares/{share.pk}/"))
    expect(page.locator(".messages")).to_contain_text("Your share is on its way to Sandbox.")
    shown = page.locator("figure.photo-preview img")
    expect(shown).to_be_visible()
    width, height = natural_size(shown)
    assert 0 < width < height, (width, height)
    # A phone's portrait photo is shown whole within the window, not a page and a half tall.
    box = shown.bounding_box()
    assert box is not None and box["height"] <= 900, box
    page.screenshot(path=str(output_dir / "share-with-photo.png"), full_page=True)

    photo_url = shown.get_attribute("src")
    assert photo_url == f"/shares/{share.pk}/photo/"
    own = page.request.get(f"{live_server.url}{photo_url}")
    assert own.status == 200
    assert own.headers["content-type"] == "image/jpeg"
    assert b"PhoneCo" not in own.body()  # stored without the camera's data (nor its GPS)
    assert not Image.open(io.BytesIO(own.body())).getexif().get_ifd(ExifTags.IFD.GPSInfo)

    colleague = browser.new_context()
    try:
        other = colleague.new_page()
        other.set_default_timeout(15_000)
        log_in(other, live_server.url, "bruno", "secret-pw")
        expect(other.get_by_role("link", name="My shares")).to_be_visible()
        assert colleague.request.get(f"{live_server.url}{photo_url}").status == 404
    finally:
        colleague.close()
    assert dialogs == []


def test_marketing_resumes_x_after_topping_up_its_credits_and_ambassadors_see_no_banner(
    browser: Any, live_server: Any, output_dir: Path
) -> None:
    factories.PolicyVersionFactory()
    factories.marketing_user(username="mara", password="secret-pw")
    factories.ambassador(username="amber", password="secret-pw")
    waiting = factories.ShareFactory(
        network="x",
        status=Share.Status.SCHEDULED,
        problem=Share.Problem.CREDITS,
        next_attempt_at=timezone.now() + timedelta(hours=1),
    )
    network_pause_start(
        network="x",
        reason=NetworkPause.Reason.CREDITS,
        message="402 Payment Required: <b>CreditsDepleted</b>",
    )

    page = browser.new_page(viewport={"width": 1100, "height": 900})
    page.set_default_timeout(15_000)
    log_in(page, live_server.url, "mara", "secret-pw")
    page.goto(f"{live_server.url}/")
    banner = page.locator(".network-pauses")
    expect(banner).to_contain_text("X posting is paused: the X API credits are spent.")
    button = banner.get_by_role("button", name="Credits topped up")
    expect(button).to_be_visible()
    page.screenshot(path=str(output_dir / "banner-before.png"), full_page=True)

    button.click()

    expect(page).to_have_url(re.compile(r"/manage/budget/$"))
    expect(page.locator(".messages")).to_contain_text(
        "Thank you: 1 waiting share goes out again now."
    )
    expect(page.locator(".network-pauses")).to_have_count(0)
    # The budget page agrees: X's section no longer says it is paused nor offers the button.
    x_budget = page.locator("#budget-x")
    expect(x_budget).to_be_visible()
    expect(x_budget).not_to_contain_text("posting is paused")
    expect(x_budget.get_by_role("button", name="Credits topped up")).to_have_count(0)
    page.screenshot(path=str(output_dir / "banner-after.png"), full_page=True)
    waiting.refresh_from_db()
    assert waiting.next_attempt_at is not None and waiting.next_attempt_at <= timezone.now()
    page.goto(f"{live_server.url}/")
    expect(page.locator(".network-pauses")).to_have_count(0)

    ambassador = browser.new_context()
    try:
        network_pause_start(network="x", reason=NetworkPause.Reason.CREDITS, message="402")
        other = ambassador.new_page()
        other.set_default_timeout(15_000)
        log_in(other, live_server.url, "amber", "secret-pw")
        other.goto(f"{live_server.url}/")
        expect(other.get_by_role("heading", level=1)).to_be_visible()
        expect(other.locator(".network-pauses")).to_have_count(0)
        expect(other.locator("body")).not_to_contain_text("Credits topped up")
    finally:
        ambassador.close()
    page.reload()
    expect(page.locator(".network-pauses")).to_contain_text("X posting is paused")
