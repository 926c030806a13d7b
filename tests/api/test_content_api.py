"""Topics, campaigns, content items, suggestions and the feed through the API.

Non-marketing writes are refused with 403 and a plain reason (the endpoints exist for
everyone; only the role is missing). An object a caller may not see answers 404.
"""

import io
from datetime import timedelta
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from campaigns.models import Campaign, ContentItem, Suggestion, Topic
from tests.api.helpers import detail
from tests.conftest import api_for
from tests.factories import (
    CampaignFactory,
    ContentItemFactory,
    ShareFactory,
    SuggestionFactory,
    TeamFactory,
    TopicFactory,
    UserFactory,
    leadership_user,
    marketing_user,
)

pytestmark = pytest.mark.django_db

ONLY_MARKETING_CHANGES = "Only marketing can change this."
ONLY_MARKETING = "Only marketing can do this."


def tiny_png() -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (2, 2), color=(10, 102, 194)).save(buffer, format="PNG")
    return SimpleUploadedFile("photo.png", buffer.getvalue(), content_type="image/png")


# --- Topics ---------------------------------------------------------------------------------


def test_everyone_lists_topics_and_marketing_manages_them(db: None) -> None:
    TopicFactory(name="Engineering")
    marketing = api_for(marketing_user())

    created = marketing.post(
        "/api/topics/", {"name": " Hiring ", "description": "Jobs"}, format="json"
    )
    assert created.status_code == 201
    topic_id = created.json()["id"]
    assert created.json() == {"id": topic_id, "name": "Hiring", "description": "Jobs"}

    listed = api_for(UserFactory()).get("/api/topics/").json()
    assert listed["count"] == 2
    assert [t["name"] for t in listed["results"]] == ["Engineering", "Hiring"]

    renamed = marketing.put(f"/api/topics/{topic_id}/", {"name": "Careers"}, format="json")
    assert renamed.status_code == 200
    assert renamed.json()["name"] == "Careers"

    assert marketing.delete(f"/api/topics/{topic_id}/").status_code == 204
    assert not Topic.objects.filter(pk=topic_id).exists()


def test_a_duplicate_topic_name_is_refused(db: None) -> None:
    TopicFactory(name="Engineering")

    response = api_for(marketing_user()).post(
        "/api/topics/", {"name": "Engineering"}, format="json"
    )

    assert response.status_code == 400
    assert detail(response) == "Topic with this Name already exists."


@pytest.mark.parametrize("method", ["post", "put", "delete"])
def test_only_marketing_changes_topics(db: None, method: str) -> None:
    topic = TopicFactory()
    path = "/api/topics/" if method == "post" else f"/api/topics/{topic.pk}/"

    response = getattr(api_for(UserFactory()), method)(path, {"name": "Mine"}, format="json")

    assert response.status_code == 403
    assert detail(response) == ONLY_MARKETING_CHANGES
    assert Topic.objects.get().name == topic.name


def test_an_unknown_topic_answers_404(db: None) -> None:
    response = api_for(UserFactory()).get("/api/topics/999999/")

    assert response.status_code == 404
    assert detail(response) == "No such topic."


# --- Campaigns ------------------------------------------------------------------------------

CAMPAIGN = {
    "name": "Spring launch",
    "starts_on": "2030-03-01",
    "ends_on": "2030-03-31",
    "goal_metric": "clicks",
    "goal_target": 500,
    "utm_campaign": "spring-launch",
}


def test_marketing_creates_and_changes_a_campaign_for_some_teams(db: None) -> None:
    team = TeamFactory()
    client = api_for(marketing_user())

    created = client.post("/api/campaigns/", {**CAMPAIGN, "audience": [team.pk]}, format="json")

    assert created.status_code == 201, created.json()
    body = created.json()
    assert body["audience"] == [team.pk]
    assert body["goal_metric"] == "clicks"
    assert body["goal_target"] == 500
    assert body["utm_campaign"] == "spring-launch"
    changed = client.patch(
        f"/api/campaigns/{body['id']}/", {"goal_target": 800, "audience": []}, format="json"
    )
    assert changed.status_code == 200
    assert changed.json()["goal_target"] == 800
    assert changed.json()["audience"] == []
    assert changed.json()["name"] == "Spring launch"


def test_leadership_reads_campaigns_but_cannot_change_them(db: None) -> None:
    campaign = CampaignFactory()
    client = api_for(leadership_user())

    listed = client.get("/api/campaigns/")
    one = client.get(f"/api/campaigns/{campaign.pk}/")
    change = client.patch(f"/api/campaigns/{campaign.pk}/", {"name": "Mine"}, format="json")

    assert listed.status_code == 200
    assert listed.json()["results"][0]["id"] == campaign.pk
    assert one.json()["name"] == campaign.name
    assert change.status_code == 403
    assert detail(change) == ONLY_MARKETING_CHANGES


def test_ambassadors_do_not_see_campaigns(ambassador_user: Any) -> None:
    campaign = CampaignFactory()
    client = api_for(ambassador_user)

    listed = client.get("/api/campaigns/")
    one = client.get(f"/api/campaigns/{campaign.pk}/")

    assert listed.status_code == one.status_code == 403
    assert detail(listed) == "Only marketing and leadership can see campaigns."


def test_a_campaign_that_ends_before_it_starts_is_refused(db: None) -> None:
    response = api_for(marketing_user()).post(
        "/api/campaigns/", {**CAMPAIGN, "ends_on": "2030-02-01"}, format="json"
    )

    assert response.status_code == 400
    assert detail(response) == "A campaign cannot end before it starts."
    assert not Campaign.objects.exists()


def test_a_campaign_with_a_bad_utm_name_is_refused(db: None) -> None:
    response = api_for(marketing_user()).post(
        "/api/campaigns/", {**CAMPAIGN, "utm_campaign": "spring launch!"}, format="json"
    )

    assert response.status_code == 400
    assert "valid “slug”" in detail(response)


# --- Content items --------------------------------------------------------------------------


def item_payload(**overrides: Any) -> dict[str, Any]:
    return {
        "title": "We opened an office in Utrecht",
        "url": "https://example.com/news/utrecht",
        "description": "Thirty new jobs.",
        "caption_linkedin": "Come and work with us in Utrecht. #employee",
        "caption_x": "Utrecht! #employee",
        **overrides,
    }


def test_marketing_creates_a_draft_item_edits_and_publishes_it(policy: Any) -> None:
    topic, team, campaign = TopicFactory(), TeamFactory(), CampaignFactory()
    client = api_for(marketing_user())

    created = client.post(
        "/api/content/",
        item_payload(topics=[topic.pk], audience=[team.pk], campaign=campaign.pk),
        format="json",
    )

    assert created.status_code == 201, created.json()
    body = created.json()
    assert body["status"] == "draft"
    assert body["published_at"] is None
    assert body["image"] is None
    assert body["topics"] == [topic.pk]
    assert body["audience"] == [team.pk]
    assert body["campaign"] == campaign.pk
    edited = client.patch(f"/api/content/{body['id']}/", {"title": "Utrecht!"}, format="json")
    assert edited.status_code == 200
    assert edited.json()["title"] == "Utrecht!"
    assert edited.json()["topics"] == [topic.pk]
    published = client.post(
        f"/api/content/{body['id']}/status/", {"status": "published"}, format="json"
    )
    assert published.status_code == 200
    assert published.json()["status"] == "published"
    assert published.json()["published_at"]


def test_marketing_uploads_an_image_with_an_item(policy: Any) -> None:
    response = api_for(marketing_user()).post(
        "/api/content/", {**item_payload(), "image": tiny_png()}, format="multipart"
    )

    assert response.status_code == 201, response.json()
    assert response.json()["image"].startswith("http://testserver/")
    assert response.json()["image"].endswith(".png")


@pytest.mark.parametrize(
    ("url", "message"),
    [
        (
            "javascript:alert(document.cookie)",
            "Only http:// and https:// links can be shared (this one starts with “javascript:”).",
        ),
        (
            "data:text/html,<script>alert(1)</script>",
            "Only http:// and https:// links can be shared (this one starts with “data:”).",
        ),
        ("https://", "This is not a valid web address."),
    ],
)
def test_an_item_with_an_unsafe_or_broken_link_is_refused(
    policy: Any, url: str, message: str
) -> None:
    response = api_for(marketing_user()).post("/api/content/", item_payload(url=url), format="json")

    assert response.status_code == 400
    assert detail(response) == message
    assert response.json()["errors"] == {"url": [message]}
    assert not ContentItem.objects.exists()


def test_an_item_whose_window_closes_before_it_opens_is_refused(policy: Any) -> None:
    response = api_for(marketing_user()).post(
        "/api/content/",
        item_payload(available_from="2030-01-02T10:00:00Z", available_until="2030-01-01T10:00Z"),
        format="json",
    )

    assert response.status_code == 400
    assert detail(response) == "The item must stay available after it becomes available."


def test_publishing_an_item_linking_outside_the_allowed_domains_is_refused(
    strict_policy: Any,
) -> None:
    item = ContentItemFactory(status="draft", url="https://evil.example/story")

    response = api_for(marketing_user()).post(
        f"/api/content/{item.pk}/status/", {"status": "published"}, format="json"
    )

    assert response.status_code == 400
    assert detail(response) == (
        "Links to evil.example are not allowed by the policy (allowed: example.com)."
    )
    assert response.json()["code"] == "domain_not_allowed"
    item.refresh_from_db()
    assert item.status == "draft"


def test_publishing_an_item_without_a_caption_or_to_an_unknown_status_is_refused(
    policy: Any,
) -> None:
    item = ContentItemFactory(status="draft", caption_linkedin="", caption_x="")
    client = api_for(marketing_user())

    no_caption = client.post(
        f"/api/content/{item.pk}/status/", {"status": "published"}, format="json"
    )
    unknown = client.post(f"/api/content/{item.pk}/status/", {"status": "live"}, format="json")

    assert no_caption.status_code == unknown.status_code == 400
    assert detail(no_caption) == "Write at least one suggested caption before publishing."
    assert no_caption.json()["code"] == "no_caption"
    assert detail(unknown) == "Unknown status “live”."


def test_ambassadors_see_only_the_items_available_for_them(ambassador_user: Any) -> None:
    now = timezone.now()
    mine = TeamFactory()
    ambassador_user.teams.add(mine)
    for_everyone = ContentItemFactory()
    for_my_team = ContentItemFactory()
    for_my_team.audience.add(mine)
    other_team = ContentItemFactory()
    other_team.audience.add(TeamFactory())
    draft = ContentItemFactory(status="draft", published_at=None)
    expired = ContentItemFactory(available_until=now - timedelta(hours=1))
    ContentItemFactory(available_from=now + timedelta(days=1))
    client = api_for(ambassador_user)

    listed = client.get("/api/content/").json()

    assert {i["id"] for i in listed["results"]} == {for_everyone.pk, for_my_team.pk}
    assert client.get(f"/api/content/{for_my_team.pk}/").status_code == 200
    for hidden in (other_team, draft, expired):
        response = client.get(f"/api/content/{hidden.pk}/")
        assert response.status_code == 404
        assert detail(response) == "No such content item."


def test_marketing_sees_every_item_and_filters_by_status(policy: Any) -> None:
    draft = ContentItemFactory(status="draft", published_at=None)
    ContentItemFactory()
    client = api_for(marketing_user())

    everything = client.get("/api/content/").json()
    drafts = client.get("/api/content/?status=draft").json()
    bad = client.get("/api/content/?status=gone")

    assert everything["count"] == 2
    assert [i["id"] for i in drafts["results"]] == [draft.pk]
    assert bad.status_code == 400
    assert detail(bad) == 'status: "gone" is not a valid choice.'


@pytest.mark.parametrize(
    ("method", "suffix", "message"),
    [
        ("post", "", ONLY_MARKETING_CHANGES),
        ("put", "{id}/", ONLY_MARKETING_CHANGES),
        ("patch", "{id}/", ONLY_MARKETING_CHANGES),
        ("delete", "{id}/", ONLY_MARKETING_CHANGES),
        ("post", "{id}/status/", ONLY_MARKETING),
    ],
)
def test_only_marketing_changes_content(
    ambassador_user: Any, method: str, suffix: str, message: str
) -> None:
    item = ContentItemFactory(title="Original")
    path = "/api/content/" + suffix.format(id=item.pk)

    response = getattr(api_for(ambassador_user), method)(
        path, item_payload(status="archived"), format="json"
    )

    assert response.status_code == 403
    assert detail(response) == message
    item.refresh_from_db()
    assert (item.title, item.status) == ("Original", "published")


def test_marketing_deletes_an_unshared_item_but_not_a_shared_one(policy: Any) -> None:
    unshared, shared = ContentItemFactory(), ContentItemFactory(title="Popular")
    ShareFactory(content_item=shared)
    client = api_for(marketing_user())

    assert client.delete(f"/api/content/{unshared.pk}/").status_code == 204
    refused = client.delete(f"/api/content/{shared.pk}/")

    assert refused.status_code == 400
    assert (
        detail(refused) == "“Popular” has been shared, so it cannot be deleted. Archive it instead."
    )
    assert refused.json()["code"] == "item_shared"
    assert ContentItem.objects.filter(pk=shared.pk).exists()
    assert not ContentItem.objects.filter(pk=unshared.pk).exists()


# --- Suggestions ----------------------------------------------------------------------------


def test_any_employee_suggests_content_and_sees_only_their_own(db: None) -> None:
    topic = TopicFactory()
    contributor = UserFactory()
    SuggestionFactory()  # someone else's
    client = api_for(contributor)

    created = client.post(
        "/api/suggestions/",
        {
            "title": "Our tech blog on queues",
            "url": "https://example.com/blog/queues",
            "note": "Engineers loved it",
            "caption": "Worth a read #employee",
            "topic": topic.pk,
        },
        format="json",
    )

    assert created.status_code == 201, created.json()
    assert created.json()["status"] == "pending"
    assert created.json()["submitted_by"] == contributor.username
    assert created.json()["content_item"] is None
    listed = client.get("/api/suggestions/").json()
    assert [s["id"] for s in listed["results"]] == [created.json()["id"]]


def test_a_suggestion_with_a_javascript_link_is_refused(db: None) -> None:
    response = api_for(UserFactory()).post(
        "/api/suggestions/",
        {"title": "Click me", "url": "javascript:alert(1)"},
        format="json",
    )

    assert response.status_code == 400
    assert detail(response) == (
        "Only http:// and https:// links can be shared (this one starts with “javascript:”)."
    )
    assert not Suggestion.objects.exists()


def test_another_persons_suggestion_answers_404(db: None) -> None:
    suggestion = SuggestionFactory()

    response = api_for(UserFactory()).get(f"/api/suggestions/{suggestion.pk}/")

    assert response.status_code == 404
    assert detail(response) == "No such suggestion."


def test_marketing_approves_a_suggestion_into_a_draft_item(policy: Any) -> None:
    suggestion = SuggestionFactory(caption="Great read #employee")
    SuggestionFactory()
    client = api_for(marketing_user())

    assert client.get("/api/suggestions/").json()["count"] == 2
    approved = client.post(
        f"/api/suggestions/{suggestion.pk}/approve/", {"note": "Thanks!"}, format="json"
    )

    assert approved.status_code == 200
    item = ContentItem.objects.get(pk=approved.json()["content_item"])
    assert item.status == "draft"
    assert item.caption_x == "Great read #employee"
    assert approved.json()["status"] == "approved"
    assert approved.json()["review_note"] == "Thanks!"
    again = client.post(f"/api/suggestions/{suggestion.pk}/approve/")
    assert again.status_code == 400
    assert detail(again) == "This suggestion was already approved."


def test_marketing_declines_a_suggestion_with_a_note(db: None) -> None:
    suggestion = SuggestionFactory()

    response = api_for(marketing_user()).post(
        f"/api/suggestions/{suggestion.pk}/reject/", {"note": "Off topic"}, format="json"
    )

    assert response.status_code == 200
    assert response.json()["status"] == "rejected"
    assert response.json()["review_note"] == "Off topic"
    assert response.json()["content_item"] is None


@pytest.mark.parametrize("action", ["approve", "reject"])
def test_only_marketing_reviews_suggestions(db: None, action: str) -> None:
    contributor = UserFactory()
    suggestion = SuggestionFactory(submitted_by=contributor)

    response = api_for(contributor).post(f"/api/suggestions/{suggestion.pk}/{action}/")

    assert response.status_code == 403
    assert detail(response) == ONLY_MARKETING
    suggestion.refresh_from_db()
    assert suggestion.status == "pending"


# --- Feed -----------------------------------------------------------------------------------


def test_the_feed_ranks_by_interest_and_leaves_out_what_i_shared(ambassador_user: Any) -> None:
    topic = TopicFactory()
    ambassador_user.interests.add(topic)
    plain = ContentItemFactory(caption_linkedin="", caption_x="Short and sweet #employee")
    matching = ContentItemFactory(
        published_at=timezone.now() - timedelta(days=3),
        caption_linkedin="A longer note for LinkedIn #employee",
    )
    matching.topics.add(topic)
    shared = ContentItemFactory()
    ShareFactory(user=ambassador_user, content_item=shared)

    response = api_for(ambassador_user).get("/api/feed/")

    assert response.status_code == 200
    entries = response.json()
    assert [e["id"] for e in entries] == [matching.pk, plain.pk]
    assert entries[0]["interest_matches"] == 1
    assert entries[1]["interest_matches"] == 0
    assert entries[0]["score"] > entries[1]["score"]
    assert entries[0]["topics"] == [topic.pk]
    assert entries[1]["suggested_captions"] == {
        "sandbox": "Short and sweet #employee",
        "linkedin": "Short and sweet #employee",
        "x": "Short and sweet #employee",
    }
    assert entries[0]["suggested_captions"]["linkedin"] == "A longer note for LinkedIn #employee"
