"""Auto-sharing: new items of a topic go into the ambassador's queue without a click each.

Nothing is posted on anyone's behalf without consent. Auto-sharing is that consent, given per
topic and network, recorded with its date, revocable at any time, and expiring after a year.
It only fills the queue: the queue's slots, pause and the policy still apply, and the
ambassador can reorder or remove what it added.
"""

import logging
from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from advocacy.models import AutoShareConsent, Network, NetworkAccount, QueueSlot, Share, User
from advocacy.sharing.queue import queue_add
from campaigns.models import CaptionVariant, ContentItem, Topic
from campaigns.selectors import content_items_available

logger = logging.getLogger(__name__)

CONSENT_DURATION = timedelta(days=365)
# Items tried per consent and run when the newest ones are refused (e.g. too similar).
CANDIDATES_PER_RUN = 5
# Refusals about the person rather than the item: trying another item would not help.
PERSON_CODES = frozenset(
    {
        "no_slots",
        "not_opted_in",
        "no_policy",
        "policy_not_acknowledged",
        "account_not_connected",
        "account_needs_reconnect",
        "no_allowed_time",
    }
)


def autoshare_active(*, user: User, now: datetime | None = None) -> QuerySet[AutoShareConsent]:
    """The ambassador's consents that are in force: neither revoked nor expired."""
    now = now or timezone.now()
    return AutoShareConsent.objects.filter(
        user=user, revoked_at__isnull=True, expires_at__gt=now
    ).select_related("topic")


@transaction.atomic
def autoshare_grant(*, user: User, topic: Topic, network: str) -> AutoShareConsent:
    """Consent to queue new items of `topic` for `network`, for a year. Granting again while
    a consent is in force returns that consent (its year is not extended)."""
    if network not in Network.values:
        raise ValidationError(
            _("Unknown network “%(network)s”.") % {"network": network}, code="bad_network"
        )
    user = User.objects.select_for_update().get(pk=user.pk)
    if not user.is_ambassador:
        raise ValidationError(
            _("Opt in as an ambassador before you turn on auto-sharing."), code="not_opted_in"
        )
    account = NetworkAccount.objects.filter(user=user, network=network).first()
    if account is None or not account.is_usable:
        raise ValidationError(
            _("Connect your %(network)s account before you turn on auto-sharing for it.")
            % {"network": Network(network).label},
            code="account_not_connected",
        )
    now = timezone.now()
    existing = autoshare_active(user=user, now=now).filter(topic=topic, network=network).first()
    if existing is not None:
        return existing
    consent = AutoShareConsent(
        user=user, topic=topic, network=network, expires_at=now + CONSENT_DURATION
    )
    consent.full_clean()
    consent.save()
    return consent


@transaction.atomic
def autoshare_revoke(*, consent: AutoShareConsent) -> AutoShareConsent:
    """Turn auto-sharing off. Shares it already queued stay in the queue, where the
    ambassador sees them and can remove them."""
    AutoShareConsent.objects.filter(pk=consent.pk, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    consent.refresh_from_db()
    return consent


def _caption(item: ContentItem, network: str) -> tuple[str, CaptionVariant | None]:
    """A caption variant no colleague has used yet, else the item's suggested caption."""
    used = Share.objects.filter(variant=OuterRef("pk"), status__in=Share.LIVE_STATUSES)
    variant = (
        CaptionVariant.objects.filter(item=item, network=network)
        .exclude(Exists(used))
        .order_by("pk")
        .first()
    )
    if variant is not None:
        return variant.text, variant
    return item.suggested_caption(network), None


def _candidates(consent: AutoShareConsent, now: datetime) -> QuerySet[ContentItem]:
    """The newest items of the topic published since the consent was given, available to
    the ambassador, that they never shared or queued to this network (a share they removed
    counts: removing it from the queue is an answer)."""
    shared = Share.objects.filter(user=consent.user, network=consent.network).values("content_item")
    return (
        content_items_available(user=consent.user, at=now)
        .filter(topics=consent.topic, published_at__gte=consent.granted_at)
        .exclude(pk__in=shared)
        .order_by("-published_at", "-pk")
    )


def _codes(error: ValidationError) -> set[str | None]:
    if hasattr(error, "error_dict"):
        return {part.code for parts in error.error_dict.values() for part in parts}
    return {part.code for part in error.error_list}


def _run_one(consent: AutoShareConsent, now: datetime) -> bool:
    for item in _candidates(consent, now)[:CANDIDATES_PER_RUN]:
        text, variant = _caption(item, consent.network)
        if not text:
            logger.info("auto-share %s: item %s has no caption, skipped", consent.pk, item.pk)
            continue
        try:
            queue_add(
                user=consent.user, item=item, network=consent.network, text=text, variant=variant
            )
        except ValidationError as error:
            logger.info(
                "auto-share %s: item %s not queued: %s",
                consent.pk,
                item.pk,
                " ".join(error.messages),
            )
            if PERSON_CODES & _codes(error):
                return False
            continue
        logger.info("auto-share %s: item %s queued", consent.pk, item.pk)
        return True
    return False


def autoshare_run(*, now: datetime | None = None) -> int:
    """Beat task body: queue at most one new item per consent in force. Returns how many
    shares were queued. A refusal (the policy, the queue) is logged, never raised: one
    person's problem must not stop the others'."""
    now = now or timezone.now()
    usable_account = NetworkAccount.objects.filter(
        user=OuterRef("user"),
        network=OuterRef("network"),
        status=NetworkAccount.Status.CONNECTED,
    ).exclude(access_token="")
    consents = (
        AutoShareConsent.objects.filter(
            revoked_at__isnull=True,
            expires_at__gt=now,
            user__ambassador_since__isnull=False,
            user__queue_paused=False,
        )
        .filter(Exists(QueueSlot.objects.filter(user=OuterRef("user"))))
        .filter(Exists(usable_account))
        .select_related("user", "topic")
        .order_by("pk")
    )
    queued = 0
    for consent in consents:
        try:
            if _run_one(consent, now):
                queued += 1
        except Exception:
            # Whatever breaks for one consent (a database hiccup) must not starve the others.
            logger.exception("auto-share %s failed", consent.pk)
    return queued
