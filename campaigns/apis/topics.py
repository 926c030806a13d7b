"""/api/topics/: the topics content is filed under. Everyone reads; marketing writes."""

from typing import Any

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import APIView

from advocacy.people.permissions import IsMarketingOrReadOnly
from campaigns.models import Topic
from campaigns.selectors import topics_list
from campaigns.services import topic_create, topic_delete, topic_update
from config.api.pagination import paginated_response


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
