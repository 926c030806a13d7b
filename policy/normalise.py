"""Text as a reader sees it, for the policy's word rules.

A blocked term must not slip through because it was written with a Cyrillic "o" (U+043E), a
zero-width space, a soft hyphen, fullwidth or mathematical letters, a no-break space or another
case: the reader sees the term all the same. `terms_in_text` compares both sides after the same
folding: invisible characters removed, NFKC, decoration marks removed, whitespace collapsed,
case folded and confusable characters replaced by their prototype (the skeleton of Unicode
Technical Standard #39, https://www.unicode.org/reports/tr39/#Confusable_Detection, from
Unicode's confusables.txt kept in policy/data/).

Why our own skeleton: no package on PyPI gives TR39's skeleton. confusable-homoglyphs and
confusables answer "could these two be confused?" (the latter from Unicode 8.0's list and looser
rules of its own), decancer-py maps with its own table, and PyICU (ICU's uspoof_getSkeleton)
needs ICU's C library and a compiler on every machine. The algorithm is three lines over
Unicode's data.
"""

import re
import unicodedata
from functools import cache
from pathlib import Path

CONFUSABLES = Path(__file__).parent / "data" / "confusables.txt"

# Default_Ignorable_Code_Point characters outside general category Cf (format characters, all
# dropped): the combining grapheme joiner, Hangul fillers, Khmer inherent vowels, Mongolian
# variation selectors and the variation selectors. https://www.unicode.org/reports/tr44/
_IGNORABLE_OUTSIDE_CF = re.compile(
    "[\u034f\u115f\u1160\u17b4\u17b5\u180b-\u180d\u180f\u3164\ufe00-\ufe0f\uffa0"
    "\U000e0100-\U000e01ef]"
)
# Combining marks from the blocks used to decorate Latin, Greek and Cyrillic letters: those that
# NFC could not join to their letter (strike-through, stacked accents) are decoration. Letters
# with accents a language writes (é, ö, ñ) are single characters after NFC and stay as they are,
# so "schön" never matches "schon".
_DECORATION = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")


def visible_text(text: str) -> str:
    """The text without invisible characters (zero-width spaces and joiners, soft hyphens,
    bidirectional controls: every format character), NFKC-normalised (fullwidth and
    mathematical letters become plain ones), without decoration marks, with every run of
    whitespace one space."""
    text = "".join(char for char in text if unicodedata.category(char) != "Cf")
    text = _IGNORABLE_OUTSIDE_CF.sub("", text)
    text = _DECORATION.sub("", unicodedata.normalize("NFKC", text))
    return " ".join(text.split())


@cache
def _prototypes() -> dict[str, str]:
    """confusables.txt: `source ; prototype ; MA # comment`, code points in hex."""
    table: dict[str, str] = {}
    for line in CONFUSABLES.read_text(encoding="utf-8-sig").splitlines():
        data = line.split("#", 1)[0].strip()
        if data:
            source, prototype = (field.strip() for field in data.split(";")[:2])
            table[chr(int(source, 16))] = "".join(chr(int(cp, 16)) for cp in prototype.split())
    return table


def skeleton(text: str) -> str:
    """TR39's skeleton: NFD, every character replaced by its prototype, NFD again."""
    prototypes = _prototypes()
    mapped = "".join(prototypes.get(char, char) for char in unicodedata.normalize("NFD", text))
    return unicodedata.normalize("NFD", mapped)


def folded(text: str) -> str:
    """The visible text, case-folded, as its TR39 skeleton, case-folded again (the prototype of
    a digit zero is a capital O), in NFC so a letter with its accent stays one word character."""
    caseless = skeleton(visible_text(text).casefold()).casefold()
    return unicodedata.normalize("NFC", caseless)


def _folded_as_drawn(text: str) -> str:
    """The same, with the skeleton taken before case is folded: a capital I is drawn like a
    lowercase l (confusables.txt maps I to l) though it case-folds to i, so "confidentiaI" is
    "confidential" only this way. Only for the text, not for the terms: a policy that blocks
    "IP" means the letters i and p, and the caption "LP" must not match it."""
    as_drawn = skeleton(visible_text(text)).casefold()
    return unicodedata.normalize("NFC", as_drawn)


def contains_words(text: str, words: str) -> bool:
    """`words` occurs in `text` as whole words: a term "ip" is not in "ship"."""
    pattern = re.escape(words)
    if words[:1].isalnum():
        pattern = r"(?<!\w)" + pattern
    if words[-1:].isalnum():
        pattern += r"(?!\w)"
    return bool(words) and re.search(pattern, text) is not None


def terms_in_text(terms: list[str], text: str) -> list[str]:
    """The blocked terms a reader would see in the text, however they were disguised; each as
    the policy wrote it."""
    readings = (folded(text), _folded_as_drawn(text))
    return [
        term for term in terms if any(contains_words(reading, folded(term)) for reading in readings)
    ]


def phrase_in_text(phrase: str, text: str) -> bool:
    """A required phrase (the disclosure) written so that a reader and the network see it:
    case and the kind of spaces between its words do not matter, but a look-alike letter or an
    invisible character inside it does (a hashtag with a zero-width space in it is another
    hashtag, and a search for the phrase does not find it)."""

    def plain(value: str) -> str:
        return " ".join(unicodedata.normalize("NFC", value).casefold().split())

    return contains_words(plain(text), plain(phrase))
