"""/api/shares/: sharing a content item now or later (with your own photo, if you like), your
shares with their measured figures, changing a scheduled one, sending it now, and cancelling
it. Another person's share, or its photo, answers 404."""

from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import QuerySet
from django.http import FileResponse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import APIView

from advocacy.models import NetworkAccount, Share, User
from advocacy.people.access import share_access, share_photo_access
from advocacy.people.request import request_user
from advocacy.publishing.reconcile import share_confirm
from advocacy.sharing.apis.share_serializers import (
    ShareCreateSerializer,
    ShareSerializer,
    ShareUpdateSerializer,
)
from advocacy.sharing.photos import PreparedPhoto, photo_check, photo_prepare, share_photo_set
from advocacy.sharing.scheduling import local_to_utc, share_now, share_schedule, share_update
from advocacy.sharing.selectors import shares_for_user
from advocacy.sharing.shares import share_cancel, share_create
from advocacy.sharing.views.photos import photo_response
from campaigns.models import ContentItem
from config.api.pagination import paginated_response


def _photo(
    upload: "UploadedFile[bytes] | None", user: User, network: str, share: Share | None = None
) -> PreparedPhoto | None:
    """The uploaded photo, re-encoded and checked for the network and the account."""
    if upload is None:
        return None
    account = (
        share.account
        if share is not None
        else NetworkAccount.objects.filter(user=user, network=network).first()
    )
    photo = photo_prepare(upload=upload)
    photo_check(photo=photo, network=network, account=account)
    return photo


def _moment(user: User, data: dict[str, Any]) -> datetime | None:
    """The moment asked for, read in the caller's own zone; None when none was given."""
    if "scheduled_for" not in data:
        return None
    return local_to_utc(
        local=data["scheduled_for"], time_zone=user.time_zone, fold=data.get("fold")
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
    return ShareSerializer(_shares(user).get(pk=share.pk)).data


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
        shares = _shares(request_user(request))
        if "status" in filters.validated_data:
            shares = shares.filter(status=filters.validated_data["status"])
        return paginated_response(
            request=request, view=self, queryset=shares, serializer_class=ShareSerializer
        )

    @extend_schema(
        tags=["shares"],
        summary="Share a content item now, or later",
        description=(
            "Checks every rule (opted in, current policy acknowledged, item available, account "
            "connected, not shared before, caption within the policy, daily maximum, sharing "
            "hours) and answers 400 with the reason and a code when one fails. Without "
            "scheduled_for the worker posts it now. With scheduled_for it is scheduled: a time "
            "in the past (time_in_past), after the item stops being available "
            "(after_availability), in the hour skipped by a DST change (nonexistent_time) or in "
            "the repeated hour without fold (ambiguous_time) is refused; outside the sharing "
            "hours or on a full day it is moved, and scheduled_at and schedule_notice say so."
        ),
        request={
            "application/json": ShareCreateSerializer,
            "multipart/form-data": ShareCreateSerializer,
        },
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
        user = request_user(request)
        when = _moment(user, data)
        photo = _photo(data.get("photo"), user, data["network"])
        # One transaction: the worker is handed the share only once its photo is attached.
        with transaction.atomic():
            if when is None:
                share = share_create(
                    user=user, item=item, network=data["network"], text=data["text"]
                )
            else:
                share = share_schedule(
                    user=user, item=item, network=data["network"], text=data["text"], when=when
                )
            if photo is not None:
                share = share_photo_set(share=share, photo=photo)
        return Response(_share_data(user, share), status=status.HTTP_201_CREATED)


class ShareDetailApi(APIView):
    @extend_schema(tags=["shares"], responses=ShareSerializer)
    def get(self, request: Request, pk: int) -> Response:
        user = request_user(request)
        return Response(_share_data(user, share_access(user=user, share_id=pk)))

    @extend_schema(
        tags=["shares"],
        summary="Change the text or time of a scheduled share",
        description=(
            "Only until it starts publishing (else 400, code not_editable). The new text and "
            "time pass the same checks as a new share; a share on hold (held_reason) is "
            "released when its new text passes the current policy."
        ),
        request={
            "application/json": ShareUpdateSerializer,
            "multipart/form-data": ShareUpdateSerializer,
        },
        responses=ShareSerializer,
    )
    def patch(self, request: Request, pk: int) -> Response:
        user = request_user(request)
        share = share_access(user=user, share_id=pk)
        serializer = ShareUpdateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        photo = _photo(data.get("photo"), user, share.network, share)
        with transaction.atomic():
            if "text" in data or "scheduled_for" in data:
                share = share_update(share=share, text=data.get("text"), when=_moment(user, data))
            if photo is not None or data.get("remove_photo"):
                # Only until it starts publishing: a published share's photo cannot change.
                share = share_photo_set(share=share, photo=photo)
        return Response(_share_data(user, share))


class ShareNowApi(APIView):
    @extend_schema(
        tags=["shares"],
        summary="Send a scheduled or queued share now",
        description="Under the rules for sharing now (daily maximum, sharing hours).",
        request=None,
        responses=ShareSerializer,
    )
    def post(self, request: Request, pk: int) -> Response:
        user = request_user(request)
        share = share_now(share=share_access(user=user, share_id=pk))
        return Response(_share_data(user, share))


class ShareCancelApi(APIView):
    @extend_schema(
        tags=["shares"],
        summary="Cancel a share that has not started publishing",
        request=None,
        responses=ShareSerializer,
    )
    def post(self, request: Request, pk: int) -> Response:
        user = request_user(request)
        share = share_cancel(share=share_access(user=user, share_id=pk))
        return Response(_share_data(user, share))


class ShareConfirmSerializer(serializers.Serializer[Any]):
    appeared = serializers.BooleanField(
        help_text="true: the post is on your profile; false: it is not (it is posted again)."
    )
    post_url = serializers.URLField(
        required=False, allow_blank=True, help_text="Where the post is, if you know."
    )


class ShareConfirmApi(APIView):
    @extend_schema(
        tags=["shares"],
        summary="Answer “did this appear?” for a share whose outcome is unknown",
        description=(
            "A network that did not confirm a post and offers no way to look it up (LinkedIn) "
            "asks the ambassador. Answering yes marks it published; no posts it again."
        ),
        request=ShareConfirmSerializer,
        responses=ShareSerializer,
    )
    def post(self, request: Request, pk: int) -> Response:
        user = request_user(request)
        share = share_access(user=user, share_id=pk)
        serializer = ShareConfirmSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        share = share_confirm(
            share=share,
            appeared=serializer.validated_data["appeared"],
            post_url=serializer.validated_data.get("post_url", ""),
        )
        return Response(_share_data(user, share))


class ImageRenderer(BaseRenderer):
    """Lets a client that accepts only images ask for a photo; the view answers with the
    stored file itself."""

    media_type = "image/*"
    format = "image"

    def render(
        self, data: Any, accepted_media_type: str | None = None, renderer_context: Any = None
    ) -> bytes:
        return b""


class SharePhotoApi(APIView):
    renderer_classes = [JSONRenderer, ImageRenderer]

    @extend_schema(
        tags=["shares"],
        summary="The photo of a share",
        description=(
            "The re-encoded photo (JPEG or PNG, without EXIF). Served to the share's owner and "
            "to marketing; anyone else, or a share without a photo, gets 404."
        ),
        responses={
            (200, "image/jpeg"): OpenApiResponse(OpenApiTypes.BINARY),
            (200, "image/png"): OpenApiResponse(OpenApiTypes.BINARY),
        },
    )
    def get(self, request: Request, pk: int) -> FileResponse:
        user = request_user(request)
        return photo_response(share_photo_access(user=user, share_id=pk).photo)
