import logging
from collections import defaultdict
from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone

from advocacy.models import MetricSnapshot, NetworkAccount, Share
from advocacy.providers import ProviderError, get_provider

logger = logging.getLogger(__name__)
BATCH = 100  # X's get_tweets takes up to 100 ids per request


def metrics_refresh(*, now: datetime | None = None) -> int:
    """Read engagement back for shares published in the last METRICS_TRACK_DAYS days, in
    batches per account, and store a snapshot per share."""
    now = now or timezone.now()
    since = now - timedelta(days=settings.METRICS_TRACK_DAYS)
    by_account: dict[int, list[Share]] = defaultdict(list)
    for share in (
        Share.objects.filter(
            status=Share.Status.PUBLISHED, published_at__gte=since, account__isnull=False
        )
        .exclude(external_id="")
        .only("pk", "account_id", "external_id", "network")
    ):
        by_account[share.account_id].append(share)  # type: ignore[index]
    stored = 0
    accounts = NetworkAccount.objects.in_bulk(list(by_account))
    for account_id, shares in by_account.items():
        account = accounts[account_id]
        if not account.is_usable:
            continue
        provider = get_provider(account.network)
        for start in range(0, len(shares), BATCH):
            batch = shares[start : start + BATCH]
            try:
                metrics = provider.fetch_metrics(
                    account=account, external_ids=[s.external_id for s in batch]
                )
            except ProviderError as exc:
                logger.info("metrics for account %s not read: %s", account_id, exc.message)
                break
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
            MetricSnapshot.objects.bulk_create(snapshots)
            stored += len(snapshots)
    return stored
