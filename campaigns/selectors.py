import math
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from advocacy.models import Share, User
from campaigns.models import Campaign, ContentItem, Suggestion, Topic

FEED_CANDIDATES = 300
FRESHNESS_HALF_LIFE_DAYS = 7.0


def _audience_q(user: User) -> Q:
    """Items for everyone, or for one of the user's teams (the item's own audience, else its
    campaign's). Written with EXISTS rather than joins, so a query ordered by publication
    time can stop after the first rows instead of joining and de-duplicating the library."""
    teams = list(user.teams.values_list("pk", flat=True))
    item_teams = ContentItem.audience.through.objects.filter(contentitem=OuterRef("pk"))
    campaign_teams = Campaign.audience.through.objects.filter(campaign=OuterRef("campaign"))
    has_item_audience = Exists(item_teams)
    return Q(Exists(item_teams.filter(team__in=teams))) | (
        ~Q(has_item_audience)
        & (
            Q(campaign__isnull=True)
            | ~Q(Exists(campaign_teams))
            | Q(Exists(campaign_teams.filter(team__in=teams)))
        )
    )


def content_items_available(*, user: User, at: datetime | None = None) -> QuerySet[ContentItem]:
    at = at or timezone.now()
    return (
        ContentItem.objects.filter(status=ContentItem.Status.PUBLISHED)
        .filter(Q(available_from__isnull=True) | Q(available_from__lte=at))
        .filter(Q(available_until__isnull=True) | Q(available_until__gt=at))
        .filter(_audience_q(user))
    )


def content_item_is_for_user(*, item: ContentItem, user: User) -> bool:
    return ContentItem.objects.filter(pk=item.pk).filter(_audience_q(user)).exists()


@dataclass(frozen=True)
class FeedEntry:
    item: ContentItem
    interest_matches: int
    score: float


def _feed_candidate_ids(user: User, at: datetime, interests: list[int]) -> set[int]:
    """The newest available items, and the newest ones matching my interests: two bounded
    queries that walk the publication order and stop at FEED_CANDIDATES, so the feed costs
    the same for a library of a hundred items or of a hundred thousand."""
    shared = Share.objects.filter(user=user, status__in=Share.LIVE_STATUSES).values("content_item")
    available = (
        content_items_available(user=user, at=at)
        .exclude(pk__in=shared)
        .order_by("-published_at", "-pk")
    )
    ids = set(available.values_list("pk", flat=True)[:FEED_CANDIDATES])
    if interests:
        topic_links = ContentItem.topics.through.objects.filter(
            contentitem=OuterRef("pk"), topic__in=interests
        )
        matching = available.filter(Exists(topic_links))
        ids.update(matching.values_list("pk", flat=True)[:FEED_CANDIDATES])
    return ids


def feed_for_user(*, user: User, at: datetime | None = None, limit: int = 50) -> list[FeedEntry]:
    """Published, available items for my teams that I have not shared yet, ranked by how many
    of my interests they match and by freshness (half-life of a week)."""
    at = at or timezone.now()
    interests = list(user.interests.values_list("pk", flat=True))
    candidates = (
        ContentItem.objects.filter(pk__in=_feed_candidate_ids(user, at, interests))
        .annotate(matches=Count("topics", filter=Q(topics__in=interests), distinct=True))
        .select_related("campaign")
        .prefetch_related("topics")
    )
    entries = []
    for item in candidates:
        age_days = max((at - (item.published_at or item.created_at)).total_seconds() / 86400, 0.0)
        freshness = math.pow(0.5, age_days / FRESHNESS_HALF_LIFE_DAYS)
        entries.append(FeedEntry(item, item.matches, item.matches + freshness))
    entries.sort(key=lambda entry: (entry.score, entry.item.pk), reverse=True)
    return entries[:limit]


def topics_list() -> QuerySet[Topic]:
    return Topic.objects.all()


def campaigns_list() -> QuerySet[Campaign]:
    return Campaign.objects.prefetch_related("audience")


def content_items_list(*, status: str | None = None) -> QuerySet[ContentItem]:
    items = ContentItem.objects.select_related("campaign").prefetch_related("topics", "audience")
    return items.filter(status=status) if status else items


def suggestions_for(*, user: User, everything: bool) -> QuerySet[Suggestion]:
    suggestions = Suggestion.objects.select_related("submitted_by", "topic", "content_item")
    return suggestions if everything else suggestions.filter(submitted_by=user)
