"""Publishing a share exactly once.

The share row is the source of truth. A worker claims it with a conditional update
(scheduled -> publishing), commits, and only then calls the network. Whatever happens after
the call started is written back with another conditional update. A message that finds its
share already "publishing" never posts again: see `_handle_unclaimable`.
See docs/architecture.md and INTEGRATIONS.md ("Celery, for post exactly once").

The message comes from enqueue.py (or the dispatcher, dispatch.py); a share whose call may or
may not have reached the network is settled in reconcile.py.
"""

import logging
import random
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from advocacy.models import NetworkAccount, NetworkPause, Share, User
from advocacy.networks.accounts import account_mark_expired
from advocacy.networks.base import LinkCard, ProviderError, PublishedPost
from advocacy.networks.pauses import (
    PAUSE_PROBLEMS,
    network_pause_clear,
    network_pause_start,
    network_paused,
    pause_share_message,
)
from advocacy.networks.registry import get_provider
from advocacy.networks.rules import post_text, tracked_url
from advocacy.people.notify import notify_ambassador, share_url
from advocacy.publishing.budget import budget_release, budget_reserve, next_month
from advocacy.publishing.metrics import published_now
from advocacy.publishing.quotas import quota_take
from advocacy.publishing.reconcile import share_mark_unknown, share_reconcile
from advocacy.sharing.captions import policy_errors
from advocacy.sharing.photos import item_thumbnail, share_photo_media
from policy.selectors import policy_current, policy_current_id
from reports.services.marks import rollups_mark_changed

logger = logging.getLogger(__name__)


def _backoff(attempts: int) -> timedelta:
    # Exponential with full jitter: 30 s, 60 s, 120 s ... capped at 30 minutes.
    ceiling = min(30 * 2 ** max(attempts - 1, 0), 1800)
    return timedelta(seconds=random.uniform(ceiling / 2, ceiling))


def _short_backoff(attempts: int) -> timedelta:
    # RATE_LIMIT_SHORT_WAIT, doubling (2, 4, 8 minutes by default), with some jitter so that
    # the shares refused together do not all come back in the same second.
    ceiling = settings.RATE_LIMIT_SHORT_WAIT.total_seconds() * 2 ** max(attempts - 1, 0)
    return timedelta(seconds=random.uniform(ceiling * 3 / 4, ceiling))


def _claim(share_id: int, attempt_id: str, now: datetime) -> bool:
    due = Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now)
    # A correlated EXISTS rather than a join, which Django would turn into "id IN (SELECT ...)".
    user_paused = Exists(User.objects.filter(pk=OuterRef("user_id"), queue_paused=True))
    # One UPDATE, committed on its own (the worker runs in autocommit) before anything is
    # sent. Held shares and queued shares of a paused queue are not due, whatever the
    # message says.
    claimed = (
        Share.objects.filter(
            due,
            pk=share_id,
            status=Share.Status.SCHEDULED,
            scheduled_at__lte=now,
            held_reason="",
        )
        .exclude(Q(in_queue=True) & user_paused)
        .update(
            status=Share.Status.PUBLISHING,
            claimed_at=now,
            claimed_by=attempt_id,
            updated_at=now,
        )
    )
    return claimed == 1


def _finish(share_id: int, **fields: object) -> None:
    """Write the outcome, only if the row is still ours (still publishing)."""
    fields.setdefault("updated_at", timezone.now())
    if fields.get("status") != Share.Status.PUBLISHED:
        Share.objects.filter(pk=share_id, status=Share.Status.PUBLISHING).update(**fields)
        return
    with transaction.atomic():  # a published share counts in the rollups from this commit
        if Share.objects.filter(pk=share_id, status=Share.Status.PUBLISHING).update(**fields):
            # A published outcome always carries its published_at (a datetime) among the fields.
            rollups_mark_changed(changes=[(share_id, fields["published_at"])])  # type: ignore[list-item]


def _wait(share: Share, *, until: datetime, problem: str, reason: str) -> None:
    """Back to scheduled without spending an attempt: the share was not sent (a quota or the
    budget would have been exceeded) and goes when the beat task finds it due."""
    when = timezone.localtime(until).strftime("%Y-%m-%d %H:%M")
    _finish(
        share.pk,
        status=Share.Status.SCHEDULED,
        next_attempt_at=until,
        enqueued_at=None,
        problem=problem,
        error=_("%(reason)s It goes out after %(time)s.") % {"reason": reason, "time": when},
    )


def _wait_for_pause(share: Share, pause: NetworkPause) -> None:
    """Back to scheduled without spending an attempt: the whole network is paused for a
    reason of the app's (advocacy/networks/pauses.py). The dispatcher leaves the network's
    shares alone until the pause ends (None: when the pause lifts, not at a set time)."""
    _finish(
        share.pk,
        status=Share.Status.SCHEDULED,
        next_attempt_at=pause.resume_at,
        enqueued_at=None,
        problem=pause.reason,
        error=pause_share_message(pause),
    )


def _handle_unclaimable(share_id: int, attempt_id: str, now: datetime) -> None:
    share = Share.objects.filter(pk=share_id).first()
    if share is None or share.status != Share.Status.PUBLISHING:
        return  # done, cancelled, or not due yet: nothing to do
    stale = (
        share.claimed_at is None or share.claimed_at < now - settings.SHARE_PUBLISHING_STALE_AFTER
    )
    if share.claimed_by == attempt_id or stale:
        # Our own message came back (the worker died mid-call), or the attempt that claimed
        # the row stopped answering long ago: the post may or may not exist. Never post
        # blindly; reconcile instead.
        logger.warning(
            "share %s found mid-publish (attempt %s): marking unknown", share_id, attempt_id
        )
        share_mark_unknown(
            share_id=share_id,
            reason=_(
                "The worker stopped while this share was being posted; checking whether it appeared."
            ),
        )
        share.refresh_from_db()
        share_reconcile(share=share)
    # Otherwise another attempt is posting it right now: leave it alone.


def share_publish(*, share_id: int, attempt_id: str) -> None:
    now = timezone.now()
    if not _claim(share_id, attempt_id, now):
        _handle_unclaimable(share_id, attempt_id, now)
        return
    # The current policy's id comes with the share: a policy published since scheduling is
    # the rare case, and only then is the policy itself read.
    share = (
        Share.objects.select_related("account", "content_item")
        .annotate(current_policy_id=policy_current_id(), network_paused=network_paused(now=now))
        .get(pk=share_id)
    )
    if not _still_wanted(share, now):
        return
    account = share.account
    if account is None or not account.is_usable:
        _finish(
            share_id,
            status=Share.Status.FAILED,
            error=_(
                "Your %(network)s account is not connected any more: reconnect it and share again."
            )
            % {"network": share.get_network_display()},
        )
        return
    if getattr(share, "network_paused", False):
        # Enqueued before its network was paused (or sent now by hand): it waits with the
        # others instead of being refused once more.
        pause = NetworkPause.objects.filter(network=share.network).first()
        if pause is not None:
            _wait_for_pause(share, pause)
            return
    if not budget_reserve(share=share, now=now):
        # Marketing may raise the budget during the month: look again every hour.
        _wait(
            share,
            until=min(next_month(now), now + settings.BUDGET_RECHECK_AFTER),
            problem=Share.Problem.BUDGET,
            reason=_("This month's %(network)s budget is spent.")
            % {"network": share.get_network_display()},
        )
        return
    window_ends = quota_take(network=share.network, user_id=share.user_id, now=now)
    if window_ends is not None:
        budget_release(share_id=share_id)
        _wait(
            share,
            until=window_ends + timedelta(seconds=random.uniform(0, 5)),
            problem=Share.Problem.RATE_LIMIT,
            reason=_("%(network)s's posting limit for now is reached.")
            % {"network": share.get_network_display()},
        )
        return
    item = share.content_item
    try:
        provider = get_provider(share.network)
        # The ambassador's photo makes it an image post; without one, the link's card carries
        # the item's image where the network shows one (LinkedIn does not fetch it itself).
        photo = share_photo_media(share=share)
        post = provider.publish(
            account=account,
            text=post_text(share.text, share.code),
            client_ref=share.code,
            link=LinkCard(
                url=tracked_url(share.code),
                title=item.title,
                description=item.description,
                thumbnail=item_thumbnail(item=item)
                if photo is None and provider.card_thumbnails
                else None,
            ),
            photo=photo,
        )
    except ProviderError as exc:
        _record_failure(share, account, exc)
        return
    except Exception:
        # An unexpected error after the claim: the call may have gone out. Reconcile.
        logger.exception("share %s: unexpected error while publishing", share_id)
        share_mark_unknown(
            share_id=share_id,
            reason=_("Something went wrong while posting; checking whether it appeared."),
        )
        return
    _finish(
        share_id,
        status=Share.Status.PUBLISHED,
        **published_now(),
        external_id=post.external_id,
        external_url=post.url,
        error="",
        problem="",
        next_attempt_at=None,
    )
    if share.problem in PAUSE_PROBLEMS:
        # It waited for a pause of its network and went out: the pause is over. (Only then:
        # the usual success costs no query for it.)
        network_pause_clear(network=share.network)
    logger.info("share %s published as %s", share_id, post.external_id)


def _still_wanted(share: Share, now: datetime) -> bool:
    """Last checks after the claim, before anything is sent: the item may have expired or
    been withdrawn, and the policy may have changed, since the share was scheduled."""
    item = share.content_item
    if not item.is_available(now):
        reason = (
            _("“%(title)s” expired before your share went out, so it was cancelled.")
            if item.status == item.Status.PUBLISHED
            else _("“%(title)s” was withdrawn before your share went out, so it was cancelled.")
        ) % {"title": item.title}
        _finish(
            share.pk, status=Share.Status.CANCELLED, error=reason, problem=Share.Problem.ITEM_GONE
        )
        notify_ambassador(
            user=share.user,
            subject=_("Your share was cancelled"),
            body=f"{reason}\n\n{share_url(share)}",
        )
        return False
    current_id = getattr(share, "current_policy_id", None)
    policy = policy_current() if current_id != share.policy_version_id else None
    if policy is not None and policy.pk != share.policy_version_id:
        problems = policy_errors(policy, item, share.network, share.text)
        if problems:
            reason = _(
                "The fair-use policy changed (version %(number)s) and this caption breaks a "
                "rule: %(problems)s Edit the caption to send it."
            ) % {"number": policy.number, "problems": " ".join(problems)}
            _finish(
                share.pk,
                status=Share.Status.SCHEDULED,
                held_reason=reason,
                enqueued_at=None,
                problem=Share.Problem.POLICY,
            )
            notify_ambassador(
                user=share.user,
                subject=_("Your share is on hold"),
                body=f"{reason}\n\n{share_url(share)}",
            )
            return False
    return True


def _find_quietly(share: Share, account: NetworkAccount) -> PublishedPost | None:
    try:
        return get_provider(share.network).find_post(
            account=account, text=post_text(share.text, share.code), client_ref=share.code
        )
    except ProviderError:
        return None


def _record_failure(share: Share, account: NetworkAccount, exc: ProviderError) -> None:
    if exc.duplicate:
        # The network already holds this exact text, with this share's own tracked link: an
        # earlier attempt landed (INTEGRATIONS.md, X's duplicate-content 403). Look it up for
        # its id when the answer did not name it; it counts as published either way.
        found = exc.existing or _find_quietly(share, account)
        _finish(
            share.pk,
            status=Share.Status.PUBLISHED,
            **published_now(),
            external_id=found.external_id if found else "",
            external_url=found.url if found else "",
            error="",
            problem="",
            next_attempt_at=None,
        )
        return
    if exc.ambiguous:
        share_mark_unknown(share_id=share.pk, reason=exc.message)
        share.refresh_from_db()
        share_reconcile(share=share)
        return
    # Everything below surely did not post: the reserved cost goes back to the budget.
    budget_release(share_id=share.pk)
    if exc.pause:
        # Not the ambassador's failure: the network refuses the whole installation (LinkedIn's
        # retired API version, X's spent credits). The share waits with all the others.
        pause = network_pause_start(network=share.network, reason=exc.pause, message=exc.message)
        _wait_for_pause(share, pause)
    elif exc.reconnect:
        _account_expired(share, account, exc)
    elif exc.permanent or (
        # A network's limit (a 429 with its reset) is never the share's failure, however often
        # it is met: the share waits for the reset each time. Only real errors use up attempts.
        exc.retry_after is None and share.attempts + 1 >= settings.SHARE_MAX_ATTEMPTS
    ):
        _finish(
            share.pk, status=Share.Status.FAILED, error=exc.message, problem=Share.Problem.REFUSED
        )
    else:
        # Surely not posted: back to scheduled; the beat task picks it up when it is due.
        delay = exc.retry_after or _backoff(share.attempts + 1)
        if exc.short_first and share.attempts < settings.RATE_LIMIT_SHORT_RETRIES:
            # A limit that may be a short one (LinkedIn's 429): minutes first, and only a
            # repeated refusal waits for the network's reset (retry_after).
            delay = _short_backoff(share.attempts + 1)
        _finish(
            share.pk,
            status=Share.Status.SCHEDULED,
            attempts=share.attempts + 1,
            next_attempt_at=timezone.now() + delay,
            enqueued_at=None,
            problem=Share.Problem.RATE_LIMIT if exc.retry_after else "",
            error=_("%(reason)s Trying again at %(time)s.")
            % {
                "reason": exc.message,
                "time": timezone.localtime(timezone.now() + delay).strftime("%H:%M"),
            },
        )


def _account_expired(share: Share, account: NetworkAccount, exc: ProviderError) -> None:
    """The network refused the token (401, or a refresh that failed): the account needs the
    ambassador to reconnect; once they have, the failed shares can be retried in one go."""
    _finish(
        share.pk, status=Share.Status.FAILED, error=exc.message, problem=Share.Problem.RECONNECT
    )
    account_mark_expired(account=account, reason=exc.message, during="publishing")
