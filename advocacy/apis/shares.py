"""/api/shares/: sharing a content item now, your shares with their measured figures, and
cancelling one. Another person's share answers 404."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import APIView

from advocacy.models import Share, User
from advocacy.networks import Network, tracked_url
from advocacy.selectors import share_access, shares_for_user
from advocacy.services import share_cancel, share_create
from campaigns.models import ContentItem

from .common import paginated_response, related_ids


class ShareSerializer(serializers.Serializer[Share]):
    id = serializers.IntegerField()
    status = serializers.ChoiceField(choices=Share.Status.choices)
    network = serializers.ChoiceField(choices=Network.choices)
    content_item = related_ids()
    content_title = serializers.CharField(source="content_item.title")
    text = serializers.CharField(help_text="Your caption; the tracked link is added when posted.")
    tracked_url = serializers.SerializerMethodField(
        help_text="This share's own link: it counts clicks and redirects to the content."
    )
    external_url = serializers.CharField(help_text="The post on the network, once published.")
    error = serializers.CharField(help_text="Why it failed or was cancelled, in plain words.")
    scheduled_at = serializers.DateTimeField()
    published_at = serializers.DateTimeField(allow_null=True)
    created_at = serializers.DateTimeField()
    policy_version = serializers.IntegerField(
        source="policy_version.number", help_text="The policy version it was shared under."
    )
    potential_reach = serializers.IntegerField(
        allow_null=True, help_text="Estimated: followers of the account at share time."
    )
    clicks = serializers.IntegerField(
        source="human_clicks", help_text="Measured: clicks by people (link-preview bots excluded)."
    )
    impressions = serializers.IntegerField(
        allow_null=True, help_text="As reported by the network; null = not available."
    )
    reactions = serializers.IntegerField(
        allow_null=True, help_text="As reported by the network; null = not available."
    )

    def get_tracked_url(self, share: Share) -> str:
        return tracked_url(share.code)


class ShareCreateSerializer(serializers.Serializer[Any]):
    content_item = serializers.IntegerField(help_text="The id of a content item from your feed.")
    network = serializers.ChoiceField(choices=Network.choices)
    text = serializers.CharField(
        allow_blank=True, trim_whitespace=False, help_text="Your caption, in your own words."
    )


class ShareListFilterSerializer(serializers.Serializer[Any]):
    status = serializers.ChoiceField(choices=Share.Status.choices, required=False)


def _shares(user: User) -> QuerySet[Share]:
    # Explicit order: Meta.ordering is not applied to the grouped (annotated) query.
    return (
        shares_for_user(user=user).select_related("policy_version").order_by("-created_at", "-id")
    )


def _share_data(user: User, share: Share) -> dict[str, Any]:
    """The share with its measured figures (clicks, latest network metrics)."""
    return ShareSerializer(_shares(user).get(pk=share.pk)).data  # type: ignore[return-value]


class ShareListApi(APIView):
    pagination_class = api_settings.DEFAULT_PAGINATION_CLASS

    @extend_schema(
        tags=["shares"],
        summary="Your shares, newest first",
        parameters=[ShareListFilterSerializer],
        responses=ShareSerializer(many=True),
    )
    def get(self, request: Request) -> Response:
        filters = ShareListFilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        shares = _shares(request.user)  # type: ignore[arg-type]
        if "status" in filters.validated_data:
            shares = shares.filter(status=filters.validated_data["status"])
        return paginated_response(
            request=request, view=self, queryset=shares, serializer_class=ShareSerializer
        )

    @extend_schema(
        tags=["shares"],
        summary="Share a content item now",
        description=(
            "Checks every rule (opted in, current policy acknowledged, item available, account "
            "connected, not shared before, caption within the policy, daily maximum, sharing "
            "hours) and answers 400 with the reason when one fails. The worker then posts it."
        ),
        request=ShareCreateSerializer,
        responses={201: ShareSerializer},
    )
    def post(self, request: Request) -> Response:
        serializer = ShareCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        # Any existing item: share_create explains why a draft, expired or not-yet-available
        # item cannot be shared, which is more useful than "not found".
        item = ContentItem.objects.filter(pk=data["content_item"]).first()
        if item is None:
            raise ValidationError(_("No such content item."), code="no_such_item")
        user: User = request.user  # type: ignore[assignment]
        share = share_create(user=user, item=item, network=data["network"], text=data["text"])
        return Response(_share_data(user, share), status=status.HTTP_201_CREATED)


class ShareDetailApi(APIView):
    @extend_schema(tags=["shares"], responses=ShareSerializer)
    def get(self, request: Request, pk: int) -> Response:
        user: User = request.user  # type: ignore[assignment]
        return Response(_share_data(user, share_access(user=user, share_id=pk)))


class ShareCancelApi(APIView):
    @extend_schema(
        tags=["shares"],
        summary="Cancel a share that has not started publishing",
        request=None,
        responses=ShareSerializer,
    )
    def post(self, request: Request, pk: int) -> Response:
        user: User = request.user  # type: ignore[assignment]
        share = share_cancel(share=share_access(user=user, share_id=pk))
        return Response(_share_data(user, share))
