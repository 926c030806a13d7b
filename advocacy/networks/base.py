"""The one interface every network provider implements, and the one error type it raises."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from advocacy.models import NetworkAccount


@dataclass(frozen=True)
class PublishedPost:
    external_id: str
    url: str


@dataclass(frozen=True)
class Media:
    """An image to upload with a post: already validated and re-encoded (no EXIF)."""

    content: bytes
    mime_type: str  # "image/jpeg" or "image/png"
    alt_text: str = ""


@dataclass(frozen=True)
class LinkCard:
    """The link a post carries, for a network that shows it as a card (LinkedIn's article
    content). `url` is the share's own tracked link, so clicks on the card are counted.
    `thumbnail`: the content item's image, uploaded as the card's picture where the network
    does not fetch one itself (LinkedIn's Posts API does not scrape links)."""

    url: str
    title: str
    description: str = ""
    thumbnail: Media | None = None


@dataclass(frozen=True)
class PostMetrics:
    """What a network reported. None means the network does not provide the figure."""

    impressions: int | None = None
    reactions: int | None = None
    comments: int | None = None
    reposts: int | None = None


class ProviderError(Exception):
    """A network call that did not succeed, and what to do about it.

    - permanent: retrying will not help (bad request, policy refusal, revoked token).
    - reconnect: the account's token is expired or revoked; the ambassador must reconnect.
    - retry_after: transient and surely not posted (refused connection, 429); try again then.
    - short_first: with retry_after, an answer that does not say which limit it hit
      (LinkedIn's 429 is its daily limit or a short "infrastructure protection"): the first
      tries come back after minutes, with back-off; only a repeated one waits for retry_after.
    - ambiguous: the request may have landed (timeout or 5xx after sending): never retried
      blindly, the share becomes "unknown" and is reconciled.
    - duplicate: the network refused the post as a duplicate of one it already has (X's
      "duplicate content" 403). The text carries the share's own tracked link, so this means
      an earlier attempt landed. Raised together with ambiguous=True, so a caller that does not
      know the flag still reconciles instead of posting again.
    - pause: the network refuses every post of this installation for a reason of the app's
      (a NetworkPause.Reason value: "api_version" for LinkedIn's 426 on a retired version,
      "credits" for X's 402 when the pay-per-use credits are spent). Surely not posted; the
      share waits for the pause to end and is never counted as the ambassador's failure.
    """

    def __init__(
        self,
        message: str,
        *,
        permanent: bool = False,
        reconnect: bool = False,
        retry_after: timedelta | None = None,
        short_first: bool = False,
        ambiguous: bool = False,
        duplicate: bool = False,
        existing: PublishedPost | None = None,
        pause: str = "",
    ) -> None:
        super().__init__(message)
        self.message = message
        self.permanent = permanent or reconnect
        self.reconnect = reconnect
        self.retry_after = retry_after
        self.short_first = short_first
        self.ambiguous = ambiguous
        self.duplicate = duplicate
        # With duplicate: the post the network already has, when its answer says which.
        self.existing = existing
        self.pause = pause


class Provider(Protocol):
    @property
    def network(self) -> str: ...

    # Whether find_post can look a post up; where it cannot, the ambassador is asked.
    can_find_posts: bool
    # Whether the link card shows LinkCard.thumbnail (LinkedIn, whose Posts API does not fetch
    # the page's picture); elsewhere the item's image is not even read.
    card_thumbnails: bool

    def publish(
        self,
        *,
        account: "NetworkAccount",
        text: str,
        client_ref: str,
        link: LinkCard | None = None,
        photo: Media | None = None,
    ) -> PublishedPost:
        """Post `text` (the caption followed by the tracked link) as the account. `client_ref`
        identifies the share for reconciliation; `link` describes the tracked link for a
        network that shows links as cards; `photo` is the ambassador's own picture, posted
        as an image post (it replaces the link card)."""
        ...

    def find_post(
        self, *, account: "NetworkAccount", text: str, client_ref: str
    ) -> PublishedPost | None:
        """Look for a post whose outcome is unknown. Raises ProviderError(permanent=True)
        when the network offers no way to look."""
        ...

    def fetch_metrics(
        self, *, account: "NetworkAccount", external_ids: Sequence[str]
    ) -> dict[str, PostMetrics]: ...

    def refresh_token(self, *, account: "NetworkAccount") -> None: ...
