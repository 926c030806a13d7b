"""/api/content/<id>/variants/ and /api/variants/<id>/: marketing writes several caption
variants per network; /api/content/<id>/caption/: the caption the editor offers me (a variant
colleagues have not used yet, else the item's suggested caption)."""

from typing import Any

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from advocacy.models import Network
from advocacy.networks.rules import CAPTION_INPUT_MAX, NETWORK_RULES
from advocacy.people.permissions import IsMarketing
from advocacy.people.request import request_user
from campaigns.models import CaptionVariant, ContentItem
from campaigns.selectors import content_items_available, content_items_list
from campaigns.variants import (
    suggested_caption_for,
    variant_create,
    variant_delete,
    variant_update,
)
from config.api.pagination import related_ids


class VariantSerializer(serializers.Serializer[CaptionVariant]):
    id = serializers.IntegerField()
    item = related_ids()
    network = serializers.ChoiceField(choices=Network.choices)
    text = serializers.CharField()
    length = serializers.SerializerMethodField(
        help_text="The length the network counts, with the tracked link each share gets."
    )
    max_length = serializers.SerializerMethodField(help_text="The network's limit.")
    created_at = serializers.DateTimeField()

    def get_length(self, variant: CaptionVariant) -> int:
        return NETWORK_RULES[variant.network].caption_length(variant.text)

    def get_max_length(self, variant: CaptionVariant) -> int:
        return NETWORK_RULES[variant.network].max_length


class VariantCreateSerializer(serializers.Serializer[Any]):
    network = serializers.ChoiceField(choices=Network.choices)
    text = serializers.CharField(
        max_length=CAPTION_INPUT_MAX,
        help_text="Within the network's limit, with the tracked link.",
    )


class VariantUpdateSerializer(serializers.Serializer[Any]):
    text = serializers.CharField(
        max_length=CAPTION_INPUT_MAX,
        help_text="Within the network's limit, with the tracked link.",
    )


def _item(item_id: int) -> ContentItem:
    item = content_items_list().filter(pk=item_id).first()
    if item is None:
        raise NotFound(_("No such content item."))
    return item


def _variant(variant_id: int) -> CaptionVariant:
    variant = CaptionVariant.objects.filter(pk=variant_id).first()
    if variant is None:
        raise NotFound(_("No such caption variant."))
    return variant


class ContentVariantsApi(APIView):
    permission_classes = [IsMarketing]

    @extend_schema(
        tags=["content"],
        summary="The caption variants of a content item (marketing)",
        responses=VariantSerializer(many=True),
    )
    def get(self, request: Request, pk: int) -> Response:
        variants = _item(pk).variants.order_by("network", "pk")
        # drf-stubs type a many=True serializer's instance as one object, not a list.
        return Response(VariantSerializer(variants, many=True).data)  # type: ignore[arg-type]

    @extend_schema(
        tags=["content"],
        summary="Add a caption variant (marketing)",
        description=(
            "Each ambassador is offered the variant colleagues used least, so the company's "
            "posts do not read as a chorus. Over the network's limit: 400, code too_long."
        ),
        request=VariantCreateSerializer,
        responses={201: VariantSerializer},
    )
    def post(self, request: Request, pk: int) -> Response:
        item = _item(pk)
        serializer = VariantCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        variant = variant_create(item=item, **serializer.validated_data)
        return Response(VariantSerializer(variant).data, status=status.HTTP_201_CREATED)


class VariantDetailApi(APIView):
    permission_classes = [IsMarketing]

    @extend_schema(
        tags=["content"],
        summary="Change a caption variant's text (marketing)",
        description="Shares already made with it keep their own text.",
        request=VariantUpdateSerializer,
        responses=VariantSerializer,
    )
    def put(self, request: Request, pk: int) -> Response:
        variant = _variant(pk)
        serializer = VariantUpdateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        variant = variant_update(variant=variant, text=serializer.validated_data["text"])
        return Response(VariantSerializer(variant).data)

    @extend_schema(
        tags=["content"],
        summary="Delete a caption variant (marketing)",
        description="Shares made with it keep their text.",
        responses={204: None},
    )
    def delete(self, request: Request, pk: int) -> Response:
        variant_delete(variant=_variant(pk))
        return Response(status=status.HTTP_204_NO_CONTENT)


class CaptionQuerySerializer(serializers.Serializer[Any]):
    network = serializers.ChoiceField(choices=Network.choices)


class OfferedCaptionSerializer(serializers.Serializer[Any]):
    network = serializers.ChoiceField(choices=Network.choices)
    text = serializers.CharField(help_text="The caption to start from; make it your own.")
    variant = serializers.IntegerField(
        allow_null=True,
        help_text="The id of the caption variant offered; null = the item's suggested caption.",
    )


class ContentCaptionApi(APIView):
    @extend_schema(
        tags=["content"],
        summary="The caption offered to me for an item and network",
        description=(
            "A caption variant colleagues have not used yet (the same one on every call until "
            "that changes), else the item's suggested caption. 404 for an item not in my feed."
        ),
        parameters=[CaptionQuerySerializer],
        responses=OfferedCaptionSerializer,
    )
    def get(self, request: Request, pk: int) -> Response:
        user = request_user(request)
        query = CaptionQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        item = content_items_available(user=user).filter(pk=pk).first()
        if item is None:
            raise NotFound(_("No such content item."))
        network = query.validated_data["network"]
        text, variant = suggested_caption_for(user=user, item=item, network=network)
        data = {"network": network, "text": text, "variant": variant.pk if variant else None}
        return Response(OfferedCaptionSerializer(data).data)
