"""The marketing pages (/manage/...) and the suggestion page (/suggest/), through the test
client: forms, services and templates together."""

import io
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from advocacy.models import Click, User
from campaigns.models import Campaign, ContentItem, Suggestion, Topic
from tests.conftest import ON_A_DOMAIN
from tests.factories import (
    CampaignFactory,
    ContentItemFactory,
    ShareFactory,
    SuggestionFactory,
    TeamFactory,
    TopicFactory,
    UserFactory,
    leadership_user,
)


def logged_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def tiny_png() -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (2, 2), color=(10, 102, 194)).save(buffer, format="PNG")
    return SimpleUploadedFile("tiny.png", buffer.getvalue(), content_type="image/png")


def message_texts(response: Any) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def draft_item(**kwargs: Any) -> ContentItem:
    fields: dict[str, Any] = {"status": ContentItem.Status.DRAFT, "published_at": None}
    return ContentItemFactory(**{**fields, **kwargs})


# --- Marketing builds the library -------------------------------------------------------------


@pytest.mark.django_db
def test_marketing_creates_a_topic_a_campaign_and_an_item_with_an_image_and_publishes_it(
    policy: Any, marketing: User
) -> None:
    client = logged_in(marketing)
    team = TeamFactory(name="Sales")

    response = client.post(
        reverse("topic-list"), {"name": "Sustainability", "description": "Greener work"}
    )
    assert response.status_code == 302
    topic = Topic.objects.get(name="Sustainability")
    assert "Sustainability" in client.get(reverse("topic-list")).content.decode()

    response = client.post(
        reverse("campaign-create"),
        {
            "name": "Spring launch",
            "description": "",
            "starts_on": "2030-03-01",
            "ends_on": "2030-03-31",
            "audience": [team.pk],
            "goal_metric": "clicks",
            "goal_target": "50",
            "utm_campaign": "spring-launch",
        },
    )
    campaign = Campaign.objects.get(name="Spring launch")
    assert response.status_code == 302
    assert response.url == reverse("campaign-detail", args=[campaign.pk])
    assert list(campaign.audience.all()) == [team]
    assert (campaign.goal_metric, campaign.goal_target) == ("clicks", 50)

    response = client.post(
        reverse("content-create"),
        {
            "title": "Our new solar roof",
            "url": "https://example.com/solar",
            "description": "The roof is done.",
            "image": tiny_png(),
            "topics": [topic.pk],
            "campaign": campaign.pk,
            "caption_linkedin": "Our office now runs on sunlight. #employee",
            "caption_x": "Sunlight powers our office now #employee",
            "available_from": "2030-03-02T09:30",
            "available_until": "",
            "audience": [team.pk],
        },
    )
    item = ContentItem.objects.get(title="Our new solar roof")
    assert response.status_code == 302
    assert response.url == reverse("content-edit", args=[item.pk])
    assert item.status == ContentItem.Status.DRAFT
    assert item.created_by == marketing
    assert item.image.name.endswith(".png")
    assert item.campaign == campaign
    assert list(item.topics.all()) == [topic]
    assert item.available_from == datetime(2030, 3, 2, 9, 30, tzinfo=ZoneInfo(settings.TIME_ZONE))

    page = client.get(reverse("content-edit", args=[item.pk])).content.decode()
    assert item.image.url in page
    assert 'value="2030-03-02T09:30"' in page
    assert "Send to review" in page and "Publish" in page

    response = client.post(
        reverse("content-status", args=[item.pk]), {"status": "published"}, follow=True
    )
    item.refresh_from_db()
    assert item.status == ContentItem.Status.PUBLISHED
    assert item.published_at is not None
    assert "“Our new solar roof” is now published." in response.content.decode()


@pytest.mark.django_db
@ON_A_DOMAIN
def test_the_content_page_shows_how_long_each_suggested_caption_is_per_network(
    policy: Any, marketing: User
) -> None:
    item = draft_item(caption_linkedin="Hello", caption_x="x" * 300)

    page = logged_in(marketing).get(reverse("content-edit", args=[item.pk])).content.decode()

    # The tracked link is appended: LinkedIn counts it in full, X counts it as 23.
    linkedin = len("Hello\n\n" + f"{settings.SITE_URL}/r/xxxxxxxx")
    assert f"LinkedIn: {linkedin} / 3000 characters" in page
    assert f"X: {300 + 2 + 23} / 280 characters" in page
    assert 'class="counter over"' in page
    assert "too long to post" in page


@pytest.mark.django_db
def test_an_invalid_item_form_answers_400_with_the_reason(policy: Any, marketing: User) -> None:
    response = logged_in(marketing).post(
        reverse("content-create"),
        {
            "title": "Window",
            "url": "https://example.com/a",
            "available_from": "2030-03-02T09:30",
            "available_until": "2030-03-01T09:30",
        },
    )

    assert response.status_code == 400
    assert "The item must stay available after it becomes available." in response.content.decode()
    assert not ContentItem.objects.filter(title="Window").exists()


@pytest.mark.django_db
def test_the_content_list_filters_by_status(policy: Any, marketing: User) -> None:
    draft_item(title="Still a draft")
    ContentItemFactory(title="Out there")

    page = logged_in(marketing).get(reverse("content-list"), {"status": "draft"}).content.decode()

    assert "Still a draft" in page
    assert "Out there" not in page


@pytest.mark.django_db
def test_the_overview_counts_content_by_status_and_waiting_suggestions(
    policy: Any, marketing: User
) -> None:
    draft_item()
    ContentItemFactory()
    ContentItemFactory()
    SuggestionFactory()
    response = logged_in(marketing).get(reverse("manage-home"))

    page = response.content.decode()
    assert response.status_code == 200
    assert reverse("policy-manage") in page
    assert response.context["pending_count"] == 1
    counts = {value: count for value, _label, count in response.context["status_counts"]}
    assert counts == {"draft": 1, "in_review": 0, "published": 2, "archived": 0}


# --- Publishing follows the policy -------------------------------------------------------------


@pytest.mark.django_db
def test_publishing_an_item_linking_to_a_domain_the_policy_disallows_shows_why_and_leaves_it_unpublished(
    policy: Any, marketing: User
) -> None:
    policy.allowed_domains = ["example.com"]
    policy.save()
    item = draft_item(title="Competitor news", url="https://elsewhere.org/story")
    client = logged_in(marketing)

    response = client.post(
        reverse("content-status", args=[item.pk]), {"status": "published"}, follow=True
    )

    item.refresh_from_db()
    assert item.status == ContentItem.Status.DRAFT
    assert item.published_at is None
    page = response.content.decode()
    assert "“Competitor news” was not changed" in page
    assert "Links to elsewhere.org are not allowed by the policy (allowed: example.com)." in page
    assert 'class="message error"' in page


@pytest.mark.django_db
def test_publishing_an_item_without_any_caption_is_refused_with_a_message(
    policy: Any, marketing: User
) -> None:
    item = draft_item(caption_linkedin="", caption_x="")

    response = logged_in(marketing).post(
        reverse("content-status", args=[item.pk]), {"status": "published"}
    )

    item.refresh_from_db()
    assert item.status == ContentItem.Status.DRAFT
    assert response.status_code == 302
    assert any(
        "Write at least one suggested caption before publishing." in text
        for text in message_texts(response)
    )


@pytest.mark.django_db
def test_a_status_button_on_the_list_returns_to_the_list_but_never_to_another_site(
    policy: Any, marketing: User
) -> None:
    item = draft_item()
    client = logged_in(marketing)
    back = reverse("content-list") + "?status=draft"

    to_list = client.post(
        reverse("content-status", args=[item.pk]), {"status": "in_review", "next": back}
    )
    elsewhere = client.post(
        reverse("content-status", args=[item.pk]),
        {"status": "draft", "next": "https://evil.example/"},
    )

    assert to_list.url == back
    assert elsewhere.url == reverse("content-edit", args=[item.pk])


# --- Only marketing ------------------------------------------------------------------------------


def manage_get_urls(item: ContentItem, campaign: Campaign) -> list[str]:
    return [
        reverse("manage-home"),
        reverse("topic-list"),
        reverse("campaign-list"),
        reverse("campaign-create"),
        reverse("campaign-edit", args=[campaign.pk]),
        reverse("campaign-detail", args=[campaign.pk]),
        reverse("content-list"),
        reverse("content-create"),
        reverse("content-edit", args=[item.pk]),
        reverse("suggestion-review-list"),
    ]


@pytest.mark.django_db
def test_an_ambassador_gets_404_on_every_manage_page_and_post(
    policy: Any, ambassador_user: User
) -> None:
    item = draft_item(title="Untouched")
    campaign = CampaignFactory(name="Untouched campaign")
    suggestion = SuggestionFactory()
    client = logged_in(ambassador_user)

    for url in manage_get_urls(item, campaign):
        assert client.get(url).status_code == 404, url
    posts = [
        (reverse("topic-list"), {"name": "Sneaky"}),
        (reverse("campaign-create"), {"name": "Sneaky"}),
        (reverse("campaign-edit", args=[campaign.pk]), {"name": "Sneaky"}),
        (reverse("content-create"), {"title": "Sneaky", "url": "https://example.com"}),
        (reverse("content-edit", args=[item.pk]), {"title": "Sneaky", "url": "https://x.org"}),
        (reverse("content-status", args=[item.pk]), {"status": "published"}),
        (reverse("suggestion-approve", args=[suggestion.pk]), {"note": ""}),
        (reverse("suggestion-reject", args=[suggestion.pk]), {"note": ""}),
    ]
    for url, data in posts:
        assert client.post(url, data).status_code == 404, url

    item.refresh_from_db()
    campaign.refresh_from_db()
    suggestion.refresh_from_db()
    assert (item.title, item.status) == ("Untouched", ContentItem.Status.DRAFT)
    assert campaign.name == "Untouched campaign"
    assert suggestion.status == Suggestion.Status.PENDING
    assert not Topic.objects.filter(name="Sneaky").exists()
    assert not ContentItem.objects.filter(title="Sneaky").exists()


@pytest.mark.django_db
def test_leadership_sees_campaign_progress_but_not_the_content_management(
    policy: Any,
) -> None:
    campaign = CampaignFactory()
    client = logged_in(leadership_user())

    detail = client.get(reverse("campaign-detail", args=[campaign.pk]))

    assert detail.status_code == 200
    assert reverse("campaign-edit", args=[campaign.pk]) not in detail.content.decode()
    assert client.get(reverse("manage-home")).status_code == 404
    assert client.get(reverse("campaign-edit", args=[campaign.pk])).status_code == 404


@pytest.mark.django_db
def test_a_visitor_who_is_not_logged_in_is_sent_to_the_login_page(policy: Any) -> None:
    for url in (reverse("manage-home"), reverse("suggestion-create")):
        response = Client().get(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))


# --- Campaign progress -------------------------------------------------------------------------


@pytest.mark.django_db
def test_campaign_detail_shows_goal_progress_and_measured_and_estimated_figures(
    policy: Any, marketing: User
) -> None:
    campaign = CampaignFactory(name="Open day", goal_metric="shares", goal_target=4)
    item = ContentItemFactory(campaign=campaign, title="Open day invite")
    first = ShareFactory(content_item=item, potential_reach=300)
    ShareFactory(content_item=item, potential_reach=200)
    ShareFactory(content_item=item, status="failed", potential_reach=999)
    Click.objects.create(share=first, is_bot=False, agent="browser")
    Click.objects.create(share=first, is_bot=False, agent="browser")
    Click.objects.create(share=first, is_bot=True, agent="linkedinbot")

    response = logged_in(marketing).get(reverse("campaign-detail", args=[campaign.pk]))

    page = response.content.decode()
    assert response.status_code == 200
    assert "2 of 4 shares" in page
    assert "(50%)" in page
    assert '<progress max="4" value="2"' in page
    stats = response.context["stats"]
    assert (stats["figures"].shares, stats["figures"].clicks) == (2, 2)
    assert stats["figures"].potential_reach == 500
    assert "estimated: followers at share time" in page
    assert "not available" in page  # no network reported impressions
    row = page[page.index("Open day invite") :]
    assert "<td>2</td>\n        <td>2</td>" in row


@pytest.mark.django_db
def test_an_ambassador_cannot_see_campaign_progress(policy: Any, ambassador_user: User) -> None:
    campaign = CampaignFactory()

    response = logged_in(ambassador_user).get(reverse("campaign-detail", args=[campaign.pk]))

    assert response.status_code == 404


# --- Suggestions ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_an_employee_who_never_shares_suggests_content_and_marketing_approves_it_as_a_draft(
    policy: Any, marketing: User
) -> None:
    employee = UserFactory(username="erik")  # not an ambassador (principle 1)
    topic = TopicFactory(name="Hiring")
    colleague = logged_in(employee)

    response = colleague.post(
        reverse("suggestion-create"),
        {
            "title": "We are hiring engineers",
            "url": "https://example.com/jobs",
            "note": "Three open roles in my team.",
            "caption": "Join my team! #employee",
            "topic": topic.pk,
        },
    )
    assert response.status_code == 302
    suggestion = Suggestion.objects.get(title="We are hiring engineers")
    assert suggestion.submitted_by == employee
    assert "waiting for review" in colleague.get(reverse("suggestion-create")).content.decode()

    curator = logged_in(marketing)
    assert (
        "We are hiring engineers" in curator.get(reverse("suggestion-review-list")).content.decode()
    )
    response = curator.post(
        reverse("suggestion-approve", args=[suggestion.pk]), {"note": "Great find, thanks!"}
    )

    suggestion.refresh_from_db()
    item = suggestion.content_item
    assert item is not None
    assert response.status_code == 302
    assert response.url == reverse("content-edit", args=[item.pk])
    assert (item.status, item.url, item.caption_x) == (
        ContentItem.Status.DRAFT,
        "https://example.com/jobs",
        "Join my team! #employee",
    )
    assert list(item.topics.all()) == [topic]
    assert any("added to the library as a draft" in text for text in message_texts(response))
    mine = colleague.get(reverse("suggestion-create")).content.decode()
    assert "approved" in mine
    assert "Great find, thanks!" in mine


@pytest.mark.django_db
def test_marketing_declines_a_suggestion_with_a_note_the_sender_sees(
    policy: Any, marketing: User
) -> None:
    sender = UserFactory()
    suggestion = SuggestionFactory(submitted_by=sender, title="Old news")

    response = logged_in(marketing).post(
        reverse("suggestion-reject", args=[suggestion.pk]),
        {"note": "We shared this last year already."},
        follow=True,
    )

    suggestion.refresh_from_db()
    assert suggestion.status == Suggestion.Status.REJECTED
    assert suggestion.content_item is None
    assert "“Old news” was declined" in response.content.decode()
    mine = logged_in(sender).get(reverse("suggestion-create")).content.decode()
    assert "declined" in mine
    assert "We shared this last year already." in mine


@pytest.mark.django_db
def test_a_suggestion_cannot_be_reviewed_twice(policy: Any, marketing: User) -> None:
    suggestion = SuggestionFactory(title="Twice")
    client = logged_in(marketing)
    client.post(reverse("suggestion-approve", args=[suggestion.pk]), {"note": ""})

    response = client.post(reverse("suggestion-reject", args=[suggestion.pk]), {"note": ""})

    suggestion.refresh_from_db()
    assert suggestion.status == Suggestion.Status.APPROVED
    assert ContentItem.objects.filter(title="Twice").count() == 1
    assert "This suggestion was already approved." in message_texts(response)


@pytest.mark.django_db
def test_the_review_page_lists_waiting_suggestions_first_and_escapes_what_people_wrote(
    policy: Any, marketing: User
) -> None:
    done = SuggestionFactory(title="Reviewed one", status=Suggestion.Status.REJECTED)
    SuggestionFactory(title="<script>alert(1)</script>")
    done.created_at = timezone.now() + timedelta(hours=1)  # newer, yet listed after
    done.save()

    page = logged_in(marketing).get(reverse("suggestion-review-list")).content.decode()

    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert page.index("&lt;script&gt;") < page.index("Reviewed one")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("link", "scheme"), [("javascript:alert(1)", "javascript"), ("ftp://example.com/f", "ftp")]
)
def test_a_suggestion_with_a_link_that_is_not_http_is_refused_with_the_reason(
    policy: Any, link: str, scheme: str
) -> None:
    response = logged_in(UserFactory()).post(
        reverse("suggestion-create"), {"title": "Bad link", "url": link}
    )

    assert response.status_code == 400
    page = response.content.decode()
    assert (
        f"Only http:// and https:// links can be shared (this one starts with “{scheme}:”)." in page
    )
    assert not Suggestion.objects.filter(title="Bad link").exists()


@pytest.mark.django_db
def test_my_suggestions_lists_only_my_own(policy: Any) -> None:
    me = UserFactory()
    SuggestionFactory(submitted_by=me, title="Mine")
    SuggestionFactory(title="Someone else's")

    page = logged_in(me).get(reverse("suggestion-create")).content.decode()

    assert "Mine" in page
    assert "Someone else" not in page
