"""A small threaded HTTP server that answers the X and LinkedIn endpoints the product uses, as
the networks document them (docs/networks.md lists every behaviour with its source), keeping
posts, tokens and uploads in memory. It refuses what the real networks refuse, so a product
that makes a mistake fails its tests here instead of in production.

Knobs, set with POST /_control (a JSON object; keys left out keep their value):
  fail             one failure to inject: "429" (X: 15-minute window; LinkedIn: the daily
                   member/app limit, body "... DAY limit ...") | "429short" (LinkedIn only: the
                   short "infrastructure protection" 429) | "402" (X only: pay-per-use credits
                   spent, on every X API call) | "401" | "403dup" (a duplicate, on posting) |
                   "500" | "timeout_after_accept" | null
  fail_count       how many API requests fail before `fail` clears itself (null: until reset)
  fail_network     "x" | "linkedin" | null (both)
  today            "YYYY-MM-DD": the date LinkedIn's version life cycle is judged on (null:
                   the clock), e.g. "2027-08-01" retires 202607
  daily_cap        with fail "429": X's 24-hour caps are reported exhausted (their headers
                   are sent)
  x_24h_headers    X sends its undocumented x-user/app-limit-24hour-* headers on posts
                   (default false: X documents only x-rate-limit-*)
  rate_reset_seconds  X's x-rate-limit-reset = now + this (default 900)
  post_age_days    days added to every post's age (X: non-public metrics stop at 30 days)
  x_repost_field   "repost_count" (default, X's OpenAPI 2.167) | "retweet_count" (X's
                   written docs) | "both": the name of the reposts figure in public_metrics
  hang_seconds     how long "timeout_after_accept" holds the answer after storing the post
  latency_ms       added to every API answer
  metrics_growth   impressions a post gains per second (default 1.0)
  oauth_member     the member who approves the next authorization (default "member-1")
  oauth_scope      the scope granted instead of the one asked for (null: as asked)
  clients          the apps the token endpoints know: {"x": {id: secret or null for a public
                   client}, "linkedin": {id: secret}} (default: state.TEST_CLIENTS)
  post_limits      posting limits the fake enforces with 429s, e.g. {"x": {"user": [100, 900],
                   "app": [10000, 86400]}, "linkedin": {"user": [150, 86400]}}: [limit,
                   seconds], or a list of such pairs as in NETWORK_QUOTAS, counted in windows
                   aligned to the epoch (a day starts at midnight UTC); null: no limits

Control endpoints:
  POST /_control   set knobs           POST /_reset    forget everything, knobs included
  POST /_tokens    make bearer tokens known: {"network", "token", "member", "scope",
                   "refresh_token"?} or {"tokens": [...]} (tokens the fake did not issue or
                   was not told about are answered 401, as the networks do)
  GET /_posts      what each network stored          GET /_media   uploads (X media, images)
  GET /_stats      answers counted by method, path and status ("POST /2/tweets 201")
  GET /_requests   every API request in order: method, path, query, status, network

X: POST /2/tweets, GET /2/tweets, GET /2/users/<id>/tweets, GET /2/users/me, media upload
   (POST /2/media/upload; /2/media/upload/initialize, /<id>/append, /<id>/finalize; GET
   /2/media/upload?media_id=), POST /2/oauth2/token, GET /i/oauth2/authorize.
LinkedIn: POST /rest/posts, POST /rest/images?action=initializeUpload, PUT <uploadUrl>, GET
   /rest/images/<urn>, GET /rest/memberCreatorPostAnalytics; OpenID Connect: GET
   /oauth/.well-known/openid-configuration, GET /oauth/v2/authorization, POST
   /oauth/v2/accessToken, GET /v2/userinfo, GET /oauth/openid/jwks.

The authorize endpoints approve at once, as if the member clicked "Allow": they redirect to
redirect_uri with a one-time code and the state. The code is exchanged once, by the same app,
for the same redirect_uri; X checks the PKCE code_verifier (S256 or plain).
"""

import re
import threading
from collections.abc import Callable
from http.server import ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from tests.fakenet.linkedin import LinkedInApi
from tests.fakenet.oauth import OAuthServers
from tests.fakenet.state import State, Token
from tests.fakenet.x import XApi

Route = Callable[[dict[str, list[str]]], None]


class Handler(XApi, LinkedInApi, OAuthServers):
    def do_GET(self) -> None:
        self._route("GET")

    def do_POST(self) -> None:
        self._route("POST")

    def do_PUT(self) -> None:
        self._route("PUT")

    def _route(self, method: str) -> None:
        url = urlsplit(self.path)
        path, query = url.path, parse_qs(url.query)
        if path.startswith("/_"):
            return self._control(method, path)
        handler = self._routes().get((method, path)) or self._pattern_route(method, path)
        if handler is None:
            return self._send(404, {"title": "Not Found", "status": 404, "detail": path})
        self._latency()
        handler(query)

    def _routes(self) -> dict[tuple[str, str], Route]:
        return {
            ("POST", "/2/tweets"): self.x_create,
            ("GET", "/2/tweets"): self.x_lookup,
            ("GET", "/2/users/me"): self.x_me,
            ("POST", "/2/media/upload"): self.x_media_upload,
            ("GET", "/2/media/upload"): self.x_media_status,
            ("POST", "/2/media/upload/initialize"): self.x_media_initialize,
            ("POST", "/2/oauth2/token"): self.x_token,
            ("GET", "/i/oauth2/authorize"): lambda q: self.oauth_authorize("x", q),
            ("POST", "/rest/posts"): self.linkedin_create,
            ("POST", "/rest/images"): self.linkedin_images,
            ("GET", "/rest/memberCreatorPostAnalytics"): self.linkedin_analytics,
            ("GET", "/oauth/.well-known/openid-configuration"): self.linkedin_discovery,
            ("GET", "/oauth/v2/authorization"): lambda q: self.oauth_authorize("linkedin", q),
            ("POST", "/oauth/v2/accessToken"): self.linkedin_token,
            ("GET", "/v2/userinfo"): self.linkedin_userinfo,
            ("GET", "/oauth/openid/jwks"): lambda q: self._send(200, {"keys": []}),
        }

    def _pattern_route(self, method: str, path: str) -> Route | None:
        patterns: list[tuple[str, str, Callable[..., None]]] = [
            ("GET", r"/2/users/([^/]+)/tweets", lambda q, user: self.x_user_tweets(user, q)),
            ("POST", r"/2/media/upload/(\d+)/append", lambda q, media: self.x_media_append(media)),
            (
                "POST",
                r"/2/media/upload/(\d+)/finalize",
                lambda q, media: self.x_media_finalize(media),
            ),
            ("GET", r"/rest/images/(.+)", lambda q, urn: self.linkedin_image(unquote(urn))),
            (
                "PUT",
                r"/dms-uploads/([^/]+)/uploaded-image/0",
                lambda q, key: self.linkedin_upload(key),
            ),
        ]
        for wanted, pattern, handler in patterns:
            match = re.fullmatch(pattern, path)
            if method == wanted and match:
                return lambda q, handler=handler, match=match: handler(q, match.group(1))
        return None

    # --- control -----------------------------------------------------------------------------
    def _control(self, method: str, path: str) -> None:
        state = self.state
        if (method, path) == ("POST", "/_control"):
            with state.lock:
                state.knobs.update(self._json_body() or {})
                knobs = dict(state.knobs)
            return self._send(200, knobs)
        if (method, path) == ("POST", "/_reset"):
            with state.lock:
                state.reset()
            return self._send(200, {"ok": True})
        if (method, path) == ("POST", "/_tokens"):
            return self._register_tokens(self._json_body() or {})
        listings: dict[str, Callable[[], Any]] = {
            "/_stats": lambda: {"answers": dict(state.answers)},
            "/_posts": lambda: {"posts": [dict(post.__dict__) for post in state.posts]},
            "/_requests": lambda: {"requests": list(state.log)},
            "/_media": lambda: {
                "media": [
                    {k: v for k, v in media.__dict__.items() if k != "chunks"}
                    for media in state.media.values()
                ]
            },
        }
        if method == "GET" and path in listings:
            with state.lock:
                listing = listings[path]()
            return self._send(200, listing)
        self._send(404, {"detail": f"no control endpoint {method} {path}"})

    def _register_tokens(self, body: dict[str, Any]) -> None:
        entries = body.get("tokens") if "tokens" in body else [body]
        registered = []
        for entry in entries or []:
            network, member = str(entry.get("network", "")), str(entry.get("member", ""))
            scope = entry.get("scope") or ""
            scopes = frozenset(
                scope if isinstance(scope, list) else str(scope).replace(",", " ").split()
            )
            if network not in ("x", "linkedin") or not member or not entry.get("token"):
                return self._send(400, {"detail": "network, token and member are required"})
            client_id = str(entry.get("client_id") or "")
            with self.state.lock:
                self.state.tokens[(network, str(entry["token"]))] = Token(
                    network, member, scopes, client_id
                )
                if entry.get("refresh_token"):
                    self.state.tokens[(network, str(entry["refresh_token"]))] = Token(
                        network, member, scopes, client_id, refresh=True
                    )
            registered.append(str(entry["token"]))
        self._send(200, {"registered": registered})


class FakeNetServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address: tuple[str, int]) -> None:
        super().__init__(address, Handler)
        self.state = State()

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host!s}:{port}"


def serve(port: int = 0, host: str = "127.0.0.1") -> FakeNetServer:
    """Start the fake in a background thread (port 0: a free one). Stop it with
    `server.shutdown(); server.server_close()`."""
    server = FakeNetServer((host, port))
    threading.Thread(target=server.serve_forever, name="fakenet", daemon=True).start()
    return server
