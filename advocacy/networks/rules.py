"""The social networks the product publishes to and how each one counts a caption.

The networks themselves (`Network`) and the tracked code's length are the models' own
(advocacy/models.py); this module adds what each network allows and how it counts.
"""

from dataclasses import dataclass

from django.conf import settings

from advocacy.models import TRACKED_CODE_LENGTH, Network
from advocacy.networks.x.text import x_weighted_length

# The longest caption anyone may send in: LinkedIn's limit (3,000) with room to spare, so a
# too-long caption is told how much to cut rather than refused outright.
CAPTION_INPUT_MAX = 10_000


@dataclass(frozen=True)
class NetworkRules:
    network: Network
    max_length: int
    # Principle 3: "if you can say it in 140 characters you did it right".
    short_length: int
    counts_links_as_23: bool

    def caption_length(self, caption: str) -> int:
        """The length the network will count for the caption plus the appended tracked link.

        On X that is twitter-text's count (advocacy/networks/x/text.py): the tracked link counts 23 when
        twitter-text finds it a link, which a SITE_URL on a real domain always is (one on
        127.0.0.1 or localhost is not, and X counts it character by character)."""
        posted = f"{caption.strip()}\n\n{tracked_url_example()}"
        if self.counts_links_as_23:
            return x_weighted_length(posted)
        return len(posted)


NETWORK_RULES: dict[str, NetworkRules] = {
    # https://learn.microsoft.com/linkedin/marketing/community-management/shares/posts-api
    Network.LINKEDIN: NetworkRules(Network.LINKEDIN, 3000, 140, counts_links_as_23=False),
    Network.X: NetworkRules(Network.X, 280, 140, counts_links_as_23=True),
    # The sandbox behaves like X so that practising there teaches the tighter limit.
    Network.SANDBOX: NetworkRules(Network.SANDBOX, 280, 140, counts_links_as_23=True),
}


def tracked_url(code: str) -> str:
    return f"{settings.SITE_URL}/r/{code}"


def tracked_url_example() -> str:
    return tracked_url("x" * TRACKED_CODE_LENGTH)


def post_text(caption: str, code: str) -> str:
    """What is posted: the ambassador's caption, then the share's own tracked link."""
    return f"{caption.strip()}\n\n{tracked_url(code)}"
