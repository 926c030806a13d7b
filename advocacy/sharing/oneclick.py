"""One-click "add to my queue" links (in the new-content email): signed, expiring, and usable
once. The token carries who, what, where, a random nonce and its expiry; the signature (keyed
by SECRET_KEY and a salt of its own) makes any change to it a forged link."""

import secrets
import zoneinfo
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from advocacy.models import Network, OneClickUse, Share, User
from advocacy.sharing.queue import queue_add
from campaigns.models import ContentItem
from campaigns.variants import suggested_caption_for

SALT = "advocacy.oneclick"  # part of every signed link already sent: never changes
DEFAULT_MAX_AGE_DAYS = 7


@dataclass(frozen=True)
class OneClick:
    user: User
    item: ContentItem
    network: str
    nonce: str
    expires_at: datetime


def _invalid() -> ValidationError:
    return ValidationError(
        _("This link is not valid (it may be incomplete or changed). Open the feed instead."),
        code="link_invalid",
    )


def oneclick_make(
    *, user: User, item: ContentItem, network: str, max_age_days: int = DEFAULT_MAX_AGE_DAYS
) -> str:
    expires_at = timezone.now() + timedelta(days=max_age_days)
    payload = {
        "u": user.pk,
        "i": item.pk,
        "n": network,
        "x": secrets.token_urlsafe(16),
        "e": int(expires_at.timestamp()),
    }
    return signing.dumps(payload, salt=SALT, compress=True)


@dataclass(frozen=True)
class _Payload:
    user_id: int
    item_id: int
    network: str
    nonce: str
    expires_at: datetime


def _payload(token: str) -> _Payload:
    try:
        data = signing.loads(token, salt=SALT)
    except signing.BadSignature:
        raise _invalid() from None
    if not isinstance(data, dict):
        raise _invalid()
    user_id, item_id, network = data.get("u"), data.get("i"), data.get("n")
    nonce, expires = data.get("x"), data.get("e")
    if not (
        isinstance(user_id, int)
        and isinstance(item_id, int)
        and isinstance(network, str)
        and network in Network.values
        and isinstance(nonce, str)
        and isinstance(expires, int)
    ):
        raise _invalid()
    return _Payload(user_id, item_id, network, nonce, datetime.fromtimestamp(expires, tz=UTC))


def oneclick_read(*, token: str, user: User | None = None) -> OneClick:
    """What a link would add, after every check (signature, person, expiry, not used yet), but
    without using it: for a confirmation page that shows the item before the click."""
    payload = _payload(token)
    owner = User.objects.filter(pk=payload.user_id, is_active=True).first()
    if owner is None:
        raise _invalid()
    if user is not None and user.pk != owner.pk:
        raise ValidationError(
            _("This link was made for someone else. Open your own feed instead."),
            code="link_invalid",
        )
    if timezone.now() >= payload.expires_at:
        zone = zoneinfo.ZoneInfo(owner.time_zone or settings.TIME_ZONE)
        raise ValidationError(
            _("This link expired on %(date)s; open the feed instead.")
            % {"date": payload.expires_at.astimezone(zone).strftime("%Y-%m-%d %H:%M")},
            code="link_expired",
        )
    if OneClickUse.objects.filter(nonce=payload.nonce).exists():
        raise _used()
    item = ContentItem.objects.filter(pk=payload.item_id).first()
    if item is None:
        raise ValidationError(
            _("This item is not available for sharing."), code="item_not_published"
        )
    return OneClick(
        user=owner,
        item=item,
        network=payload.network,
        nonce=payload.nonce,
        expires_at=payload.expires_at,
    )


def _used() -> ValidationError:
    return ValidationError(
        _("This link was already used: each one works once. Open the feed instead."),
        code="link_used",
    )


def oneclick_use(*, token: str, user: User | None = None) -> Share:
    """Add the linked item to its person's queue with the suggested caption (a variant not yet
    used by colleagues, when marketing wrote some). The link is marked used in the same
    transaction: if adding fails (say the network needs reconnecting) the link still works
    after the fix, and two clicks at once add one share, not two."""
    link = oneclick_read(token=token, user=user)
    with transaction.atomic():
        try:
            with transaction.atomic():
                OneClickUse.objects.create(nonce=link.nonce)
        except IntegrityError:
            raise _used() from None
        text, variant = suggested_caption_for(user=link.user, item=link.item, network=link.network)
        return queue_add(
            user=link.user, item=link.item, network=link.network, text=text, variant=variant
        )
