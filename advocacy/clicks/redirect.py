"""The tracked link /r/<code>: what the public clicks, in bursts when a post goes viral.

The destination is always the content item's own http(s) URL from the database, so the
redirect can never be pointed anywhere else; an unknown code is a plain 404.

Hot path: the (share id, destination, network) of a code comes from Django's cache (Redis
with REDIS_URL, per process otherwise), filled from the database on a miss and kept for
CLICK_LINK_CACHE_SECONDS; an unknown code is remembered as unknown for
CLICK_LINK_NEGATIVE_SECONDS (still a 404). The click is counted by `click_register` (with
REDIS_URL, the process's spool, sent to a Redis stream in batches; no database write). A
cancelled share stops redirecting when its cache entry expires (or at once, with
`tracked_link_forget`), and its clicks are dropped when they are stored.
"""

import logging
import time
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from django.conf import settings
from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from advocacy.clicks.count import (
    LOCAL_LINK_SECONDS,
    LOCAL_LINKS,
    LOCAL_LINKS_MAX,
    click_register,
    tracked_link_cache_key,
)
from advocacy.models import Share

logger = logging.getLogger(__name__)

UTM_MEDIUM = "employee-advocacy"


def destination_url(share: Share) -> str:
    item = share.content_item
    campaign = item.campaign
    parts = urlsplit(item.url)
    query = [
        (k, v)
        for k, v in parse_qsl(parts.query, keep_blank_values=True)
        if not k.startswith("utm_")
    ]
    query += [
        ("utm_source", share.network),
        ("utm_medium", UTM_MEDIUM),
        ("utm_campaign", campaign.utm_campaign if campaign else "advocacy"),
        ("utm_content", f"share-{share.code}"),
    ]
    return str(
        urlunsplit((parts.scheme, parts.netloc, parts.path, urlencode(query), parts.fragment))
    )


def _client_ip(request: HttpRequest) -> str:
    # Only used inside the salted daily hash; never stored. Behind a proxy, configure it to
    # set REMOTE_ADDR (e.g. gunicorn --forwarded-allow-ips).
    return str(request.META.get("REMOTE_ADDR", ""))


@dataclass(frozen=True)
class TrackedLink:
    share_id: int
    destination: str
    network: str


UNKNOWN = "unknown"  # the negative-cache value


def _link_from_db(code: str) -> TrackedLink | None:
    share = (
        Share.objects.select_related("content_item", "content_item__campaign")
        .filter(code=code)
        .exclude(status=Share.Status.CANCELLED)
        .first()
    )
    if share is None:
        return None
    return TrackedLink(share_id=share.pk, destination=destination_url(share), network=share.network)


def tracked_link(code: str) -> TrackedLink | None:
    """The link of a code: from this process's copy (kept LOCAL_LINK_SECONDS), else from the
    shared cache, else from the database. A cache that fails is skipped."""
    if not (code.isascii() and code.isalnum() and len(code) <= 16):
        return None  # not a code we ever issue: no lookup, no cache key
    now = time.monotonic()
    local = LOCAL_LINKS.get(code)
    if local is not None and local[0] > now:
        # The cache lives in clicks/count.py (which cannot import TrackedLink) as object.
        return local[1]  # type: ignore[return-value]
    link = _tracked_link_shared(code)
    if len(LOCAL_LINKS) >= LOCAL_LINKS_MAX:
        LOCAL_LINKS.clear()
    LOCAL_LINKS[code] = (now + LOCAL_LINK_SECONDS, link)
    return link


def _tracked_link_shared(code: str) -> TrackedLink | None:
    key = tracked_link_cache_key(code)
    try:
        cached = cache.get(key)
    except Exception:  # the cache being down must not take the links down
        logger.warning("Tracked-link cache unavailable.", exc_info=True)
        return _link_from_db(code)
    if cached == UNKNOWN:
        return None
    if isinstance(cached, tuple) and len(cached) == 3:
        return TrackedLink(*cached)
    link = _link_from_db(code)
    try:
        if link is None:
            cache.set(key, UNKNOWN, settings.CLICK_LINK_NEGATIVE_SECONDS)
        else:
            cache.set(
                key,
                (link.share_id, link.destination, link.network),
                settings.CLICK_LINK_CACHE_SECONDS,
            )
    except Exception:
        logger.warning("Tracked-link cache unavailable.", exc_info=True)
    return link


@never_cache
@require_safe
def tracked_redirect(request: HttpRequest, code: str) -> HttpResponse:
    link = tracked_link(code)
    if link is None:
        raise Http404("Unknown link.")
    if request.method == "GET":  # HEAD is what many preview fetchers send: not a click
        click_register(
            share_id=link.share_id,
            ip=_client_ip(request),
            user_agent=request.META.get("HTTP_USER_AGENT", ""),  # not request.headers: no copy
        )
    response = HttpResponseRedirect(link.destination)
    response["Referrer-Policy"] = "no-referrer-when-downgrade"
    response["X-Robots-Tag"] = "noindex"
    return response
