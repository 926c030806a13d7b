"""The dispatcher: the beat task's sweep of what is due.

Every run enqueues the scheduled shares that are due (or whose message was lost), no more per
network than its posting quota still allows in this window and nothing for a network paused
for the whole installation; it marks shares stuck in "publishing" as unknown and looks again
for the unknown shares whose lookup failed.
"""

from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from advocacy.models import Network, Share
from advocacy.networks.pauses import network_pauses_holding, network_pauses_lift_stale
from advocacy.networks.registry import get_provider
from advocacy.publishing.quotas import quota_room
from advocacy.publishing.reconcile import share_mark_unknown, share_reconcile
from advocacy.sharing.enqueue import shares_enqueue


def shares_dispatch_due(*, now: datetime | None = None, limit: int = 1000) -> int:
    """The beat task's body: enqueue shares that are due (or whose message was lost), and
    mark shares stuck in "publishing" as unknown. Costs grow with what is due, not with what
    is stored (index on status, scheduled_at)."""
    now = now or timezone.now()
    for share in Share.objects.filter(
        status=Share.Status.PUBLISHING, claimed_at__lt=now - settings.SHARE_PUBLISHING_STALE_AFTER
    ).select_related("account")[:limit]:
        share_mark_unknown(
            share_id=share.pk,
            reason=_("Posting took too long; checking whether it appeared."),
        )
        share.refresh_from_db()
        share_reconcile(share=share)

    # Unknown shares whose lookup failed (the network was unreachable): look again.
    lookable = [n for n in Network.values if get_provider(n).can_find_posts]
    for share in Share.objects.filter(
        status=Share.Status.UNKNOWN,
        network__in=lookable,
        updated_at__lt=now - settings.SHARE_RECONCILE_AGAIN_AFTER,
    ).select_related("account", "content_item")[:limit]:
        share_reconcile(share=share)

    # A network paused for the whole installation gets nothing until the pause ends; a
    # version pause ends here once the processes send another version.
    network_pauses_lift_stale()
    paused = {pause.network for pause in network_pauses_holding(now=now)}

    lost = now - settings.SHARE_REENQUEUE_AFTER
    due = (
        Share.objects.filter(status=Share.Status.SCHEDULED, scheduled_at__lte=now, held_reason="")
        .exclude(in_queue=True, user__queue_paused=True)
        .filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
        .filter(Q(enqueued_at__isnull=True) | Q(enqueued_at__lt=lost))
        .order_by("scheduled_at")
    )
    with transaction.atomic():
        due_ids: list[int] = []
        # Per network, no more than the app's posting quota still allows in this window: a
        # big launch waits here for the next window rather than churning through the worker.
        for network in Network.values:
            if network in paused:
                continue
            room = quota_room(network=network, now=now)
            if room is not None:
                # Messages already waiting in the broker will take their share of the room.
                room -= Share.objects.filter(
                    network=network, status=Share.Status.SCHEDULED, enqueued_at__gte=lost
                ).count()
            take = limit if room is None else min(limit, room)
            if take > 0:
                due_ids += due.filter(network=network).values_list("pk", flat=True)[:take]
        if due_ids:
            shares_enqueue(share_ids=due_ids, now=now)
    return len(due_ids)
