"""The figures behind "my impact" (the team, campaign and organisation reports are in
reports.apis). Every figure says whether it is measured or estimated; a figure no network
reported is null, never 0."""

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from advocacy.people.request import request_user
from advocacy.reach.selectors import Figures, stats_for_user
from advocacy.sharing.apis.share_serializers import ShareSerializer
from reports.apis.figures import ESTIMATED, FigureSerializer, figure_data
from reports.selectors.figures import Totals
from reports.selectors.impact import Impact, my_impact, points_of


class FiguresSerializer(serializers.Serializer[Any]):
    shares = FigureSerializer(help_text="Published shares.")
    clicks = FigureSerializer(help_text="Tracked-link clicks by people.")
    bot_visits = FigureSerializer(help_text="Link-preview bots and crawlers, counted apart.")
    potential_reach = FigureSerializer(help_text="Followers at share time: an estimate.")
    impressions = FigureSerializer()
    engagements = FigureSerializer(help_text="Reactions, comments and reposts.")


def _figures(figures: Figures) -> dict[str, Any]:
    return {
        "shares": figure_data(figures.shares),
        "clicks": figure_data(figures.clicks),
        "bot_visits": figure_data(figures.bot_visits),
        "potential_reach": figure_data(figures.potential_reach, ESTIMATED),
        "impressions": figure_data(figures.impressions),
        "engagements": figure_data(figures.engagements),
    }


IMPACT_GROUPS = ("day", "network", "item")


class ImpactQuerySerializer(serializers.Serializer[Any]):
    period = serializers.IntegerField(
        min_value=1, max_value=366, required=False, help_text="Days, up to today (default 30)."
    )
    group = serializers.ChoiceField(
        choices=IMPACT_GROUPS,
        required=False,
        help_text="Also return your figures per day, network or content item.",
    )


class ImpactChangeSerializer(serializers.Serializer[Any]):
    percent = serializers.IntegerField(
        allow_null=True, help_text="Change against the previous period; null when unknown."
    )
    direction = serializers.ChoiceField(choices=["up", "down", "same"])


class ImpactPointsSerializer(serializers.Serializer[Any]):
    period = serializers.IntegerField()
    previous = serializers.IntegerField(help_text="The period of the same length before it.")
    all_time = serializers.IntegerField()
    per_share = serializers.IntegerField(help_text="Set by marketing, as the leaderboard.")
    per_click = serializers.IntegerField()
    per_engagement = serializers.IntegerField()


class ImpactShareSerializer(serializers.Serializer[Any]):
    share_id = serializers.IntegerField(allow_null=True, help_text="Null when since removed.")
    content_item = serializers.IntegerField()
    title = serializers.CharField()
    network = serializers.CharField()
    figures = FiguresSerializer(help_text="In the period.")
    points = serializers.IntegerField()


class ImpactTipSerializer(serializers.Serializer[Any]):
    kind = serializers.ChoiceField(choices=["network", "content", "caption", "timing"])
    text = serializers.CharField(help_text="A pattern of colleagues' top shares; never a name.")


class ImpactGroupSerializer(serializers.Serializer[Any]):
    key = serializers.CharField(help_text="The day (ISO date), the network or the item id.")
    name = serializers.CharField(help_text="The day, the network's or the item's name.")
    figures = FiguresSerializer()
    points = serializers.IntegerField()


class StatsMeSerializer(serializers.Serializer[Any]):
    figures = FiguresSerializer(help_text="All time, up to the minute (your own shares).")
    by_status = serializers.DictField(
        child=serializers.IntegerField(), help_text="Number of your shares per status."
    )
    best_shares = ShareSerializer(many=True, help_text="Your published shares with most clicks.")
    days = serializers.IntegerField()
    since = serializers.DateField(help_text="First day of the period (local calendar day).")
    until = serializers.DateField(help_text="Last day of the period, inclusive.")
    counted_at = serializers.DateTimeField(
        allow_null=True, help_text="When the daily figures were last counted (every few minutes)."
    )
    period = FiguresSerializer(help_text="The period, from the daily figures.")
    previous = FiguresSerializer(help_text="The period of the same length before it.")
    changes = serializers.DictField(child=ImpactChangeSerializer())
    points = ImpactPointsSerializer()
    top_shares = ImpactShareSerializer(
        many=True, help_text="Your shares with most clicks, then engagements, in the period."
    )
    tips = ImpactTipSerializer(
        many=True, help_text="What worked for colleagues in the period, without names."
    )
    group = serializers.CharField(required=False, help_text="The ?group= asked for.")
    groups = ImpactGroupSerializer(many=True, required=False)


def _totals(totals: Totals) -> dict[str, Any]:
    return _figures(
        Figures(
            shares=totals.shares,
            clicks=totals.clicks,
            bot_visits=totals.bot_clicks,
            potential_reach=totals.known_reach,
            impressions=totals.impressions,
            engagements=totals.engagements,
        )
    )


def _impact(impact: Impact) -> dict[str, Any]:
    rule = impact.points.rule
    return {
        "days": impact.period.days,
        "since": impact.period.since,
        "until": impact.period.until,
        "counted_at": impact.built_at,
        "period": _totals(impact.totals),
        "previous": _totals(impact.previous),
        "changes": {
            name: {"percent": change.percent, "direction": change.direction}
            for name, change in impact.changes.items()
        },
        "points": {
            "period": impact.points.current,
            "previous": impact.points.previous,
            "all_time": impact.points.all_time,
            "per_share": rule.per_share,
            "per_click": rule.per_click,
            "per_engagement": rule.per_engagement,
        },
        "top_shares": [
            {
                "share_id": row.share_id,
                "content_item": row.content_item_id,
                "title": row.title,
                "network": row.network,
                "figures": _totals(row.totals),
                "points": row.points,
            }
            for row in impact.best_shares
        ],
        "tips": impact.tips,
    }


def _impact_groups(impact: Impact, group: str) -> list[dict[str, Any]]:
    if group == "day":
        rows = [(row["day"].isoformat(), row["day"].isoformat(), row) for row in impact.days]
    elif group == "network":
        rows = [(row["network"], str(row["label"]), row) for row in impact.networks]
    else:
        rows = [
            (str(row["content_item_id"]), row["content_item__title"], row) for row in impact.items
        ]
    return [
        {
            "key": key,
            "name": name,
            "figures": _totals(row["totals"]),
            "points": points_of(row["totals"], impact.points.rule),
        }
        for key, name, row in rows
    ]


class StatsMeApi(APIView):
    @extend_schema(
        tags=["stats"],
        summary="My impact: your figures, points, best shares and colleagues' tips",
        description=(
            "Your own figures only. `figures`, `by_status` and `best_shares` are all time and "
            "up to the minute; the rest is for the period (?period=, days up to today) from "
            "the daily figures, rebuilt every few minutes, optionally grouped per day, network "
            "or item (?group=). Every figure says whether it is measured or estimated; a "
            "figure no network reported is {value: null, available: false}, never 0."
        ),
        parameters=[ImpactQuerySerializer],
        responses=StatsMeSerializer,
    )
    def get(self, request: Request) -> Response:
        query = ImpactQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        params = query.validated_data
        user = request_user(request)
        stats = stats_for_user(user=user)
        impact = my_impact(user=user, days=params.get("period", 30))
        data = {**stats, "figures": _figures(stats["figures"]), **_impact(impact)}
        if "group" in params:
            data["group"] = params["group"]
            data["groups"] = _impact_groups(impact, params["group"])
        return Response(StatsMeSerializer(data).data)
