"""The content library's writes, called directly: topics, deleting items, publishing and
reviewing suggestions. Every refusal is a ValidationError with a message and a code."""

from typing import Any

import pytest
from django.core.exceptions import ValidationError

from campaigns.models import ContentItem, Suggestion, Topic
from campaigns.services import (
    content_item_delete,
    content_item_set_status,
    suggestion_approve,
    suggestion_reject,
    topic_delete,
    topic_update,
)
from tests.factories import (
    ContentItemFactory,
    PolicyVersionFactory,
    ShareFactory,
    SuggestionFactory,
    TopicFactory,
    UserFactory,
    marketing_user,
)

pytestmark = pytest.mark.django_db


def codes(error: ValidationError) -> list[str | None]:
    return [e.code for e in error.error_list]


# --- Topics ---------------------------------------------------------------------------------


def test_topic_update_renames_trims_and_describes_a_topic() -> None:
    topic = TopicFactory(name="Jobs")

    topic_update(topic=topic, name="  Careers  ", description="Open positions.")

    topic.refresh_from_db()
    assert (topic.name, topic.description) == ("Careers", "Open positions.")


def test_topic_update_refuses_the_name_of_another_topic() -> None:
    TopicFactory(name="Engineering")
    topic = TopicFactory(name="Jobs")

    with pytest.raises(ValidationError) as refused:
        topic_update(topic=topic, name="Engineering")

    assert refused.value.message_dict == {"name": ["Topic with this Name already exists."]}
    topic.refresh_from_db()
    assert topic.name == "Jobs"


def test_topic_delete_leaves_items_interests_and_suggestions_in_place() -> None:
    topic = TopicFactory()
    item = ContentItemFactory()
    item.topics.set([topic])
    user = UserFactory()
    user.interests.set([topic])
    suggestion = SuggestionFactory(topic=topic)

    topic_delete(topic=topic)

    assert not Topic.objects.exists()
    assert list(item.topics.all()) == []
    assert list(user.interests.all()) == []
    suggestion.refresh_from_db()
    assert suggestion.topic is None


# --- Content items --------------------------------------------------------------------------


def test_content_item_delete_deletes_an_item_that_was_never_shared() -> None:
    item = ContentItemFactory()

    content_item_delete(item=item)

    assert not ContentItem.objects.exists()


def test_content_item_delete_refuses_an_item_that_was_shared() -> None:
    item = ContentItemFactory(title="Popular")
    ShareFactory(content_item=item)

    with pytest.raises(ValidationError) as refused:
        content_item_delete(item=item)

    assert refused.value.messages == [
        "“Popular” has been shared, so it cannot be deleted. Archive it instead."
    ]
    assert refused.value.code == "item_shared"
    assert ContentItem.objects.filter(pk=item.pk).exists()


def test_publishing_refuses_a_link_outside_the_allowed_domains() -> None:
    PolicyVersionFactory(allowed_domains=["example.com"])
    item = ContentItemFactory(status="draft", published_at=None, url="https://other.org/a")

    with pytest.raises(ValidationError) as refused:
        content_item_set_status(item=item, status=ContentItem.Status.PUBLISHED)

    assert refused.value.messages == [
        "Links to other.org are not allowed by the policy (allowed: example.com)."
    ]
    assert codes(refused.value) == ["domain_not_allowed"]
    item.refresh_from_db()
    assert (item.status, item.published_at) == ("draft", None)


def test_publishing_refuses_an_item_without_a_suggested_caption() -> None:
    PolicyVersionFactory()
    item = ContentItemFactory(status="draft", published_at=None, caption_linkedin="", caption_x="")

    with pytest.raises(ValidationError) as refused:
        content_item_set_status(item=item, status=ContentItem.Status.PUBLISHED)

    assert refused.value.messages == ["Write at least one suggested caption before publishing."]
    assert refused.value.code == "no_caption"
    item.refresh_from_db()
    assert item.status == "draft"


def test_publishing_an_allowed_item_with_a_caption_sets_the_publication_time() -> None:
    PolicyVersionFactory(allowed_domains=["example.com"])
    item = ContentItemFactory(status="draft", published_at=None)

    content_item_set_status(item=item, status=ContentItem.Status.PUBLISHED)

    item.refresh_from_db()
    assert item.status == "published"
    assert item.published_at is not None


# --- Suggestions ----------------------------------------------------------------------------


@pytest.fixture
def reviewer(db: None) -> Any:
    return marketing_user()


def test_approving_a_suggestion_twice_is_refused(reviewer: Any) -> None:
    suggestion = SuggestionFactory(title="Our new office")
    item = suggestion_approve(suggestion=suggestion, reviewer=reviewer)

    with pytest.raises(ValidationError) as refused:
        suggestion_approve(suggestion=suggestion, reviewer=reviewer)

    assert refused.value.messages == ["This suggestion was already approved."]
    assert refused.value.code == "already_reviewed"
    assert list(ContentItem.objects.all()) == [item]
    assert (item.title, item.status) == ("Our new office", "draft")


def test_rejecting_a_suggestion_twice_is_refused(reviewer: Any) -> None:
    suggestion = SuggestionFactory()
    suggestion_reject(suggestion=suggestion, reviewer=reviewer, note="Not for us.")

    with pytest.raises(ValidationError) as refused:
        suggestion_reject(suggestion=suggestion, reviewer=reviewer, note="Again.")

    assert refused.value.messages == ["This suggestion was already declined."]
    assert refused.value.code == "already_reviewed"
    suggestion.refresh_from_db()
    assert (suggestion.status, suggestion.review_note) == (
        Suggestion.Status.REJECTED,
        "Not for us.",
    )


def test_a_declined_suggestion_cannot_be_approved_after_all(reviewer: Any) -> None:
    suggestion = SuggestionFactory()
    suggestion_reject(suggestion=suggestion, reviewer=reviewer)

    with pytest.raises(ValidationError) as refused:
        suggestion_approve(suggestion=suggestion, reviewer=reviewer)

    assert refused.value.code == "already_reviewed"
    assert not ContentItem.objects.exists()
