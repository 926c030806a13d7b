"""What the fake network remembers between requests: knobs, tokens, posts, media, the log.

Every fact the fake imitates is listed, with its source, in docs/networks.md.
"""

import copy
import itertools
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

# The apps the fake knows, as {network: {client_id: client_secret}}. A secret of None is an X
# "public client" (it authenticates with its client_id alone). Tests use these ids through
# tests/fakenet/fixtures.py and connect.py.
TEST_CLIENTS: dict[str, dict[str, str | None]] = {
    "x": {"x-client": "x-secret"},
    "linkedin": {"li-client": "li-secret"},
}

DEFAULT_KNOBS: dict[str, Any] = {
    "latency_ms": 0,
    "fail": None,
    "fail_count": None,
    "fail_network": None,
    "daily_cap": False,
    "x_24h_headers": False,
    "rate_reset_seconds": 900,
    "hang_seconds": 30.0,
    "metrics_growth": 1.0,
    "post_limits": None,
    "post_age_days": 0,
    "x_repost_field": "repost_count",
    "today": None,
    "oauth_member": "member-1",
    "oauth_scope": None,
    "clients": TEST_CLIENTS,
}

# Failures that only one network has: the other network does not take them (nor count them).
ONLY_ON = {"402": "x", "429short": "linkedin"}


@dataclass
class Token:
    """A bearer or refresh token the fake knows: issued by its OAuth endpoints or registered
    by a test (POST /_tokens)."""

    network: str  # "x" | "linkedin"
    member: str  # X user id, or LinkedIn person id (the `sub` of /v2/userinfo)
    scope: frozenset[str]
    client_id: str = ""  # the app it was issued to ("": registered, any app may refresh it)
    refresh: bool = False


@dataclass
class Post:
    id: str
    network: str
    author: str
    token: str
    text: str
    created: float = field(default_factory=time.time)
    content: dict[str, Any] | None = None  # LinkedIn: the post's `content`
    media_ids: list[str] = field(default_factory=list)  # X: media.media_ids


@dataclass
class Media:
    """An X media upload or a LinkedIn image (Images API)."""

    id: str  # X media id, or LinkedIn urn:li:image:...
    network: str
    owner: str  # the member who uploaded it
    token: str
    mime_type: str = ""
    size: int = 0
    expected_size: int = 0  # X chunked upload: total_bytes of initialize
    uploaded: bool = False  # LinkedIn: the bytes were PUT; X: upload or finalize done
    chunks: dict[int, int] = field(default_factory=dict)  # X append: segment -> bytes


class State:
    def __init__(self) -> None:
        self.lock = threading.RLock()  # answers are counted inside locked sections too
        self.reset()

    def reset(self) -> None:
        self.knobs: dict[str, Any] = copy.deepcopy(DEFAULT_KNOBS)
        self.posts: list[Post] = []
        self.ids = itertools.count(1_880_000_000_000_000_001)
        self.spent_refresh_tokens: set[str] = set()
        self.answers: dict[str, int] = {}  # "POST /2/tweets 201" -> how many
        self.log: list[dict[str, Any]] = []  # every request, in order
        # (network, author, text) -> post: the duplicate check stays O(1) for a big launch.
        self.by_content: dict[tuple[str, str, str], Post] = {}
        self.window_counts: dict[str, int] = {}  # posting-limit window -> posts in it
        self.tokens: dict[tuple[str, str], Token] = {}  # (network, token) -> what it is
        # authorization code -> what was approved (network, member, client, redirect, PKCE)
        self.oauth_codes: dict[str, dict[str, Any]] = {}
        self.media: dict[str, Media] = {}  # X media id or LinkedIn image URN -> upload
        self.upload_keys: dict[str, str] = {}  # LinkedIn upload URL key -> image URN

    def take_failure(self, network: str, *, creating: bool = False) -> str | None:
        """The failure this request gets, counting it down."""
        with self.lock:
            fail = self.knobs["fail"]
            wanted = self.knobs["fail_network"]
            if fail is None or (wanted and wanted != network):
                return None
            if ONLY_ON.get(str(fail), network) != network:
                return None
            if fail == "403dup" and not creating:
                return None
            if self.knobs["fail_count"] is not None:
                self.knobs["fail_count"] -= 1
                if self.knobs["fail_count"] <= 0:
                    self.knobs["fail"] = self.knobs["fail_count"] = None
            return str(fail)

    def token(self, value: str, network: str) -> Token | None:
        """The access token `value` of `network`, if the fake knows it."""
        with self.lock:
            known = self.tokens.get((network, value))
        if known is None or known.refresh:
            return None
        return known

    def store(self, post: Post) -> None:
        """Keep a post (call with the lock held)."""
        self.posts.append(post)
        self.by_content[(post.network, post.author, post.text)] = post

    def same(self, network: str, author: str, text: str) -> Post | None:
        """The post this author already made with this text (call with the lock held)."""
        return self.by_content.get((network, author, text))

    def over_limit(self, network: str, author: str) -> tuple[int, str] | None:
        """Count a post against the enforced limits (call with the lock held). Returns None,
        or the epoch second at which the full window resets and whose limit it was ("user" or
        "app"); nothing is counted then."""
        limits = (self.knobs["post_limits"] or {}).get(network) or {}
        now = int(time.time())
        keys = []
        for scope, owner in (("user", author), ("app", "app")):
            if scope not in limits:
                continue
            pairs = limits[scope]
            # One [limit, seconds] pair, or a list of them as in the product's NETWORK_QUOTAS.
            for limit, seconds in [pairs] if isinstance(pairs[0], int) else pairs:
                start = now - now % int(seconds)
                key = f"{network}:{owner}:{seconds}:{start}"
                if self.window_counts.get(key, 0) >= int(limit):
                    return start + int(seconds), scope
                keys.append(key)
        for key in keys:
            self.window_counts[key] = self.window_counts.get(key, 0) + 1
        return None

    def impressions(self, post: Post) -> int:
        return int(max(time.time() - post.created, 0) * float(self.knobs["metrics_growth"]))

    def age_days(self, post: Post) -> float:
        """How old X thinks the post is: its real age plus the `post_age_days` knob."""
        return (time.time() - post.created) / 86_400 + float(self.knobs["post_age_days"] or 0)

    def today(self) -> date:
        """The fake's date for LinkedIn's version life cycle: the `today` knob, else the clock
        (which time_machine moves in tests)."""
        knob = self.knobs["today"]
        if knob:
            return date.fromisoformat(str(knob))
        return datetime.fromtimestamp(time.time(), tz=UTC).date()
