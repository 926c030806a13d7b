from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from advocacy.models import Team, User
from campaigns.models import Campaign, ContentItem, Suggestion, Topic
from policy.captions import blocking_messages, link_findings
from policy.selectors import policy_current


def topic_create(*, name: str, description: str = "") -> Topic:
    topic = Topic(name=name.strip(), description=description)
    topic.full_clean()
    topic.save()
    return topic


def topic_update(*, topic: Topic, name: str, description: str = "") -> Topic:
    topic.name = name.strip()
    topic.description = description
    topic.full_clean()
    topic.save()
    return topic


def topic_delete(*, topic: Topic) -> None:
    # Items, interests and suggestions only lose the topic (M2M rows, SET_NULL).
    topic.delete()


@transaction.atomic
def campaign_save(
    *,
    campaign: Campaign | None = None,
    name: str,
    starts_on: date,
    ends_on: date,
    utm_campaign: str,
    goal_metric: str = Campaign.Goal.SHARES,
    goal_target: int = 100,
    spread_minutes: int = 120,
    description: str = "",
    audience: Iterable[Team] = (),
) -> Campaign:
    campaign = campaign or Campaign()
    campaign.name = name
    campaign.starts_on = starts_on
    campaign.ends_on = ends_on
    campaign.utm_campaign = utm_campaign
    campaign.goal_metric = goal_metric
    campaign.goal_target = goal_target
    campaign.spread_minutes = spread_minutes
    campaign.description = description
    campaign.full_clean()
    campaign.save()
    campaign.audience.set(list(audience))
    return campaign


@transaction.atomic
def content_item_save(
    *,
    item: ContentItem | None = None,
    user: User | None,
    title: str,
    url: str,
    description: str = "",
    caption_linkedin: str = "",
    caption_x: str = "",
    campaign: Campaign | None = None,
    topics: Iterable[Topic] = (),
    audience: Iterable[Team] = (),
    available_from: datetime | None = None,
    available_until: datetime | None = None,
    image: "File[Any] | None" = None,
) -> ContentItem:
    item = item or ContentItem(created_by=user)
    item.title = title
    item.url = url.strip()
    item.description = description
    item.caption_linkedin = caption_linkedin
    item.caption_x = caption_x
    item.campaign = campaign
    item.available_from = available_from
    item.available_until = available_until
    if image is not None:
        item.image = image
    item.full_clean()
    item.save()
    item.topics.set(list(topics))
    item.audience.set(list(audience))
    return item


@transaction.atomic
def content_item_delete(*, item: ContentItem) -> None:
    """An item that was shared is archived, never deleted: shares keep pointing at it."""
    if item.shares.exists():
        raise ValidationError(
            _("“%(title)s” has been shared, so it cannot be deleted. Archive it instead.")
            % {"title": item.title},
            code="item_shared",
        )
    item.delete()


def _check_publishable(item: ContentItem) -> None:
    policy = policy_current()
    if policy is not None:
        problems = blocking_messages(link_findings(item.url, policy))
        if problems:
            # One error per problem, each with the code: a list of plain messages would lose it.
            raise ValidationError(
                [ValidationError(message, code="domain_not_allowed") for message in problems]
            )
    if not (item.caption_linkedin or item.caption_x):
        raise ValidationError(
            _("Write at least one suggested caption before publishing."), code="no_caption"
        )


@transaction.atomic
def content_item_set_status(*, item: ContentItem, status: str) -> ContentItem:
    """draft -> in review -> published -> archived (and back to draft to rework)."""
    if status not in ContentItem.Status.values:
        raise ValidationError(_("Unknown status “%(status)s”.") % {"status": status})
    if status == ContentItem.Status.PUBLISHED:
        _check_publishable(item)
        if item.published_at is None:
            item.published_at = timezone.now()
    item.status = status
    item.full_clean()
    item.save(update_fields=["status", "published_at", "updated_at"])
    return item


def suggestion_create(
    *,
    user: User,
    title: str,
    url: str,
    note: str = "",
    caption: str = "",
    topic: Topic | None = None,
) -> Suggestion:
    suggestion = Suggestion(
        submitted_by=user, title=title, url=url.strip(), note=note, caption=caption, topic=topic
    )
    suggestion.full_clean()
    suggestion.save()
    return suggestion


def _check_pending(suggestion: Suggestion) -> None:
    if suggestion.status != Suggestion.Status.PENDING:
        raise ValidationError(
            _("This suggestion was already %(status)s.")
            % {"status": suggestion.get_status_display()},
            code="already_reviewed",
        )


@transaction.atomic
def suggestion_approve(*, suggestion: Suggestion, reviewer: User, note: str = "") -> ContentItem:
    """Approve into the library: a draft content item marketing can polish and publish."""
    suggestion = Suggestion.objects.select_for_update().get(pk=suggestion.pk)
    _check_pending(suggestion)
    fields: dict[str, Any] = {
        "caption_linkedin": suggestion.caption,
        "caption_x": suggestion.caption,
    }
    item = content_item_save(
        user=reviewer,
        title=suggestion.title,
        url=suggestion.url,
        description=suggestion.note,
        topics=[suggestion.topic] if suggestion.topic else [],
        **fields,
    )
    suggestion.status = Suggestion.Status.APPROVED
    suggestion.reviewed_by = reviewer
    suggestion.reviewed_at = timezone.now()
    suggestion.review_note = note
    suggestion.content_item = item
    suggestion.save()
    return item


@transaction.atomic
def suggestion_reject(*, suggestion: Suggestion, reviewer: User, note: str = "") -> Suggestion:
    suggestion = Suggestion.objects.select_for_update().get(pk=suggestion.pk)
    _check_pending(suggestion)
    suggestion.status = Suggestion.Status.REJECTED
    suggestion.reviewed_by = reviewer
    suggestion.reviewed_at = timezone.now()
    suggestion.review_note = note
    suggestion.save()
    return suggestion
