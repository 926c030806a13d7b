"""/api/policy/...: the current version and its acknowledgement, marketing's draft and
publishing, the versions, and the live caption check."""

from typing import Any

import pytest

from policy.models import Acknowledgement, PolicyVersion
from tests.api.helpers import detail
from tests.conftest import ON_A_DOMAIN, api_for
from tests.factories import (
    ContentItemFactory,
    PolicyVersionFactory,
    UserFactory,
    marketing_user,
)

pytestmark = pytest.mark.django_db

DRAFT = {
    "title": "Sharing policy, spring edition",
    "body": "# Be yourself\n\nAdd #employee.",
    "rules": {
        "blocked_terms": ["confidential", " ", "confidential"],
        "required_disclosure": "#employee",
        "allowed_domains": ["https://www.example.com/", "example.org"],
        "max_shares_per_day": 5,
        "sharing_hours_start": "08:00",
        "sharing_hours_end": "20:00",
    },
}


def test_it_answers_404_with_a_reason_when_no_policy_exists() -> None:
    response = api_for(UserFactory()).get("/api/policy/current/")

    assert response.status_code == 404
    assert detail(response) == (
        "There is no fair-use policy yet, so sharing has not started. Ask marketing."
    )


def test_it_shows_the_current_policy_with_its_rules_and_safe_html(strict_policy: Any) -> None:
    response = api_for(UserFactory()).get("/api/policy/current/")

    assert response.status_code == 200
    body = response.json()
    assert body["number"] == strict_policy.number
    assert body["title"] == "Our sharing policy"
    assert body["body"].startswith("# Be yourself")
    assert "<h1>Be yourself</h1>" in body["body_html"]
    assert "<em>like</em>" in body["body_html"]
    assert "<script>" not in body["body_html"]
    assert "&lt;script&gt;" in body["body_html"]
    assert body["rules"] == {
        "blocked_terms": ["confidential", "roadmap leak"],
        "required_disclosure": "#employee",
        "allowed_domains": ["example.com"],
        "max_shares_per_day": 3,
        "sharing_hours_start": None,
        "sharing_hours_end": None,
    }
    assert body["published_at"]
    assert body["acknowledged"] is False
    assert body["acknowledged_at"] is None


def test_acknowledging_the_current_version_is_recorded_and_shown(strict_policy: Any) -> None:
    user = UserFactory()
    client = api_for(user)

    response = client.post(
        "/api/policy/current/acknowledge/", {"version": strict_policy.number}, format="json"
    )

    assert response.status_code == 200
    assert response.json()["version"] == strict_policy.number
    assert Acknowledgement.objects.filter(user=user, version=strict_policy).exists()
    current = client.get("/api/policy/current/").json()
    assert current["acknowledged"] is True
    assert current["acknowledged_at"] == response.json()["acknowledged_at"]


def test_acknowledging_without_a_version_number_acknowledges_the_current_one(
    policy: Any,
) -> None:
    user = UserFactory()

    response = api_for(user).post("/api/policy/current/acknowledge/")

    assert response.status_code == 200
    assert response.json()["version"] == policy.number


def test_acknowledging_a_version_that_is_no_longer_current_is_refused(policy: Any) -> None:
    newer = PolicyVersionFactory()
    user = UserFactory()

    response = api_for(user).post(
        "/api/policy/current/acknowledge/", {"version": policy.number}, format="json"
    )

    assert response.status_code == 400
    assert detail(response) == (
        f"The policy changed: read version {newer.number} and acknowledge that one."
    )
    assert response.json()["code"] == "policy_changed"
    assert not Acknowledgement.objects.filter(user=user).exists()


def test_acknowledging_is_refused_with_404_when_there_is_no_policy() -> None:
    response = api_for(UserFactory()).post("/api/policy/current/acknowledge/")

    assert response.status_code == 404
    assert "There is no fair-use policy yet" in detail(response)


def test_marketing_gets_a_draft_copied_from_the_current_version(strict_policy: Any) -> None:
    response = api_for(marketing_user()).get("/api/policy/draft/")

    assert response.status_code == 200
    draft = response.json()
    assert draft["id"] is None
    assert draft["title"] == "Our sharing policy"
    assert draft["rules"]["blocked_terms"] == ["confidential", "roadmap leak"]
    assert PolicyVersion.objects.filter(status="draft").count() == 0


def test_marketing_saves_publishes_and_lists_a_new_version(policy: Any) -> None:
    client = api_for(marketing_user())

    saved = client.put("/api/policy/draft/", DRAFT, format="json")

    assert saved.status_code == 200, saved.json()
    assert saved.json()["id"] is not None
    assert saved.json()["rules"] == {
        "blocked_terms": ["confidential"],
        "required_disclosure": "#employee",
        "allowed_domains": ["example.com", "example.org"],
        "max_shares_per_day": 5,
        "sharing_hours_start": "08:00:00",
        "sharing_hours_end": "20:00:00",
    }
    assert client.get("/api/policy/draft/").json()["id"] == saved.json()["id"]

    published = client.post("/api/policy/draft/publish/")

    assert published.status_code == 200
    assert published.json()["number"] == policy.number + 1
    assert published.json()["title"] == "Sharing policy, spring edition"
    assert client.get("/api/policy/current/").json()["number"] == policy.number + 1
    versions = client.get("/api/policy/versions/").json()
    assert versions["count"] == 2
    assert [v["number"] for v in versions["results"]] == [policy.number + 1, policy.number]


def test_a_draft_with_a_malformed_domain_is_refused(policy: Any) -> None:
    draft = {**DRAFT, "rules": {**DRAFT["rules"], "allowed_domains": ["not a domain"]}}

    response = api_for(marketing_user()).put("/api/policy/draft/", draft, format="json")

    assert response.status_code == 400
    assert detail(response) == "“not a domain” is not a domain name like example.com."


def test_a_draft_with_only_one_end_of_the_sharing_hours_is_refused(policy: Any) -> None:
    draft = {**DRAFT, "rules": {**DRAFT["rules"], "sharing_hours_end": None}}

    response = api_for(marketing_user()).put("/api/policy/draft/", draft, format="json")

    assert response.status_code == 400
    assert detail(response) == (
        "Give both ends of the sharing hours, or leave both empty for any time."
    )


def test_publishing_without_a_draft_is_refused(policy: Any) -> None:
    response = api_for(marketing_user()).post("/api/policy/draft/publish/")

    assert response.status_code == 400
    assert detail(response) == "There is no draft to publish: save the draft first."


def test_publishing_an_empty_page_is_refused(policy: Any) -> None:
    client = api_for(marketing_user())
    client.put("/api/policy/draft/", {**DRAFT, "body": "  "}, format="json")

    response = client.post("/api/policy/draft/publish/")

    assert response.status_code == 400
    assert detail(response) == "The policy page is empty; write it before publishing."


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/api/policy/draft/"),
        ("put", "/api/policy/draft/"),
        ("post", "/api/policy/draft/publish/"),
        ("get", "/api/policy/versions/"),
    ],
)
def test_only_marketing_edits_and_publishes_the_policy(
    ambassador_user: Any, method: str, path: str
) -> None:
    response = getattr(api_for(ambassador_user), method)(path, DRAFT, format="json")

    assert response.status_code == 403
    assert detail(response) == "Only marketing can do this."
    assert PolicyVersion.objects.count() == 1


# --- Caption check -------------------------------------------------------------------------


def check(user: Any, **payload: Any) -> Any:
    return api_for(user).post(
        "/api/policy/caption-check/", {"network": "sandbox", **payload}, format="json"
    )


def codes(response: Any) -> dict[str, bool]:
    return {f["code"]: f["blocking"] for f in response.json()["findings"]}


@ON_A_DOMAIN
def test_a_good_caption_has_no_findings_and_its_length_counts_the_link(
    strict_policy: Any,
) -> None:
    response = check(UserFactory(), text="Proud of this #employee")

    assert response.status_code == 200
    # 23 characters, two newlines, and the tracked link counted as 23 (X rules).
    assert response.json() == {"length": 48, "max_length": 280, "findings": []}


@ON_A_DOMAIN
def test_the_caption_check_explains_a_caption_over_the_limit(strict_policy: Any) -> None:
    response = check(UserFactory(), text="#employee " + "a" * 300)

    assert response.status_code == 200
    finding = response.json()["findings"][0]
    assert finding == {
        "code": "too_long",
        "blocking": True,
        "message": "Sandbox allows 280 characters; with the link this caption has 335. "
        "Shorten it by 55.",
        "policy_url": "/policy/#rule-length",
    }


@ON_A_DOMAIN
def test_a_caption_past_linkedins_limit_is_told_how_much_to_cut(strict_policy: Any) -> None:
    # One long link of brackets: twitter-text's expression is slowest on it. Past the scan
    # limit the counter stops looking for links, so the answer stays quick and still exact
    # enough to say how far over the limit the caption is.
    text = "#employee https://acme.com/" + "(a)" * 3_000

    response = check(UserFactory(), text=text, network="linkedin")

    assert response.status_code == 200
    finding = response.json()["findings"][0]
    assert finding["code"] == "too_long" and finding["blocking"] is True
    assert "LinkedIn allows 3000 characters" in finding["message"]


def test_a_caption_longer_than_anyone_may_send_is_refused_with_a_reason(policy: Any) -> None:
    response = check(UserFactory(), text="a" * 10_001)

    assert response.status_code == 400
    assert "10000 characters" in detail(response)


def test_the_caption_check_blocks_terms_links_and_a_missing_disclosure(
    strict_policy: Any,
) -> None:
    response = check(
        UserFactory(),
        text="The confidential plan: https://evil.example/x javascript:alert(1)",
    )

    findings = {f["code"]: f for f in response.json()["findings"]}
    assert findings["blocked_term"]["message"] == (
        "“confidential” may not be used in posts about the company."
    )
    assert findings["disclosure_missing"]["message"] == (
        "Add “#employee” so your network knows you work here."
    )
    assert findings["domain_not_allowed"]["message"] == (
        "Links to evil.example are not allowed by the policy (allowed: example.com)."
    )
    assert findings["bad_link_scheme"]["message"] == (
        "Only http:// and https:// links can be posted."
    )
    assert all(f["blocking"] for f in findings.values())


def test_the_caption_check_gives_guidance_that_does_not_block(strict_policy: Any) -> None:
    item = ContentItemFactory(caption_x="Proud of what we built. #employee")

    response = check(UserFactory(), text="Proud of what we built! #employee", content_item=item.pk)

    assert codes(response) == {"not_personal": False}
    assert "add a personal note" in response.json()["findings"][0]["message"]


def test_the_caption_check_works_before_any_policy_is_published(db: None) -> None:
    response = check(UserFactory(), text="x" * 300)

    assert response.status_code == 200
    assert codes(response) == {"too_long": True}


def test_the_caption_check_refuses_an_unknown_content_item_and_network(policy: Any) -> None:
    draft = ContentItemFactory(status="draft")
    user = UserFactory()

    unknown = check(user, text="Hi", content_item=999_999)
    hidden = check(user, text="Hi", content_item=draft.pk)
    bad_network = check(user, text="Hi", network="myspace")

    assert unknown.status_code == hidden.status_code == bad_network.status_code == 400
    assert detail(unknown) == detail(hidden) == "No such content item."
    assert detail(bad_network) == 'network: "myspace" is not a valid choice.'
