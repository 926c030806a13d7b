"""/api/feed/: the ambassador's feed, the items to share ranked by interest and freshness."""

from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from advocacy.models import Network
from advocacy.people.request import request_user
from campaigns.apis.content import ContentItemFieldsSerializer
from campaigns.models import ContentItem
from campaigns.selectors import feed_for_user


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
        entries = feed_for_user(user=request_user(request))
        serializer = FeedEntrySerializer(
            # drf-stubs type a many=True serializer's instance as one object, not a list.
            [entry.item for entry in entries],  # type: ignore[arg-type]
            many=True,
            context={"request": request, "entries": {entry.item.pk: entry for entry in entries}},
        )
        return Response(serializer.data)
