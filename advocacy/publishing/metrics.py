"""Reading engagement back from the networks, on a schedule that follows the post's age.

A post gathers most of its views in its first two days: its figures are read every
METRICS_EARLY_EVERY then, daily until METRICS_TRACK_DAYS, and never after. Each share carries
the moment of its next read (`metrics_due_at`, indexed), so a refresh costs what is due, not
what was ever published. Reads are batched per account (X: 100 ids per request).
"""

import logging
from collections import defaultdict
from datetime import datetime, timedelta
from typing import NamedTuple

from django.conf import settings
from django.db import transaction
from django.db.models import Case, Value, When
from django.utils import timezone

from advocacy.models import MetricSnapshot, NetworkAccount, Share
from advocacy.networks.accounts import account_mark_expired
from advocacy.networks.base import ProviderError
from advocacy.networks.pauses import network_pause_start, network_pauses_holding
from advocacy.networks.registry import get_provider
from reports.services.marks import rollups_mark_changed

logger = logging.getLogger(__name__)
BATCH = 100  # X's get_tweets takes up to 100 ids per request
NEEDS_RECONNECT = (NetworkAccount.Status.EXPIRED, NetworkAccount.Status.REVOKED)


def published_now() -> dict[str, datetime]:
    """The fields of a share that has just been published: its figures are read at the next
    metrics refresh, then on this module's schedule."""
    now = timezone.now()
    return {"published_at": now, "metrics_due_at": now}


def _reschedule(shares: list[Share], now: datetime) -> None:
    """Set the next read of every share read (or skipped) at `now`, in one UPDATE."""
    early = now - settings.METRICS_EARLY_DAYS
    done = now - timedelta(days=settings.METRICS_TRACK_DAYS)
    Share.objects.filter(pk__in=[share.pk for share in shares]).update(
        metrics_due_at=Case(
            When(published_at__lte=done, then=Value(None)),
            When(published_at__gt=early, then=Value(now + settings.METRICS_EARLY_EVERY)),
            default=Value(now + timedelta(days=1)),
        )
    )


def metrics_refresh(*, now: datetime | None = None, limit: int = 5000) -> int:
    """Read engagement for the published shares whose read is due, store a snapshot per share
    (None where the network reports nothing: "not available", never 0) and set the next read.

    Shares of an account whose token the network refused are left out and keep their due
    time: their reads resume at the first refresh after the ambassador reconnects."""
    now = now or timezone.now()
    due = list(
        Share.objects.filter(
            status=Share.Status.PUBLISHED, metrics_due_at__lte=now, account__isnull=False
        )
        .exclude(external_id="")
        .exclude(account__status__in=NEEDS_RECONNECT)
        .order_by("metrics_due_at")
        .only("pk", "account_id", "external_id", "network", "published_at")[:limit]
    )
    by_account: dict[int, list[Share]] = defaultdict(list)
    for share in due:
        by_account[share.account_id].append(share)  # type: ignore[index]  # never None: account__isnull=False
    stored = 0
    unread: set[int] = set()
    accounts = NetworkAccount.objects.in_bulk(list(by_account))
    # A network paused for the whole installation refuses every account alike: it is not
    # asked (each refusal is a request, and X bills requests); its reads keep their due time.
    paused = {pause.network for pause in network_pauses_holding(now=now)}
    for account_id, shares in by_account.items():
        account = accounts[account_id]
        if not account.is_usable:
            continue  # disconnected: read again on schedule, the ambassador may reconnect
        if account.network in paused:
            unread.update(share.pk for share in shares)
            continue
        outcome = _read_account(account, shares, now)
        stored += outcome.stored
        unread.update(share.pk for share in outcome.unread)
        if outcome.network_paused:
            paused.add(account.network)
    _reschedule([share for share in due if share.pk not in unread], now)
    return stored


class AccountRead(NamedTuple):
    stored: int
    # Left unread, keeping their due time: the network refused the account's token (a 401, or
    # an X refresh token it no longer accepts), or paused the whole installation.
    unread: list[Share]
    network_paused: bool = False


def _read_account(account: NetworkAccount, shares: list[Share], now: datetime) -> AccountRead:
    """Store a snapshot for each of the account's shares the network reports on, batch by
    batch."""
    provider = get_provider(account.network)
    stored = 0
    for start in range(0, len(shares), BATCH):
        batch = shares[start : start + BATCH]
        try:
            metrics = provider.fetch_metrics(
                account=account, external_ids=[s.external_id for s in batch]
            )
        except ProviderError as exc:
            logger.info("metrics for account %s not read: %s", account.pk, exc.message)
            if exc.pause:
                # The network refuses the whole installation (a retired LinkedIn version, X's
                # spent credits): posting would be refused too, so the people who can act are
                # told now (once), not only at the next post.
                network_pause_start(network=account.network, reason=exc.pause, message=exc.message)
                return AccountRead(stored, shares[start:], network_paused=True)
            if not exc.reconnect:
                return AccountRead(stored, [])  # busy or unreachable: read again on schedule
            # Nothing is stored for these shares (no figure, not a 0) and their due time is
            # kept, so the reads are neither wrong nor lost while the ambassador reconnects.
            account_mark_expired(account=account, reason=exc.message, during="metrics")
            return AccountRead(stored, shares[start:])
        snapshots = [
            MetricSnapshot(
                share=share,
                taken_at=now,
                impressions=m.impressions,
                reactions=m.reactions,
                comments=m.comments,
                reposts=m.reposts,
            )
            for share in batch
            if (m := metrics.get(share.external_id)) is not None
        ]
        with transaction.atomic():  # the rollups' mark commits with the snapshots
            MetricSnapshot.objects.bulk_create(snapshots)
            rollups_mark_changed(changes=[(s.share_id, now) for s in snapshots])
        stored += len(snapshots)
    return AccountRead(stored, [])
