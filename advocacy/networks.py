"""The social networks the product publishes to and how each one counts a caption.

Kept free of model imports: the policy checks, the forms and the providers all use it.
"""

import re
import unicodedata
from dataclasses import dataclass

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Network(models.TextChoices):
    SANDBOX = "sandbox", _("Sandbox")
    LINKEDIN = "linkedin", "LinkedIn"
    X = "x", "X"


# Every share gets its own tracked link, appended to the caption when it is posted.
TRACKED_CODE_LENGTH = 8
URL_RE = re.compile(r"(?i)\b(?:[a-z][a-z0-9+.-]*:)?//[^\s<>\"']+|\bwww\.[^\s<>\"']+")

# X's weighted length (twitter-text v3 configuration): code points in these ranges weigh 1,
# every other code point weighs 2, every URL counts as 23, text is NFC-normalised first.
# https://docs.x.com/resources/fundamentals/counting-characters
_X_LIGHT_RANGES = ((0, 4351), (8192, 8205), (8208, 8223), (8242, 8247))
X_URL_LENGTH = 23


def _x_weight(char: str) -> int:
    point = ord(char)
    return 1 if any(low <= point <= high for low, high in _X_LIGHT_RANGES) else 2


def x_weighted_length(text: str) -> int:
    text = unicodedata.normalize("NFC", text)
    total = 0
    position = 0
    for match in URL_RE.finditer(text):
        total += sum(_x_weight(c) for c in text[position : match.start()]) + X_URL_LENGTH
        position = match.end()
    return total + sum(_x_weight(c) for c in text[position:])


@dataclass(frozen=True)
class NetworkRules:
    network: Network
    max_length: int
    # Principle 3: "if you can say it in 140 characters you did it right".
    short_length: int
    counts_links_as_23: bool

    def caption_length(self, caption: str) -> int:
        """The length the network will count for the caption plus the appended tracked link."""
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
