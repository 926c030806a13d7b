"""LinkedIn through its versioned REST API, with a small `requests` client.

Not python-linkedin-v2: it cannot post, asks for retired scopes and puts the token in the URL
(INTEGRATIONS.md, "LinkedIn"). The token always travels in the Authorization header.
"""

import logging
import re
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import quote

import requests
import urllib3
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from advocacy.models import Network, NetworkAccount
from advocacy.networks import http
from advocacy.networks.base import LinkCard, Media, PostMetrics, ProviderError, PublishedPost

logger = logging.getLogger(__name__)
ANALYTICS_SCOPE = "r_member_postAnalytics"
# Reserved characters of LinkedIn's "little text format" used by `commentary`; unescaped, they
# are read as markup and the text is cut or refused. UNVERIFIED list (INTEGRATIONS.md):
# https://learn.microsoft.com/en-us/linkedin/marketing/community-management/shares/little-text-format
# The backslash itself is escaped first so that an escape we add cannot be doubled.
RESERVED_RE = re.compile(r"([\\()\[\]{}<>@|~_*])")
# memberCreatorPostAnalytics query types, one request each:
# https://learn.microsoft.com/en-us/linkedin/marketing/community-management/members/post-statistics
# A 422 for a post whose commentary its author already posted names the earlier post.
DUPLICATE_RE = re.compile(r"duplicate of (urn:li:(?:share|ugcPost):[0-9]+)", re.IGNORECASE)
QUERY_TYPES = {
    "impressions": "IMPRESSION",
    "reactions": "REACTION",
    "comments": "COMMENT",
    "reposts": "RESHARE",
}


def escape_commentary(text: str) -> str:
    return RESERVED_RE.sub(r"\\\1", text)


def post_url(urn: str) -> str:
    return f"https://www.linkedin.com/feed/update/{urn}/"


def until_midnight_utc(now: datetime | None = None) -> timedelta:
    """LinkedIn's daily limits reset at midnight UTC and its 429s do not say when."""
    now = now or timezone.now()
    now = now.astimezone(UTC)
    midnight = (now + timedelta(days=1)).replace(hour=0, minute=0, second=0, microsecond=0)
    return midnight - now


class LinkedInProvider:
    network = Network.LINKEDIN
    can_find_posts = False  # no API lists a member's own posts with w_member_social
    card_thumbnails = True

    def _headers(self, account: NetworkAccount) -> dict[str, str]:
        return {
            "Authorization": f"Bearer {account.access_token}",
            "LinkedIn-Version": settings.LINKEDIN_VERSION,
            "X-Restli-Protocol-Version": "2.0.0",
        }

    def _request(
        self, method: str, path: str, *, account: NetworkAccount, sending: bool, **kwargs: Any
    ) -> requests.Response:
        # A path on the API, or an absolute address LinkedIn gave us (an image's uploadUrl).
        url = (
            path
            if path.startswith(("https://", "http://"))
            else settings.LINKEDIN_API_BASE_URL + path
        )
        try:
            response = http.session().request(method, url, headers=self._headers(account), **kwargs)
        except requests.RequestException as exc:
            if http.surely_not_sent(exc) or not sending:
                raise ProviderError(
                    _("LinkedIn could not be reached; trying again later.")
                ) from exc
            raise ProviderError(
                _("LinkedIn did not confirm the post; checking whether it appeared."),
                ambiguous=True,
            ) from exc
        self._check(response, sending=sending)
        return response

    def _check(self, response: requests.Response, *, sending: bool) -> None:
        status = response.status_code
        if status < 400:
            return
        if status == 401:
            raise ProviderError(
                _("LinkedIn no longer accepts the connection: reconnect your LinkedIn account."),
                reconnect=True,
            )
        message, code = self._message(response)
        # A retired (or never released) LinkedIn-Version: every call of this installation is
        # refused, whoever the member. LinkedIn answers 426 {"code": "NONEXISTENT_VERSION",
        # "message": "Requested version 20251001 is not active"} (the version as YYYYMMDD, seen in
        # n8n-io/n8n#28564 and ComposioHQ/composio#4320); older answers said "Version
        # Header is Deprecated" (https://learn.microsoft.com/en-us/linkedin/marketing/versioning).
        # Not the member's failure: the network is paused until LINKEDIN_VERSION changes.
        if (
            status == 426
            or code == "NONEXISTENT_VERSION"
            or re.search(r"version\b.*\b(?:is not active|deprecated)", message, re.IGNORECASE)
        ):
            raise ProviderError(
                _("LinkedIn refuses API version %(version)s: %(answer)s")
                % {"version": settings.LINKEDIN_VERSION, "answer": message},
                pause="api_version",
            )
        if status == 429:
            # Two kinds of 429, neither with Retry-After
            # (https://learn.microsoft.com/en-us/linkedin/shared/api-guide/concepts/rate-limits):
            # the member's or the app's daily limit, reset at midnight UTC, whose message names
            # it ("Resource level throttle MEMBER DAY limit ...", APPLICATION DAY,
            # APPLICATION_AND_MEMBER DAY), and the short "infrastructure protection" 429 that
            # ends by itself, whose body is undocumented. A daily limit waits for midnight;
            # any other 429 is retried after minutes first, and only a repeated one waits.
            daily = " DAY limit" in message
            raise ProviderError(
                _("LinkedIn's daily limit is reached; the share will be sent after midnight (UTC).")
                if daily
                else _(
                    "LinkedIn is limiting requests for now (a short pause, or its daily limit, "
                    "which resets at midnight UTC)."
                ),
                retry_after=until_midnight_utc(),
                short_first=not daily,
            )
        if status >= 500:
            if sending:
                raise ProviderError(
                    _("LinkedIn did not confirm the post; checking whether it appeared."),
                    ambiguous=True,
                )
            raise ProviderError(_("LinkedIn did not answer; trying again later."))
        duplicate = DUPLICATE_RE.search(message) if status == 422 and sending else None
        if duplicate:
            # The commentary carries this share's own tracked link, so an identical post can
            # only be an earlier attempt of this share that landed.
            raise ProviderError(
                _("LinkedIn already has this post (an earlier attempt reached it)."),
                duplicate=True,
                ambiguous=True,
                existing=PublishedPost(duplicate.group(1), post_url(duplicate.group(1))),
            )
        raise ProviderError(_("LinkedIn refused the request: %s") % message, permanent=True)

    def _message(self, response: requests.Response) -> tuple[str, str]:
        """LinkedIn's message and code: errors are JSON {status, message, serviceErrorCode}
        and, for some, {code} (e.g. "NONEXISTENT_VERSION")."""
        try:
            body = response.json()
        except ValueError:
            return str(response.reason), ""
        if not isinstance(body, dict):
            return str(response.reason), ""
        return str(body.get("message") or response.reason), str(body.get("code") or "")

    # --- the Provider interface ---------------------------------------------------------------
    def publish(
        self,
        *,
        account: NetworkAccount,
        text: str,
        client_ref: str,
        link: LinkCard | None = None,
        photo: Media | None = None,
    ) -> PublishedPost:
        # https://learn.microsoft.com/en-us/linkedin/marketing/community-management/shares/posts-api
        # The commentary keeps the tracked link even with a card: it makes every share's text
        # unique, which is what lets a "duplicate" answer prove that an earlier attempt landed.
        # Images go up first (Images API): nothing is posted until POST /rest/posts, so a failed
        # upload is "surely not posted" and can be retried like any unsent call.
        body: dict[str, Any] = {
            "author": f"urn:li:person:{account.external_id}",
            "commentary": escape_commentary(text),
            "visibility": "PUBLIC",
            "distribution": {
                "feedDistribution": "MAIN_FEED",
                "targetEntities": [],
                "thirdPartyDistributionChannels": [],
            },
            "lifecycleState": "PUBLISHED",
            "isReshareDisabledByAuthor": False,
        }
        if photo is not None:
            # An image post: the ambassador's photo replaces the link card.
            media: dict[str, str] = {"id": self._upload_image(account, photo)}
            if photo.alt_text:
                media["altText"] = photo.alt_text
            body["content"] = {"media": media}
        elif link is not None:
            article = {"source": link.url, "title": link.title}
            if link.description:
                article["description"] = link.description
            if link.thumbnail is not None:
                # The Posts API does not fetch the page's picture: the card shows only an image
                # uploaded for it (article.thumbnail, an image URN).
                thumbnail = self._card_thumbnail(account, link.thumbnail)
                if thumbnail:
                    article["thumbnail"] = thumbnail
            body["content"] = {"article": article}
        response = self._request("POST", "/rest/posts", account=account, sending=True, json=body)
        urn = response.headers.get("x-restli-id", "")
        if not urn:
            # Accepted but without an id: the post probably exists; reconcile.
            raise ProviderError(
                _("LinkedIn did not confirm the post; checking whether it appeared."),
                ambiguous=True,
            )
        return PublishedPost(external_id=urn, url=post_url(urn))

    def _upload_image(self, account: NetworkAccount, image: Media) -> str:
        """Upload an image through the Images API and return its URN (urn:li:image:...):
        initializeUpload for the member, then PUT the bytes to the uploadUrl it returns.
        https://learn.microsoft.com/en-us/linkedin/marketing/community-management/shares/images-api
        Neither call posts anything, so each is sent as not "sending": a failure is retried
        or refused, never left ambiguous."""
        response = self._request(
            "POST",
            "/rest/images?action=initializeUpload",
            account=account,
            sending=False,
            json={"initializeUploadRequest": {"owner": f"urn:li:person:{account.external_id}"}},
        )
        try:
            value = response.json()["value"]
            upload_url, urn = str(value["uploadUrl"]), str(value["image"])
        except (ValueError, KeyError, TypeError):
            raise ProviderError(
                _("LinkedIn did not say where to upload the picture; trying again later.")
            ) from None
        if not self._is_linkedin_address(upload_url):
            # The upload carries the member's token: it goes to LinkedIn and nowhere else.
            raise ProviderError(
                _("LinkedIn answered with an unexpected upload address."), permanent=True
            )
        # The documented upload sends the bytes as they are (curl --upload-file), with the
        # member's bearer token.
        self._request("PUT", upload_url, account=account, sending=False, data=image.content)
        return urn

    def _card_thumbnail(self, account: NetworkAccount, image: Media) -> str:
        """The card's picture is marketing's, not the ambassador's choice: an image LinkedIn
        refuses for good leaves the card without one rather than failing the share. A
        reconnect, a pause or a transient failure is still the share's to wait for."""
        try:
            return self._upload_image(account, image)
        except ProviderError as exc:
            if not exc.permanent or exc.reconnect or exc.pause:
                raise
            logger.warning("LinkedIn refused a card's picture; posting without it: %s", exc)
            return ""

    def _is_linkedin_address(self, url: str) -> bool:
        # Parsed as urllib3 (which requests uses) parses it, and without the characters that
        # parsers read differently ("https://evil.com\\.linkedin.com/" is evil.com to
        # urllib3 but a linkedin.com host to urlsplit), so that the host checked is the host
        # the token would be sent to.
        if any(char in url for char in "\\@") or any(ord(char) <= 32 for char in url):
            return False
        try:
            parts = urllib3.util.parse_url(url)
        except urllib3.exceptions.LocationParseError:
            return False
        host = (parts.host or "").lower()
        on_linkedin = parts.scheme == "https" and (
            host == "linkedin.com" or host.endswith(".linkedin.com")
        )
        # The local fake network (tests, development) hands out addresses on itself.
        return on_linkedin or url.startswith(settings.LINKEDIN_API_BASE_URL.rstrip("/") + "/")

    def find_post(
        self, *, account: NetworkAccount, text: str, client_ref: str
    ) -> PublishedPost | None:
        raise ProviderError(
            _("LinkedIn offers no way to look a post up: the ambassador is asked instead."),
            permanent=True,
        )

    def fetch_metrics(
        self, *, account: NetworkAccount, external_ids: Sequence[str]
    ) -> dict[str, PostMetrics]:
        if ANALYTICS_SCOPE not in account.scopes.split():
            # Posting needs only w_member_social, which reads nothing back: the figures are
            # "not available from LinkedIn", never zero.
            return {external_id: PostMetrics() for external_id in external_ids}
        return {urn: self._post_metrics(account, urn) for urn in external_ids}

    def _post_metrics(self, account: NetworkAccount, urn: str) -> PostMetrics:
        kind = "ugc" if ":ugcPost:" in urn else "share"
        # Rest.li 2.0 encoding: the URN inside the record is percent-encoded, the record
        # syntax itself is not.
        entity = f"({kind}:{quote(urn, safe='')})"
        figures: dict[str, int | None] = {}
        for field, query_type in QUERY_TYPES.items():
            response = self._request(
                "GET",
                "/rest/memberCreatorPostAnalytics"
                f"?q=entity&entity={entity}&queryType={query_type}&aggregation=TOTAL",
                account=account,
                sending=False,
            )
            elements = response.json().get("elements") or []
            figures[field] = sum(int(element.get("count", 0)) for element in elements)
        return PostMetrics(**figures)

    def refresh_token(self, *, account: NetworkAccount) -> None:
        # Refresh tokens exist only for LinkedIn's approved partner apps; a self-serve app's
        # token lasts 60 days and then the member must connect again.
        raise ProviderError(
            _(
                "LinkedIn connections cannot be renewed automatically: reconnect your LinkedIn account."
            ),
            reconnect=True,
        )
