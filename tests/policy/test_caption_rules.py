"""The policy's hard rules cannot be side-stepped: a blocked term in disguise is still the term,
a link written without https:// is still a link, and the disclosure must be there for real."""

import pytest

from policy.captions import Finding, caption_findings
from policy.models import PolicyVersion
from policy.normalise import skeleton, terms_in_text

TERMS = ["Confidential", "Project Falcon", "IP", "schon", "Bar"]


def policy(**rules: object) -> PolicyVersion:
    """An unsaved policy: caption_findings only reads its rules."""
    values: dict[str, object] = {"blocked_terms": TERMS, "allowed_domains": ["example.com"]}
    return PolicyVersion(**(values | rules))


def findings(text: str, **rules: object) -> list[Finding]:
    return caption_findings(text=text, network="linkedin", policy=policy(**rules))


def blocked_terms(text: str) -> list[str]:
    return [f.message for f in findings(text) if f.code == "blocked_term"]


# --- Blocked terms ----------------------------------------------------------------------------

DISGUISED = {
    "cyrillic o": "Our c\u043enfidential plan",
    "greek omicron": "Our c\u03bfnfidential plan",
    "cyrillic e and a": "Our confid\u0435nti\u0430l plan",
    "zero-width space": "Our confi\u200bdential plan",
    "zero-width joiner": "Our confi\u200ddential plan",
    "zero-width non-joiner": "Our confi\u200cdential plan",
    "word joiner": "Our confi\u2060dential plan",
    "byte order mark": "Our confi\ufeffdential plan",
    "soft hyphen": "Our confi\u00addential plan",
    "bidi marks": "Our conf\u200eiden\u200ftial plan",
    "bidi isolates": "Our \u2066confidential\u2069 plan",
    "bidi embedding": "Our conf\u202aidential\u202c plan",
    "mongolian vowel separator": "Our confi\u180edential plan",
    "variation selector": "Our confi\ufe0fdential plan",
    "tag character": "Our confi\U000e0020dential plan",
    "fullwidth": "Our \uff43\uff4f\uff4e\uff46\uff49\uff44\uff45\uff4e\uff54\uff49\uff41\uff4c plan",
    "mathematical bold": "Our \U0001d41c\U0001d428\U0001d427\U0001d41f\U0001d422\U0001d41d"
    "\U0001d41e\U0001d427\U0001d42d\U0001d422\U0001d41a\U0001d425 plan",
    "double-struck": "Our \U0001d554\U0001d560\U0001d55f\U0001d557\U0001d55a\U0001d555"
    "\U0001d556\U0001d55f\U0001d565\U0001d55a\U0001d552\U0001d55d plan",
    "upper case": "Our CONFIDENTIAL plan",
    "mixed case": "Our cOnFiDeNtIaL plan",
    "digit zero for o": "Our c0nfidential plan",
    "digit one for l": "Our confidentia1 plan",
    "capital I for l": "Our confidentiaI plan",
    "strike-through marks": "Our " + "".join(c + "\u0336" for c in "confidential") + " plan",
    "several at once": "Our \uff23\u200b\u043e\u00adnfid\u0435ntia1 plan",
}


@pytest.mark.parametrize("text", DISGUISED.values(), ids=DISGUISED.keys())
def test_a_disguised_blocked_term_is_blocked_and_named_as_the_policy_wrote_it(text: str) -> None:
    assert blocked_terms(text) == ["“Confidential” may not be used in posts about the company."]


SPACED = {
    "no-break space": "Project\u00a0Falcon",
    "narrow no-break space": "Project\u202fFalcon",
    "em space": "Project\u2003Falcon",
    "ideographic space": "Project\u3000Falcon",
    "two spaces": "Project  Falcon",
    "line break": "Project\nFalcon",
    "tab": "Project\tFalcon",
    "zero-width space beside the space": "Project \u200bFalcon",
    "cyrillic letters and a no-break space": "\u0420r\u043eject\u00a0F\u0430lcon",
}


@pytest.mark.parametrize("words", SPACED.values(), ids=SPACED.keys())
def test_a_blocked_phrase_is_blocked_whatever_the_space_between_its_words(words: str) -> None:
    assert blocked_terms(f"Soon: {words}!") == [
        "“Project Falcon” may not be used in posts about the company."
    ]


INNOCENT = {
    "a term inside a word": "We ship it today",
    "a longer word": "Confidentiality matters to us",
    "German umlaut": "Das wird schön",
    "German umlaut, decomposed": "Das wird scho\u0308n",
    "Dutch diaeresis and accents": "Een bär? Nee, één café",
    "L for I": "Our new LP is out",
    "diacritics kept apart from their letter": "Fa\u00e7ade",
}


@pytest.mark.parametrize("text", INNOCENT.values(), ids=INNOCENT.keys())
def test_an_innocent_caption_is_not_blocked(text: str) -> None:
    assert blocked_terms(text) == []


def test_terms_are_found_with_the_same_folding_on_both_sides() -> None:
    """A term the policy itself wrote in capitals or with a look-alike is folded too."""
    assert terms_in_text(
        ["PROJECT FALCON", "c\u043enfidential"], "project falcon, confidential"
    ) == [
        "PROJECT FALCON",
        "c\u043enfidential",
    ]


def test_the_skeleton_is_unicodes() -> None:
    # confusables.txt: Cyrillic and Greek o are o, digit 1 and capital I are l, m is rn.
    assert skeleton("\u043e\u03bf1Im") == "ooll" + "rn"


# --- Links ------------------------------------------------------------------------------------


def link_messages(text: str) -> list[str]:
    return [f.message for f in findings(text) if f.code == "domain_not_allowed"]


@pytest.mark.parametrize(
    ("text", "host"),
    [
        ("Details on evil.com/path", "evil.com"),
        ("Short link: bit.ly/3xyz", "bit.ly"),
        ("Visit www.evil.com.", "www.evil.com"),
        ("(see EVIL.com)", "evil.com"),
        (
            "At https://evil.example/x",
            "evil.example",
        ),  # no TLD for twitter-text, a link all the same
        ("Admin on http://10.0.0.1/x", "10.0.0.1"),
        ("Mirror at ftp://evil.com/x", "evil.com"),
        ("Look-alike: http://\u0435xample.com", "\u0435xample.com"),
    ],
)
def test_a_link_to_a_domain_the_policy_does_not_allow_is_blocked(text: str, host: str) -> None:
    assert link_messages(text) == [
        f"Links to {host} are not allowed by the policy (allowed: example.com)."
    ]


def test_links_to_allowed_domains_pass_and_each_other_host_is_named_once() -> None:
    text = "blog.example.com/a and example.com, then evil.com/1 and evil.com/2"

    assert link_messages(text) == [
        "Links to evil.com are not allowed by the policy (allowed: example.com)."
    ]


def test_words_with_dots_that_are_no_links_pass() -> None:
    assert link_messages("Use Node.js, e.g. with v1.2 at 10.30, like...that") == []


def test_a_script_link_is_still_refused() -> None:
    codes = [f.code for f in findings("Click javascript:alert(1)")]

    assert "bad_link_scheme" in codes


def test_an_unclosed_ipv6_bracket_is_a_refused_link_not_an_error() -> None:
    assert link_messages("See http://[::1/x") == [
        "Links to http://[::1/x are not allowed by the policy (allowed: example.com)."
    ]


# --- The disclosure ---------------------------------------------------------------------------


def disclosure_missing(text: str, disclosure: str = "#employee") -> bool:
    codes = [f.code for f in findings(text, required_disclosure=disclosure)]
    return "disclosure_missing" in codes


@pytest.mark.parametrize(
    "text",
    ["Proud #employee", "PROUD #EMPLOYEE", "#Employee: proud", "proud (#employee)"],
)
def test_the_disclosure_counts_in_any_case(text: str) -> None:
    assert not disclosure_missing(text)


@pytest.mark.parametrize(
    "text",
    [
        "Proud #emp\u200bloyee",  # a zero-width space: another hashtag
        "Proud #employ\u00adee",  # a soft hyphen
        "Proud #\u0435mployee",  # a Cyrillic e: another hashtag, which no one searching finds
        "Proud #employees",  # another hashtag
        "Read acme.com/#employee",  # part of a link, which X shortens
    ],
)
def test_a_disclosure_that_is_not_really_there_is_missing(text: str) -> None:
    assert disclosure_missing(text)


def test_a_disclosure_of_several_words_counts_whatever_the_spaces() -> None:
    assert not disclosure_missing("I\u00a0work at\nAcme. Proud!", disclosure="I work at Acme")
