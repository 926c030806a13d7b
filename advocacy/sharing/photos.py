"""An ambassador's own photo on a share (principle 4, "make it your own").

Every photo is decoded and re-encoded with Pillow before it is stored: what reaches the disk
and the networks is pixels only, without EXIF (GPS position, camera serial, time), XMP, comments
or text chunks. The EXIF orientation is applied first, so a photo taken upright stays upright
once the tag that said so is gone.

The limits come from the networks' documents (checked 2026-12-07):
- X: images up to 5 MB ("Size restrictions for uploading via API", https://docs.x.com/x-api/media;
  again in https://docs.x.com/x-api/media/quickstart/best-practices). The kinds JPEG, PNG, GIF
  and WEBP come from X's older media guide, not re-checked in the v2 pages: the product only
  ever sends JPEG and PNG, which every version names.
- LinkedIn Images API: JPG, GIF, PNG; fewer than 36,152,320 pixels (width x height).
  https://learn.microsoft.com/en-us/linkedin/marketing/community-management/shares/images-api
The product itself accepts JPEG and PNG up to 5 MB (the issue's rule, and X's limit).
"""

from __future__ import annotations

import io
import logging
import uuid
import warnings
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile, File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from advocacy.models import Network, NetworkAccount, Share
from advocacy.networks.base import Media, ProviderError
from advocacy.networks.oauth import PHOTO_SCOPES
from campaigns.models import ContentItem

logger = logging.getLogger(__name__)

MB = 1024 * 1024
# What the product accepts from the ambassador, before re-encoding.
MAX_UPLOAD_BYTES = 5 * MB
# Pillow names a JPEG that carries a multi-picture block (phones' HDR gain maps, Android's
# Ultra HDR) "MPO": it is a JPEG, and only its first picture is kept.
ACCEPTED_FORMATS = {"JPEG": "image/jpeg", "MPO": "image/jpeg", "PNG": "image/png"}
EXTENSIONS = {"image/jpeg": "jpg", "image/png": "png", "image/gif": "gif", "image/webp": "webp"}
# Larger photos are scaled down to this many pixels on the longest side: the networks show
# far less, and it keeps the re-encoded file within their limits.
MAX_SIDE = 4096
JPEG_QUALITIES = (88, 80, 70, 60)
# Pillow's own decompression-bomb threshold, kept even where a deployment switched it off.
DEFAULT_MAX_PIXELS = 89_478_485


def max_pixels() -> int:
    return Image.MAX_IMAGE_PIXELS or DEFAULT_MAX_PIXELS


@dataclass(frozen=True)
class ImageLimits:
    """What a network takes as a post's image. None: the network documents no such limit."""

    mime_types: frozenset[str]
    max_bytes: int | None = None
    max_pixels: int | None = None  # width x height must stay below this


NETWORK_LIMITS: dict[str, ImageLimits] = {
    # https://docs.x.com/x-api/media
    Network.X: ImageLimits(
        frozenset({"image/jpeg", "image/png", "image/gif", "image/webp"}), max_bytes=5 * MB
    ),
    # https://learn.microsoft.com/en-us/linkedin/marketing/community-management/shares/images-api
    Network.LINKEDIN: ImageLimits(
        frozenset({"image/jpeg", "image/png", "image/gif"}), max_pixels=36_152_320
    ),
    Network.SANDBOX: ImageLimits(frozenset(ACCEPTED_FORMATS.values()), max_bytes=5 * MB),
}


@dataclass(frozen=True)
class PreparedPhoto:
    """A photo after re-encoding: the bytes that are stored and posted."""

    content: bytes
    mime_type: str
    width: int
    height: int

    @property
    def extension(self) -> str:
        return EXTENSIONS[self.mime_type]


def _megabytes(size: int) -> str:
    return f"{size / MB:.1f}"


def _invalid(message: str, code: str) -> ValidationError:
    return ValidationError(message, code=code)


def _open(data: bytes) -> Image.Image:
    """Decode the upload, refusing what is not a JPEG or PNG and decompression bombs (a small
    file that claims billions of pixels) before any pixel is decoded."""
    with warnings.catch_warnings():
        # Pillow warns above MAX_IMAGE_PIXELS and only refuses above twice that: refuse at once.
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            image = Image.open(io.BytesIO(data))
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise _too_many_pixels() from None
        except (UnidentifiedImageError, OSError, ValueError, SyntaxError):
            raise _invalid(
                _("This file is not a picture we can read. Choose a JPEG or PNG photo."),
                "photo_not_image",
            ) from None
        if image.format not in ACCEPTED_FORMATS:
            # The name says nothing: a ".png" that is really a GIF or WEBP lands here.
            raise _invalid(
                _("This picture is a %(format)s file. Choose a JPEG or PNG photo.")
                % {"format": image.format or _("an unknown kind of")},
                "photo_format",
            )
        width, height = image.size
        if width * height > max_pixels():
            raise _too_many_pixels()
        try:
            image.load()
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise _too_many_pixels() from None
        except (OSError, ValueError, SyntaxError):
            raise _invalid(
                _("This photo is damaged or incomplete. Choose it again, or another one."),
                "photo_not_image",
            ) from None
    return image


def _too_many_pixels() -> ValidationError:
    return _invalid(
        _(
            "This picture has too many pixels to be processed safely. Choose a photo of at "
            "most %(max)d megapixels."
        )
        % {"max": max_pixels() // 1_000_000},
        "photo_too_many_pixels",
    )


def _clean(image: Image.Image, keep_alpha: bool) -> Image.Image:
    """Upright, scaled down, in a plain colour mode, with no metadata left on it."""
    upright = ImageOps.exif_transpose(image)
    has_alpha = keep_alpha and (
        upright.mode in ("RGBA", "LA", "PA")
        or (upright.mode == "P" and "transparency" in upright.info)
    )
    mode = "RGBA" if has_alpha else ("L" if upright.mode in ("1", "L") else "RGB")
    clean = upright.convert(mode)
    clean.thumbnail((MAX_SIDE, MAX_SIDE), Image.Resampling.LANCZOS)
    # Nothing of the original travels on: EXIF, XMP, comments, text chunks, ICC profile.
    clean.info = {}
    return clean


def _encode(image: Image.Image, mime_type: str, quality: int) -> bytes:
    out = io.BytesIO()
    if mime_type == "image/png":
        image.save(out, "PNG", optimize=True)
    else:
        image.save(out, "JPEG", quality=quality, optimize=True)
    return out.getvalue()


def photo_prepare(*, upload: File[bytes] | bytes) -> PreparedPhoto:
    """Validate an uploaded photo and re-encode it without any metadata. A JPEG stays a JPEG
    and a PNG a PNG; a PNG without transparency that comes out over the size limit becomes a
    JPEG. Raises ValidationError with a message the ambassador can act on."""
    if isinstance(upload, bytes):
        data = upload
    else:
        size = upload.size or 0
        if size > MAX_UPLOAD_BYTES:
            raise _invalid(
                _("This photo is %(size)s MB; photos can be at most %(max)d MB.")
                % {"size": _megabytes(size), "max": MAX_UPLOAD_BYTES // MB},
                "photo_too_large",
            )
        upload.seek(0)
        data = upload.read(MAX_UPLOAD_BYTES + 1)
    if len(data) > MAX_UPLOAD_BYTES:
        raise _invalid(
            _("This photo is %(size)s MB; photos can be at most %(max)d MB.")
            % {"size": _megabytes(len(data)), "max": MAX_UPLOAD_BYTES // MB},
            "photo_too_large",
        )
    image = _open(data)
    mime_type = ACCEPTED_FORMATS[str(image.format)]
    try:
        clean = _clean(image, keep_alpha=mime_type == "image/png")
    except (OSError, ValueError):  # a colour mode Pillow cannot convert
        raise _invalid(
            _("This photo cannot be prepared for posting. Save it as a JPEG and try again."),
            "photo_not_image",
        ) from None
    if mime_type == "image/png":
        content = _encode(clean, mime_type, 0)
        if len(content) > MAX_UPLOAD_BYTES and clean.mode != "RGBA":
            mime_type = "image/jpeg"  # a photo saved as PNG: JPEG keeps it within the limit
    if mime_type == "image/jpeg":
        for quality in JPEG_QUALITIES:
            content = _encode(clean, mime_type, quality)
            if len(content) <= MAX_UPLOAD_BYTES:
                break
    if len(content) > MAX_UPLOAD_BYTES:
        raise _invalid(
            _(
                "This photo is still %(size)s MB once prepared for posting; photos can be at "
                "most %(max)d MB. Choose a smaller photo, or save it as JPEG."
            )
            % {"size": _megabytes(len(content)), "max": MAX_UPLOAD_BYTES // MB},
            "photo_too_large",
        )
    return PreparedPhoto(content, mime_type, clean.width, clean.height)


def photo_check_network(*, photo: PreparedPhoto, network: str) -> None:
    """The network's own limits, with a message that names the network."""
    limits = NETWORK_LIMITS.get(network)
    if limits is None:
        return
    label = Network(network).label
    if photo.mime_type not in limits.mime_types:
        raise _invalid(
            _("%(network)s does not take %(kind)s pictures.")
            % {"network": label, "kind": photo.extension.upper()},
            "photo_network_format",
        )
    if limits.max_bytes is not None and len(photo.content) > limits.max_bytes:
        raise _invalid(
            _("%(network)s takes pictures of at most %(max)d MB; this one is %(size)s MB.")
            % {
                "network": label,
                "max": limits.max_bytes // MB,
                "size": _megabytes(len(photo.content)),
            },
            "photo_network_size",
        )
    if limits.max_pixels is not None and photo.width * photo.height >= limits.max_pixels:
        raise _invalid(
            _("%(network)s takes pictures of fewer than %(max)s pixels; this one has %(pixels)s.")
            % {
                "network": label,
                "max": f"{limits.max_pixels:,}",
                "pixels": f"{photo.width * photo.height:,}",
            },
            "photo_network_pixels",
        )


def photo_missing_scopes(*, account: NetworkAccount) -> tuple[str, ...]:
    """The permissions a connection lacks for posting photos: an X account connected before
    the product asked for media.write can post text, not photos, until it is reconnected."""
    granted = set(account.scopes.split())
    return tuple(scope for scope in PHOTO_SCOPES.get(account.network, ()) if scope not in granted)


def photo_check_account(*, account: NetworkAccount | None) -> None:
    if account is None or not photo_missing_scopes(account=account):
        return
    raise _invalid(
        _(
            "Your %(network)s connection was made before photos could be shared, so it may "
            "not upload pictures yet. Reconnect %(network)s on My networks to share photos; "
            "shares without a photo keep working meanwhile."
        )
        % {"network": account.get_network_display()},
        "photo_needs_reconnect",
    )


def photo_check(*, photo: PreparedPhoto, network: str, account: NetworkAccount | None) -> None:
    """Everything that decides whether this photo can go with a share to this account."""
    photo_check_network(photo=photo, network=network)
    photo_check_account(account=account)


def _delete_later(name: str) -> None:
    if not name:
        return
    storage = Share._meta.get_field("photo").storage
    transaction.on_commit(lambda: storage.delete(name))


def share_photo_set(*, share: Share, photo: PreparedPhoto | None) -> Share:
    """Attach, replace (photo) or remove (None) the photo of a share that has not started
    publishing. A published share's photo cannot change: it is what the network shows."""
    with transaction.atomic():
        locked = Share.objects.select_for_update(of=("self",)).select_related("account")
        share = locked.get(pk=share.pk)
        if share.status != Share.Status.SCHEDULED:
            raise _invalid(
                _("This share is %(status)s, so its photo can no longer change.")
                % {"status": share.get_status_display()},
                "not_editable",
            )
        old_name = share.photo.name or ""
        if photo is None:
            if not old_name:
                return share
            share.photo = ""
        else:
            photo_check(photo=photo, network=share.network, account=share.account)
            # A random name: the ambassador's own file name may say more than they meant to.
            share.photo.save(
                f"{uuid.uuid4().hex}.{photo.extension}", ContentFile(photo.content), save=False
            )
        share.updated_at = timezone.now()
        share.save(update_fields=["photo", "updated_at"])
        _delete_later(old_name)
    return share


def photo_media_type(name: str) -> str:
    extension = name.rsplit(".", 1)[-1].lower()
    return {"jpg": "image/jpeg", "jpeg": "image/jpeg", "png": "image/png", "gif": "image/gif"}.get(
        extension, ""
    )


def share_photo_media(*, share: Share) -> Media | None:
    """The share's photo as the provider uploads it. Raised as a permanent ProviderError when
    the stored file is gone: posting without the photo the ambassador chose is not an option."""
    if not share.photo:
        return None
    try:
        with share.photo.open("rb") as stored:
            content = stored.read()
    except OSError as exc:
        raise ProviderError(
            _("Your photo for this share could not be read: attach it again, then share."),
            permanent=True,
        ) from exc
    mime_type = photo_media_type(share.photo.name or "") or "image/jpeg"
    return Media(content=content, mime_type=mime_type)


def item_thumbnail(*, item: ContentItem) -> Media | None:
    """The content item's image for a link card, or None (the card then goes without one).
    Marketing's image is used as it is, if it is a kind every network takes."""
    if not item.image:
        return None
    mime_type = photo_media_type(item.image.name or "")
    if mime_type not in ("image/jpeg", "image/png", "image/gif"):
        return None
    try:
        with item.image.open("rb") as stored:
            content = stored.read()
    except OSError:
        logger.warning("item %s: its image cannot be read, the card goes without", item.pk)
        return None
    return Media(content=content, mime_type=mime_type)
