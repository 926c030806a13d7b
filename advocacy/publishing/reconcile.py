"""Shares whose outcome is unknown: the call to the network started, and nothing says whether
the post appeared (the worker died mid-call, the network's answer was lost or ambiguous).

Such a share is never posted blindly again. Where the network can be searched, the post is
looked for: found, the share is published; not found, it goes back to "scheduled" (posting it
cannot duplicate it). Where the network offers no way to look (LinkedIn), the ambassador is
asked, and their answer (`share_confirm`) settles it the same way.
"""

import logging

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from advocacy.models import Share
from advocacy.networks.base import ProviderError, PublishedPost
from advocacy.networks.registry import get_provider
from advocacy.networks.rules import post_text
from advocacy.people.notify import notify_ambassador, share_url
from advocacy.publishing.budget import budget_release
from advocacy.publishing.metrics import published_now
from advocacy.sharing.enqueue import share_enqueue
from reports.services.marks import rollups_mark_changed

logger = logging.getLogger(__name__)


def share_mark_unknown(*, share_id: int, reason: str) -> None:
    """The call may have reached the network: the share waits in "unknown" until
    `share_reconcile` (or the ambassador) finds out, if it is still publishing."""
    Share.objects.filter(pk=share_id, status=Share.Status.PUBLISHING).update(
        status=Share.Status.UNKNOWN,
        error=reason,
        updated_at=timezone.now(),
    )


def share_reconcile(*, share: Share) -> Share:
    """Find out whether a share in "unknown" reached the network. Where the network offers
    no way to look (LinkedIn), the ambassador is asked whether the post appeared."""
    if share.status != Share.Status.UNKNOWN or share.account is None:
        return share
    provider = get_provider(share.network)
    if not provider.can_find_posts:
        _ask_ambassador(share)
        return share
    try:
        post = provider.find_post(
            account=share.account, text=post_text(share.text, share.code), client_ref=share.code
        )
    except ProviderError as exc:
        # Looked for but not reachable now: the beat task looks again later.
        logger.info("share %s cannot be reconciled now: %s", share.pk, exc.message)
        return share
    if post is not None:
        _settle_unknown(share, post)
    else:
        _repost_unknown(share)
    share.refresh_from_db()
    return share


def _settle_unknown(share: Share, post: PublishedPost | None) -> None:
    now = timezone.now()
    published = published_now()
    with transaction.atomic():  # a published share counts in the rollups from this commit
        if Share.objects.filter(pk=share.pk, status=Share.Status.UNKNOWN).update(
            status=Share.Status.PUBLISHED,
            **published,
            external_id=post.external_id if post else "",
            external_url=post.url if post else "",
            error="",
            problem="",
            updated_at=now,
        ):
            rollups_mark_changed(changes=[(share.pk, published["published_at"])])


def _repost_unknown(share: Share) -> None:
    """The post is not on the network: posting it now cannot duplicate it."""
    budget_release(share_id=share.pk)
    Share.objects.filter(pk=share.pk, status=Share.Status.UNKNOWN).update(
        status=Share.Status.SCHEDULED,
        enqueued_at=None,
        next_attempt_at=None,
        error="",
        updated_at=timezone.now(),
    )


def _ask_ambassador(share: Share) -> None:
    network = share.get_network_display()
    notify_ambassador(
        user=share.user,
        subject=_("Did your %(network)s post appear?") % {"network": network},
        body=_(
            "%(network)s did not confirm your post of “%(title)s” and offers no way for us to "
            "look it up. Please check your profile and tell us whether it appeared, so it is "
            "neither lost nor posted twice:\n%(url)s"
        )
        % {"network": network, "title": share.content_item.title, "url": share_url(share)},
    )


def share_confirm(*, share: Share, appeared: bool, post_url: str = "") -> Share:
    """The ambassador's answer to "did this appear?" for a share in "unknown"."""
    if share.status != Share.Status.UNKNOWN:
        raise ValidationError(
            _("This share is not waiting for your answer any more (it is %(status)s).")
            % {"status": share.get_status_display()},
            code="not_unknown",
        )
    if appeared:
        _settle_unknown(share, PublishedPost(external_id="", url=post_url) if post_url else None)
    else:
        _repost_unknown(share)
        share.refresh_from_db()
        share_enqueue(share=share)
    share.refresh_from_db()
    return share
