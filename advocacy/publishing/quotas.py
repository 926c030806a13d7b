"""Posting quotas per network, per user and per app, shared by every worker.

Celery's `rate_limit` counts per worker process, so it cannot keep a fleet of workers under a
network's limits (INTEGRATIONS.md, "Celery"). Instead each post takes one unit from fixed
windows counted in Redis (one atomic script for all of a post's windows) or, on the embedded
default without Redis, in the database (one transaction). A post that would go past a window
is not sent: it waits until that window ends, so the network never has to refuse it.

The limits are the NETWORK_QUOTAS setting: {network: {"user": [[limit, seconds], ...],
"app": [[limit, seconds], ...]}}. Windows are aligned to the epoch, so a day-long window
starts at midnight UTC, when LinkedIn's daily limits reset.
"""

import logging
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import cache
from typing import Any

import redis
from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from advocacy.models import QuotaCounter

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Window:
    key: str
    limit: int
    ends_at: datetime


def windows(*, network: str, user_id: int, now: datetime) -> list[Window]:
    """The counting windows one post to `network` by `user_id` falls into at `now`."""
    limits: dict[str, list[list[int]]] = settings.NETWORK_QUOTAS.get(network, {})
    epoch = int(now.timestamp())
    result = []
    for scope, owner in (("user", f"u{user_id}"), ("app", "app")):
        for limit, seconds in limits.get(scope, []):
            start = epoch - epoch % seconds
            result.append(
                Window(
                    key=f"quota:{network}:{owner}:{seconds}:{start}",
                    limit=int(limit),
                    ends_at=datetime.fromtimestamp(start + seconds, tz=UTC),
                )
            )
    return result


# Takes one unit from every window, or from none: returns 0, or the 1-based index of the
# first window that is full. Keys expire with their window.
_TAKE_SCRIPT = """
for i, key in ipairs(KEYS) do
  if tonumber(redis.call('GET', key) or '0') >= tonumber(ARGV[2 * i - 1]) then
    return i
  end
end
for i, key in ipairs(KEYS) do
  redis.call('INCR', key)
  redis.call('EXPIREAT', key, ARGV[2 * i])
end
return 0
"""


@cache
def _redis(url: str) -> Any:
    return redis.Redis.from_url(url)


def _take_redis(found: list[Window]) -> Window | None:
    client = _redis(settings.REDIS_URL)
    args: list[int] = []
    for window in found:
        # Kept a minute past the window's end, so a slow clock elsewhere cannot reuse it.
        args += [window.limit, int(window.ends_at.timestamp()) + 60]
    full = int(client.eval(_TAKE_SCRIPT, len(found), *[w.key for w in found], *args))
    return found[full - 1] if full else None


class _WindowFull(Exception):
    def __init__(self, window: Window) -> None:
        self.window = window


def _take_database(found: list[Window]) -> Window | None:
    try:
        with transaction.atomic():
            for window in found:
                try:
                    with transaction.atomic():
                        QuotaCounter.objects.get_or_create(
                            key=window.key, defaults={"expires_at": window.ends_at}
                        )
                except IntegrityError:
                    pass  # another worker created it first
                taken = QuotaCounter.objects.filter(key=window.key, count__lt=window.limit).update(
                    count=F("count") + 1
                )
                if not taken:
                    raise _WindowFull(window)  # rolls back the units taken so far
    except _WindowFull as full:
        return full.window
    return None


def quota_take(*, network: str, user_id: int, now: datetime | None = None) -> datetime | None:
    """Take one post from the network's quotas for this user and the app. Returns None when
    the post may go now, or the moment the full window ends (the post waits until then)."""
    now = now or timezone.now()
    found = windows(network=network, user_id=user_id, now=now)
    if not found:
        return None
    # A post sent in a window's last moments may reach the network in its next window (its
    # clock and ours differ by the request's travel): it counts in both, so neither window
    # can be overrun, and it goes at once instead of waiting for the turn of the window.
    keys = {w.key for w in found}
    found += [
        w
        for w in windows(network=network, user_id=user_id, now=now + settings.QUOTA_WINDOW_GUARD)
        if w.key not in keys
    ]
    full = _take_redis(found) if settings.REDIS_URL else _take_database(found)
    if full is None:
        return None
    logger.info("quota %s is full (limit %s) until %s", full.key, full.limit, full.ends_at)
    return full.ends_at


def quota_room(*, network: str, now: datetime | None = None) -> int | None:
    """How many more posts the app's windows for `network` allow now (None: no app limit).
    The dispatcher enqueues no more than this, so shares beyond a full window wait in the
    database instead of being claimed only to be put back."""
    now = now or timezone.now()
    found = [w for w in windows(network=network, user_id=0, now=now) if ":app:" in w.key]
    if not found:
        return None
    keys = [w.key for w in found]
    if settings.REDIS_URL:
        counts = [int(value or 0) for value in _redis(settings.REDIS_URL).mget(keys)]
    else:
        stored = dict(QuotaCounter.objects.filter(key__in=keys).values_list("key", "count"))
        counts = [stored.get(key, 0) for key in keys]
    return max(min(w.limit - count for w, count in zip(found, counts, strict=True)), 0)


def quota_counters_purge(*, now: datetime | None = None) -> int:
    """Drop database counters of windows that ended (Redis keys expire by themselves)."""
    now = now or timezone.now()
    deleted, _ = QuotaCounter.objects.filter(expires_at__lt=now - timedelta(minutes=5)).delete()
    return deleted
