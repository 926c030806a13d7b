"""The fair-use policy pages, through Django's test client."""

from datetime import time
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from advocacy.models import Consent, User
from policy.models import Acknowledgement, PolicyVersion
from policy.selectors import policy_current
from tests import factories

pytestmark = pytest.mark.django_db

SECTIONS = (
    "rule-length",
    "rule-blocked-terms",
    "rule-disclosure",
    "rule-domains",
    "rule-daily-max",
    "rule-hours",
    "guide-short",
    "guide-personal",
    "guide-hashtags",
)


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def page(response: Any) -> str:
    return response.content.decode()


def draft_data(**overrides: str) -> dict[str, str]:
    data = {
        "title": "Fair use, take two",
        "body": "# Sharing\n\nShare what you *like*.",
        "blocked_terms": "Project Falcon\n\n  Codename X  \n",
        "required_disclosure": "#employee",
        "allowed_domains": "example.com\nhttps://www.example.org/",
        "max_shares_per_day": "5",
        "sharing_hours_start": "08:00",
        "sharing_hours_end": "20:00",
    }
    data.update(overrides)
    return data


# --- Reading ---------------------------------------------------------------------------------


def test_the_policy_page_needs_a_login(client: Client, policy: PolicyVersion) -> None:
    response = client.get(reverse("policy"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_the_policy_page_shows_the_version_body_and_every_rule_section(
    policy: PolicyVersion,
) -> None:
    policy.blocked_terms = ["Project Falcon"]
    policy.required_disclosure = "#employee"
    policy.allowed_domains = ["example.com"]
    policy.max_shares_per_day = 3
    policy.sharing_hours_start, policy.sharing_hours_end = time(8), time(20)
    policy.save()
    user = factories.UserFactory()

    response = client_for(user).get(reverse("policy"))

    html = page(response)
    assert response.status_code == 200
    assert f"version {policy.number}, published" in html
    assert "<h1>Sharing</h1>" in html  # the Markdown body, rendered
    for section in SECTIONS:
        assert f'id="{section}"' in html
    assert "Project Falcon" in html
    assert "#employee" in html
    assert "example.com" in html
    assert "At most 3 shares per day" in html
    assert "between 08:00 and 20:00" in html
    assert "3000" in html  # LinkedIn's maximum
    assert "every link counts as 23 characters" in html


def test_the_policy_page_escapes_html_in_the_markdown_body(db: None) -> None:
    factories.PolicyVersionFactory(
        body="<script>alert(1)</script>\n\n[click](javascript:alert(2))", title="<b>Rules</b>"
    )
    user = factories.UserFactory()

    html = page(client_for(user).get(reverse("policy")))

    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert 'href="javascript:' not in html
    assert "<b>Rules</b>" not in html
    assert "&lt;b&gt;Rules&lt;/b&gt;" in html


def test_the_policy_page_has_a_friendly_empty_state(db: None) -> None:
    user = factories.UserFactory()

    response = client_for(user).get(reverse("policy"))

    assert response.status_code == 200
    assert "still being written" in page(response)


def test_a_person_who_did_not_acknowledge_gets_the_form_with_the_opt_in_box(
    policy: PolicyVersion,
) -> None:
    user = factories.UserFactory()

    html = page(client_for(user).get(reverse("policy")))

    assert f'action="{reverse("policy-acknowledge")}"' in html
    assert f'name="version" value="{policy.number}"' in html
    assert 'name="opt_in"' in html
    assert f"I have read version {policy.number}" in html


def test_an_acknowledged_ambassador_sees_when_and_no_form(ambassador_user: User) -> None:
    html = page(client_for(ambassador_user).get(reverse("policy")))

    assert "You acknowledged version" in html
    assert 'name="opt_in"' not in html
    assert reverse("policy-acknowledge") not in html


def test_an_ambassador_sees_the_form_again_for_a_new_version(ambassador_user: User) -> None:
    factories.PolicyVersionFactory()

    html = page(client_for(ambassador_user).get(reverse("policy")))

    assert reverse("policy-acknowledge") in html
    assert 'name="opt_in"' not in html  # already an ambassador


# --- Acknowledging ---------------------------------------------------------------------------


def test_acknowledging_with_the_box_ticked_opts_the_person_in(policy: PolicyVersion) -> None:
    user = factories.UserFactory()

    response = client_for(user).post(
        reverse("policy-acknowledge"), {"version": policy.number, "opt_in": "on"}, follow=True
    )

    user.refresh_from_db()
    assert response.redirect_chain == [(reverse("feed"), 302)]
    assert "Happy sharing" in page(response)
    assert Acknowledgement.objects.filter(user=user, version=policy).exists()
    assert user.is_ambassador
    consent = Consent.objects.get(user=user)
    assert consent.action == Consent.Action.OPT_IN
    assert consent.policy_version == policy


def test_acknowledging_without_the_box_does_not_opt_in(policy: PolicyVersion) -> None:
    user = factories.UserFactory()

    response = client_for(user).post(
        reverse("policy-acknowledge"), {"version": policy.number}, follow=True
    )

    user.refresh_from_db()
    assert response.status_code == 200
    assert Acknowledgement.objects.filter(user=user, version=policy).exists()
    assert not user.is_ambassador
    assert not Consent.objects.exists()
    assert reverse("me-opt-in") in page(response)  # the feed offers to opt in now


def test_an_ambassador_acknowledges_a_new_version_without_a_new_consent(
    ambassador_user: User,
) -> None:
    new = factories.PolicyVersionFactory()

    response = client_for(ambassador_user).post(
        reverse("policy-acknowledge"), {"version": new.number, "opt_in": "on"}
    )

    assert response.status_code == 302
    assert Acknowledgement.objects.filter(user=ambassador_user, version=new).exists()
    assert Consent.objects.filter(user=ambassador_user).count() == 1


def test_acknowledging_a_version_that_is_no_longer_current_is_refused(
    policy: PolicyVersion,
) -> None:
    user = factories.UserFactory()
    newer = factories.PolicyVersionFactory()

    response = client_for(user).post(
        reverse("policy-acknowledge"), {"version": policy.number, "opt_in": "on"}
    )

    user.refresh_from_db()
    assert response.status_code == 400
    assert f"version {newer.number} is now current" in page(response)
    assert not Acknowledgement.objects.filter(user=user).exists()
    assert not user.is_ambassador


def test_acknowledging_without_a_version_is_refused(policy: PolicyVersion) -> None:
    user = factories.UserFactory()

    response = client_for(user).post(reverse("policy-acknowledge"), {})

    assert response.status_code == 400
    assert not Acknowledgement.objects.exists()


def test_acknowledging_only_accepts_post(policy: PolicyVersion) -> None:
    user = factories.UserFactory()

    assert client_for(user).get(reverse("policy-acknowledge")).status_code == 405


# --- Marketing: edit and publish -------------------------------------------------------------


def test_the_marketing_pages_are_404_for_an_ambassador(ambassador_user: User) -> None:
    client = client_for(ambassador_user)

    assert client.get(reverse("policy-manage")).status_code == 404
    assert client.post(reverse("policy-manage"), draft_data()).status_code == 404
    assert client.post(reverse("policy-publish"), {"draft": 1}).status_code == 404
    assert not PolicyVersion.objects.filter(status=PolicyVersion.Status.DRAFT).exists()


def test_marketing_edits_a_copy_of_the_current_version(
    marketing: User, policy: PolicyVersion
) -> None:
    policy.blocked_terms = ["Project Falcon", "Codename X"]
    policy.save()

    response = client_for(marketing).get(reverse("policy-manage"))

    html = page(response)
    assert response.status_code == 200
    assert "Project Falcon\nCodename X</textarea>" in html
    assert "<h1>Sharing</h1>" in html  # the preview
    assert "Save the draft first" in html
    assert f"<td>{policy.number}</td>" in html  # the published versions


def test_marketing_saves_a_draft_and_publishes_it_as_the_next_version(
    marketing: User, policy: PolicyVersion
) -> None:
    client = client_for(marketing)

    saved = client.post(reverse("policy-manage"), draft_data(), follow=True)
    draft = PolicyVersion.objects.get(status=PolicyVersion.Status.DRAFT)
    published = client.post(reverse("policy-publish"), {"draft": draft.pk}, follow=True)

    current = policy_current()
    assert "The draft is saved" in page(saved)
    assert f"Publish as version {policy.number + 1}" in page(saved)
    assert draft.blocked_terms == ["Project Falcon", "Codename X"]
    assert draft.allowed_domains == ["example.com", "example.org"]
    assert draft.sharing_hours_start == time(8)
    assert current is not None and current.pk == draft.pk
    assert current.number == policy.number + 1
    assert published.redirect_chain == [(reverse("policy"), 302)]
    assert f"Version {current.number} is published" in page(published)
    assert "Fair use, take two" in page(published)


def test_a_draft_with_a_bad_domain_is_refused_with_the_reason(
    marketing: User, policy: PolicyVersion
) -> None:
    response = client_for(marketing).post(
        reverse("policy-manage"), draft_data(allowed_domains="not a domain")
    )

    assert response.status_code == 400
    assert "is not a domain name like example.com" in page(response)
    assert not PolicyVersion.objects.filter(status=PolicyVersion.Status.DRAFT).exists()


def test_a_draft_with_only_one_end_of_the_sharing_hours_is_refused(
    marketing: User, policy: PolicyVersion
) -> None:
    response = client_for(marketing).post(
        reverse("policy-manage"), draft_data(sharing_hours_end="")
    )

    assert response.status_code == 400
    assert "Give both ends of the sharing hours" in page(response)


def test_the_draft_preview_escapes_html(marketing: User, policy: PolicyVersion) -> None:
    response = client_for(marketing).post(
        reverse("policy-manage"), draft_data(body="<script>alert(1)</script>", title="")
    )

    html = page(response)
    assert response.status_code == 400  # the title is missing
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_publishing_without_a_saved_draft_is_refused(
    marketing: User, policy: PolicyVersion
) -> None:
    response = client_for(marketing).post(reverse("policy-publish"), {"draft": 999})

    assert response.status_code == 400
    assert "already published" in page(response)
    assert policy_current() == policy
