"""Each web process's spool of clicks on their way to the Redis stream.

On loopback, one XADD per request costs the web process about 0.3 ms of CPU, most of it in
the kernel (a send, a wake-up of Redis, a receive), more than the redirect itself. So the
request only appends the click to this process's spool (no system call), and a thread of
the process sends what has gathered every CLICK_SPOOL_SECONDS (50 ms by default), or as soon
as CLICK_SPOOL_BATCH clicks wait, as one pipelined write: the cost of the round trip is
shared by every click of the batch.

Nothing is lost when:
- Redis refuses or is down: the batch is written to the database directly instead (like a
  click without Redis); if the database fails too, the batch goes back to the spool and is
  tried again on the next round;
- the process exits normally (a gunicorn worker stopped, restarted or recycled with TERM,
  QUIT, INT or HUP): what is still spooled is sent on the way out (atexit);
- the same click is sent twice (a connection that broke mid-batch, then the database
  fallback): every click has a unique event_id, and the flush stores it once.

What a process holds when it is killed outright (SIGKILL, a machine that loses power) is
lost: at most CLICK_SPOOL_SECONDS of that process's clicks. Set CLICK_SPOOL_SECONDS=0 to
send each click during its request instead (one round trip per click, nothing spooled).

If Redis and the database are both away, the clicks wait in the spool, tried less and less
often (up to every 5 s), until MAX_PENDING wait; beyond that, clicks are not counted (and
logged as errors), so that the redirects keep working and the process does not run out of
memory.
"""

import atexit
import collections
import logging
import os
import threading

import redis
from django.conf import settings
from django.db import connections

from advocacy.clicks import stream as clickstream
from advocacy.clicks.store import clicks_store
from advocacy.clicks.stream import ClickEvent

logger = logging.getLogger(__name__)

MAX_PENDING = 200_000  # about 40 MB of clicks waiting in one process


class Spool:
    """Clicks waiting in this process, and the thread that sends them."""

    def __init__(self) -> None:
        self.pending: collections.deque[ClickEvent] = collections.deque()
        self.wake = threading.Event()
        self.sending = threading.Lock()  # one batch at a time, in the order clicks came
        self.dropped = 0
        self.failing = False
        self.thread = threading.Thread(target=self._run, name="click-spool", daemon=True)
        self.thread.start()

    def add(self, event: ClickEvent) -> None:
        waiting = len(self.pending)
        if waiting >= MAX_PENDING:
            # Redis and the database have both been away for a long while: keep the process
            # alive (and its redirects working) rather than its memory growing without end.
            self.dropped += 1
            if self.dropped % 10_000 == 1:
                logger.error("Click spool full: %d clicks not counted so far.", self.dropped)
            return
        self.pending.append(event)  # deque.append is atomic: no lock on the request path
        if waiting + 1 >= settings.CLICK_SPOOL_BATCH and not self.failing:
            self.wake.set()  # (while sending fails, the thread keeps to its back-off)

    def _run(self) -> None:
        failures = 0
        while True:
            interval = float(settings.CLICK_SPOOL_SECONDS) or 0.05
            # After a failed round, wait longer each time (up to 5 s) before the next try.
            self.wake.wait(min(5.0, interval * 2**failures) if failures else interval)
            self.wake.clear()
            try:
                self.send()
                failures = 0
            except Exception:  # the thread must live on: the next round tries again
                failures = min(failures + 1, 10)
                logger.exception("Sending spooled clicks failed; they stay spooled.")
            self.failing = failures > 0

    def send(self) -> int:
        """Sends everything spooled so far; returns the clicks sent (or written directly)."""
        sent = 0
        with self.sending:
            while self.pending:
                batch = self._take(int(settings.CLICK_SPOOL_BATCH))
                try:
                    clickstream.append_many(batch)
                except redis.RedisError:
                    logger.warning(
                        "Click stream unavailable; writing %d clicks directly.",
                        len(batch),
                        exc_info=True,
                    )
                    self._store_directly(batch)
                except BaseException:
                    self.pending.extendleft(reversed(batch))  # not lost: back at the front
                    raise
                sent += len(batch)
        return sent

    def _take(self, count: int) -> list[ClickEvent]:
        batch: list[ClickEvent] = []
        while len(batch) < count:
            try:
                batch.append(self.pending.popleft())
            except IndexError:
                break
        return batch

    def _store_directly(self, batch: list[ClickEvent]) -> None:
        try:
            clicks_store(events=batch)
        except Exception:
            self.pending.extendleft(reversed(batch))  # back at the front, in order
            raise
        finally:
            if threading.current_thread() is self.thread:
                connections.close_all()  # this thread's own connections only


_spool: Spool | None = None
_creating = threading.Lock()


def _reset_after_fork() -> None:
    # A child starts with no spool of its own (the parent keeps sending its clicks) and
    # without the parent's thread, which does not survive a fork.
    global _spool, _creating
    _spool = None
    _creating = threading.Lock()  # another thread may have held it at the fork


os.register_at_fork(after_in_child=_reset_after_fork)


def spool() -> Spool:
    global _spool
    if _spool is None:
        with _creating:
            if _spool is None:
                _spool = Spool()
    return _spool


def add(event: ClickEvent) -> None:
    spool().add(event)


def send_now() -> int:
    """Sends this process's spooled clicks at once (the flush calls it first)."""
    return _spool.send() if _spool is not None else 0


atexit.register(send_now)  # a forked child has no spool yet, so it sends only its own
