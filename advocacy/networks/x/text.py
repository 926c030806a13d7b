"""Links as X finds them, for the whole product: the caption counter, the allowed-domains rule,
the similarity check and anything else that asks "which parts of this caption are links?".

X turns into a link whatever the twitter-text library calls a URL: `acme.com`, `bit.ly/3xyz` and
`www.acme.com` as much as `https://acme.com`, without the trailing full stop or bracket, and
counts each one as 23 characters. https://docs.x.com/fundamentals/counting-characters says to use
that library, so this module takes twitter-text's own rules from the twitter-text-parser package
(its URL regular expression, TLD lists, emoji list, weights and configuration) and only drives
them: the package's own driver tries the expression again at every character after a failed
attempt, and a failed attempt runs through every following "label." before it fails, so text such
as "a.a.a.a…" costs time quadratic in its length (a 280-character caption of it took 0.8 s,
3,000 characters 90 s). Here the expression is only tried where it is known to match, which is
computed beforehand in one pass from the same rules. tests/advocacy/networks/x/test_text.py
holds this to twitter-text's published conformance cases and to the package's own functions.
"""

import re
import unicodedata
import warnings
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import urlsplit

with warnings.catch_warnings():
    # The package reads its emoji list through pkg_resources, which warns that it is deprecated
    # (setuptools is pinned below 81, where it still exists).
    warnings.filterwarnings("ignore", "pkg_resources is deprecated", UserWarning)
    from twitter_text.config import config
    from twitter_text.extract_emojis import (
        extract_emojis_with_indices,
    )
from twitter_text.extract_urls import (
    default_protocol,
    is_valid_url,
    max_tco_slug_length,
)
from twitter_text.get_character_weight import get_character_weight
from twitter_text.parse_tweet import convert_line_ending
from twitter_text.regexp.extract_url import extract_url
from twitter_text.regexp.invalid_url_without_protocol_preceding_chars import (
    invalid_url_without_protocol_preceding_chars,
)
from twitter_text.regexp.latin_accent_chars import (
    latin_accent_chars,
)
from twitter_text.regexp.valid_ascii_domain import (
    valid_ascii_domain,
)
from twitter_text.regexp.valid_cctld import valid_cctld
from twitter_text.regexp.valid_domain_chars import (
    valid_domain_chars,
)
from twitter_text.regexp.valid_gtld import valid_gtld
from twitter_text.regexp.valid_punycode import valid_punycode
from twitter_text.regexp.valid_tco_url import valid_tco_url
from twitter_text.regexp.valid_url_preceding_chars import (
    valid_url_preceding_chars,
)

# X counts with twitter-text's version 3 configuration: https://docs.x.com/fundamentals/counting-characters
X_CONFIG = config["version3"]
X_URL_LENGTH: int = X_CONFIG["transformed_url_length"]

# The pieces of twitter-text's URL expression, with its flags (case is ignored throughout).
_TLD = re.compile(f"{valid_gtld.pattern}|{valid_cctld.pattern}|{valid_punycode.pattern}", re.I)
_DOMAIN_CHAR = re.compile(valid_domain_chars.pattern, re.I)
_ASCII_LABEL_CHAR = re.compile(f"[-a-z0-9{latin_accent_chars.pattern}]", re.I)
# A character after which a link may begin (it also matches the empty start of the text).
_PRECEDING = re.compile(valid_url_preceding_chars.pattern, re.I)
_PROTOCOL = re.compile(r"https?://", re.I)


@dataclass(frozen=True)
class Link:
    """A link in a text: as written (`acme.com/x`) and where (code point offsets)."""

    url: str
    start: int
    end: int

    @property
    def host(self) -> str:
        """The host the link leads to; a link written without a scheme is https, as on X."""
        absolute = self.url if _PROTOCOL.match(self.url) else default_protocol + self.url
        # twitter-text's domains hold no "[", so urlsplit cannot fail on an IPv6 bracket.
        return (urlsplit(absolute).hostname or "").rstrip(".")


# Links are looked for in a text's first SCAN_LIMIT characters only. A longer caption is refused
# by every network anyway (LinkedIn's 3,000 characters is the largest limit), and twitter-text's
# expression can take time quadratic in a link's length ("https://a.com/(a)(a)(a)..."): 0.2 s at
# this size, minutes at a megabyte. Whatever comes in, a check costs at most that.
SCAN_LIMIT = 4_000


def extract_links(text: str, *, limit: int | None = SCAN_LIMIT) -> tuple[Link, ...]:
    """Every link X makes of the text, in order; the same answer as twitter-text's
    extractUrlsWithIndices (its offsets are in the text as given: X counts after NFC). Only
    the first `limit` characters are looked at (None: all of them)."""
    return _extract_links(text if limit is None else text[:limit])


# One caption check asks for the links of the same text several times (length, disclosure,
# allowed domains).
@lru_cache(maxsize=256)
def _extract_links(text: str) -> tuple[Link, ...]:
    return tuple(link for match in _url_matches(text) for link in _links_of(match))


def strip_links(text: str, *, replacement: str = " ") -> str:
    """The text without its links."""
    kept, position = [], 0
    for link in extract_links(text):
        kept += [text[position : link.start], replacement]
        position = link.end
    return "".join([*kept, text[position:]])


def x_weighted_length(text: str, *, limit: int | None = SCAN_LIMIT) -> int:
    """The length X counts for a post: twitter-text's parseTweet with the version 3
    configuration (NFC first; every link 23; an emoji, however many code points, 2). Beyond
    `limit` characters (None: no limit) every code point counts 1 (what X counts for it
    outside a link): such a text is far past every network's limit, and its exact length is
    not worth a web worker's time."""
    text = convert_line_ending(unicodedata.normalize("NFC", text))
    if limit is not None and len(text) > limit:
        return x_weighted_length(text[:limit], limit=None) + len(text) - limit
    links = {link.start: link.start + len(link.url) for link in extract_links(text, limit=None)}
    emojis = {e["indices"][0]: e["indices"][1] for e in extract_emojis_with_indices(text)}
    scale, total, index = X_CONFIG["scale"], 0, 0
    while index < len(text):
        if index in links:
            total += X_URL_LENGTH * scale
            index = links[index]
        elif index in emojis:
            total += X_CONFIG["default_weight"]
            index = emojis[index]
        else:
            total += get_character_weight(text[index], X_CONFIG)
            index += 1
    return int(total // scale)


def links_cache_clear() -> None:
    """Forget the links found so far (bench/captions.py times each text from scratch)."""
    _extract_links.cache_clear()


# --- Driving twitter-text's expression --------------------------------------------------------


def _tld_after(text: str) -> list[bool]:
    """tld_after[i]: text[i] is a dot that twitter-text's list of top-level domains follows."""
    return [char == "." and _TLD.match(text, i + 1) is not None for i, char in enumerate(text)]


def _domain_starts(text: str, label_char: re.Pattern[str], *, strict_labels: bool) -> list[bool]:
    """starts[i]: a domain in twitter-text's sense begins at i (labels, each followed by a dot,
    then a top-level domain), worked out from the right in one pass.

    strict_labels: as in twitter-text's URL expression, a label starts and ends with a domain
    character and may hold "-" and "_" inside, but the last one (before the top-level domain)
    no "_". Otherwise as in its ASCII-domain expression: any run of label characters."""
    size = len(text)
    tld_after = _tld_after(text)
    plain = [label_char.match(char) is not None for char in text]
    starts = [False] * (size + 1)
    label_end = size  # the first position at or after i that cannot be inside a label
    underscore = size  # the first "_" at or after i
    for i in range(size - 1, -1, -1):
        if not (plain[i] or (strict_labels and text[i] in "-_")):
            label_end = i
            continue
        if text[i] == "_":
            underscore = i
        if label_end == size or text[label_end] != ".":
            continue
        if strict_labels and not (plain[i] and plain[label_end - 1]):
            continue
        last_label = tld_after[label_end] and not (strict_labels and underscore < label_end)
        starts[i] = last_label or starts[label_end + 1]
    return starts


def _url_matches(text: str) -> list[re.Match[str]]:
    """What `extract_url.finditer(text)` yields, trying the expression only where a domain
    begins right after the preceding character (or the start) and an optional protocol."""
    if "." not in text:
        return []
    domain_at = _domain_starts(text, _DOMAIN_CHAR, strict_labels=True)

    def url_at(i: int) -> bool:
        protocol = _PROTOCOL.match(text, i)
        return domain_at[i] or (protocol is not None and domain_at[protocol.end()])

    matches, position = [], 0
    for i in range(len(text)):
        if i < position:
            continue
        preceding = _PRECEDING.match(text, i)
        preceded = preceding is not None and preceding.end() == i + 1 and url_at(i + 1)
        if preceded or (i == 0 and url_at(0)):
            match = extract_url.match(text, i)
            if match is not None:  # always, by construction
                matches.append(match)
                position = match.end()
    return matches


def _links_of(match: re.Match[str]) -> list[Link]:
    """The links twitter-text keeps from one match of its expression: only those whose domain
    passes IDNA; without a protocol, only ASCII domains not preceded by -_./ ; t.co links
    without their trailing path."""
    before, url, protocol, domain, path = match.group(2, 3, 4, 5, 7)
    end = match.end()
    start = end - len(url)
    if not is_valid_url(url, protocol or default_protocol, domain):
        return []
    if protocol is None:
        if invalid_url_without_protocol_preceding_chars.match(before):
            return []
        links = [
            Link(ascii_match.group(0), start + ascii_match.start(), start + ascii_match.end())
            for ascii_match in _ascii_domains(domain)
        ]
        if links and path:
            last = links[-1]
            links[-1] = Link(url.replace(domain, last.url), last.start, end)
        return links
    tco = valid_tco_url.search(url)
    if tco is not None:
        if tco.group(1) and len(tco.group(1)) > max_tco_slug_length:
            return []
        return [Link(tco.group(0), start, start + len(tco.group(0)))]
    return [Link(url, start, end)]


def _ascii_domains(domain: str) -> list[re.Match[str]]:
    """What `valid_ascii_domain.finditer(domain)` yields, tried only where it matches."""
    starts = _domain_starts(domain, _ASCII_LABEL_CHAR, strict_labels=False)
    matches, position = [], 0
    for i in range(len(domain)):
        if i >= position and starts[i]:
            match = valid_ascii_domain.match(domain, i)
            if match is not None:  # always, by construction
                matches.append(match)
                position = match.end()
    return matches
