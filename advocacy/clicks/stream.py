"""The Redis stream that carries tracked-link clicks from the request path to the database.

Each web process sends its clicks in batches (advocacy/clicks/spool.py: one pipelined XADD
per click, one round trip per batch), or with CLICK_SPOOL_SECONDS=0 one XADD in each request;
there is no database write on the request path. `clicks_flush` reads batches through a
consumer group, stores them, and only then acknowledges and deletes them. An entry read but
not acknowledged (the flush failed or its process died) stays pending in the group and is
read again by the next flush; the Click rows' unique `event_id` makes the
second insert a no-op, so nothing is lost and nothing is counted twice.

Enabled when settings.REDIS_URL is set; without it (the embedded default) clicks are written
to the database directly.
"""

import os
import threading
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import redis
from django.conf import settings
from redis.connection import Connection

GROUP = "flush"
CONSUMER = "flusher"  # one name for every flusher: pending entries are always found again

_clients: dict[str, redis.Redis] = {}
_local = threading.local()


@dataclass(frozen=True)
class ClickEvent:
    event_id: str
    share_id: int
    at: datetime
    is_bot: bool
    agent: str
    visitor_hash: str

    def encode(self) -> str:
        # One field per entry (fewer arguments to pack: the XADD is the request path's cost).
        flag = "1" if self.is_bot else "0"
        return (
            f"{self.event_id}|{self.share_id}|{self.at.timestamp():.6f}|{flag}|"
            f"{self.agent}|{self.visitor_hash}"
        )

    @classmethod
    def decode(cls, value: bytes) -> "ClickEvent":
        event_id, share_id, at, flag, agent, visitor_hash = value.decode().split("|")
        return cls(
            event_id=event_id,
            share_id=int(share_id),
            at=datetime.fromtimestamp(float(at), tz=UTC),
            is_bot=flag == "1",
            agent=agent,
            visitor_hash=visitor_hash,
        )


def enabled() -> bool:
    return bool(settings.REDIS_URL)


def stream_key() -> str:
    return str(settings.CLICK_STREAM_KEY)


def client() -> redis.Redis:
    url = str(settings.REDIS_URL)
    if url not in _clients:
        # Short timeouts: a Redis that does not answer must not hold a redirect for long
        # (the caller falls back to a direct database write).
        _clients[url] = redis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2)
    return _clients[url]


def _own_connection() -> Connection:
    """A connection of this thread's own, kept open: half the CPU of a pooled command (no
    pool lock, no retry wrapper), and the XADD is most of what a click costs."""
    url = str(settings.REDIS_URL)
    if getattr(_local, "key", None) != (os.getpid(), url):
        _local.connection = client().connection_pool.make_connection()
        _local.key = (os.getpid(), url)
    connection: Connection = _local.connection
    return connection


def append(event: ClickEvent) -> None:
    """One XADD, answered by Redis before the redirect is sent (CLICK_SPOOL_SECONDS=0)."""
    append_many([event])


def append_many(events: list[ClickEvent]) -> None:
    """One XADD per click, pipelined: one round trip for the whole batch. A connection that
    broke is replaced once; a batch half sent before it broke is sent again whole (the
    flush stores each event_id once)."""
    if not events:
        return
    head = ("XADD", stream_key(), "MAXLEN", "~", settings.CLICK_STREAM_MAXLEN, "*", "c")
    for attempt in (1, 2):
        connection = _own_connection()
        try:
            packed = connection.pack_commands([(*head, event.encode()) for event in events])
            connection.send_packed_command(packed)
            errors = []
            for _event in events:
                try:
                    connection.read_response()
                except redis.ResponseError as error:  # read on: the replies stay in step
                    errors.append(error)
            if errors:
                raise errors[0]
            return
        except (redis.ConnectionError, redis.TimeoutError, OSError) as error:
            connection.disconnect()
            if attempt == 2:
                raise redis.ConnectionError(str(error)) from error


def _ensure_group() -> None:
    try:
        client().xgroup_create(stream_key(), GROUP, id="0", mkstream=True)
    except redis.ResponseError as error:
        if "BUSYGROUP" not in str(error):
            raise


def read(count: int) -> list[tuple[bytes, ClickEvent | None]]:
    """Up to `count` entries: first those read before and never acknowledged, then new ones.
    An entry that can no longer be parsed (or was trimmed away) comes back as None."""
    _ensure_group()
    entries: list[tuple[bytes, ClickEvent | None]] = []
    for start in ("0", ">"):
        response: Any = client().xreadgroup(
            GROUP, CONSUMER, {stream_key(): start}, count=count - len(entries)
        )
        for _key, items in response or []:
            for entry_id, fields in items:
                try:
                    event = ClickEvent.decode(fields[b"c"]) if fields else None
                except (ValueError, KeyError):
                    event = None
                entries.append((entry_id, event))
        if len(entries) >= count:
            break
    return entries


def acknowledge(entry_ids: list[bytes]) -> None:
    if entry_ids:
        key = stream_key()
        pipe = client().pipeline(transaction=True)  # both or neither
        pipe.xack(key, GROUP, *entry_ids)
        pipe.xdel(key, *entry_ids)
        pipe.execute()


def backlog() -> int:
    """Entries still in the stream (not yet flushed)."""
    return int(client().xlen(stream_key()))
