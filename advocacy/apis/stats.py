"""The figures behind "my impact" (the team, campaign and organisation reports are in
reports.apis). Every figure says whether it is measured or estimated; a figure no network
reported is null, never 0."""

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from advocacy.selectors import Figures, stats_for_user

from .shares import ShareSerializer

MEASURED = "measured"
ESTIMATED = "estimated"


class FigureSerializer(serializers.Serializer[Any]):
    value = serializers.IntegerField(allow_null=True, help_text="Null when not available.")
    kind = serializers.ChoiceField(
        choices=[(MEASURED, MEASURED), (ESTIMATED, ESTIMATED)],
        help_text="Measured (counted by us or reported by the network) or estimated.",
    )
    available = serializers.BooleanField(
        help_text="False when no network reported this figure (it is not zero)."
    )


class FiguresSerializer(serializers.Serializer[Any]):
    shares = FigureSerializer(help_text="Published shares.")
    clicks = FigureSerializer(help_text="Tracked-link clicks by people.")
    bot_visits = FigureSerializer(help_text="Link-preview bots and crawlers, counted apart.")
    potential_reach = FigureSerializer(help_text="Followers at share time: an estimate.")
    impressions = FigureSerializer()
    engagements = FigureSerializer(help_text="Reactions, comments and reposts.")


def _figure(value: int | None, kind: str = MEASURED) -> dict[str, Any]:
    return {"value": value, "kind": kind, "available": value is not None}


def _figures(figures: Figures) -> dict[str, Any]:
    return {
        "shares": _figure(figures.shares),
        "clicks": _figure(figures.clicks),
        "bot_visits": _figure(figures.bot_visits),
        "potential_reach": _figure(figures.potential_reach, ESTIMATED),
        "impressions": _figure(figures.impressions),
        "engagements": _figure(figures.engagements),
    }


class StatsMeSerializer(serializers.Serializer[Any]):
    figures = FiguresSerializer()
    by_status = serializers.DictField(
        child=serializers.IntegerField(), help_text="Number of your shares per status."
    )
    best_shares = ShareSerializer(many=True, help_text="Your published shares with most clicks.")


class ItemStatsSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    title = serializers.CharField()
    share_count = serializers.IntegerField(help_text="Published shares.")
    click_count = serializers.IntegerField(help_text="Clicks by people.")


class StatsMeApi(APIView):
    @extend_schema(
        tags=["stats"],
        summary="My impact",
        description=(
            "Every figure says whether it is measured or estimated; a figure no network "
            "reported is {value: null, available: false}, never 0."
        ),
        responses=StatsMeSerializer,
    )
    def get(self, request: Request) -> Response:
        stats = stats_for_user(user=request.user)  # type: ignore[arg-type]
        data = {**stats, "figures": _figures(stats["figures"])}
        return Response(StatsMeSerializer(data).data)
