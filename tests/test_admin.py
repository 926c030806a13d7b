"""The Django admin: every registered model's pages load, tokens never appear, and the bulk
actions go through the services."""

from typing import Any

import pytest
from django.contrib import admin
from django.contrib.messages import get_messages
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from advocacy.models import (
    BudgetSpend,
    Click,
    Consent,
    MetricSnapshot,
    NetworkAccount,
    NetworkBudget,
    SandboxPost,
    Share,
    User,
)
from campaigns.models import ContentItem, Suggestion
from policy.models import Acknowledgement, PolicyVersion
from tests.factories import (
    CampaignFactory,
    ContentItemFactory,
    PolicyVersionFactory,
    ShareFactory,
    SuggestionFactory,
    TeamFactory,
    TopicFactory,
    UserFactory,
    ambassador,
    sandbox_account,
)

ACCESS_TOKEN = "plain-access-token-that-must-never-show"
REFRESH_TOKEN = "plain-refresh-token-that-must-never-show"


def admin_url(obj: Any, view: str, *args: Any) -> str:
    meta = obj._meta
    return reverse(f"admin:{meta.app_label}_{meta.model_name}_{view}", args=args)


@pytest.fixture
def superuser_client(db: None) -> Client:
    client = Client()
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    return client


@pytest.fixture
def everything(policy: PolicyVersion) -> dict[type, Any]:
    """One object of every model of ours, the way the product makes them."""
    team = TeamFactory()
    person = ambassador(teams=[team])
    team.motivators.add(person)
    account = sandbox_account(person)
    account.access_token = ACCESS_TOKEN
    account.refresh_token = REFRESH_TOKEN
    account.save()
    topic = TopicFactory()
    campaign = CampaignFactory()
    campaign.audience.add(team)
    item = ContentItemFactory(campaign=campaign)
    item.topics.add(topic)
    share = ShareFactory(user=person, account=account, content_item=item)
    return {
        User: person,
        type(team): team,
        NetworkAccount: account,
        Share: share,
        Consent: Consent.objects.filter(user=person).first(),
        Click: Click.objects.create(share=share, agent="browser"),
        MetricSnapshot: MetricSnapshot.objects.create(
            share=share, taken_at=timezone.now(), impressions=40, reactions=3
        ),
        SandboxPost: SandboxPost.objects.create(account=account, author_name="Amber", text="Hi"),
        NetworkBudget: NetworkBudget.objects.create(network="x", monthly_limit=100),
        BudgetSpend: BudgetSpend.objects.create(
            network="x", month=timezone.localdate().replace(day=1), spent=3
        ),
        type(topic): topic,
        type(campaign): campaign,
        ContentItem: item,
        Suggestion: SuggestionFactory(),
        PolicyVersion: policy,
        Acknowledgement: Acknowledgement.objects.filter(user=person).first(),
    }


@pytest.mark.django_db
def test_every_registered_model_has_a_changelist_that_loads(
    superuser_client: Client, everything: dict[type, Any]
) -> None:
    for model in admin.site._registry:
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        response = superuser_client.get(url)
        assert response.status_code == 200, url
        if model in everything:
            assert str(everything[model].pk) in response.content.decode(), url


@pytest.mark.django_db
def test_every_model_of_ours_has_a_change_page_that_loads(
    superuser_client: Client, everything: dict[type, Any]
) -> None:
    ours = [
        m for m in admin.site._registry if m._meta.app_label in {"advocacy", "campaigns", "policy"}
    ]
    assert set(ours) == set(everything)
    for model, obj in everything.items():
        assert obj is not None, model
        response = superuser_client.get(admin_url(obj, "change", obj.pk))
        assert response.status_code == 200, model


@pytest.mark.django_db
def test_the_add_pages_that_exist_load(superuser_client: Client, policy: PolicyVersion) -> None:
    for name in (
        "advocacy_user",
        "advocacy_team",
        "campaigns_topic",
        "campaigns_campaign",
        "campaigns_contentitem",
        "advocacy_networkbudget",
    ):
        assert superuser_client.get(reverse(f"admin:{name}_add")).status_code == 200, name
    # Records of what happened are never made by hand.
    for name in (
        "advocacy_share",
        "advocacy_networkaccount",
        "advocacy_click",
        "advocacy_budgetspend",
        "policy_acknowledgement",
    ):
        assert superuser_client.get(reverse(f"admin:{name}_add")).status_code == 403, name


@pytest.mark.django_db
def test_the_network_account_pages_never_show_a_token_plain_or_encrypted(
    superuser_client: Client, everything: dict[type, Any]
) -> None:
    account = everything[NetworkAccount]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT access_token, refresh_token FROM advocacy_networkaccount WHERE id = %s",
            [account.pk],
        )
        stored = cursor.fetchone()
    assert ACCESS_TOKEN not in stored[0]  # encrypted at rest

    for url in (
        admin_url(account, "changelist"),
        admin_url(account, "change", account.pk),
        admin_url(everything[Share], "change", everything[Share].pk),
    ):
        page = superuser_client.get(url).content.decode()
        for secret in (ACCESS_TOKEN, REFRESH_TOKEN, *stored):
            assert secret not in page, url
        assert 'name="access_token"' not in page


@pytest.mark.django_db
def test_a_network_account_token_cannot_be_changed_through_the_admin(
    superuser_client: Client, everything: dict[type, Any]
) -> None:
    account = everything[NetworkAccount]

    superuser_client.post(
        admin_url(account, "change", account.pk),
        {"access_token": "forged", "refresh_token": "forged", "status": "revoked"},
    )

    account.refresh_from_db()
    assert account.access_token == ACCESS_TOKEN
    assert account.refresh_token == REFRESH_TOKEN
    assert account.status == NetworkAccount.Status.CONNECTED


@pytest.mark.django_db
def test_publish_selected_publishes_what_it_may_and_says_why_it_refused_the_rest(
    superuser_client: Client, policy: PolicyVersion
) -> None:
    policy.allowed_domains = ["example.com"]
    policy.save()
    good = ContentItemFactory(title="Good", status="draft", published_at=None)
    no_caption = ContentItemFactory(
        title="Captionless", status="draft", published_at=None, caption_linkedin="", caption_x=""
    )
    elsewhere = ContentItemFactory(
        title="Elsewhere", status="draft", published_at=None, url="https://other.org/a"
    )

    response = superuser_client.post(
        reverse("admin:campaigns_contentitem_changelist"),
        {"action": "publish_selected", "_selected_action": [good.pk, no_caption.pk, elsewhere.pk]},
    )

    assert response.status_code == 302
    statuses = dict(ContentItem.objects.values_list("title", "status"))
    assert statuses == {"Good": "published", "Captionless": "draft", "Elsewhere": "draft"}
    texts = [str(m) for m in get_messages(response.wsgi_request)]
    assert "1 item is now published." in texts
    assert "“Captionless”: Write at least one suggested caption before publishing." in texts
    assert any(t.startswith("“Elsewhere”: Links to other.org are not allowed") for t in texts)


@pytest.mark.django_db
def test_archive_selected_archives(superuser_client: Client, policy: PolicyVersion) -> None:
    item = ContentItemFactory()

    superuser_client.post(
        reverse("admin:campaigns_contentitem_changelist"),
        {"action": "archive_selected", "_selected_action": [item.pk]},
    )

    item.refresh_from_db()
    assert item.status == ContentItem.Status.ARCHIVED


@pytest.mark.django_db
def test_the_status_of_an_item_cannot_be_set_by_editing_it(
    superuser_client: Client, policy: PolicyVersion
) -> None:
    item = ContentItemFactory(status="draft", published_at=None, caption_linkedin="", caption_x="")

    superuser_client.post(
        admin_url(item, "change", item.pk),
        {"title": item.title, "url": item.url, "status": "published"},
    )

    item.refresh_from_db()
    assert item.status == ContentItem.Status.DRAFT


@pytest.mark.django_db
def test_suggestion_actions_approve_into_drafts_and_decline(
    superuser_client: Client, policy: PolicyVersion
) -> None:
    keep = SuggestionFactory(title="Keep")
    drop = SuggestionFactory(title="Drop", review_note="Not on topic, sorry.")
    url = reverse("admin:campaigns_suggestion_changelist")

    superuser_client.post(url, {"action": "approve_selected", "_selected_action": [keep.pk]})
    superuser_client.post(url, {"action": "reject_selected", "_selected_action": [drop.pk]})

    keep.refresh_from_db()
    drop.refresh_from_db()
    assert keep.status == Suggestion.Status.APPROVED
    assert keep.content_item is not None and keep.content_item.status == ContentItem.Status.DRAFT
    assert drop.status == Suggestion.Status.REJECTED
    assert drop.review_note == "Not on topic, sorry."


@pytest.mark.django_db
def test_publish_draft_makes_the_draft_the_current_policy_and_published_ones_stay_read_only(
    superuser_client: Client, policy: PolicyVersion
) -> None:
    draft = PolicyVersionFactory(number=None, status="draft", published_at=None, body="# New")

    response = superuser_client.post(
        reverse("admin:policy_policyversion_changelist"),
        {"action": "publish_draft", "_selected_action": [draft.pk, policy.pk]},
    )

    draft.refresh_from_db()
    assert draft.status == PolicyVersion.Status.PUBLISHED
    assert draft.number == policy.number + 1
    texts = [str(m) for m in get_messages(response.wsgi_request)]
    assert any("This version is already published." in t for t in texts)

    superuser_client.post(
        admin_url(policy, "change", policy.pk), {"title": "Rewritten", "body": "x"}
    )
    policy.refresh_from_db()
    assert policy.title != "Rewritten"


@pytest.mark.django_db
def test_a_policy_draft_edited_in_the_admin_gets_its_domains_cleaned(
    superuser_client: Client, policy: PolicyVersion
) -> None:
    response = superuser_client.post(
        reverse("admin:policy_policyversion_add"),
        {
            "title": "Policy",
            "body": "# Hi",
            "blocked_terms": '["secret", " secret "]',
            "required_disclosure": "",
            "allowed_domains": '["https://www.Example.com/"]',
        },
    )

    assert response.status_code == 302
    draft = PolicyVersion.objects.get(status="draft")
    assert draft.allowed_domains == ["example.com"]
    assert draft.blocked_terms == ["secret"]
    # One draft at a time.
    assert superuser_client.get(reverse("admin:policy_policyversion_add")).status_code == 403

    bad = superuser_client.post(
        admin_url(draft, "change", draft.pk),
        {
            "title": "Policy",
            "body": "# Hi",
            "blocked_terms": "[]",
            "allowed_domains": '["not a domain"]',
        },
    )
    assert bad.status_code == 200
    assert "is not a domain name like example.com." in bad.content.decode()


@pytest.mark.django_db
def test_the_user_page_shows_advocacy_fields_but_leaves_opting_in_to_the_person(
    superuser_client: Client, everything: dict[type, Any]
) -> None:
    person = everything[User]

    page = superuser_client.get(admin_url(person, "change", person.pk)).content.decode()

    assert 'name="teams"' in page and 'name="interests"' in page
    assert 'name="ambassador_since"' not in page  # shown read-only
    assert 'name="show_on_leaderboard"' not in page


def test_the_admin_offers_no_page_for_network_apps_or_tokens_in_plain_text(
    superuser_client: Client,
) -> None:
    from allauth.socialaccount.models import SocialApp, SocialToken

    assert not admin.site.is_registered(SocialApp)
    assert not admin.site.is_registered(SocialToken)
    page = superuser_client.get(reverse("admin:index")).content.decode()
    assert "Social application" not in page
    assert "Social application token" not in page
