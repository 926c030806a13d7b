"""The new-content email: each ambassador chooses daily, weekly or off, and gets the best-ranked
items they have not shared, published since their last email, each with one-click "add to my
queue" links."""

import logging
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from advocacy.models import DigestFrequency, NetworkAccount, User
from advocacy.sharing.oneclick import DEFAULT_MAX_AGE_DAYS, oneclick_make
from campaigns.selectors import FEED_CANDIDATES, FeedEntry, feed_for_user

logger = logging.getLogger(__name__)

DIGEST_ITEMS = 5
# A little less than the period, so a beat tick that runs a few minutes early (or late the
# time before) does not push the email back by a whole tick.
DUE_AFTER = {
    DigestFrequency.DAILY: timedelta(hours=23),
    DigestFrequency.WEEKLY: timedelta(days=6, hours=12),
}
# The first email looks back one period.
FIRST_LOOK_BACK = {
    DigestFrequency.DAILY: timedelta(days=1),
    DigestFrequency.WEEKLY: timedelta(days=7),
}


def _since(user: User, now: datetime) -> datetime:
    if user.digest_sent_at is not None:
        return user.digest_sent_at
    return now - FIRST_LOOK_BACK.get(
        DigestFrequency(user.digest_frequency), FIRST_LOOK_BACK[DigestFrequency.WEEKLY]
    )


def _why(entry: FeedEntry, interests: set[int]) -> str:
    matching = [topic.name for topic in entry.item.topics.all() if topic.pk in interests]
    if matching:
        return _("You follow %(topics)s.") % {"topics": ", ".join(sorted(matching))}
    if entry.item.campaign is not None:
        return _("New in the campaign “%(campaign)s”.") % {"campaign": entry.item.campaign.name}
    return _("New in the library.")


def _links(user: User, entry: FeedEntry, networks: list[NetworkAccount]) -> list[dict[str, str]]:
    # Built from SITE_URL rather than reverse(): the link is opened from a mail client.
    return [
        {
            "network": account.network,
            "label": account.get_network_display(),
            "url": f"{settings.SITE_URL}/q/"
            + oneclick_make(user=user, item=entry.item, network=account.network),
        }
        for account in networks
    ]


def digest_build(
    *, user: User, limit: int = DIGEST_ITEMS, now: datetime | None = None
) -> dict[str, Any]:
    """What the email says: up to `limit` feed entries published since the last email, best
    ranked first, each with why it fits and one one-click link per connected network."""
    now = now or timezone.now()
    since = _since(user, now)
    interests = set(user.interests.values_list("pk", flat=True))
    networks = [
        account for account in NetworkAccount.objects.filter(user=user) if account.is_usable
    ]
    entries = []
    for entry in feed_for_user(user=user, at=now, limit=FEED_CANDIDATES):
        if (entry.item.published_at or entry.item.created_at) <= since:
            continue
        entries.append(
            {
                "item": entry.item,
                "title": entry.item.title,
                "url": entry.item.url,
                "why": _why(entry, interests),
                "topics": [topic.name for topic in entry.item.topics.all()],
                "links": _links(user, entry, networks),
            }
        )
        if len(entries) >= limit:
            break
    return {
        "user": user,
        "since": since,
        "entries": entries,
        "subject": ngettext(
            "%(count)d new item to share", "%(count)d new items to share", len(entries)
        )
        % {"count": len(entries)},
        "link_days": DEFAULT_MAX_AGE_DAYS,
        "feed_url": settings.SITE_URL + reverse("feed"),
        "settings_url": f"{settings.SITE_URL}/networks/",
    }


def _mark(user: User, previous: datetime | None, now: datetime) -> bool:
    """Claim this round with a conditional update: of two beat ticks (or workers) looking at
    the same person at once, only one sends."""
    claimed = User.objects.filter(pk=user.pk, digest_sent_at=previous).update(digest_sent_at=now)
    if claimed:
        user.digest_sent_at = now
    return bool(claimed)


def digest_send(*, user: User, now: datetime | None = None) -> bool:
    """Send the email if there is something new; True when one was sent. digest_sent_at also
    moves on when there is nothing new: it marks how far new content was looked at, so the
    next round looks only at what came after and the feed is not re-ranked on every tick."""
    now = now or timezone.now()
    previous = user.digest_sent_at
    digest = digest_build(user=user, now=now)
    if not _mark(user, previous, now):
        return False
    if not digest["entries"] or not user.email:
        return False
    message = EmailMultiAlternatives(
        subject=digest["subject"],
        body=render_to_string("email/digest.txt", digest),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[user.email],
    )
    message.attach_alternative(render_to_string("email/digest.html", digest), "text/html")
    try:
        message.send()
    except Exception:
        # Not sent: give the round back so the next tick tries again.
        User.objects.filter(pk=user.pk, digest_sent_at=now).update(digest_sent_at=previous)
        user.digest_sent_at = previous
        raise
    return True


def digests_due(*, now: datetime) -> Q:
    due = Q()
    for frequency, after in DUE_AFTER.items():
        due |= Q(digest_frequency=frequency) & (
            Q(digest_sent_at__isnull=True) | Q(digest_sent_at__lte=now - after)
        )
    return due


def digests_send_due(*, now: datetime | None = None) -> int:
    """Beat body: every opted-in ambassador whose daily or weekly email is due. One failure
    (a refused address) is logged and does not stop the others. Returns how many were sent."""
    now = now or timezone.now()
    users = (
        User.objects.filter(is_active=True, ambassador_since__isnull=False)
        .exclude(email="")
        .filter(digests_due(now=now))
        .order_by("pk")
    )
    sent = 0
    for user in users.iterator(chunk_size=200):
        try:
            sent += digest_send(user=user, now=now)
        except Exception:
            logger.exception("could not send the new-content email to user %s", user.pk)
    return sent
