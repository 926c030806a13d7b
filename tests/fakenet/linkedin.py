"""The fake LinkedIn REST API (versioned /rest/ calls, the Images API upload), from LinkedIn's
documents. Sources and dates: docs/networks.md, "LinkedIn"."""

import re
import time
from datetime import date
from typing import Any
from urllib.parse import unquote

from tests.fakenet.plumbing import Plumbing
from tests.fakenet.state import Media, Post, Token

# LinkedIn Marketing API versions and their sunsets, from
# https://learn.microsoft.com/en-us/linkedin/marketing/integrations/migrations (read
# 2026-12-07). None: released but the sunset is not published yet; LinkedIn promises each
# version "a minimum of one year" (https://learn.microsoft.com/en-us/linkedin/marketing/versioning),
# so the fake retires it on the earliest day that promise allows: the first day of its month a
# year later. A version not in this table (never released, or retired long ago) is refused.
VERSIONS: dict[str, date | None] = {
    "202510": date(2026, 10, 15),
    "202511": date(2026, 11, 16),
    # No 202512: the version after 202511 is 202601.
    "202601": date(2027, 1, 15),
    "202602": date(2027, 2, 15),
    "202603": date(2027, 3, 16),
    "202604": date(2027, 4, 15),
    "202605": None,
    "202606": None,
    "202607": None,
    "202608": None,
    "202609": None,
}
# YYYYMM, YYYYMM.RR (a revision) or YYYYMMDD: LinkedIn echoes a version as YYYYMM01 in its
# 426 ("Requested version 20250401 is not active" for the header 202504).
VERSION_RE = re.compile(r"^(\d{4})(\d{2})(?:\.\d{2}|01)?$")
ENTITY_RE = re.compile(r"^\((?:share|ugc):(.+)\)$")
PERSON_PREFIX = "urn:li:person:"
IMAGE_RE = re.compile(r"^urn:li:image:[A-Za-z0-9_-]+$")
# The Posts API schema: https://learn.microsoft.com/en-us/linkedin/marketing/community-management/shares/post-api-schema
POST_FIELDS = {
    "author",
    "commentary",
    "visibility",
    "distribution",
    "lifecycleState",
    "isReshareDisabledByAuthor",
    "content",
    "contentLandingPage",
    "contentCallToActionLabel",
    "container",
    "adContext",
    "reshareContext",
    "lifecycleStateInfo",
    "publishedAt",
}
DISTRIBUTION_FIELDS = {"feedDistribution", "targetEntities", "thirdPartyDistributionChannels"}
ARTICLE_FIELDS = {"source", "title", "description", "thumbnail", "thumbnailAltText"}
MEDIA_FIELDS = {"id", "altText", "title"}
CONTENT_KINDS = {"article", "media", "multiImage", "poll", "carousel", "celebration", "reference"}
VISIBILITIES = {"PUBLIC", "CONNECTIONS", "LOGGED_IN", "CONTAINER"}
FEED_DISTRIBUTIONS = {"MAIN_FEED", "NONE"}
LIFECYCLE_STATES = {"PUBLISHED", "DRAFT", "PUBLISH_REQUESTED", "PUBLISH_FAILED"}
# File signatures of the image formats the Images API takes (JPG, GIF, PNG).
IMAGE_MAGIC = {
    b"\xff\xd8\xff": "image/jpeg",
    b"\x89PNG\r\n\x1a\n": "image/png",
    b"GIF8": "image/gif",
}


def sunset(version: str) -> date:
    """The day LinkedIn stops answering `version` (YYYYMM in VERSIONS)."""
    known = VERSIONS[version]
    if known is not None:
        return known
    return date(int(version[:4]) + 1, int(version[4:]), 1)


def version_refusal(header: str, today: date) -> tuple[int, dict[str, Any]] | None:
    """LinkedIn's answer to a request with this LinkedIn-Version header, or None if the
    version is active on `today`."""
    if not header:
        # Measured by another team on 2026-08-19 (docs/networks.md): 400, not 426.
        return 400, {
            "status": 400,
            "code": "VERSION_MISSING",
            "message": "A version must be present. Please specify a version by adding the "
            "LinkedIn-Version header.",
        }
    match = VERSION_RE.match(header.strip())
    if match is None:
        # Undocumented: chosen (LinkedIn's error shape, the 400 of a missing version).
        return 400, {
            "status": 400,
            "code": "INVALID_VERSION",
            "message": f"Invalid LinkedIn-Version header {header!r}: expected YYYYMM.",
        }
    version = match.group(1) + match.group(2)
    if version in VERSIONS and today < sunset(version):
        return None
    return 426, {
        "status": 426,
        "code": "NONEXISTENT_VERSION",
        "message": f"Requested version {version}01 is not active",
    }


def access_denied(message: str) -> dict[str, Any]:
    return {"status": 403, "serviceErrorCode": 100, "code": "ACCESS_DENIED", "message": message}


def schema_errors(body: dict[str, Any]) -> list[str]:
    """The Rest.li validation messages LinkedIn gives for a Posts API body (422)."""
    errors: list[str] = []
    for name in sorted(set(body) - POST_FIELDS):
        errors.append(f"/{name} :: unrecognized field found but not allowed")
    for name in ("author", "commentary", "visibility", "distribution", "lifecycleState"):
        if name not in body:
            errors.append(f"/{name} :: field is required but not found and has no default value")
    enums = (("visibility", VISIBILITIES), ("lifecycleState", LIFECYCLE_STATES))
    for name, allowed in enums:
        if name in body and body[name] not in allowed:
            errors.append(f'/{name} :: "{body[name]}" is not an enum symbol')
    distribution = body.get("distribution")
    if "distribution" in body:
        if not isinstance(distribution, dict):
            errors.append("/distribution :: not a record")
        else:
            for name in sorted(set(distribution) - DISTRIBUTION_FIELDS):
                errors.append(f"/distribution/{name} :: unrecognized field found but not allowed")
            feed = distribution.get("feedDistribution")
            if "feedDistribution" not in distribution:
                errors.append(
                    "/distribution/feedDistribution :: field is required but not found and "
                    "has no default value"
                )
            elif feed not in FEED_DISTRIBUTIONS:
                errors.append(f'/distribution/feedDistribution :: "{feed}" is not an enum symbol')
    errors.extend(content_errors(body.get("content")))
    return errors


def content_errors(content: Any) -> list[str]:
    if content is None:
        return []
    if not isinstance(content, dict) or len(content) != 1:
        return ["/content :: exactly one kind of content is allowed"]
    [(kind, value)] = content.items()
    if kind not in CONTENT_KINDS:
        return [f"/content/{kind} :: unrecognized field found but not allowed"]
    if not isinstance(value, dict):
        return [f"/content/{kind} :: not a record"]
    allowed, required = {
        "article": (ARTICLE_FIELDS, ("source", "title")),
        "media": (MEDIA_FIELDS, ("id",)),
    }.get(kind, (set(value), ()))
    errors = [
        f"/content/{kind}/{name} :: unrecognized field found but not allowed"
        for name in sorted(set(value) - allowed)
    ]
    errors += [
        f"/content/{kind}/{name} :: field is required but not found and has no default value"
        for name in required
        if name not in value
    ]
    return errors


def content_images(content: Any) -> list[str]:
    """The image URNs a post's content refers to (an article's thumbnail, an image post)."""
    if not isinstance(content, dict):
        return []
    found = []
    article, media = content.get("article"), content.get("media")
    if isinstance(article, dict) and article.get("thumbnail"):
        found.append(str(article["thumbnail"]))
    if isinstance(media, dict) and str(media.get("id", "")).startswith("urn:li:image:"):
        found.append(str(media["id"]))
    return found


class LinkedInApi(Plumbing):
    # --- headers, token, scope -------------------------------------------------------------
    def _linkedin_token(self) -> Token | None:
        """Check what every versioned call needs: LinkedIn-Version (active on the fake's
        date), X-Restli-Protocol-Version: 2.0.0, a known bearer token. Answers and returns None
        when one is wrong."""
        refusal = version_refusal(self.headers.get("LinkedIn-Version", ""), self.state.today())
        if refusal is not None:
            status, body = refusal
            self._send(status, body, {"X-RestLi-Gateway-Error": "true"})
            return None
        if self.headers.get("X-Restli-Protocol-Version") != "2.0.0":
            # LinkedIn documents the header as required for these APIs; its answer without it
            # is undocumented: chosen (docs/networks.md).
            self._send(
                400,
                {
                    "status": 400,
                    "code": "ILLEGAL_ARGUMENT",
                    "message": "X-Restli-Protocol-Version: 2.0.0 is required by this API.",
                },
            )
            return None
        return self._linkedin_bearer()

    def _linkedin_bearer(self) -> Token | None:
        value = self._bearer()
        if not value:
            self._send(
                401,
                {
                    "status": 401,
                    "serviceErrorCode": 65604,
                    "code": "EMPTY_ACCESS_TOKEN",
                    "message": "Empty oauth2 access token",
                },
            )
            return None
        token = self.state.token(value, "linkedin")
        if token is None:
            self._send(
                401,
                {
                    "status": 401,
                    "serviceErrorCode": 65600,
                    "code": "INVALID_ACCESS_TOKEN",
                    "message": "Invalid access token",
                },
            )
        return token

    def _linkedin_scope(self, token: Token, scope: str, resource: str) -> bool:
        if scope in token.scope:
            return True
        self._send(403, access_denied(f"Not enough permissions to access: {resource}"))
        return False

    def _linkedin_failure(self, creating: bool) -> tuple[bool, str | None]:
        fail = self.state.take_failure("linkedin", creating=creating)
        if fail == "429":
            # A daily limit, per member or per app; it resets at midnight UTC and the answer
            # says neither when nor anything in its headers.
            self._send(
                429,
                self._throttle("Resource level throttle APPLICATION_AND_MEMBER DAY limit"),
            )
        elif fail == "429short":
            # "Infrastructure protection": clears by itself; undocumented body, chosen
            # without "DAY" (docs/networks.md).
            self._send(
                429,
                {
                    "status": 429,
                    "serviceErrorCode": 101,
                    "code": "TOO_MANY_REQUESTS",
                    "message": "Too many requests. Please retry later.",
                },
            )
        elif fail == "401":
            self._send(
                401,
                {
                    "status": 401,
                    "serviceErrorCode": 65601,
                    "code": "REVOKED_ACCESS_TOKEN",
                    "message": "The token used in the request has been revoked by the user",
                },
            )
        elif fail == "500":
            self._send(500, {"message": "Internal Server Error", "status": 500})
        elif fail == "403dup":
            self._send(422, self._duplicate("urn:li:share:0"))
        else:
            return False, fail
        return True, fail

    def _throttle(self, which: str) -> dict[str, Any]:
        return {
            "status": 429,
            "serviceErrorCode": 101,
            "code": "TOO_MANY_REQUESTS",
            "message": f"{which} for calls to this resource is reached.",
        }

    def _duplicate(self, urn: str) -> dict[str, Any]:
        return {
            "errorDetailType": "com.linkedin.common.error.BadRequest",
            "message": "com.linkedin.content.common.exception.BadRequestResponseException: "
            f"Content is a duplicate of {urn}",
            "errorDetails": {
                "inputErrors": [
                    {
                        "description": "Duplicate post is detected",
                        "input": {},
                        "code": "DUPLICATE_POST",
                    }
                ]
            },
            "status": 422,
        }

    def _unprocessable(self, errors: list[str]) -> None:
        message = "".join(f"ERROR :: {error}\n" for error in errors)
        self._send(422, {"message": message, "status": 422})

    # --- POST /rest/posts -------------------------------------------------------------------
    def linkedin_create(self, query: dict[str, list[str]]) -> None:
        token = self._linkedin_token()
        if token is None:
            return
        answered, fail = self._linkedin_failure(creating=True)
        if answered or not self._linkedin_scope(
            token, "w_member_social", "partnerApiPostsExternal.CREATE"
        ):
            return
        body = self._json_body()
        if not isinstance(body, dict):
            return self._send(400, {"status": 400, "message": "Request body is not valid JSON."})
        errors = schema_errors(body)
        if errors:
            return self._unprocessable(errors)
        author, text = str(body["author"]), str(body["commentary"])
        if author != PERSON_PREFIX + token.member:
            return self._send(
                403,
                access_denied(
                    "Field Value validation failed in REQUEST_BODY: Data Processing Exception "
                    "while processing fields [/author]"
                ),
            )
        missing = [
            urn for urn in content_images(body.get("content")) if not self._usable(urn, token)
        ]
        if missing:
            # Undocumented: chosen (LinkedIn's 422 schema-error shape).
            return self._unprocessable(
                [
                    f"{self._image_field(body)} :: {urn} is not an uploaded image of the author"
                    for urn in missing
                ]
            )
        with self.state.lock:
            resets = self.state.over_limit("linkedin", author)
            earlier = self.state.same("linkedin", author, text)
            if earlier is None and resets is None:
                post = Post(
                    f"urn:li:share:{next(self.state.ids)}",
                    "linkedin",
                    author,
                    self._bearer(),
                    text,
                    content=body.get("content"),
                )
                self.state.store(post)
        if resets is not None:
            which = "MEMBER DAY" if resets[1] == "user" else "APPLICATION DAY"
            return self._send(429, self._throttle(f"Resource level throttle {which} limit"))
        if earlier is not None:
            return self._send(422, self._duplicate(earlier.id))
        if fail == "timeout_after_accept":
            time.sleep(float(self.state.knobs["hang_seconds"]))
        self._send(201, None, {"x-restli-id": post.id, "x-linkedin-id": post.id})

    def _image_field(self, body: dict[str, Any]) -> str:
        return (
            "/content/media/id"
            if "media" in body.get("content", {})
            else "/content/article/thumbnail"
        )

    def _usable(self, urn: str, token: Token) -> bool:
        with self.state.lock:
            image = self.state.media.get(urn)
        return bool(
            image is not None
            and image.network == "linkedin"
            and image.uploaded
            and image.owner == token.member
        )

    # --- Images API -------------------------------------------------------------------------
    def linkedin_images(self, query: dict[str, list[str]]) -> None:
        """POST /rest/images?action=initializeUpload"""
        token = self._linkedin_token()
        if token is None:
            return
        if (query.get("action") or [""])[0] != "initializeUpload":
            return self._send(400, {"status": 400, "message": "Unsupported action."})
        if self._linkedin_failure(creating=False)[0] or not self._linkedin_scope(
            token, "w_member_social", "images.ACTION-initializeUpload"
        ):
            return
        body = self._json_body()
        request = body.get("initializeUploadRequest") if isinstance(body, dict) else None
        if not isinstance(request, dict) or "owner" not in request:
            return self._unprocessable(
                [
                    "/initializeUploadRequest/owner :: field is required but not found and has "
                    "no default value"
                ]
            )
        if request["owner"] != PERSON_PREFIX + token.member:
            return self._send(
                403,
                access_denied(
                    "Field Value validation failed in REQUEST_BODY: Data Processing Exception "
                    "while processing fields [/initializeUploadRequest/owner]"
                ),
            )
        with self.state.lock:
            serial = next(self.state.ids)
            urn = f"urn:li:image:C4E10AQ{serial}"
            key = f"C4E10AQ{serial}"
            self.state.media[urn] = Media(urn, "linkedin", token.member, self._bearer())
            self.state.upload_keys[key] = urn
        expires = int(time.time() * 1000) + 24 * 3_600_000
        upload_url = (
            f"{self.server.url}/dms-uploads/{key}/uploaded-image/0"
            f"?ca=vector_ads&cn=uploads&sync=0&v=beta&ut={key}"
        )
        self._send(
            200, {"value": {"uploadUrlExpiresAt": expires, "uploadUrl": upload_url, "image": urn}}
        )

    def linkedin_upload(self, key: str) -> None:
        """PUT <uploadUrl>: the image's bytes, with the member's bearer token."""
        token = self._linkedin_bearer()
        if token is None:
            return
        with self.state.lock:
            image = self.state.media.get(self.state.upload_keys.get(key, ""))
        if image is None:
            return self._send(404, {"status": 404, "message": "Upload not found."})
        if image.owner != token.member:
            return self._send(403, access_denied("Not the owner of this upload."))
        data = self._body()
        mime = next((kind for magic, kind in IMAGE_MAGIC.items() if data.startswith(magic)), "")
        if not mime:
            # Undocumented: chosen. The Images API takes JPG, GIF and PNG.
            return self._send(
                400, {"status": 400, "message": "The uploaded file is not a JPG, GIF or PNG image."}
            )
        with self.state.lock:
            image.mime_type, image.size, image.uploaded = mime, len(data), True
        self._send(201, None)

    def linkedin_image(self, urn: str) -> None:
        """GET /rest/images/{urn}"""
        token = self._linkedin_token()
        if token is None:
            return
        with self.state.lock:
            image = self.state.media.get(urn)
        if image is None or image.network != "linkedin":
            return self._send(404, {"status": 404, "message": f"Image {urn} not found."})
        self._send(
            200,
            {
                "id": urn,
                "owner": PERSON_PREFIX + image.owner,
                "status": "AVAILABLE" if image.uploaded else "WAITING_UPLOAD",
            },
        )

    # --- memberCreatorPostAnalytics ---------------------------------------------------------
    def linkedin_analytics(self, query: dict[str, list[str]]) -> None:
        token = self._linkedin_token()
        if token is None or self._linkedin_failure(creating=False)[0]:
            return
        if not self._linkedin_scope(
            token, "r_member_postAnalytics", "memberCreatorPostAnalytics.FINDER-entity"
        ):
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
