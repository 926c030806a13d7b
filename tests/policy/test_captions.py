"""The caption rules of policy/captions.py, called directly: which findings block a share and
which are advice, what each one tells the ambassador, and where on /policy/ it points.

Disguised blocked terms, links written without a scheme and the disclosure's spelling are in
test_caption_rules.py."""

import pytest

from advocacy.models import Network
from advocacy.networks.rules import NETWORK_RULES
from policy.captions import (
    Finding,
    blocking_messages,
    caption_findings,
    domain_allowed,
    link_findings,
)
from policy.models import PolicyVersion


def policy(**rules: object) -> PolicyVersion:
    """An unsaved policy: the rules only read its fields."""
    values: dict[str, object] = {"blocked_terms": [], "allowed_domains": []}
    return PolicyVersion(**(values | rules))


def findings(
    text: str, network: str = "linkedin", suggested: str = "", **rules: object
) -> list[Finding]:
    return caption_findings(text=text, network=network, policy=policy(**rules), suggested=suggested)


def codes(found: list[Finding]) -> list[str]:
    return [finding.code for finding in found]


def one(found: list[Finding], code: str) -> Finding:
    [finding] = [finding for finding in found if finding.code == code]
    return finding


# --- domain_allowed ---------------------------------------------------------------------------


def test_any_host_is_allowed_when_the_policy_lists_no_domains() -> None:
    assert domain_allowed("evil.com", [])


@pytest.mark.parametrize(
    "host", ["example.com", "blog.example.com", "www.example.com", "EXAMPLE.COM", "example.com."]
)
def test_an_allowed_domain_allows_itself_its_subdomains_and_www_in_any_case(host: str) -> None:
    assert domain_allowed(host, ["example.com"])


@pytest.mark.parametrize("host", ["notexample.com", "example.com.evil.net", "example.org", ""])
def test_a_host_that_only_looks_like_an_allowed_domain_is_not_allowed(host: str) -> None:
    assert not domain_allowed(host, ["example.com"])


# --- link_findings ----------------------------------------------------------------------------


def test_a_link_to_an_allowed_domain_has_no_finding() -> None:
    assert (
        link_findings("https://blog.example.com/news", policy(allowed_domains=["example.com"]))
        == []
    )


def test_a_link_elsewhere_blocks_and_names_its_host_and_the_allowed_domains() -> None:
    rules = policy(allowed_domains=["example.com", "example.org"])

    assert link_findings("https://evil.com/path?q=1", rules) == [
        Finding(
            "domain_not_allowed",
            True,
            "Links to evil.com are not allowed by the policy (allowed: example.com, example.org).",
            "rule-domains",
        )
    ]


def test_every_link_passes_when_the_policy_lists_no_domains() -> None:
    assert link_findings("https://anywhere.example/x", policy()) == []


# --- Finding ----------------------------------------------------------------------------------


def test_a_finding_as_the_editor_and_the_api_get_it_links_to_its_section_of_the_policy() -> None:
    finding = Finding("long", False, "Short captions work best.", "guide-short")

    assert finding.as_dict() == {
        "code": "long",
        "blocking": False,
        "message": "Short captions work best.",
        "policy_url": "/policy/#guide-short",
    }


# --- caption_findings: what blocks ------------------------------------------------------------


@pytest.mark.parametrize("text", ["", "   ", "\n\t"])
def test_an_empty_caption_gets_one_blocking_finding_asking_for_a_caption(text: str) -> None:
    found = findings(text, required_disclosure="#employee", blocked_terms=["secret"])

    assert found == [
        Finding("empty", True, "Write a caption: a personal note works best.", "guide-personal")
    ]


def test_a_caption_over_the_networks_limit_is_blocked_and_told_how_much_to_cut() -> None:
    text = "a" * 300
    length = NETWORK_RULES[Network.X].caption_length(text)

    too_long = one(findings(text, network="x"), "too_long")

    assert too_long.blocking
    assert too_long.section == "rule-length"
    assert too_long.message == (
        f"X allows 280 characters; with the link this caption has {length}. "
        f"Shorten it by {length - 280}."
    )


def test_the_limit_counts_the_tracked_link_appended_to_the_caption() -> None:
    rules = NETWORK_RULES[Network.X]
    link = rules.caption_length("a") - 1  # the line break and the share's tracked link
    fits = "a" * (280 - link)

    assert link > 0
    assert "too_long" not in codes(findings(fits, network="x"))
    assert "too_long" in codes(findings(fits + "a", network="x"))


def test_linkedin_takes_a_caption_that_x_refuses() -> None:
    text = "a" * 500

    assert "too_long" in codes(findings(text, network="x"))
    assert "too_long" not in codes(findings(text, network="linkedin"))


def test_each_blocked_term_in_the_caption_is_named_once_as_the_policy_wrote_it() -> None:
    found = findings(
        "Secret plans, more secret plans, Project Falcon",
        blocked_terms=["Secret", "Project Falcon", "Unused"],
    )

    assert [f.message for f in found if f.code == "blocked_term"] == [
        "“Secret” may not be used in posts about the company.",
        "“Project Falcon” may not be used in posts about the company.",
    ]
    assert all(f.blocking and f.section == "rule-blocked-terms" for f in found)


def test_a_missing_disclosure_blocks_and_quotes_the_words_to_add() -> None:
    missing = one(
        findings("Proud of the team", required_disclosure="#employee"), "disclosure_missing"
    )

    assert missing.blocking
    assert missing.message == "Add “#employee” so your network knows you work here."
    assert missing.section == "rule-disclosure"


def test_no_disclosure_is_asked_for_when_the_policy_requires_none() -> None:
    assert "disclosure_missing" not in codes(findings("Proud of the team"))


@pytest.mark.parametrize(
    "text",
    [
        "Click javascript:alert(1)",
        "See data:text/html,<b>hi</b>",
        "Run VBScript:msgbox",
        "Open file:///etc/passwd",
        "Spaced javascript :alert(1)",
    ],
)
def test_a_link_that_is_not_http_or_https_is_refused(text: str) -> None:
    bad = one(findings(text), "bad_link_scheme")

    assert bad.blocking
    assert bad.message == "Only http:// and https:// links can be posted."


def test_http_and_https_links_are_not_a_bad_scheme() -> None:
    text = "Read http://example.com/a and https://example.com/b"

    assert "bad_link_scheme" not in codes(findings(text))


def test_a_caption_that_breaks_several_rules_is_told_every_one_at_once() -> None:
    text = "Secret! " * 40 + "evil.com/x"

    found = findings(
        text,
        network="x",
        blocked_terms=["secret"],
        required_disclosure="#employee",
        allowed_domains=["example.com"],
    )

    assert [f.code for f in found if f.blocking] == [
        "too_long",
        "blocked_term",
        "disclosure_missing",
        "domain_not_allowed",
    ]


# --- caption_findings: advice -----------------------------------------------------------------


def test_a_caption_past_140_characters_within_the_limit_is_advised_to_be_shorter() -> None:
    text = "a" * 200
    length = NETWORK_RULES[Network.LINKEDIN].caption_length(text)

    long = one(findings(text), "long")

    assert not long.blocking
    assert long.section == "guide-short"
    assert long.message == (
        "Short captions work best: if you can say it in 140 characters, you did it right "
        f"(now {length})."
    )


def test_a_short_caption_gets_no_advice_on_its_length() -> None:
    assert findings("Proud of what we shipped today.") == []


def test_a_caption_over_the_limit_is_not_also_advised_to_be_short() -> None:
    assert "long" not in codes(findings("a" * 300, network="x"))


@pytest.mark.parametrize(
    "text",
    ["Our new release is out!", "our new release is out", "OUR NEW RELEASE, IS OUT..."],
)
def test_the_suggested_caption_word_for_word_is_advised_to_get_a_personal_note(text: str) -> None:
    advice = one(findings(text, suggested="Our new release is out!"), "not_personal")

    assert not advice.blocking
    assert advice.section == "guide-personal"


def test_the_suggested_caption_with_a_personal_note_gets_no_such_advice() -> None:
    text = "Our new release is out! I worked on the search."

    assert "not_personal" not in codes(findings(text, suggested="Our new release is out!"))


def test_without_a_suggested_caption_nothing_is_said_about_it() -> None:
    assert "not_personal" not in codes(findings("Our new release is out!", suggested=""))


def test_three_hashtags_are_fine_and_a_fourth_is_advised_against() -> None:
    three = "Launch day #one #two #three"

    assert "many_hashtags" not in codes(findings(three))
    advice = one(findings(three + " #four"), "many_hashtags")
    assert not advice.blocking
    assert advice.section == "guide-hashtags"


def test_a_hash_inside_a_word_is_not_a_hashtag() -> None:
    assert "many_hashtags" not in codes(findings("Tips for C#, F#, issue#4 and #one"))


# --- blocking_messages ------------------------------------------------------------------------


def test_only_the_blocking_findings_become_the_reasons_a_share_is_refused_in_their_order() -> None:
    found = [
        Finding("long", False, "Shorter is better.", "guide-short"),
        Finding("blocked_term", True, "No “secret”.", "rule-blocked-terms"),
        Finding("many_hashtags", False, "Fewer hashtags.", "guide-hashtags"),
        Finding("disclosure_missing", True, "Add #employee.", "rule-disclosure"),
    ]

    assert blocking_messages(found) == ["No “secret”.", "Add #employee."]


def test_advice_alone_never_refuses_a_share() -> None:
    text = "a" * 200 + " #one #two #three #four"

    found = findings(text, suggested=text)

    assert codes(found) == ["long", "not_personal", "many_hashtags"]
    assert blocking_messages(found) == []
