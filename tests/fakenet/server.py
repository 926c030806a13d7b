"""A small threaded HTTP server that answers the X and LinkedIn endpoints the providers use,
with the networks' response shapes and headers, keeping posts in memory.

X: POST /2/tweets, GET /2/tweets, GET /2/users/<id>/tweets, POST /2/oauth2/token,
   GET /2/users/me, GET /i/oauth2/authorize.
LinkedIn: POST /rest/posts, GET /rest/memberCreatorPostAnalytics; OpenID Connect:
   GET /oauth/.well-known/openid-configuration, GET /oauth/v2/authorization,
   POST /oauth/v2/accessToken, GET /v2/userinfo, GET /oauth/openid/jwks.

The authorize endpoints approve at once, as if the member clicked "Allow": they redirect to
redirect_uri with a one-time code and the state. The code is exchanged once, for the same
redirect_uri and client; X checks the PKCE code_verifier (S256 or plain) against the
code_challenge. A token-endpoint call with an authorization code the fake did not issue still
gets tokens (with no member), as before.

Like the real networks it refuses a post whose text its author already posted (X: 403
"duplicate content"; LinkedIn: 422), shortens links to t.co and HTML-escapes & < > in the text X
returns, and rotates X refresh tokens (a spent one is refused).

Knobs, set with POST /_control (a JSON object; keys left out keep their value):
  latency_ms       added to every API answer
  fail             "429" | "401" | "403dup" | "500" | "timeout_after_accept" | null
  fail_count       how many API requests fail before `fail` clears itself (null: until reset)
  fail_network     "x" | "linkedin" | null (both)
  daily_cap        with fail "429": X's 24-hour caps are reported exhausted
  rate_reset_seconds  X's x-rate-limit-reset = now + this (default 900)
  hang_seconds     how long "timeout_after_accept" holds the answer after storing the post
  metrics_growth   impressions a post gains per second (default 1.0)
  oauth_member     the member who approves the next authorization (default "member-1")
  oauth_scope      the scope granted instead of the one asked for (null: as asked)
  post_limits      posting limits the fake enforces with 429s, e.g. {"x": {"user": [100, 900],
                   "app": [10000, 86400]}, "linkedin": {"user": [150, 86400]}}: [limit,
                   seconds], or a list of such pairs as in NETWORK_QUOTAS, counted in windows aligned to the epoch (a day starts at midnight
                   UTC); null: no limits
POST /_reset forgets posts and knobs; GET /_posts lists what each network stored;
GET /_stats counts the answers given, by method, path and status ("POST /2/tweets 201").
"""

import base64
import hashlib
import hmac
import html
import itertools
import json
import re
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, unquote, urlencode, urlsplit

URL_RE = re.compile(r"https?://\S+")
ENTITY_RE = re.compile(r"^\((?:share|ugc):(.+)\)$")
DEFAULT_KNOBS: dict[str, Any] = {
    "latency_ms": 0,
    "fail": None,
    "fail_count": None,
    "fail_network": None,
    "daily_cap": False,
    "rate_reset_seconds": 900,
    "hang_seconds": 30.0,
    "metrics_growth": 1.0,
    "post_limits": None,
    "oauth_member": "member-1",
    "oauth_scope": None,
}


@dataclass
class Post:
    id: str
    network: str
    author: str
    token: str
    text: str
    created: float = field(default_factory=time.time)


class State:
    def __init__(self) -> None:
        self.lock = threading.RLock()  # answers are counted inside locked sections too
        self.reset()

    def reset(self) -> None:
        self.knobs: dict[str, Any] = dict(DEFAULT_KNOBS)
        self.posts: list[Post] = []
        self.ids = itertools.count(1_880_000_000_000_000_001)
        self.spent_refresh_tokens: set[str] = set()
        self.answers: dict[str, int] = {}  # "POST /2/tweets 201" -> how many
        # (network, author, text) -> post: the duplicate check stays O(1) for a big launch.
        self.by_content: dict[tuple[str, str, str], Post] = {}
        self.window_counts: dict[str, int] = {}  # posting-limit window -> posts in it
        self.token_owner: dict[str, str] = {}  # access or refresh token -> X user id
        # authorization code -> what was approved (network, member, client, redirect, PKCE)
        self.oauth_codes: dict[str, dict[str, Any]] = {}
        self.linkedin_members: dict[str, str] = {}  # LinkedIn access token -> member

    def take_failure(self, network: str) -> str | None:
        """The failure this request gets, counting it down."""
        with self.lock:
            fail = self.knobs["fail"]
            wanted = self.knobs["fail_network"]
            if fail is None or (wanted and wanted != network):
                return None
            if self.knobs["fail_count"] is not None:
                self.knobs["fail_count"] -= 1
                if self.knobs["fail_count"] <= 0:
                    self.knobs["fail"] = self.knobs["fail_count"] = None
            return str(fail)

    def store(self, post: Post) -> None:
        """Keep a post (call with the lock held)."""
        self.posts.append(post)
        self.by_content[(post.network, post.author, post.text)] = post

    def same(self, network: str, author: str, text: str) -> Post | None:
        """The post this author already made with this text (call with the lock held)."""
        return self.by_content.get((network, author, text))

    def over_limit(self, network: str, author: str) -> int | None:
        """Count a post against the enforced limits (call with the lock held). Returns None,
        or the epoch second at which the full window resets (nothing is counted then)."""
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
                    return start + int(seconds)
                keys.append(key)
        for key in keys:
            self.window_counts[key] = self.window_counts.get(key, 0) + 1
        return None

    def impressions(self, post: Post) -> int:
        return int(max(time.time() - post.created, 0) * float(self.knobs["metrics_growth"]))


def short_link(url: str) -> str:
    return "https://t.co/" + hashlib.sha256(url.encode()).hexdigest()[:10]


def x_text_and_entities(text: str) -> tuple[str, dict[str, Any]]:
    """The text as X returns it: links shortened, & < > escaped; entities give the originals."""
    urls = []
    out = ""
    position = 0
    for match in URL_RE.finditer(text):
        out += html.escape(text[position : match.start()], quote=False)
        short = short_link(match.group())
        urls.append(
            {
                "start": len(out),
                "end": len(out) + len(short),
                "url": short,
                "expanded_url": match.group(),
                "display_url": match.group().split("://", 1)[1][:25],
            }
        )
        out += short
        position = match.end()
    out += html.escape(text[position:], quote=False)
    return out, ({"urls": urls} if urls else {})


class Handler(BaseHTTPRequestHandler):
    server: "FakeNetServer"
    protocol_version = "HTTP/1.0"

    def log_message(self, format: str, *args: Any) -> None:  # quiet
        pass

    # --- plumbing -------------------------------------------------------------------------
    @property
    def state(self) -> State:
        return self.server.state

    def _body(self) -> bytes:
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def _json_body(self) -> Any:
        raw = self._body()
        return json.loads(raw) if raw else {}

    def _send(
        self, status: int, payload: Any = None, headers: dict[str, str] | None = None
    ) -> None:
        body = b"" if payload is None else json.dumps(payload).encode()
        answer = f"{self.command} {urlsplit(self.path).path} {status}"
        with self.state.lock:
            self.state.answers[answer] = self.state.answers.get(answer, 0) + 1
        try:
            self.send_response(status)
            if payload is not None:
                self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (a timeout): like a real network, the post stays

    def _bearer(self) -> str:
        value = self.headers.get("Authorization", "")
        return value[len("Bearer ") :] if value.startswith("Bearer ") else ""

    def _latency(self) -> None:
        if self.state.knobs["latency_ms"]:
            time.sleep(self.state.knobs["latency_ms"] / 1000)

    def do_GET(self) -> None:
        self._route("GET")

    def do_POST(self) -> None:
        self._route("POST")

    def _route(self, method: str) -> None:
        url = urlsplit(self.path)
        path, query = url.path, parse_qs(url.query)
        if path == "/_control" and method == "POST":
            with self.state.lock:
                self.state.knobs.update(self._json_body())
                knobs = dict(self.state.knobs)
            return self._send(200, knobs)
        if path == "/_reset" and method == "POST":
            with self.state.lock:
                self.state.reset()
            return self._send(200, {"ok": True})
        if path == "/_stats" and method == "GET":
            with self.state.lock:
                answers = dict(self.state.answers)
            return self._send(200, {"answers": answers})
        if path == "/_posts" and method == "GET":
            with self.state.lock:
                posts = [post.__dict__ for post in self.state.posts]
            return self._send(200, {"posts": posts})
        routes = {
            ("POST", "/2/tweets"): self.x_create,
            ("GET", "/2/tweets"): self.x_lookup,
            ("POST", "/2/oauth2/token"): self.x_token,
            ("POST", "/rest/posts"): self.linkedin_create,
            ("GET", "/rest/memberCreatorPostAnalytics"): self.linkedin_analytics,
            ("GET", "/i/oauth2/authorize"): lambda q: self.oauth_authorize("x", q),
            ("GET", "/2/users/me"): self.x_me,
            ("GET", "/oauth/.well-known/openid-configuration"): self.linkedin_discovery,
            ("GET", "/oauth/v2/authorization"): lambda q: self.oauth_authorize("linkedin", q),
            ("POST", "/oauth/v2/accessToken"): self.linkedin_token,
            ("GET", "/v2/userinfo"): self.linkedin_userinfo,
            ("GET", "/oauth/openid/jwks"): lambda q: self._send(200, {"keys": []}),
        }
        handler = routes.get((method, path))
        user_tweets = re.fullmatch(r"/2/users/([^/]+)/tweets", path)
        if handler is None and method == "GET" and user_tweets:
            handler = lambda q: self.x_user_tweets(user_tweets.group(1), q)  # noqa: E731
        if handler is None:
            return self._send(404, {"title": "Not Found", "status": 404, "detail": path})
        self._latency()
        handler(query)

    # --- X --------------------------------------------------------------------------------
    def _x_rate_headers(self, exhausted: bool = False, daily: bool = False) -> dict[str, str]:
        now = int(time.time())
        reset = now + int(self.state.knobs["rate_reset_seconds"])
        headers = {
            "x-rate-limit-limit": "100",
            "x-rate-limit-remaining": "0" if exhausted else "99",
            "x-rate-limit-reset": str(reset),
        }
        if self.command == "POST":
            for cap in ("x-user-limit-24hour", "x-app-limit-24hour"):
                headers[f"{cap}-limit"] = "10000"
                headers[f"{cap}-remaining"] = "0" if daily else "9000"
                headers[f"{cap}-reset"] = str(now + 86_400)
        return headers

    def _x_failure(self, creating: bool) -> tuple[bool, str | None]:
        """Answers the injected failure. Returns (answered, failure)."""
        fail = self.state.take_failure("x")
        if fail == "429":
            daily = bool(self.state.knobs["daily_cap"])
            self._send(
                429,
                {
                    "title": "Too Many Requests",
                    "detail": "Too Many Requests",
                    "type": "about:blank",
                    "status": 429,
                },
                self._x_rate_headers(exhausted=True, daily=daily),
            )
        elif fail == "401":
            self._send(
                401,
                {
                    "title": "Unauthorized",
                    "type": "about:blank",
                    "status": 401,
                    "detail": "Unauthorized",
                },
            )
        elif fail == "500":
            self._send(
                503,
                {
                    "title": "Service Unavailable",
                    "detail": "Service Unavailable",
                    "type": "about:blank",
                    "status": 503,
                },
            )
        elif fail == "403dup" and creating:
            self._send(403, self._x_duplicate())
        else:
            return False, fail
        return True, fail

    def _x_duplicate(self) -> dict[str, Any]:
        return {
            "detail": "You are not allowed to create a Tweet with duplicate content.",
            "type": "about:blank",
            "title": "Forbidden",
            "status": 403,
        }

    def _x_author(self, token: str) -> str:
        return (
            self.state.token_owner.get(token)
            or "u" + hashlib.sha256(token.encode()).hexdigest()[:12]
        )

    def _x_tweet(self, post: Post, fields: set[str]) -> dict[str, Any]:
        text, entities = x_text_and_entities(post.text)
        data: dict[str, Any] = {"id": post.id, "text": text, "edit_history_tweet_ids": [post.id]}
        if "entities" in fields and entities:
            data["entities"] = entities
        if "created_at" in fields:
            data["created_at"] = time.strftime("%Y-%m-%dT%H:%M:%S.000Z", time.gmtime(post.created))
        impressions = self.state.impressions(post)
        if "public_metrics" in fields:
            data["public_metrics"] = {
                "retweet_count": impressions // 200,
                "reply_count": impressions // 100,
                "like_count": impressions // 20,
                "quote_count": impressions // 1000,
                "bookmark_count": impressions // 500,
                "impression_count": impressions,
            }
        if "non_public_metrics" in fields:
            data["non_public_metrics"] = {
                "impression_count": impressions,
                "user_profile_clicks": impressions // 50,
            }
        return data

    def x_create(self, query: dict[str, list[str]]) -> None:
        answered, fail = self._x_failure(creating=True)
        if answered:
            return
        token = self._bearer()
        text = str(self._json_body().get("text", ""))
        author = self._x_author(token)
        with self.state.lock:
            resets = self.state.over_limit("x", author)
            if resets is None and self.state.same("x", author, text):
                duplicate = True
            elif resets is None:
                duplicate = False
                post = Post(str(next(self.state.ids)), "x", author, token, text)
                self.state.store(post)
        if resets is not None:
            headers = self._x_rate_headers(exhausted=True)
            headers["x-rate-limit-reset"] = str(resets)
            return self._send(
                429,
                {"title": "Too Many Requests", "detail": "Too Many Requests", "status": 429},
                headers,
            )
        if duplicate:
            return self._send(403, self._x_duplicate(), self._x_rate_headers())
        if fail == "timeout_after_accept":
            time.sleep(float(self.state.knobs["hang_seconds"]))
        shown, _ = x_text_and_entities(text)
        self._send(
            201,
            {"data": {"id": post.id, "text": shown, "edit_history_tweet_ids": [post.id]}},
            self._x_rate_headers(),
        )

    def x_lookup(self, query: dict[str, list[str]]) -> None:
        if self._x_failure(creating=False)[0]:
            return
        ids = ",".join(query.get("ids", [])).split(",")
        fields = set(",".join(query.get("tweet.fields", [])).split(","))
        with self.state.lock:
            found = {p.id: p for p in self.state.posts if p.network == "x" and p.id in ids}
        payload: dict[str, Any] = {
            "data": [self._x_tweet(found[i], fields) for i in ids if i in found]
        }
        missing = [i for i in ids if i and i not in found]
        if missing:
            payload["errors"] = [
                {
                    "value": i,
                    "detail": f"Could not find tweet with ids: [{i}].",
                    "title": "Not Found Error",
                    "resource_type": "tweet",
                    "parameter": "ids",
                    "resource_id": i,
                    "type": "https://api.twitter.com/2/problems/resource-not-found",
                }
                for i in missing
            ]
        if not payload["data"]:
            del payload["data"]
        self._send(200, payload, self._x_rate_headers())

    def x_user_tweets(self, user_id: str, query: dict[str, list[str]]) -> None:
        if self._x_failure(creating=False)[0]:
            return
        token = self._bearer()
        limit = int((query.get("max_results") or ["10"])[0])
        fields = set(",".join(query.get("tweet.fields", [])).split(","))
        with self.state.lock:
            posts = [
                p
                for p in self.state.posts
                if p.network == "x" and (p.author == user_id or p.token == token)
            ]
        posts = sorted(posts, key=lambda p: int(p.id), reverse=True)[:limit]
        tweets = [self._x_tweet(p, fields) for p in posts]
        meta: dict[str, Any] = {"result_count": len(tweets)}
        if tweets:
            meta.update(newest_id=tweets[0]["id"], oldest_id=tweets[-1]["id"])
        self._send(
            200,
            {"data": tweets, "meta": meta} if tweets else {"meta": meta},
            self._x_rate_headers(),
        )

    def x_token(self, query: dict[str, list[str]]) -> None:
        form = {k: v[0] for k, v in parse_qs(self._body().decode()).items()}
        grant = form.get("grant_type")
        invalid = {
            "error": "invalid_request",
            "error_description": "Value passed for the token was invalid.",
        }
        scope = "tweet.read tweet.write users.read offline.access"
        with self.state.lock:
            if grant == "refresh_token":
                old = form.get("refresh_token", "")
                if not old or old in self.state.spent_refresh_tokens:
                    return self._send(400, invalid)
                self.state.spent_refresh_tokens.add(old)
                owner = self.state.token_owner.get(old)
            elif grant == "authorization_code" and form.get("code") in self.state.oauth_codes:
                approved = self.state.oauth_codes.pop(form["code"])
                if approved["network"] != "x" or not self._code_matches(approved, form):
                    return self._send(400, invalid)
                owner, scope = approved["member"], approved["scope"]
            elif grant == "authorization_code":
                owner = None
            else:
                return self._send(
                    400, {"error": "unsupported_grant_type", "error_description": str(grant)}
                )
            serial = next(self.state.ids)
            access, refresh = f"x-access-{serial}", f"x-refresh-{serial}"
            if owner:
                self.state.token_owner[access] = self.state.token_owner[refresh] = owner
        self._send(
            200,
            {
                "token_type": "bearer",
                "expires_in": 7200,
                "access_token": access,
                "scope": scope,
                "refresh_token": refresh,
            },
        )

    def x_me(self, query: dict[str, list[str]]) -> None:
        with self.state.lock:
            member = self.state.token_owner.get(self._bearer())
        if member is None:
            return self._send(401, {"title": "Unauthorized", "type": "about:blank", "status": 401})
        fields = set(",".join(query.get("user.fields", [])).split(","))
        data: dict[str, Any] = {"id": member, "name": f"Member {member}", "username": member}
        if "public_metrics" in fields:
            data["public_metrics"] = {
                "followers_count": 1234,
                "following_count": 56,
                "tweet_count": 78,
                "listed_count": 9,
            }
        self._send(200, {"data": data})

    # --- OAuth (both networks) ------------------------------------------------------------
    def _redirect(self, location: str) -> None:
        self.send_response(302)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def oauth_authorize(self, network: str, query: dict[str, list[str]]) -> None:
        """The member approves at once: back to redirect_uri with a code and the state."""
        form = {k: v[0] for k, v in query.items()}
        redirect_uri = form.get("redirect_uri", "")
        if form.get("response_type") != "code" or not redirect_uri or not form.get("client_id"):
            return self._send(400, {"error": "invalid_request"})
        with self.state.lock:
            code = f"{network}-code-{next(self.state.ids)}"
            granted = self.state.knobs["oauth_scope"]
            self.state.oauth_codes[code] = {
                "network": network,
                "member": str(self.state.knobs["oauth_member"]),
                "client_id": form["client_id"],
                "redirect_uri": redirect_uri,
                "challenge": form.get("code_challenge"),
                "challenge_method": form.get("code_challenge_method", "plain"),
                "scope": granted if granted is not None else form.get("scope", ""),
            }
        separator = "&" if "?" in redirect_uri else "?"
        params = {"code": code, "state": form.get("state", "")}
        self._redirect(f"{redirect_uri}{separator}{urlencode(params)}")

    def _code_matches(self, approved: dict[str, Any], form: dict[str, str]) -> bool:
        """Same redirect_uri as authorized, and the PKCE verifier fits the challenge."""
        if form.get("redirect_uri") != approved["redirect_uri"]:
            return False
        challenge = approved["challenge"]
        if not challenge:
            return True
        verifier = form.get("code_verifier", "")
        if approved["challenge_method"] == "S256":
            digest = hashlib.sha256(verifier.encode()).digest()
            verifier = base64.urlsafe_b64encode(digest).rstrip(b"=").decode()
        return hmac.compare_digest(verifier, challenge)

    # --- LinkedIn -----------------------------------------------------------------------------
    def _linkedin_issuer(self) -> str:
        return f"{self.server.url}/oauth"

    def linkedin_discovery(self, query: dict[str, list[str]]) -> None:
        base = self.server.url
        self._send(
            200,
            {
                "issuer": self._linkedin_issuer(),
                "authorization_endpoint": f"{base}/oauth/v2/authorization",
                "token_endpoint": f"{base}/oauth/v2/accessToken",
                "userinfo_endpoint": f"{base}/v2/userinfo",
                "jwks_uri": f"{base}/oauth/openid/jwks",
                "response_types_supported": ["code"],
                "subject_types_supported": ["pairwise"],
                "id_token_signing_alg_values_supported": ["RS256"],
                "scopes_supported": ["openid", "profile", "email"],
                "claims_supported": [
                    "iss",
                    "aud",
                    "iat",
                    "exp",
                    "sub",
                    "name",
                    "given_name",
                    "family_name",
                    "picture",
                    "email",
                    "email_verified",
                    "locale",
                ],
                "token_endpoint_auth_methods_supported": ["client_secret_post"],
            },
        )

    def _linkedin_claims(self, member: str) -> dict[str, Any]:
        return {
            "sub": member,
            "name": f"Member {member}",
            "given_name": "Member",
            "family_name": member,
            "email": f"{member}@example.com",
            "email_verified": True,
            "locale": "en-US",
        }

    def linkedin_token(self, query: dict[str, list[str]]) -> None:
        form = {k: v[0] for k, v in parse_qs(self._body().decode()).items()}
        refused = {
            "error": "invalid_request",
            "error_description": "Unable to retrieve access token: appid/redirect uri/code "
            "verifier does not match authorization code. Or authorization code expired.",
        }
        with self.state.lock:
            approved = self.state.oauth_codes.pop(form.get("code", ""), None)
            if (
                form.get("grant_type") != "authorization_code"
                or approved is None
                or approved["network"] != "linkedin"
                or form.get("client_id") != approved["client_id"]
                or not form.get("client_secret")
                or not self._code_matches(approved, form)
            ):
                return self._send(400, refused)
            access = f"li-access-{next(self.state.ids)}"
            self.state.linkedin_members[access] = approved["member"]
        now = int(time.time())
        claims = self._linkedin_claims(approved["member"])
        claims.update(iss=self._linkedin_issuer(), aud=approved["client_id"], iat=now)
        claims["exp"] = now + 3600
        # LinkedIn lists the granted scopes with commas.
        scope = ",".join(sorted(str(approved["scope"]).split()))
        self._send(
            200,
            {
                "access_token": access,
                "expires_in": 5_184_000,
                "scope": scope,
                "token_type": "Bearer",
                "id_token": unsigned_jwt(claims),
            },
        )

    def linkedin_userinfo(self, query: dict[str, list[str]]) -> None:
        with self.state.lock:
            member = self.state.linkedin_members.get(self._bearer())
        if member is None:
            return self._send(
                401,
                {"serviceErrorCode": 65600, "message": "Invalid access token", "status": 401},
            )
        self._send(200, self._linkedin_claims(member))

    def _linkedin_failure(self, creating: bool) -> tuple[bool, str | None]:
        fail = self.state.take_failure("linkedin")
        answers = {
            "429": (
                429,
                "Resource level throttle MEMBER DAY limit for calls to this resource is reached.",
            ),
            "401": (401, "The token used in the request has been revoked by the user"),
            "500": (500, "Internal Server Error"),
        }
        if fail in answers:
            status, message = answers[fail]
            body: dict[str, Any] = {"message": message, "status": status}
            if status == 401:
                body["serviceErrorCode"] = 65601
            self._send(status, body)
            return True, fail
        if fail == "403dup" and creating:
            self._send(422, {"message": "Content is a duplicate of urn:li:share:0", "status": 422})
            return True, fail
        return False, fail

    def _linkedin_headers_ok(self) -> bool:
        if not self._bearer():
            self._send(
                401,
                {"serviceErrorCode": 65604, "message": "Empty oauth2 access token", "status": 401},
            )
            return False
        if not self.headers.get("LinkedIn-Version"):
            self._send(
                426,
                {
                    "message": "A version must be present. Please specify a version by adding the LinkedIn-Version header.",
                    "status": 426,
                    "code": "VERSION_MISSING",
                },
            )
            return False
        return True

    def linkedin_create(self, query: dict[str, list[str]]) -> None:
        if not self._linkedin_headers_ok():
            return
        answered, fail = self._linkedin_failure(creating=True)
        if answered:
            return
        body = self._json_body()
        author, text = str(body.get("author", "")), str(body.get("commentary", ""))
        if not author.startswith("urn:li:person:"):
            return self._send(
                422, {"message": "ERROR :: /author :: is not a valid person urn", "status": 422}
            )
        with self.state.lock:
            resets = self.state.over_limit("linkedin", author)
            earlier = self.state.same("linkedin", author, text)
            if earlier is None and resets is None:
                post = Post(
                    f"urn:li:share:{next(self.state.ids)}", "linkedin", author, self._bearer(), text
                )
                self.state.store(post)
        if resets is not None:
            # LinkedIn's 429s do not say when the day's limit resets (midnight UTC).
            return self._send(
                429,
                {
                    "message": "Resource level throttle MEMBER DAY limit for calls to this resource is reached.",
                    "status": 429,
                },
            )
        if earlier is not None:
            return self._send(
                422, {"message": f"Content is a duplicate of {earlier.id}", "status": 422}
            )
        if fail == "timeout_after_accept":
            time.sleep(float(self.state.knobs["hang_seconds"]))
        self._send(201, None, {"x-restli-id": post.id, "x-linkedin-id": post.id})

    def linkedin_analytics(self, query: dict[str, list[str]]) -> None:
        if not self._linkedin_headers_ok() or self._linkedin_failure(creating=False)[0]:
            return
        match = ENTITY_RE.match(unquote((query.get("entity") or [""])[0]))
        query_type = (query.get("queryType") or [""])[0]
        divisor = {
            "IMPRESSION": 1,
            "MEMBERS_REACHED": 2,
            "REACTION": 20,
            "COMMENT": 100,
            "RESHARE": 200,
        }
        if (query.get("q") or [""])[0] != "entity" or match is None or query_type not in divisor:
            return self._send(
                400, {"message": "Invalid query parameters passed to request", "status": 400}
            )
        with self.state.lock:
            post = next((p for p in self.state.posts if p.id == match.group(1)), None)
        elements = []
        if post is not None:
            elements.append(
                {
                    "count": self.state.impressions(post) // divisor[query_type],
                    "metricType": {
                        "com.linkedin.adsexternalapi.memberanalytics.v1.CreatorPostAnalyticsMetricTypeV1": query_type
                    },
                    "targetEntity": {"share" if ":share:" in post.id else "ugc": post.id},
                }
            )
        self._send(200, {"paging": {"start": 0, "count": 10, "links": []}, "elements": elements})


def unsigned_jwt(claims: dict[str, Any]) -> str:
    """An id_token shaped like LinkedIn's. Its signature is made up: a client that received
    it straight from the token endpoint over TLS may skip checking it (OpenID Connect Core
    3.1.3.7), which allauth does."""

    def part(data: dict[str, Any]) -> str:
        raw = json.dumps(data, separators=(",", ":")).encode()
        return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()

    header = part({"alg": "RS256", "kid": "fakenet", "typ": "JWT"})
    signature = base64.urlsafe_b64encode(b"fakenet-signature").rstrip(b"=").decode()
    return f"{header}.{part(claims)}.{signature}"


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
