"""Moving the clicks from the Redis stream into the database (the beat's `clicks_flush_task`,
every 10 s).

A batch is acknowledged (and deleted from Redis) only after its rows are committed, and a lock
in Redis keeps a second flush from running meanwhile. The process's own spooled clicks are
sent first, so a flush sees what this process has counted so far.
"""

import contextlib

import redis
from django.conf import settings
from django.db import transaction

from advocacy.clicks import spool as clickspool
from advocacy.clicks import stream as clickstream
from advocacy.clicks.store import clicks_store


def clicks_flush(*, batch: int = 5000) -> int:
    """Moves clicks from the Redis stream into the database, a batch at a time, until the
    stream is empty (or CLICK_FLUSH_MAX_BATCHES batches were moved). A batch is
    acknowledged (and deleted from Redis) only after its rows are committed; a batch whose
    insert fails stays pending and is read again by the next flush. Returns the events
    acknowledged (clicks of cancelled or deleted shares included, as dropped)."""
    if not clickstream.enabled():
        return 0
    clickspool.send_now()  # this process's own spooled clicks first
    lock = clickstream.client().lock(
        f"{clickstream.stream_key()}:flush-lock", timeout=120, blocking=False
    )
    if not lock.acquire():
        return 0  # another flush is running
    try:
        done = 0
        for _ in range(settings.CLICK_FLUSH_MAX_BATCHES):
            entries = clickstream.read(batch)
            if not entries:
                break
            with transaction.atomic():
                clicks_store(events=[event for _id, event in entries if event is not None])
            clickstream.acknowledge([entry_id for entry_id, _event in entries])
            done += len(entries)
            if len(entries) < batch:
                break
        return done
    finally:
        with contextlib.suppress(redis.exceptions.LockError):  # expired: a very long flush
            lock.release()
