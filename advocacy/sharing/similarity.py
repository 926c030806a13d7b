"""Near-identical captions from many colleagues look coordinated, and the networks treat them
as such. share_check asks `caption_too_similar` before a share is scheduled."""

import re
import unicodedata
from difflib import SequenceMatcher
from functools import lru_cache

from django.conf import settings

from advocacy.models import Share, User
from advocacy.networks.x.text import strip_links
from campaigns.models import ContentItem

SIMILARITY_THRESHOLD = 0.85
SCREEN_MARGIN = 0.25
SCREEN_FROM_LENGTH = 600  # characters of both captions together

# Apostrophes are dropped ("it's" = "its"); every other non-word character separates words.
_APOSTROPHES_RE = re.compile("['\u2018\u2019\u0060]")
_NON_WORD_RE = re.compile(r"[\W_]+")


def similarity_threshold() -> float:
    return float(getattr(settings, "CAPTION_SIMILARITY_THRESHOLD", SIMILARITY_THRESHOLD))


# A caption is compared with every colleague's caption of the item at each check (each key
# stroke in the editor): their normalised forms are kept between checks.
@lru_cache(maxsize=4096)
def normalise_caption(text: str) -> str:
    """Lowercase words only: no links (each share gets its own tracked link anyway; the links
    are those X makes, `acme.com` included), no punctuation, hashtags as plain words, one
    space between words."""
    text = unicodedata.normalize("NFKC", strip_links(text)).casefold()
    text = _APOSTROPHES_RE.sub("", text)
    return " ".join(_NON_WORD_RE.sub(" ", text).split())


def _ratio(a: str, b: str, threshold: float = 0.0) -> float:
    """SequenceMatcher ratio (2 * matching characters / all characters), skipping the full
    comparison when its cheap upper bounds already fall below the threshold. autojunk is
    off: on texts of 200+ characters it would ignore the most common letters and the spaces,
    and so make long captions look different."""
    matcher = SequenceMatcher(None, a, b, autojunk=False)
    if matcher.real_quick_ratio() < threshold or matcher.quick_ratio() < threshold:
        return matcher.quick_ratio()
    return matcher.ratio()


def _word_estimate(a: str, b: str) -> float:
    """The same ratio computed on whole words (each weighing its letters and one space): tens
    of times faster on a long LinkedIn caption, and close to the character ratio when words
    are kept, added or replaced whole (any run of common words is a run of common
    characters); it falls far below it only when a letter changed in most words."""
    left, right = a.split(), b.split()
    matcher = SequenceMatcher(None, left, right, autojunk=False)
    common = sum(
        len(word) + 1
        for block in matcher.get_matching_blocks()
        for word in left[block.a : block.a + block.size]
    )
    return 2 * common / (len(a) + len(b) + 2)


def caption_similarity(a: str, b: str) -> float:
    """0 (nothing in common) .. 1 (the same words), on normalised text.

    Why a character-level SequenceMatcher rather than word-shingle Jaccard: captions are short
    (X allows 280 characters), and on short texts shingles overreact. Changing one word of a
    twelve-word caption removes two of eleven word pairs and drops Jaccard to about 0.7,
    so a copy with a swapped word would pass as "personal". The character ratio stays high
    for such an edit (0.85 for "made" instead of "built" in a six-word caption) and drops
    only when someone adds or rewrites a good part of the text, which is the personal touch
    we ask for."""
    left, right = normalise_caption(a), normalise_caption(b)
    if not left or not right:
        # Nothing but links or emoji: only an exact copy counts as the same caption.
        return 1.0 if a.strip() == b.strip() else 0.0
    return _ratio(left, right)


def caption_too_similar(*, user: User, item: ContentItem, network: str, text: str) -> Share | None:
    """The first live share of this item on this network by a colleague whose caption is at
    or above the threshold, or None. Only one item and network are read, so the work is
    bounded by how many colleagues shared this item; identical captions (the suggested one,
    typically) are compared once."""
    threshold = similarity_threshold()
    mine = normalise_caption(text)
    colleagues = (
        Share.objects.filter(content_item=item, network=network, status__in=Share.LIVE_STATUSES)
        .exclude(user=user)
        .order_by("created_at", "pk")
    )
    verdicts: dict[str, bool] = {}
    for share in colleagues.iterator(chunk_size=500):
        theirs = normalise_caption(share.text)
        if theirs not in verdicts:
            verdicts[theirs] = _too_similar(text, mine, share.text, theirs, threshold)
        if verdicts[theirs]:
            return share
    return None


def _too_similar(text: str, mine: str, other: str, theirs: str, threshold: float) -> bool:
    if not (mine and theirs):
        return caption_similarity(text, other) >= threshold
    # Hundreds of colleagues may have shared a launch, and the character comparison of two
    # long LinkedIn captions takes tens of milliseconds: rule out clearly personal long
    # captions with the fast word estimate (with a wide margin, as it is an estimate) and
    # compare the rest exactly.
    if len(mine) + len(theirs) > SCREEN_FROM_LENGTH and (
        _word_estimate(mine, theirs) < threshold - SCREEN_MARGIN
    ):
        return False
    return _ratio(mine, theirs, threshold) >= threshold
