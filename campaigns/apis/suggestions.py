"""/api/suggestions/: any employee suggests content; marketing approves it into the library
as a draft or declines it. Everyone else sees only their own suggestions."""

from typing import Any

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import APIView

from advocacy.models import User
from advocacy.people.permissions import IsMarketing
from advocacy.people.request import request_user
from advocacy.people.roles import is_marketing
from campaigns.models import Suggestion, Topic
from campaigns.selectors import suggestions_for
from campaigns.services import suggestion_approve, suggestion_create, suggestion_reject
from config.api.pagination import paginated_response, related_ids


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
        user = request_user(request)
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
        suggestion = suggestion_create(user=request_user(request), **serializer.validated_data)
        return Response(SuggestionSerializer(suggestion).data, status=status.HTTP_201_CREATED)


class SuggestionDetailApi(APIView):
    @extend_schema(tags=["suggestions"], responses={200: SuggestionSerializer})
    def get(self, request: Request, pk: int) -> Response:
        return Response(SuggestionSerializer(_suggestion_get(request_user(request), pk)).data)


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
        suggestion = _suggestion_get(request_user(request), pk)
        serializer = SuggestionReviewSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        suggestion_approve(
            suggestion=suggestion,
            reviewer=request_user(request),
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
        suggestion = _suggestion_get(request_user(request), pk)
        serializer = SuggestionReviewSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        suggestion = suggestion_reject(
            suggestion=suggestion,
            reviewer=request_user(request),
            note=serializer.validated_data["note"],
        )
        return Response(SuggestionSerializer(suggestion).data)
