"""The fake X API v2 (posts, lookups, media upload, the user), from X's documents and OpenAPI
specification. Sources and dates: docs/networks.md, "X"."""

import base64
import hashlib
import html
import re
import struct
import time
from typing import Any

from twitter_text import extract_urls_with_indices, parse_tweet

from tests.fakenet.plumbing import Plumbing
from tests.fakenet.state import Media, Post, Token

MAX_WEIGHTED_LENGTH = 280
# https://docs.x.com/x-api/media/quickstart/best-practices: images up to 5 MB, 4 per post.
MAX_IMAGE_BYTES = 5 * 1024 * 1024
MAX_MEDIA_PER_POST = 4
MEDIA_CATEGORIES = {
    "tweet_image",
    "tweet_video",
    "tweet_gif",
    "dm_image",
    "dm_video",
    "dm_gif",
    "subtitles",
}
IMAGE_MAGIC = {
    b"\xff\xd8\xff": "image/jpeg",
    b"\x89PNG\r\n\x1a\n": "image/png",
    b"GIF8": "image/gif",
    b"RIFF": "image/webp",
}
HTTP_LINK_RE = re.compile(r"https?://\S+")
TRAILING = ".,;:!?)]}'\""
NON_PUBLIC_FIELDS = ("impression_count", "url_link_clicks", "user_profile_clicks")


def short_link(url: str) -> str:
    return "https://t.co/" + hashlib.sha256(url.encode()).hexdigest()[:10]


def link_spans(text: str) -> list[tuple[int, int]]:
    """Where X makes links: twitter-text's URL extraction (bare domains included). Also any
    http(s) link to a host twitter-text does not know (127.0.0.1, testserver), which tests use
    for tracked links; a deviation from X, documented in docs/networks.md."""
    spans = [tuple(found["indices"]) for found in extract_urls_with_indices(text)]
    for match in HTTP_LINK_RE.finditer(text):
        end = match.end()
        while end > match.start() and text[end - 1] in TRAILING:
            end -= 1
        if not any(start < end and match.start() < stop for start, stop in spans):
            spans.append((match.start(), end))
    return sorted((int(start), int(stop)) for start, stop in spans)


def x_text_and_entities(text: str) -> tuple[str, dict[str, Any]]:
    """The text as X returns it: links shortened, & < > escaped; entities give the originals."""
    urls = []
    out = ""
    position = 0
    for start, end in link_spans(text):
        link = text[start:end]
        out += html.escape(text[position:start], quote=False)
        short = short_link(link)
        urls.append(
            {
                "start": len(out),
                "end": len(out) + len(short),
                "url": short,
                "expanded_url": link if "://" in link else f"http://{link}",
                "display_url": link.split("://", 1)[-1][:25],
            }
        )
        out += short
        position = end
    out += html.escape(text[position:], quote=False)
    return out, ({"urls": urls} if urls else {})


def image_size(data: bytes) -> tuple[int, int]:
    """Width and height of a PNG or JPEG, (0, 0) when unknown."""
    if data.startswith(b"\x89PNG") and len(data) >= 24:
        width, height = struct.unpack(">II", data[16:24])
        return int(width), int(height)
    position = 2
    while data.startswith(b"\xff\xd8") and position + 9 < len(data):
        if data[position] != 0xFF:
            break
        marker, length = (
            data[position + 1],
            struct.unpack(">H", data[position + 2 : position + 4])[0],
        )
        if marker in (0xC0, 0xC1, 0xC2):
            height, width = struct.unpack(">HH", data[position + 5 : position + 9])
            return int(width), int(height)
        position += 2 + length
    return 0, 0


def problem(status: int, title: str, detail: str, kind: str = "about:blank") -> dict[str, Any]:
    return {"title": title, "detail": detail, "type": kind, "status": status}


def invalid_request(parameter: str, value: Any, message: str) -> dict[str, Any]:
    return {
        "errors": [
            {
                "parameters": {parameter: value if isinstance(value, list) else [value]},
                "message": message,
            }
        ],
        "title": "Invalid Request",
        "detail": "One or more parameters to your request was invalid.",
        "type": "https://api.twitter.com/2/problems/invalid-request",
    }


class XApi(Plumbing):
    # --- plumbing ---------------------------------------------------------------------------
    def _x_rate_headers(self, exhausted: bool = False, daily: bool = False) -> dict[str, str]:
        """X documents x-rate-limit-* on every answer; the 24-hour caps' headers are seen on
        posts but not documented, so they come only with the `x_24h_headers` or `daily_cap`
        knob (https://docs.x.com/x-api/fundamentals/rate-limits)."""
        now = int(time.time())
        reset = now + int(self.state.knobs["rate_reset_seconds"])
        headers = {
            "x-rate-limit-limit": "100",
            "x-rate-limit-remaining": "0" if exhausted else "99",
            "x-rate-limit-reset": str(reset),
        }
        if self.command == "POST" and (self.state.knobs["x_24h_headers"] or daily):
            for cap in ("x-user-limit-24hour", "x-app-limit-24hour"):
                headers[f"{cap}-limit"] = "10000"
                headers[f"{cap}-remaining"] = "0" if daily else "9000"
                headers[f"{cap}-reset"] = str(now + 86_400)
        return headers

    def _x_token(self, *scopes: str, creating: bool = False) -> Token | None:
        """The request's known bearer token holding `scopes`, or None after answering 401
        (unknown token), the injected failure (knob `fail`, kept in self._x_fail) or 403 (a
        scope is missing)."""
        token = self.state.token(self._bearer(), "x")
        if token is None:
            self._send(401, problem(401, "Unauthorized", "Unauthorized"))
            return None
        self._x_fail = self.state.take_failure("x", creating=creating)
        if self._x_failure(self._x_fail):
            return None
        if any(scope not in token.scope for scope in scopes):
            # Undocumented body: chosen, X's generic problem (docs/networks.md).
            self._send(403, problem(403, "Forbidden", "Forbidden"))
            return None
        return token

    def _x_failure(self, fail: str | None) -> bool:
        """Answers the injected failure; False when there is none to answer here."""
        if fail == "429":
            daily = bool(self.state.knobs["daily_cap"])
            self._send(
                429,
                problem(429, "Too Many Requests", "Too Many Requests"),
                self._x_rate_headers(exhausted=True, daily=daily),
            )
        elif fail == "402":
            # Pay-per-use credits spent: https://docs.x.com/x-api/getting-started/pricing; the
            # body as X sends it (docs/networks.md).
            self._send(
                402,
                {
                    "title": "CreditsDepleted",
                    "detail": "Your enrolled account [1880000000000000000] does not have any "
                    "credits to fulfill this request.",
                    "type": "https://api.twitter.com/2/problems/credits",
                },
            )
        elif fail == "401":
            self._send(401, problem(401, "Unauthorized", "Unauthorized"))
        elif fail == "500":
            self._send(503, problem(503, "Service Unavailable", "Service Unavailable"))
        elif fail == "403dup":
            self._send(403, self._x_duplicate())
        else:
            return False
        return True

    def _x_duplicate(self) -> dict[str, Any]:
        return problem(
            403, "Forbidden", "You are not allowed to create a Tweet with duplicate content."
        )

    # --- POST /2/tweets ---------------------------------------------------------------------
    def x_create(self, query: dict[str, list[str]]) -> None:
        # https://docs.x.com/x-api/posts/creation-of-a-post; scopes from X's OpenAPI.
        token = self._x_token("tweet.read", "tweet.write", "users.read", creating=True)
        if token is None:
            return
        fail = self._x_fail
        body = self._json_body()
        if not isinstance(body, dict):
            return self._send(
                400, problem(400, "Invalid Request", "Request body is not valid JSON.")
            )
        text = str(body.get("text", ""))
        media_ids = [str(i) for i in ((body.get("media") or {}).get("media_ids") or [])]
        if not text and not media_ids:
            return self._send(400, invalid_request("text", "", "You must provide text or media."))
        if parse_tweet(text).weightedLength > MAX_WEIGHTED_LENGTH:
            return self._send(
                400,
                problem(
                    400,
                    "Bad Request",
                    "Your Tweet text is too long. For more information on how Twitter "
                    "determines text length see https://github.com/twitter/twitter-text.",
                ),
            )
        if len(media_ids) > MAX_MEDIA_PER_POST or not all(
            self._x_owns(i, token) for i in media_ids
        ):
            return self._send(
                400, invalid_request("media.media_ids", media_ids, "Your media IDs are invalid.")
            )
        author = token.member
        with self.state.lock:
            resets = self.state.over_limit("x", author)
            duplicate = resets is None and self.state.same("x", author, text) is not None
            if resets is None and not duplicate:
                post = Post(
                    str(next(self.state.ids)),
                    "x",
                    author,
                    self._bearer(),
                    text,
                    media_ids=media_ids,
                )
                self.state.store(post)
        if resets is not None:
            headers = self._x_rate_headers(exhausted=True)
            headers["x-rate-limit-reset"] = str(resets[0])
            return self._send(429, problem(429, "Too Many Requests", "Too Many Requests"), headers)
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

    def _x_owns(self, media_id: str, token: Token) -> bool:
        with self.state.lock:
            media = self.state.media.get(media_id)
        return bool(
            media and media.network == "x" and media.uploaded and media.owner == token.member
        )

    # --- reading posts ----------------------------------------------------------------------
    def _x_tweet(self, post: Post, fields: set[str]) -> dict[str, Any]:
        text, entities = x_text_and_entities(post.text)
        data: dict[str, Any] = {"id": post.id, "text": text, "edit_history_tweet_ids": [post.id]}
        if "entities" in fields and entities:
            data["entities"] = entities
        if "created_at" in fields:
            data["created_at"] = time.strftime("%Y-%m-%dT%H:%M:%S.000Z", time.gmtime(post.created))
        impressions = self.state.impressions(post)
        if "public_metrics" in fields:
            reposts = impressions // 200
            # X's written docs say retweet_count, its OpenAPI (2.167) repost_count: the knob
            # picks (docs/networks.md).
            named = self.state.knobs["x_repost_field"]
            public = {
                "reply_count": impressions // 100,
                "like_count": impressions // 20,
                "quote_count": impressions // 1000,
                "bookmark_count": impressions // 500,
                "impression_count": impressions,
            }
            for name in ("retweet_count", "repost_count"):
                if named in (name, "both"):
                    public[name] = reposts
            data["public_metrics"] = public
        if "non_public_metrics" in fields:
            data["non_public_metrics"] = {
                "impression_count": impressions,
                "url_link_clicks": impressions // 40,
                "user_profile_clicks": impressions // 50,
            }
        return data

    def _x_field_errors(self, post: Post, token: Token, fields: set[str]) -> list[dict[str, Any]]:
        """Non-public metrics exist only for the token owner's posts younger than 30 days;
        otherwise X answers 200 with one error per field and leaves the post out of `data`
        (https://docs.x.com/x-api/fundamentals/metrics)."""
        if "non_public_metrics" not in fields:
            return []
        if post.author == token.member and self.state.age_days(post) < 30:
            return []
        return [
            {
                "resource_type": "tweet",
                "field": f"non_public_metrics.{name}",
                "parameter": "id",
                "resource_id": post.id,
                "title": "Field Authorization Error",
                "section": "data",
                "detail": f"Sorry, you are not authorized to access 'non_public_metrics.{name}' "
                f"on the Tweet with id : [{post.id}].",
                "value": post.id,
                "type": "https://api.twitter.com/2/problems/not-authorized-for-field",
            }
            for name in NON_PUBLIC_FIELDS
        ]

    def x_lookup(self, query: dict[str, list[str]]) -> None:
        token = self._x_token("tweet.read", "users.read")
        if token is None:
            return
        ids = [i for i in ",".join(query.get("ids", [])).split(",") if i]
        if not 1 <= len(ids) <= 100:
            return self._send(
                400,
                invalid_request(
                    "ids", ids, "The `ids` query parameter value must have 1 to 100 ids."
                ),
            )
        fields = set(",".join(query.get("tweet.fields", [])).split(","))
        with self.state.lock:
            found = {p.id: p for p in self.state.posts if p.network == "x" and p.id in ids}
        data, errors = [], []
        for i in ids:
            post = found.get(i)
            if post is None:
                errors.append(
                    {
                        "value": i,
                        "detail": f"Could not find tweet with ids: [{i}].",
                        "title": "Not Found Error",
                        "resource_type": "tweet",
                        "parameter": "ids",
                        "resource_id": i,
                        "type": "https://api.twitter.com/2/problems/resource-not-found",
                    }
                )
                continue
            refused = self._x_field_errors(post, token, fields)
            errors.extend(refused)
            if not refused:
                data.append(self._x_tweet(post, fields))
        payload: dict[str, Any] = {}
        if data:
            payload["data"] = data
        if errors:
            payload["errors"] = errors
        self._send(200, payload, self._x_rate_headers())

    def x_user_tweets(self, user_id: str, query: dict[str, list[str]]) -> None:
        token = self._x_token("tweet.read", "users.read")
        if token is None:
            return
        limit = int((query.get("max_results") or ["10"])[0])
        fields = set(",".join(query.get("tweet.fields", [])).split(","))
        with self.state.lock:
            posts = [p for p in self.state.posts if p.network == "x" and p.author == user_id]
        posts = sorted(posts, key=lambda p: int(p.id), reverse=True)[:limit]
        posts = [p for p in posts if not self._x_field_errors(p, token, fields)]
        tweets = [self._x_tweet(p, fields) for p in posts]
        meta: dict[str, Any] = {"result_count": len(tweets)}
        if tweets:
            meta.update(newest_id=tweets[0]["id"], oldest_id=tweets[-1]["id"])
        self._send(
            200,
            {"data": tweets, "meta": meta} if tweets else {"meta": meta},
            self._x_rate_headers(),
        )

    def x_me(self, query: dict[str, list[str]]) -> None:
        token = self._x_token("tweet.read", "users.read")
        if token is None:
            return
        member = token.member
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

    # --- media upload (v2) ------------------------------------------------------------------
    def _x_media_check(self, data: bytes, category: str) -> str | dict[str, Any]:
        """The MIME type of an image upload, or the 400 to answer."""
        if category not in MEDIA_CATEGORIES:
            return invalid_request("media_category", category, "Invalid media_category.")
        mime = next((kind for magic, kind in IMAGE_MAGIC.items() if data.startswith(magic)), "")
        if category == "tweet_image" and not mime:
            return invalid_request(
                "media", "", "The media is not a supported image (JPG, PNG, GIF, WEBP)."
            )
        if category == "tweet_image" and len(data) > MAX_IMAGE_BYTES:
            return invalid_request("media", "", "Image file size must be <= 5242880 bytes.")
        return mime or "application/octet-stream"

    def _x_media_data(self, media: Media, data: bytes = b"") -> dict[str, Any]:
        answer: dict[str, Any] = {
            "id": media.id,
            "media_key": f"3_{media.id}",
            "size": media.size,
            "expires_after_secs": 86_400,
        }
        if media.mime_type.startswith("image/") and data:
            width, height = image_size(data)
            answer["image"] = {"image_type": media.mime_type, "w": width, "h": height}
        return answer

    def x_media_upload(self, query: dict[str, list[str]]) -> None:
        """POST /2/media/upload: one request with the whole file."""
        token = self._x_token("media.write")
        if token is None:
            return
        fields = self._media_fields()
        if fields is None or "media" not in fields or "media_category" not in fields:
            return self._send(
                400,
                invalid_request(
                    "media", "", "The `media` and `media_category` fields are required."
                ),
            )
        data = fields["media"] if isinstance(fields["media"], bytes) else b""
        checked = self._x_media_check(data, str(fields["media_category"]))
        if isinstance(checked, dict):
            return self._send(400, checked)
        with self.state.lock:
            media = Media(
                str(next(self.state.ids)),
                "x",
                token.member,
                self._bearer(),
                checked,
                len(data),
                len(data),
                True,
            )
            self.state.media[media.id] = media
        self._send(200, {"data": self._x_media_data(media, data)})

    def x_media_initialize(self, query: dict[str, list[str]]) -> None:
        token = self._x_token("media.write")
        if token is None:
            return
        body = self._json_body()
        if (
            not isinstance(body, dict)
            or not body.get("media_type")
            or body.get("total_bytes") is None
        ):
            return self._send(
                400,
                invalid_request(
                    "media_type", "", "The `media_type` and `total_bytes` fields are required."
                ),
            )
        category = str(body.get("media_category") or "tweet_image")
        if category not in MEDIA_CATEGORIES:
            return self._send(
                400, invalid_request("media_category", category, "Invalid media_category.")
            )
        total = int(body["total_bytes"])
        if category == "tweet_image" and total > MAX_IMAGE_BYTES:
            return self._send(
                400,
                invalid_request(
                    "total_bytes", str(total), "Image file size must be <= 5242880 bytes."
                ),
            )
        with self.state.lock:
            media = Media(
                str(next(self.state.ids)),
                "x",
                token.member,
                self._bearer(),
                str(body["media_type"]),
                0,
                total,
            )
            self.state.media[media.id] = media
        self._send(
            200,
            {"data": {"id": media.id, "media_key": f"3_{media.id}", "expires_after_secs": 86_400}},
        )

    def _x_session(self, media_id: str, token: Token) -> Media | None:
        with self.state.lock:
            media = self.state.media.get(media_id)
        if media is None or media.network != "x" or media.owner != token.member or media.uploaded:
            self._send(
                400, invalid_request("id", media_id, "The media upload session was not found.")
            )
            return None
        return media

    def x_media_append(self, media_id: str) -> None:
        token = self._x_token("media.write")
        if token is None:
            return
        media = self._x_session(media_id, token)
        if media is None:
            return
        fields = self._media_fields()
        if fields is None or "media" not in fields or "segment_index" not in fields:
            return self._send(
                400,
                invalid_request(
                    "media", "", "The `media` and `segment_index` fields are required."
                ),
            )
        with self.state.lock:
            media.chunks[int(fields["segment_index"])] = len(fields["media"])
        self._send(200, {"data": {"expires_at": int(time.time()) + 86_400}})

    def x_media_finalize(self, media_id: str) -> None:
        token = self._x_token("media.write")
        if token is None:
            return
        media = self._x_session(media_id, token)
        if media is None:
            return
        size = sum(media.chunks.values())
        if sorted(media.chunks) != list(range(len(media.chunks))) or size != media.expected_size:
            return self._send(
                400,
                invalid_request(
                    "id",
                    media_id,
                    f"File size {size} does not match total_bytes {media.expected_size}.",
                ),
            )
        with self.state.lock:
            media.size, media.uploaded = size, True
        self._send(200, {"data": self._x_media_data(media)})

    def x_media_status(self, query: dict[str, list[str]]) -> None:
        token = self._x_token("media.write")
        if token is None:
            return
        media_id = (query.get("media_id") or [""])[0]
        with self.state.lock:
            media = self.state.media.get(media_id)
        if media is None or media.network != "x" or media.owner != token.member:
            return self._send(
                400, invalid_request("media_id", media_id, "The media was not found.")
            )
        answer = self._x_media_data(media)
        answer["processing_info"] = {
            "state": "succeeded" if media.uploaded else "pending",
            "progress_percent": 100 if media.uploaded else 0,
        }
        self._send(200, {"data": answer})


def media_json(data: bytes, category: str = "tweet_image") -> dict[str, str]:
    """A JSON media upload body, for tests that drive the fake with raw requests."""
    return {"media": base64.b64encode(data).decode(), "media_category": category}
