"""The caption counter and the links in a caption are X's: twitter-text's own published
conformance cases (tests/conformance/, read as they are), the twitter-text-parser package's own
answers on many generated texts, and the cases the issue names."""

import random
import warnings
from pathlib import Path
from typing import Any

import pytest
import yaml
from django.test import override_settings

from advocacy.networks.rules import NETWORK_RULES
from advocacy.networks.x.text import SCAN_LIMIT, Link, extract_links, strip_links, x_weighted_length

with warnings.catch_warnings():
    warnings.filterwarnings("ignore", "pkg_resources is deprecated", UserWarning)
    from twitter_text import extract_urls_with_indices, parse_tweet

CONFORMANCE = Path(__file__).resolve().parents[3] / "conformance"


def conformance_cases(name: str, *sections: str) -> list[Any]:
    tests = yaml.safe_load((CONFORMANCE / name).read_text(encoding="utf-8"))["tests"]
    return [
        pytest.param(case, id=f"{section}: {case['description']}")
        for section in sections
        for case in tests[section]
    ]


def found(text: str) -> list[dict[str, Any]]:
    return [{"url": link.url, "indices": [link.start, link.end]} for link in extract_links(text)]


# --- twitter-text's conformance suite ---------------------------------------------------------


# X counts with the version 3 configuration (emoji sequences weigh 2); the directional-marker
# cases use the library's default configuration, which is version 3 too.
@pytest.mark.parametrize(
    "case",
    conformance_cases(
        "validate.yml",
        "WeightedTweetsWithDiscountedEmojiCounterTest",
        "UnicodeDirectionalMarkerCounterTest",
    ),
)
def test_the_weighted_length_agrees_with_twitter_texts_conformance_case(case: Any) -> None:
    # The whole text, however long (the product stops looking for links after SCAN_LIMIT).
    assert x_weighted_length(case["text"], limit=None) == case["expected"]["weightedLength"]


@pytest.mark.parametrize("case", conformance_cases("extract.yml", "urls", "tco_urls_with_params"))
def test_the_links_found_agree_with_twitter_texts_conformance_case(case: Any) -> None:
    assert [link.url for link in extract_links(case["text"], limit=None)] == case["expected"]


@pytest.mark.parametrize(
    "case",
    conformance_cases("extract.yml", "urls_with_indices", "urls_with_directional_markers"),
)
def test_the_links_and_their_places_agree_with_twitter_texts_conformance_case(case: Any) -> None:
    assert found(case["text"]) == case["expected"]


def test_the_conformance_suite_is_all_there() -> None:
    """A truncated or renamed copy would quietly run fewer cases."""
    weighted = conformance_cases(
        "validate.yml",
        "WeightedTweetsWithDiscountedEmojiCounterTest",
        "UnicodeDirectionalMarkerCounterTest",
    )
    urls = conformance_cases(
        "extract.yml",
        "urls",
        "tco_urls_with_params",
        "urls_with_indices",
        "urls_with_directional_markers",
    )

    assert (len(weighted), len(urls)) == (24, 108)


# --- The package's own answers ----------------------------------------------------------------

PIECES = [
    *"abxé日ж.-_/:?#@()=&!~'",
    *[".", ".", ".", "/", " ", " ", "\n", "\r\n", "\u200b", "\u202a", "\u2066", "\u0301"],
    *["http://", "https://", "HTTPS://", "www.", "t.co/", "xn--p1ai", "みんな", "8080"],
    *["com", "co", "uk", "jp", "org", "io", "net", "com.", ".com", "..", "-.", ".-"],
    *["👨\u200d👩\u200d👧", "🇳🇱", "👍🏽", "😷", "1\u20e3", "\uff20", "|", ","],
]


def generated_texts(count: int) -> list[str]:
    rng = random.Random(2026)  # the same texts every run
    return ["".join(rng.choices(PIECES, k=rng.randint(1, 40))) for _ in range(count)]


def test_links_and_length_are_the_packages_on_two_thousand_generated_texts() -> None:
    """advocacy.networks.x.text drives twitter-text's expression itself, for speed: on every text it
    must give the package's answer exactly."""
    texts = generated_texts(2000)

    assert sum(len(found(text)) for text in texts) > 500  # links were actually found
    assert [found(text) for text in texts] == [extract_urls_with_indices(t) for t in texts]
    assert [x_weighted_length(text) for text in texts] == [
        parse_tweet(text).weightedLength for text in texts
    ]


def test_past_the_scan_limit_no_link_is_looked_for_and_every_character_counts_one() -> None:
    # Longer than any network takes: bench/captions.py shows what this saves on texts that
    # make twitter-text's expression backtrack.
    head = "x" * SCAN_LIMIT
    text = head + " see acme.com " + "y" * 100

    assert [link.url for link in extract_links(text)] == []
    assert [link.url for link in extract_links(text, limit=None)] == ["acme.com"]
    assert x_weighted_length(text) == len(text)
    assert x_weighted_length(text, limit=None) == len(text) - len("acme.com") + 23


# --- What the issue names ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "length"),
    [
        ("acme.com", 23),  # a bare domain is a link
        ("bit.ly/abc", 23),
        ("www.acme.com", 23),
        ("Read acme.com/news.", 5 + 23 + 1),  # the full stop is not part of the link
        ("(see https://acme.com/a)", 5 + 23 + 1),
        ("👨\u200d👩\u200d👧\u200d👦", 2),  # a ZWJ family of seven code points
        ("👍🏽", 2),  # with a skin tone
        ("🇳🇱", 2),  # a flag
        ("cafe\u0301", 4),  # NFC first: "café"
        ("日本", 4),  # outside the ranges that weigh 1
    ],
)
def test_x_counts_links_as_23_and_an_emoji_as_2(text: str, length: int) -> None:
    assert x_weighted_length(text) == length


@override_settings(SITE_URL="https://advocacy.example.com")
def test_on_x_the_tracked_link_on_a_real_domain_counts_23() -> None:
    caption = "Launch day at acme.com!"  # 14 + 23 + 1

    assert NETWORK_RULES["x"].caption_length(caption) == 38 + 2 + 23
    assert NETWORK_RULES["sandbox"].caption_length(caption) == 38 + 2 + 23


@override_settings(SITE_URL="http://127.0.0.1:8000")
def test_on_x_a_tracked_link_on_an_ip_address_counts_its_characters() -> None:
    """twitter-text finds no link in http://127.0.0.1:8000/r/xxxxxxxx, so X counts its 32
    characters: the counter says what X will say, even on a development machine."""
    assert NETWORK_RULES["x"].caption_length("Hi") == 2 + 2 + 32


@override_settings(SITE_URL="https://advocacy.example.com")
def test_linkedin_counts_characters_and_links_in_full() -> None:
    caption = "Launch day at acme.com!"
    posted = f"{caption}\n\nhttps://advocacy.example.com/r/xxxxxxxx"

    assert NETWORK_RULES["linkedin"].caption_length(caption) == len(posted) == 64


def test_a_link_knows_its_host_with_or_without_a_scheme() -> None:
    links = extract_links("Go to Evil.COM/path, bit.ly/3xyz or HTTPS://www.acme.com:8080/x.")

    assert [(link.url, link.host) for link in links] == [
        ("Evil.COM/path", "evil.com"),
        ("bit.ly/3xyz", "bit.ly"),
        ("HTTPS://www.acme.com:8080/x", "www.acme.com"),
    ]
    assert links[0] == Link("Evil.COM/path", 6, 19)


def test_stripping_links_keeps_the_words_around_them() -> None:
    assert strip_links("See acme.com/a, then www.b.org.") == "See  , then  ."
