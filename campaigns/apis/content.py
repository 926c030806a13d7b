"""/api/content/: the content library. Marketing sees and writes every item; everyone else
reads the items published and available for them now."""

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import APIView

from advocacy.models import Team, User
from advocacy.people.permissions import IsMarketing, IsMarketingOrReadOnly
from advocacy.people.request import request_user
from advocacy.people.roles import is_marketing
from campaigns.models import Campaign, ContentItem, Topic
from campaigns.selectors import content_items_available, content_items_list
from campaigns.services import content_item_delete, content_item_save, content_item_set_status
from config.api.pagination import paginated_response, related_ids


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
        items = _content_items_for(request_user(request))
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
        item = content_item_save(user=request_user(request), **serializer.validated_data)
        data = ContentItemSerializer(item, context={"request": request}).data
        return Response(data, status=status.HTTP_201_CREATED)


class ContentDetailApi(APIView):
    permission_classes = [IsMarketingOrReadOnly]

    @extend_schema(tags=["content"], responses={200: ContentItemSerializer})
    def get(self, request: Request, pk: int) -> Response:
        item = _content_item_get(request_user(request), pk)
        return Response(ContentItemSerializer(item, context={"request": request}).data)

    def _save(self, request: Request, pk: int, *, partial: bool) -> Response:
        item = _content_item_get(request_user(request), pk)
        serializer = ContentItemSaveSerializer(data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        fields = {**_content_item_fields(item), **serializer.validated_data}
        item = content_item_save(item=item, user=request_user(request), **fields)
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
        content_item_delete(item=_content_item_get(request_user(request), pk))
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
        item = _content_item_get(request_user(request), pk)
        serializer = ContentItemStatusSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        item = content_item_set_status(item=item, status=serializer.validated_data["status"])
        return Response(ContentItemSerializer(item, context={"request": request}).data)
