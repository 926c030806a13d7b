"""X (Twitter) through tweepy, with the ambassador's OAuth 2.0 (PKCE) user token.

Facts this module relies on are in INTEGRATIONS.md ("X (Twitter) through tweepy"):
every call passes user_auth=False (a bearer user token, not OAuth 1.0a), metrics are read in
batches of 100 ids, refresh tokens rotate, and tweepy is never allowed to sleep on a 429.
"""

import base64
import functools
import html
import re
import time
from collections.abc import Callable, Sequence
from datetime import timedelta
from typing import Any

import requests
import tweepy
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from advocacy.models import Network, NetworkAccount
from advocacy.networks import http
from advocacy.networks.base import LinkCard, Media, PostMetrics, ProviderError, PublishedPost
from advocacy.networks.oauth import PHOTO_SCOPES
from advocacy.networks.x.text import strip_links

# https://docs.x.com/x-api/posts/get-posts-by-ids: up to 100 ids per request.
BATCH_SIZE = 100
# The access token is refreshed when it expires within this margin (tokens live 2 hours).
REFRESH_MARGIN = timedelta(minutes=5)
# A 429 without a reset header: X's rate-limit windows are 15 minutes.
DEFAULT_RATE_LIMIT_WAIT = timedelta(minutes=15)
URL_RE = re.compile(r"https?://\S+")


def post_url(post_id: str) -> str:
    return f"https://x.com/i/web/status/{post_id}"


def rate_limit_wait(headers: Any, now: float | None = None) -> timedelta:
    """How long to wait after a 429: the 15-minute window's reset, or the 24-hour caps'
    resets when those are exhausted (tweepy ignores them); the latest reset wins.
    https://docs.x.com/x-api/fundamentals/rate-limits"""
    now = time.time() if now is None else now
    resets: list[int] = []
    candidates = [("x-rate-limit-reset", None)] + [
        (f"{cap}-reset", f"{cap}-remaining")
        for cap in ("x-user-limit-24hour", "x-app-limit-24hour")
    ]
    for reset_header, remaining_header in candidates:
        if remaining_header is not None and headers.get(remaining_header) != "0":
            continue
        try:
            resets.append(int(headers[reset_header]))
        except (KeyError, TypeError, ValueError):
            continue
    if not resets:
        return DEFAULT_RATE_LIMIT_WAIT
    return timedelta(seconds=max(max(resets) - now, 1))


def _api_message(exc: Any) -> str:
    messages = getattr(exc, "api_messages", None) or []
    return " ".join(str(message) for message in messages) or str(exc)


def _normalized(text: str) -> str:
    """X answers with links shortened to t.co and &, <, > as HTML entities. Every link X makes
    is shortened, bare domains (`acme.com`) included, so links are removed as twitter-text
    finds them, and then any address with a scheme that X leaves as it is (127.0.0.1)."""
    return " ".join(URL_RE.sub("", strip_links(html.unescape(text), replacement="")).split())


class XProvider:
    can_find_posts = True
    card_thumbnails = False  # X makes its own card from the page
    network = Network.X

    # --- plumbing -------------------------------------------------------------------------
    def _client(self, account: NetworkAccount) -> Any:
        # return_type=requests.Response: we read the JSON and headers ourselves.
        client = tweepy.Client(bearer_token=account.access_token, return_type=requests.Response)
        client.session = http.session()
        return client

    def _ensure_fresh(self, account: NetworkAccount) -> None:
        expires = account.token_expires_at
        if (
            account.refresh_token
            and expires is not None
            and expires <= timezone.now() + REFRESH_MARGIN
        ):
            self.refresh_token(account=account)

    def _call(self, call: Callable[[], Any], *, sending: bool) -> dict[str, Any]:
        """Run one tweepy call and translate its failures. `sending`: the call creates a post,
        so an answer lost after sending is ambiguous rather than retryable."""
        try:
            response = call()
        except tweepy.TooManyRequests as exc:
            raise ProviderError(
                _("X is limiting requests for now; the share will be sent later."),
                retry_after=rate_limit_wait(exc.response.headers),
            ) from exc
        except tweepy.Unauthorized as exc:
            raise ProviderError(
                _("X no longer accepts the connection: reconnect your X account."),
                reconnect=True,
            ) from exc
        except tweepy.TwitterServerError as exc:
            raise self._unanswered(sending) from exc
        except tweepy.HTTPException as exc:
            message = _api_message(exc)
            try:
                problem = exc.response.json()
            except ValueError:
                problem = None
            if not isinstance(problem, dict):
                problem = {}
            # X names the problem in `type` and `title` (RFC 7807); a spent balance has been
            # seen under other statuses than 402 too, always with "credits" in its type.
            kind = f"{problem.get('type', '')} {problem.get('title', '')}".lower()
            if exc.response.status_code == 402 or "credits" in kind:
                # Pay-per-use: the app's prepaid credits are spent and X answers 402 Payment
                # Required, {"title": "CreditsDepleted", "detail": "Your enrolled account
                # does not have any credits", "type": "https://api.x.com/2/problems/credits"}
                # (https://docs.x.com/x-api/getting-started/pricing). Not the ambassador's
                # failure: X is paused for the installation until credits are topped up.
                raise ProviderError(
                    _("X refuses posts because the X API credits are spent: %s") % message,
                    pause="credits",
                ) from exc
            if exc.response.status_code == 403 and "duplicate content" in message.lower():
                raise ProviderError(
                    _("X already has this post (an earlier attempt reached it)."),
                    duplicate=True,
                    ambiguous=True,
                ) from exc
            raise ProviderError(_("X refused the request: %s") % message, permanent=True) from exc
        except requests.RequestException as exc:
            if http.surely_not_sent(exc):
                # Nothing reached X: the caller's back-off applies.
                raise ProviderError(_("X could not be reached; trying again later.")) from exc
            raise self._unanswered(sending) from exc
        data: dict[str, Any] = response.json()
        return data

    def _unanswered(self, sending: bool) -> ProviderError:
        if sending:
            return ProviderError(
                _("X did not confirm the post; checking whether it appeared."), ambiguous=True
            )
        return ProviderError(_("X did not answer; trying again later."))

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
        self._ensure_fresh(account)
        client = self._client(account)
        # X draws the link's card itself; a photo goes up first and the post carries its id.
        media_ids = [self._upload_media(account, client, photo)] if photo is not None else None
        data = self._call(
            lambda: client.create_tweet(text=text, media_ids=media_ids, user_auth=False),
            sending=True,
        )
        post_id = str(data["data"]["id"])
        return PublishedPost(external_id=post_id, url=post_url(post_id))

    def _upload_media(self, account: NetworkAccount, client: Any, photo: Media) -> str:
        """Upload a photo through X API v2's one-request upload and return its media id.
        https://docs.x.com/x-api/media/upload-media: POST /2/media/upload with an OAuth 2.0
        user token that has media.write; in a JSON body `media` is the file, base64-encoded.
        tweepy 4.17 only knows v1.1's upload (OAuth 1.0a), so the request goes through the
        client's own session and error handling. Nothing is posted yet: a failure here is
        never ambiguous (sending=False)."""
        granted = account.scopes.split()
        if any(scope not in granted for scope in PHOTO_SCOPES[Network.X]):
            raise ProviderError(
                _(
                    "Your X connection may not upload photos: reconnect your X account on My "
                    "networks, then send the share again."
                ),
                permanent=True,
            )
        body = {
            "media": base64.b64encode(photo.content).decode("ascii"),
            "media_category": "tweet_image",
            "media_type": photo.mime_type,
        }
        data = self._call(
            lambda: client.request("POST", "/2/media/upload", json=body, user_auth=False),
            sending=False,
        )
        try:
            return str(data["data"]["id"])
        except (KeyError, TypeError):
            raise ProviderError(_("X did not accept the photo; trying again later.")) from None

    def find_post(
        self, *, account: NetworkAccount, text: str, client_ref: str
    ) -> PublishedPost | None:
        """Look among the author's most recent posts for this text. X shortens links to
        t.co, so the text is compared without links, and a link must lead to this share's
        tracked link (its code is `client_ref`)."""
        self._ensure_fresh(account)
        client = self._client(account)
        data = self._call(
            lambda: client.get_users_tweets(
                id=account.external_id,
                max_results=100,
                tweet_fields=["created_at", "entities"],
                user_auth=False,
            ),
            sending=False,
        )
        wanted = _normalized(text)
        has_link = bool(URL_RE.search(text))
        for tweet in data.get("data") or []:
            if _normalized(tweet.get("text", "")) != wanted:
                continue
            urls = (tweet.get("entities") or {}).get("urls") or []
            expanded = [str(url.get("expanded_url", "")) for url in urls]
            if has_link and not any(client_ref in url for url in expanded):
                continue
            return PublishedPost(external_id=str(tweet["id"]), url=post_url(str(tweet["id"])))
        return None

    def fetch_metrics(
        self, *, account: NetworkAccount, external_ids: Sequence[str]
    ) -> dict[str, PostMetrics]:
        self._ensure_fresh(account)
        client = self._client(account)
        metrics: dict[str, PostMetrics] = {}
        ids = list(external_ids)
        for start in range(0, len(ids), BATCH_SIZE):
            batch = ids[start : start + BATCH_SIZE]
            # public_metrics only: non_public_metrics exists only for the author's posts of
            # the last 30 days, and for any other post X leaves the post out of "data" with a
            # field authorization error, so its last figures would never be read
            # (https://docs.x.com/x-api/fundamentals/metrics). public_metrics carries
            # impression_count for every post.
            data = self._call(
                functools.partial(
                    client.get_tweets, ids=batch, tweet_fields=["public_metrics"], user_auth=False
                ),
                sending=False,
            )
            # Deleted or protected posts are missing from "data" (listed under "errors").
            for tweet in data.get("data") or []:
                metrics[str(tweet["id"])] = self._metrics(tweet)
        return metrics

    def _metrics(self, tweet: dict[str, Any]) -> PostMetrics:
        """A figure X did not report stays None ("not available"), never 0. X's OpenAPI names
        the reposts repost_count where older answers say retweet_count: either is read."""
        public = tweet.get("public_metrics") or {}
        reposts = public.get("retweet_count", public.get("repost_count"))
        if reposts is not None:
            reposts += public.get("quote_count", 0)
        return PostMetrics(
            impressions=public.get("impression_count"),
            reactions=public.get("like_count"),
            comments=public.get("reply_count"),
            reposts=reposts,
        )

    def refresh_token(self, *, account: NetworkAccount) -> None:
        """Exchange the refresh token for new tokens. X rotates the refresh token on every
        refresh, so the row is locked for the exchange: two workers refreshing at once would
        otherwise both spend the same refresh token and one would lose the account.
        https://docs.x.com/resources/fundamentals/authentication/oauth-2-0/user-access-token"""
        with transaction.atomic():
            locked = NetworkAccount.objects.select_for_update().get(pk=account.pk)
            if locked.access_token != account.access_token and not self._expiring(locked):
                # Another worker refreshed it while we waited for the lock: use its tokens.
                self._copy_tokens(locked, account)
                return
            if not locked.refresh_token:
                raise ProviderError(
                    _("The X connection has expired: reconnect your X account."), reconnect=True
                )
            data = self._exchange(locked.refresh_token)
            locked.access_token = data["access_token"]
            locked.refresh_token = data.get("refresh_token") or locked.refresh_token
            locked.token_expires_at = timezone.now() + timedelta(
                seconds=int(data.get("expires_in", 7200))
            )
            if data.get("scope"):
                locked.scopes = str(data["scope"])
            locked.save(
                update_fields=[
                    "access_token",
                    "refresh_token",
                    "token_expires_at",
                    "scopes",
                    "updated_at",
                ]
            )
        self._copy_tokens(locked, account)

    def _expiring(self, account: NetworkAccount) -> bool:
        expires = account.token_expires_at
        return expires is None or expires <= timezone.now() + REFRESH_MARGIN

    def _copy_tokens(self, source: NetworkAccount, target: NetworkAccount) -> None:
        target.access_token = source.access_token
        target.refresh_token = source.refresh_token
        target.token_expires_at = source.token_expires_at
        target.scopes = source.scopes

    def _exchange(self, refresh_token: str) -> dict[str, Any]:
        body = {
            "grant_type": "refresh_token",
            "refresh_token": refresh_token,
            "client_id": settings.X_CLIENT_ID,
        }
        # A confidential client authenticates with HTTP Basic; a public one sends only its id.
        auth = (
            (settings.X_CLIENT_ID, settings.X_CLIENT_SECRET) if settings.X_CLIENT_SECRET else None
        )
        try:
            response = http.session().post(
                f"{http.X_DEFAULT_BASE_URL}/2/oauth2/token", data=body, auth=auth
            )
        except requests.RequestException as exc:
            raise ProviderError(_("X could not be reached; trying again later.")) from exc
        if response.status_code in (400, 401):
            # invalid_grant: the refresh token was revoked or already used.
            raise ProviderError(
                _("The X connection has expired: reconnect your X account."), reconnect=True
            )
        if response.status_code == 429:
            raise ProviderError(
                _("X is limiting requests for now; trying again later."),
                retry_after=rate_limit_wait(response.headers),
            )
        if response.status_code >= 300:
            raise ProviderError(_("X did not answer; trying again later."))
        data: dict[str, Any] = response.json()
        return data
