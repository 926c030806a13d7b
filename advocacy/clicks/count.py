"""Counting clicks on tracked links without storing who clicked.

No IP address and no user agent are stored. A visitor hash (for a unique-visitor estimate)
is made with a random salt that exists for one day only and is deleted afterwards.

The hot path (`click_register`, called by /r/<code>): with REDIS_URL set, a click goes to
this process's spool (advocacy.clicks.spool), which sends it to a Redis stream within
CLICK_SPOOL_SECONDS, with no database write; `clicks_flush` (advocacy.clicks.flush, beat,
every 10 s) moves the stream into Click rows in batches. Every click carries a random `event_id`
that is unique in the table, so a batch stored twice (a flush that died between the insert and
the acknowledgement) is stored once. Without REDIS_URL a click is written directly
(`clicks_store`, advocacy.clicks.store).
"""

import functools
import hashlib
import itertools
import logging
import os
import re
import secrets
import time
from datetime import date, datetime, timedelta

import redis
from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.utils import timezone

from advocacy.clicks import spool as clickspool
from advocacy.clicks import stream as clickstream
from advocacy.clicks.store import clicks_store
from advocacy.clicks.stream import ClickEvent
from advocacy.models import Click, Share, VisitorSalt
from reports.services.marks import rollups_mark_changed

logger = logging.getLogger(__name__)

# Link-preview fetchers and other automated clients: counted apart, never as clicks.
BOT_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    (name, re.compile(pattern, re.IGNORECASE))
    for name, pattern in [
        ("linkedin", r"LinkedInBot"),
        ("twitter", r"Twitterbot"),
        ("facebook", r"facebookexternalhit|Facebot|meta-externalagent"),
        ("slack", r"Slackbot|Slack-ImgProxy"),
        ("discord", r"Discordbot"),
        ("telegram", r"TelegramBot"),
        ("whatsapp", r"WhatsApp"),
        ("teams", r"SkypeUriPreview|MicrosoftPreview|Teams"),
        ("apple", r"Applebot"),
        ("google", r"Googlebot|Google-InspectionTool|AdsBot-Google|FeedFetcher-Google"),
        ("bing", r"bingbot|BingPreview"),
        ("pinterest", r"Pinterest"),
        ("embed", r"Embedly|Iframely|redditbot|Mastodon|Bluesky|vkShare|Tumblr"),
        ("tool", r"^(curl|Wget|python-requests|python-httpx|Go-http-client|okhttp|Java|axios)"),
        ("crawler", r"bot\b|crawler|spider|HeadlessChrome"),
    ]
]


@functools.lru_cache(maxsize=4096)  # agents repeat; the patterns cost ~0.1 ms per browser
def bot_family(user_agent: str) -> str | None:
    if not user_agent.strip():
        return "empty"
    for name, pattern in BOT_PATTERNS:
        if pattern.search(user_agent):
            return name
    return None


# Per-process copies, so that a click on a hot link needs no round trip for them: the day's
# salt, and recently looked-up tracked links (see advocacy.clicks.redirect).
_local_salt: dict[date, str] = {}
LOCAL_LINKS: dict[str, tuple[float, object]] = {}
LOCAL_LINKS_MAX = 10_000
LOCAL_LINK_SECONDS = 30.0


def _salt_for(day: date) -> str:
    if day in _local_salt:
        return _local_salt[day]
    key = f"visitor-salt:{day.isoformat()}"
    salt = cache.get(key)
    if salt is None:
        try:
            with transaction.atomic():
                salt = VisitorSalt.objects.get_or_create(
                    day=day, defaults={"salt": secrets.token_hex(32)}
                )[0].salt
        except IntegrityError:  # another request created it first
            salt = VisitorSalt.objects.get(day=day).salt
        cache.set(key, salt, 60 * 60 * 25)
    _local_salt.clear()  # only today's is kept
    _local_salt[day] = str(salt)
    return str(salt)


# Event ids: a random prefix per process and a counter, unique without a system call per
# click (uuid4 reads the system's random source each time). A forked child draws its own.
_event_prefix = secrets.token_hex(8)
_event_counter = itertools.count()


def _new_event_ids() -> None:
    global _event_prefix, _event_counter
    _event_prefix = secrets.token_hex(8)
    _event_counter = itertools.count()


os.register_at_fork(after_in_child=_new_event_ids)


def new_event_id() -> str:
    return f"{_event_prefix}{next(_event_counter):016x}"  # 32 characters


_today: tuple[float, float, date] = (0.0, 0.0, date.min)  # the day's start, end, the day


def _local_today() -> date:
    """The company's date (TIME_ZONE), worked out once per day rather than once per click.
    The default zone, not the current one: the salt's day must not follow a time zone that a
    request activated."""
    global _today
    starts, ends, day = _today
    now = time.time()
    if starts <= now < ends:  # (a clock set back before the day is noticed too)
        return day
    zone = timezone.get_default_timezone()
    day = timezone.localdate(timezone=zone)
    starts = datetime.combine(day, datetime.min.time(), zone).timestamp()
    ends = datetime.combine(day + timedelta(days=1), datetime.min.time(), zone).timestamp()
    _today = (starts, ends, day)
    return day


def visitor_hash(*, ip: str, user_agent: str, day: date) -> str:
    material = f"{_salt_for(day)}|{ip}|{user_agent}".encode()
    return hashlib.sha256(material).hexdigest()[:32]


def click_event(*, share_id: int, ip: str, user_agent: str) -> ClickEvent:
    """What is kept of one request: the IP address and the user agent go into the salted
    hash (people only) and are then forgotten."""
    family = bot_family(user_agent)
    return ClickEvent(
        event_id=new_event_id(),
        share_id=share_id,
        at=timezone.now(),
        is_bot=family is not None,
        agent=family or "browser",
        visitor_hash=""
        if family
        else visitor_hash(ip=ip, user_agent=user_agent, day=_local_today()),
    )


def click_record(*, share: Share, ip: str, user_agent: str) -> Click:
    """A click written to the database at once (the embedded default, and scripts)."""
    event = click_event(share_id=share.pk, ip=ip, user_agent=user_agent)
    with transaction.atomic():
        click = Click.objects.create(
            share=share,
            event_id=event.event_id,
            is_bot=event.is_bot,
            agent=event.agent,
            visitor_hash=event.visitor_hash,
        )
        rollups_mark_changed(changes=[(share.pk, click.created_at)])
    return click


def click_register(*, share_id: int, ip: str, user_agent: str) -> None:
    """The request path: with Redis, into this process's spool (or, with
    CLICK_SPOOL_SECONDS=0, one XADD); without it, a direct write. When Redis does not take
    the click, it is written directly rather than lost."""
    event = click_event(share_id=share_id, ip=ip, user_agent=user_agent)
    if clickstream.enabled():
        if settings.CLICK_SPOOL_SECONDS > 0:
            clickspool.add(event)
            return
        try:
            clickstream.append(event)
            return
        except redis.RedisError:
            logger.warning("Click stream unavailable; writing the click directly.", exc_info=True)
    clicks_store(events=[event])


def tracked_link_cache_key(code: str) -> str:
    return f"tracked-link:{code}"


def tracked_link_forget(*, code: str) -> None:
    """Drops a code from the tracked-link cache (call it when a share is cancelled). Other
    processes' copies expire within LOCAL_LINK_SECONDS."""
    LOCAL_LINKS.pop(code, None)
    cache.delete(tracked_link_cache_key(code))


def visitor_salts_purge() -> int:
    """Yesterday's salts are deleted, so old visitor hashes can never be recomputed."""
    deleted, _ = VisitorSalt.objects.filter(
        day__lt=timezone.localdate() - timedelta(days=1)
    ).delete()
    return deleted
