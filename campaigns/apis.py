"""REST API of the content library: topics, campaigns, content items, suggestions and the
ambassador's feed. Marketing writes; everyone else reads what is published for them."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import permissions, serializers, status
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import APIView

from advocacy.apis import paginated_response, related_ids
from advocacy.apis_common import IsMarketing, IsMarketingOrReadOnly
from advocacy.models import Team, User
from advocacy.networks import Network
from advocacy.roles import is_marketing, sees_everything
from advocacy.selectors import campaign_access

from .models import Campaign, ContentItem, Suggestion, Topic
from .selectors import (
    campaigns_list,
    content_items_available,
    content_items_list,
    feed_for_user,
    suggestions_for,
    topics_list,
)
from .services import (
    campaign_save,
    content_item_save,
    content_item_set_status,
    suggestion_approve,
    suggestion_create,
    suggestion_reject,
    topic_create,
)

# --- Writes without a service yet -----------------------------------------------------------
# These belong in campaigns/services.py (see the API report); they live here until moved.


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
def content_item_delete(*, item: ContentItem) -> None:
    """An item that was shared is archived, never deleted: shares keep pointing at it."""
    if item.shares.exists():
        raise ValidationError(
            _("“%(title)s” has been shared, so it cannot be deleted. Archive it instead.")
            % {"title": item.title},
            code="item_shared",
        )
    item.delete()


# --- Permissions ----------------------------------------------------------------------------


class IsMarketingOrLeadershipReadOnly(permissions.BasePermission):
    """Campaigns: marketing and leadership read, marketing writes."""

    def has_permission(self, request: Request, view: APIView) -> bool:
        user = request.user
        if not (user and user.is_authenticated):
            return False
        if request.method in permissions.SAFE_METHODS:
            self.message = _("Only marketing and leadership can see campaigns.")
            return sees_everything(user)  # type: ignore[arg-type]
        self.message = _("Only marketing can change this.")
        return is_marketing(user)  # type: ignore[arg-type]


# --- Topics ---------------------------------------------------------------------------------


class TopicSerializer(serializers.Serializer[Topic]):
    id = serializers.IntegerField()
    name = serializers.CharField()
    description = serializers.CharField()


class TopicSaveSerializer(serializers.Serializer[Any]):
    name = serializers.CharField(max_length=80)
    description = serializers.CharField(allow_blank=True, required=False, default="")


def _topic_get(topic_id: int) -> Topic:
    topic = topics_list().filter(pk=topic_id).first()
    if topic is None:
        raise NotFound(_("No such topic."))
    return topic


class TopicListApi(APIView):
    permission_classes = [IsMarketingOrReadOnly]
    pagination_class = api_settings.DEFAULT_PAGINATION_CLASS

    @extend_schema(tags=["topics"], responses={200: TopicSerializer(many=True)})
    def get(self, request: Request) -> Response:
        return paginated_response(
            request=request, view=self, queryset=topics_list(), serializer_class=TopicSerializer
        )

    @extend_schema(
        tags=["topics"],
        summary="Create a topic (marketing)",
        request=TopicSaveSerializer,
        responses={201: TopicSerializer},
    )
    def post(self, request: Request) -> Response:
        serializer = TopicSaveSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        topic = topic_create(**serializer.validated_data)
        return Response(TopicSerializer(topic).data, status=status.HTTP_201_CREATED)


class TopicDetailApi(APIView):
    permission_classes = [IsMarketingOrReadOnly]

    @extend_schema(tags=["topics"], responses={200: TopicSerializer})
    def get(self, request: Request, pk: int) -> Response:
        return Response(TopicSerializer(_topic_get(pk)).data)

    @extend_schema(
        tags=["topics"],
        summary="Rename or describe a topic (marketing)",
        request=TopicSaveSerializer,
        responses={200: TopicSerializer},
    )
    def put(self, request: Request, pk: int) -> Response:
        topic = _topic_get(pk)
        serializer = TopicSaveSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        topic = topic_update(topic=topic, **serializer.validated_data)
        return Response(TopicSerializer(topic).data)

    @extend_schema(tags=["topics"], summary="Delete a topic (marketing)", responses={204: None})
    def delete(self, request: Request, pk: int) -> Response:
        topic_delete(topic=_topic_get(pk))
        return Response(status=status.HTTP_204_NO_CONTENT)


# --- Campaigns ------------------------------------------------------------------------------


class CampaignSerializer(serializers.Serializer[Campaign]):
    id = serializers.IntegerField()
    name = serializers.CharField()
    description = serializers.CharField()
    starts_on = serializers.DateField()
    ends_on = serializers.DateField()
    audience = related_ids(many=True, help_text="Team ids; empty means everyone.")
    goal_metric = serializers.ChoiceField(choices=Campaign.Goal.choices)
    goal_target = serializers.IntegerField()
    utm_campaign = serializers.CharField()
    created_at = serializers.DateTimeField()


class CampaignSaveSerializer(serializers.Serializer[Any]):
    name = serializers.CharField(max_length=160)
    description = serializers.CharField(allow_blank=True, required=False, default="")
    starts_on = serializers.DateField()
    ends_on = serializers.DateField()
    audience = serializers.PrimaryKeyRelatedField(
        many=True, queryset=Team.objects.all(), required=False, default=list
    )
    goal_metric = serializers.ChoiceField(
        choices=Campaign.Goal.choices, required=False, default=Campaign.Goal.SHARES
    )
    goal_target = serializers.IntegerField(min_value=0, required=False, default=100)
    # Validated by the model (slug), so the message is the one the web form shows.
    utm_campaign = serializers.CharField(max_length=100)


def _campaign_fields(campaign: Campaign) -> dict[str, Any]:
    return {
        "name": campaign.name,
        "description": campaign.description,
        "starts_on": campaign.starts_on,
        "ends_on": campaign.ends_on,
        "audience": list(campaign.audience.all()),
        "goal_metric": campaign.goal_metric,
        "goal_target": campaign.goal_target,
        "utm_campaign": campaign.utm_campaign,
    }


class CampaignListApi(APIView):
    permission_classes = [IsMarketingOrLeadershipReadOnly]
    pagination_class = api_settings.DEFAULT_PAGINATION_CLASS

    @extend_schema(
        tags=["campaigns"],
        summary="Campaigns (marketing and leadership)",
        responses={200: CampaignSerializer(many=True)},
    )
    def get(self, request: Request) -> Response:
        return paginated_response(
            request=request,
            view=self,
            queryset=campaigns_list(),
            serializer_class=CampaignSerializer,
        )

    @extend_schema(
        tags=["campaigns"],
        summary="Create a campaign (marketing)",
        request=CampaignSaveSerializer,
        responses={201: CampaignSerializer},
    )
    def post(self, request: Request) -> Response:
        serializer = CampaignSaveSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        campaign = campaign_save(**serializer.validated_data)
        return Response(CampaignSerializer(campaign).data, status=status.HTTP_201_CREATED)


class CampaignDetailApi(APIView):
    permission_classes = [IsMarketingOrLeadershipReadOnly]

    @extend_schema(tags=["campaigns"], responses={200: CampaignSerializer})
    def get(self, request: Request, pk: int) -> Response:
        campaign = campaign_access(user=request.user, campaign_id=pk)  # type: ignore[arg-type]
        return Response(CampaignSerializer(campaign).data)

    def _save(self, request: Request, pk: int, *, partial: bool) -> Response:
        campaign = campaign_access(user=request.user, campaign_id=pk)  # type: ignore[arg-type]
        serializer = CampaignSaveSerializer(data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        fields = {**_campaign_fields(campaign), **serializer.validated_data}
        campaign = campaign_save(campaign=campaign, **fields)
        return Response(CampaignSerializer(campaign).data)

    @extend_schema(
        tags=["campaigns"],
        summary="Change a campaign (marketing)",
        request=CampaignSaveSerializer,
        responses={200: CampaignSerializer},
    )
    def put(self, request: Request, pk: int) -> Response:
        return self._save(request, pk, partial=False)

    @extend_schema(
        tags=["campaigns"],
        summary="Change some fields of a campaign (marketing)",
        request=CampaignSaveSerializer(partial=True),
        responses={200: CampaignSerializer},
    )
    def patch(self, request: Request, pk: int) -> Response:
        return self._save(request, pk, partial=True)


# --- Content items --------------------------------------------------------------------------


class ContentItemFieldsSerializer(serializers.Serializer[ContentItem]):
    id = serializers.IntegerField()
    title = serializers.CharField()
    url = serializers.URLField()
    description = serializers.CharField()
    image = serializers.ImageField(allow_null=True, help_text="URL of the image, or null.")
    topics = related_ids(many=True)
    campaign = related_ids(allow_null=True)
    caption_linkedin = serializers.CharField()
    caption_x = serializers.CharField()
    available_from = serializers.DateTimeField(allow_null=True)
    available_until = serializers.DateTimeField(allow_null=True)
    audience = related_ids(many=True, help_text="Team ids; empty means everyone.")
    published_at = serializers.DateTimeField(allow_null=True)


class ContentItemSerializer(ContentItemFieldsSerializer):
    status = serializers.ChoiceField(choices=ContentItem.Status.choices)


class ContentItemSaveSerializer(serializers.Serializer[Any]):
    title = serializers.CharField(max_length=200)
    # Checked by the model, which explains a javascript: or data: link in plain words.
    url = serializers.CharField(max_length=2000)
    description = serializers.CharField(allow_blank=True, required=False, default="")
    caption_linkedin = serializers.CharField(
        allow_blank=True, required=False, default="", trim_whitespace=False
    )
    caption_x = serializers.CharField(
        allow_blank=True, required=False, default="", trim_whitespace=False
    )
    campaign = serializers.PrimaryKeyRelatedField(
        queryset=Campaign.objects.all(), allow_null=True, required=False, default=None
    )
    topics = serializers.PrimaryKeyRelatedField(
        many=True, queryset=Topic.objects.all(), required=False, default=list
    )
    audience = serializers.PrimaryKeyRelatedField(
        many=True,
        queryset=Team.objects.all(),
        required=False,
        default=list,
        help_text="Team ids; empty means everyone.",
    )
    available_from = serializers.DateTimeField(allow_null=True, required=False, default=None)
    available_until = serializers.DateTimeField(allow_null=True, required=False, default=None)
    image = serializers.ImageField(
        required=False, allow_null=True, help_text="Upload with multipart/form-data."
    )


class ContentItemStatusSerializer(serializers.Serializer[Any]):
    status = serializers.CharField(
        help_text="draft, in_review, published or archived. Publishing checks the link "
        "against the policy and needs a suggested caption."
    )


class ContentListFilterSerializer(serializers.Serializer[Any]):
    status = serializers.ChoiceField(choices=ContentItem.Status.choices, required=False)


def _content_items_for(user: User) -> QuerySet[ContentItem]:
    if is_marketing(user):
        return content_items_list()
    return (
        content_items_available(user=user)
        .select_related("campaign")
        .prefetch_related("topics", "audience")
    )


def _content_item_get(user: User, item_id: int) -> ContentItem:
    item = _content_items_for(user).filter(pk=item_id).first()
    if item is None:
        raise NotFound(_("No such content item."))
    return item


def _content_item_fields(item: ContentItem) -> dict[str, Any]:
    return {
        "title": item.title,
        "url": item.url,
        "description": item.description,
        "caption_linkedin": item.caption_linkedin,
        "caption_x": item.caption_x,
        "campaign": item.campaign,
        "topics": list(item.topics.all()),
        "audience": list(item.audience.all()),
        "available_from": item.available_from,
        "available_until": item.available_until,
    }


class ContentListApi(APIView):
    permission_classes = [IsMarketingOrReadOnly]
    pagination_class = api_settings.DEFAULT_PAGINATION_CLASS

    @extend_schema(
        tags=["content"],
        summary="Content items",
        description=(
            "Marketing sees every item; everyone else sees the items published and available "
            "for them now."
        ),
        parameters=[ContentListFilterSerializer],
        responses={200: ContentItemSerializer(many=True)},
    )
    def get(self, request: Request) -> Response:
        filters = ContentListFilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        items = _content_items_for(request.user)  # type: ignore[arg-type]
        if "status" in filters.validated_data:
            items = items.filter(status=filters.validated_data["status"])
        return paginated_response(
            request=request, view=self, queryset=items, serializer_class=ContentItemSerializer
        )

    @extend_schema(
        tags=["content"],
        summary="Create a content item (marketing); it starts as a draft",
        request=ContentItemSaveSerializer,
        responses={201: ContentItemSerializer},
    )
    def post(self, request: Request) -> Response:
        serializer = ContentItemSaveSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        item = content_item_save(user=request.user, **serializer.validated_data)  # type: ignore[arg-type]
        data = ContentItemSerializer(item, context={"request": request}).data
        return Response(data, status=status.HTTP_201_CREATED)


class ContentDetailApi(APIView):
    permission_classes = [IsMarketingOrReadOnly]

    @extend_schema(tags=["content"], responses={200: ContentItemSerializer})
    def get(self, request: Request, pk: int) -> Response:
        item = _content_item_get(request.user, pk)  # type: ignore[arg-type]
        return Response(ContentItemSerializer(item, context={"request": request}).data)

    def _save(self, request: Request, pk: int, *, partial: bool) -> Response:
        item = _content_item_get(request.user, pk)  # type: ignore[arg-type]
        serializer = ContentItemSaveSerializer(data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        fields = {**_content_item_fields(item), **serializer.validated_data}
        item = content_item_save(item=item, user=request.user, **fields)  # type: ignore[arg-type]
        return Response(ContentItemSerializer(item, context={"request": request}).data)

    @extend_schema(
        tags=["content"],
        summary="Change a content item (marketing)",
        request=ContentItemSaveSerializer,
        responses={200: ContentItemSerializer},
    )
    def put(self, request: Request, pk: int) -> Response:
        return self._save(request, pk, partial=False)

    @extend_schema(
        tags=["content"],
        summary="Change some fields of a content item (marketing)",
        request=ContentItemSaveSerializer(partial=True),
        responses={200: ContentItemSerializer},
    )
    def patch(self, request: Request, pk: int) -> Response:
        return self._save(request, pk, partial=True)

    @extend_schema(
        tags=["content"],
        summary="Delete a content item that was never shared (marketing)",
        responses={204: None},
    )
    def delete(self, request: Request, pk: int) -> Response:
        content_item_delete(item=_content_item_get(request.user, pk))  # type: ignore[arg-type]
        return Response(status=status.HTTP_204_NO_CONTENT)


class ContentStatusApi(APIView):
    permission_classes = [IsMarketing]

    @extend_schema(
        tags=["content"],
        summary="Move a content item through draft, in review, published and archived",
        request=ContentItemStatusSerializer,
        responses={200: ContentItemSerializer},
    )
    def post(self, request: Request, pk: int) -> Response:
        item = _content_item_get(request.user, pk)  # type: ignore[arg-type]
        serializer = ContentItemStatusSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        item = content_item_set_status(item=item, status=serializer.validated_data["status"])
        return Response(ContentItemSerializer(item, context={"request": request}).data)


# --- Suggestions ----------------------------------------------------------------------------


class SuggestionSerializer(serializers.Serializer[Suggestion]):
    id = serializers.IntegerField()
    title = serializers.CharField()
    url = serializers.URLField()
    note = serializers.CharField()
    caption = serializers.CharField()
    topic = related_ids(allow_null=True)
    status = serializers.ChoiceField(choices=Suggestion.Status.choices)
    submitted_by = serializers.CharField(source="submitted_by.username")
    reviewed_at = serializers.DateTimeField(allow_null=True)
    review_note = serializers.CharField()
    content_item = related_ids(
        allow_null=True, help_text="The library item made from it, once approved."
    )
    created_at = serializers.DateTimeField()


class SuggestionCreateSerializer(serializers.Serializer[Any]):
    title = serializers.CharField(max_length=200)
    # Checked by the model, which explains a javascript: or data: link in plain words.
    url = serializers.CharField(max_length=2000)
    note = serializers.CharField(allow_blank=True, required=False, default="")
    caption = serializers.CharField(allow_blank=True, required=False, default="")
    topic = serializers.PrimaryKeyRelatedField(
        queryset=Topic.objects.all(), allow_null=True, required=False, default=None
    )


class SuggestionReviewSerializer(serializers.Serializer[Any]):
    note = serializers.CharField(
        allow_blank=True, required=False, default="", help_text="A note to the sender."
    )


def _suggestion_get(user: User, suggestion_id: int) -> Suggestion:
    suggestion = (
        suggestions_for(user=user, everything=is_marketing(user)).filter(pk=suggestion_id).first()
    )
    if suggestion is None:
        raise NotFound(_("No such suggestion."))
    return suggestion


class SuggestionListApi(APIView):
    pagination_class = api_settings.DEFAULT_PAGINATION_CLASS

    @extend_schema(
        tags=["suggestions"],
        summary="Suggestions: marketing sees all, everyone else their own",
        responses={200: SuggestionSerializer(many=True)},
    )
    def get(self, request: Request) -> Response:
        user: User = request.user  # type: ignore[assignment]
        return paginated_response(
            request=request,
            view=self,
            queryset=suggestions_for(user=user, everything=is_marketing(user)),
            serializer_class=SuggestionSerializer,
        )

    @extend_schema(
        tags=["suggestions"],
        summary="Suggest content for the library (any employee)",
        request=SuggestionCreateSerializer,
        responses={201: SuggestionSerializer},
    )
    def post(self, request: Request) -> Response:
        serializer = SuggestionCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        suggestion = suggestion_create(user=request.user, **serializer.validated_data)  # type: ignore[arg-type]
        return Response(SuggestionSerializer(suggestion).data, status=status.HTTP_201_CREATED)


class SuggestionDetailApi(APIView):
    @extend_schema(tags=["suggestions"], responses={200: SuggestionSerializer})
    def get(self, request: Request, pk: int) -> Response:
        return Response(SuggestionSerializer(_suggestion_get(request.user, pk)).data)  # type: ignore[arg-type]


class SuggestionApproveApi(APIView):
    permission_classes = [IsMarketing]

    @extend_schema(
        tags=["suggestions"],
        summary="Approve into the library as a draft content item (marketing)",
        description="The response's `content_item` is the id of the new draft item.",
        request=SuggestionReviewSerializer,
        responses={200: SuggestionSerializer},
    )
    def post(self, request: Request, pk: int) -> Response:
        suggestion = _suggestion_get(request.user, pk)  # type: ignore[arg-type]
        serializer = SuggestionReviewSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        suggestion_approve(
            suggestion=suggestion,
            reviewer=request.user,  # type: ignore[arg-type]
            note=serializer.validated_data["note"],
        )
        suggestion.refresh_from_db()
        return Response(SuggestionSerializer(suggestion).data)


class SuggestionRejectApi(APIView):
    permission_classes = [IsMarketing]

    @extend_schema(
        tags=["suggestions"],
        summary="Decline a suggestion, with an optional note to the sender (marketing)",
        request=SuggestionReviewSerializer,
        responses={200: SuggestionSerializer},
    )
    def post(self, request: Request, pk: int) -> Response:
        suggestion = _suggestion_get(request.user, pk)  # type: ignore[arg-type]
        serializer = SuggestionReviewSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        suggestion = suggestion_reject(
            suggestion=suggestion,
            reviewer=request.user,  # type: ignore[arg-type]
            note=serializer.validated_data["note"],
        )
        return Response(SuggestionSerializer(suggestion).data)


# --- Feed -----------------------------------------------------------------------------------


class SuggestedCaptionsSerializer(serializers.Serializer[dict[str, str]]):
    sandbox = serializers.CharField()
    linkedin = serializers.CharField()
    x = serializers.CharField()


class FeedEntrySerializer(ContentItemFieldsSerializer):
    interest_matches = serializers.SerializerMethodField(
        help_text="How many of your interests the item's topics match."
    )
    score = serializers.SerializerMethodField(help_text="Interest matches plus freshness.")
    suggested_captions = serializers.SerializerMethodField(
        help_text="Marketing's suggested caption per network: a start for your own words."
    )

    def get_interest_matches(self, item: ContentItem) -> int:
        return int(self.context["entries"][item.pk].interest_matches)

    def get_score(self, item: ContentItem) -> float:
        return round(float(self.context["entries"][item.pk].score), 4)

    @extend_schema_field(SuggestedCaptionsSerializer)
    def get_suggested_captions(self, item: ContentItem) -> dict[str, str]:
        return {network: item.suggested_caption(network) for network in Network.values}


class FeedApi(APIView):
    @extend_schema(
        tags=["feed"],
        summary="Content for you to share, best match first",
        description=(
            "Published, available items for your teams that you have not shared yet, ranked by "
            "how many of your interests they match and by freshness. At most 50."
        ),
        responses={200: FeedEntrySerializer(many=True)},
    )
    def get(self, request: Request) -> Response:
        entries = feed_for_user(user=request.user)  # type: ignore[arg-type]
        serializer = FeedEntrySerializer(
            [entry.item for entry in entries],  # type: ignore[arg-type]
            many=True,
            context={"request": request, "entries": {entry.item.pk: entry for entry in entries}},
        )
        return Response(serializer.data)
