"""Retrying the shares that failed because a connection had expired, once the ambassador has
reconnected: each re-checked against today's item, policy and live shares, then scheduled
for now on the new connection."""

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from advocacy.models import NetworkAccount, Share, User
from advocacy.people.eligibility import person_check
from advocacy.sharing.captions import policy_errors
from advocacy.sharing.enqueue import share_enqueue
from policy.models import PolicyVersion


@dataclass
class RetryOutcome:
    retried: list[Share] = field(default_factory=list)
    # Each share left as it was, with the reason a person reads.
    skipped: list[tuple[Share, str]] = field(default_factory=list)


def _retry_refusal(share: Share, policy: PolicyVersion, now: datetime) -> str | None:
    item = share.content_item
    if not item.is_available(now):
        return _("“%(title)s” is no longer available for sharing.") % {"title": item.title}
    live = Share.objects.filter(
        user_id=share.user_id,
        network=share.network,
        content_item=item,
        status__in=Share.LIVE_STATUSES,
    ).exclude(pk=share.pk)
    if live.exists():
        return _("“%(title)s” is already shared or scheduled on this account.") % {
            "title": item.title
        }
    problems = policy_errors(policy, item, share.network, share.text)
    if problems:
        return _("The current fair-use policy does not allow this caption: %(problems)s") % {
            "problems": " ".join(problems)
        }
    return None


def shares_retry_failed(
    *, user: User, account: NetworkAccount, shares: Sequence[Share] | None = None
) -> RetryOutcome:
    """After a reconnect: put the shares that failed because the connection had expired back
    to "scheduled" now, on the new connection, each re-checked against the current policy.
    `shares` narrows it to some of them (the caller checked they are the person's own)."""
    outcome = RetryOutcome()
    with transaction.atomic():
        # One retry per person at a time; rows locked so two clicks cannot both enqueue.
        User.objects.select_for_update().filter(pk=user.pk).first()
        account = NetworkAccount.objects.select_for_update().get(pk=account.pk, user=user)
        if not account.is_usable:
            raise ValidationError(
                _("Reconnect your %(network)s account first, then retry.")
                % {"network": account.get_network_display()},
                code="account_needs_reconnect",
            )
        policy = person_check(user=user)
        candidates = Share.objects.select_for_update().filter(
            user=user,
            network=account.network,
            status=Share.Status.FAILED,
            problem=Share.Problem.RECONNECT,
        )
        if shares is not None:
            candidates = candidates.filter(pk__in=[share.pk for share in shares])
        now = timezone.now()
        for share in candidates.select_related("content_item").order_by("scheduled_at", "pk"):
            reason = _retry_refusal(share, policy, now)
            if reason is None:
                reason = _reschedule(share, account=account, policy=policy, now=now)
            if reason is not None:
                outcome.skipped.append((share, reason))
                continue
            share_enqueue(share=share)
            outcome.retried.append(share)
    return outcome


def _reschedule(
    share: Share, *, account: NetworkAccount, policy: PolicyVersion, now: datetime
) -> str | None:
    share.status = Share.Status.SCHEDULED
    share.account = account
    share.policy_version = policy
    share.scheduled_at = now
    share.attempts = 0
    share.error = ""
    share.problem = ""
    share.held_reason = ""
    share.next_attempt_at = None
    share.claimed_at = None
    share.claimed_by = ""
    share.enqueued_at = None
    share.potential_reach = account.followers_count
    try:
        # The partial unique index is the last word: a share of the same item made in
        # another tab since the check wins, and this one stays failed.
        with transaction.atomic():
            share.save()
    except IntegrityError:
        share.refresh_from_db()
        return _("“%(title)s” is already shared or scheduled on this account.") % {
            "title": share.content_item.title
        }
    return None
