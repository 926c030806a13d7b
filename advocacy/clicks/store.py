"""Click rows from click events: the one write that every way a click takes ends in (a
direct write without Redis, the spool's fallback when Redis refuses, the flush of the stream).

No IP address and no user agent are stored (advocacy.clicks.count keeps only a salted hash).
Every click carries a random `event_id` that is unique in the table, so a batch stored twice
is stored once. Clicks on a share that is cancelled (or deleted) by the time they are stored
are dropped: the tracked-link cache keeps a code for up to CLICK_LINK_CACHE_SECONDS, and only a
share that was never published can be cancelled, so such clicks can only come from someone
who had the link before it was posted.
"""

from collections.abc import Iterable

from django.db import transaction

from advocacy.clicks.stream import ClickEvent
from advocacy.models import Click, Share
from reports.services.marks import rollups_mark_changed


def clicks_store(*, events: Iterable[ClickEvent]) -> int:
    """Click rows for the events of shares that still exist and are not cancelled. Storing
    the same event twice stores it once (unique event_id). Returns the events kept."""
    events = list(events)
    if not events:
        return 0
    live = set(
        Share.objects.filter(pk__in={event.share_id for event in events})
        .exclude(status=Share.Status.CANCELLED)
        .values_list("pk", flat=True)
    )
    rows = [
        # created_at is auto_now_add, so the database sets the time of the insert (at most
        # one flush interval after the click while the flush keeps up).
        Click(
            share_id=event.share_id,
            event_id=event.event_id,
            created_at=event.at,
            is_bot=event.is_bot,
            agent=event.agent[:40],
            visitor_hash=event.visitor_hash[:32],
        )
        for event in events
        if event.share_id in live
    ]
    with transaction.atomic():  # the rollups' mark commits with the clicks, or neither does
        Click.objects.bulk_create(rows, batch_size=1000, ignore_conflicts=True)
        rollups_mark_changed(changes=[(row.share_id, row.created_at) for row in rows])
    return len(rows)
