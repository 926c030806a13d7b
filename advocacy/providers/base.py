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
class LinkCard:
    """The link a post carries, for a network that shows it as a card (LinkedIn's article
    content). `url` is the share's own tracked link, so clicks on the card are counted."""

    url: str
    title: str
    description: str = ""


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
    - ambiguous: the request may have landed (timeout or 5xx after sending): never retried
      blindly, the share becomes "unknown" and is reconciled.
    - duplicate: the network refused the post as a duplicate of one it already has (X's
      "duplicate content" 403). The text carries the share's own tracked link, so this means
      an earlier attempt landed. Raised together with ambiguous=True, so a caller that does not
      know the flag still reconciles instead of posting again.
    """

    def __init__(
        self,
        message: str,
        *,
        permanent: bool = False,
        reconnect: bool = False,
        retry_after: timedelta | None = None,
        ambiguous: bool = False,
        duplicate: bool = False,
        existing: PublishedPost | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.permanent = permanent or reconnect
        self.reconnect = reconnect
        self.retry_after = retry_after
        self.ambiguous = ambiguous
        self.duplicate = duplicate
        # With duplicate: the post the network already has, when its answer says which.
        self.existing = existing


class Provider(Protocol):
    @property
    def network(self) -> str: ...

    # Whether find_post can look a post up; where it cannot, the ambassador is asked.
    can_find_posts: bool

    def publish(
        self,
        *,
        account: "NetworkAccount",
        text: str,
        client_ref: str,
        link: LinkCard | None = None,
    ) -> PublishedPost:
        """Post `text` (the caption followed by the tracked link) as the account. `client_ref`
        identifies the share for reconciliation; `link` describes the tracked link for a
        network that shows links as cards."""
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
