"""/api/stats/teams/<id>/: a team's figures for a period, optionally grouped per day, network
or content item, from the same selectors as the dashboard.

Permissions as on the pages: the team's motivators, marketing and leadership get the whole
report; an ambassador in the team gets the team's totals only (no content, wins or
learnings); anyone else gets 404. A metric no network reported is null, never 0."""

from decimal import Decimal
from typing import Any

from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from advocacy.apis.common import TeamRefSerializer
from advocacy.apis.stats import ESTIMATED, MEASURED, FigureSerializer, ItemStatsSerializer
from advocacy.models import Team, User
from advocacy.roles import can_view_team

from . import selectors
from .selectors import Dashboard, Totals

FULL = "full"
TOTALS = "totals"
GROUPS = ("day", "network", "item")


def team_stats_access(*, user: User, team_id: int) -> tuple[Team, str]:
    """The team and how much of its report the user may see, or 404."""
    team = Team.objects.filter(pk=team_id).first()
    if team is not None:
        if can_view_team(user, team):
            return team, FULL
        if user.is_ambassador and team.members.filter(pk=user.pk).exists():
            return team, TOTALS
    raise Http404("No such team.")


class MoneyFigureSerializer(serializers.Serializer[Any]):
    value = serializers.DecimalField(
        max_digits=14, decimal_places=2, allow_null=True, help_text="Null when not available."
    )
    currency = serializers.CharField(help_text="Empty when the networks' currencies differ.")
    kind = serializers.ChoiceField(choices=[(ESTIMATED, ESTIMATED)])
    available = serializers.BooleanField(
        help_text="False when marketing set no value per network (it is not zero)."
    )


class ReportFiguresSerializer(serializers.Serializer[Any]):
    shares = FigureSerializer(help_text="Published shares.")
    clicks = FigureSerializer(help_text="Tracked-link clicks by people.")
    bot_visits = FigureSerializer(help_text="Link-preview bots and crawlers, counted apart.")
    unique_visitors = FigureSerializer(help_text="Distinct visitors per share and day: estimated.")
    potential_reach = FigureSerializer(help_text="Followers at share time: an estimate.")
    impressions = FigureSerializer()
    reactions = FigureSerializer()
    comments = FigureSerializer()
    reposts = FigureSerializer()
    engagements = FigureSerializer(help_text="Reactions, comments and reposts.")
    emv = MoneyFigureSerializer(help_text="Earned media value at marketing's rates.")


class ParticipationSerializer(serializers.Serializer[Any]):
    eligible = serializers.IntegerField(help_text="Active members of the team.")
    opted_in = serializers.IntegerField(help_text="Members who opted in as ambassadors.")
    active = serializers.IntegerField(help_text="Members who published in the period.")


class ChangeSerializer(serializers.Serializer[Any]):
    percent = serializers.IntegerField(
        allow_null=True, help_text="Change against the previous period; null when unknown."
    )
    direction = serializers.ChoiceField(choices=["up", "down", "same"])


class GroupSerializer(serializers.Serializer[Any]):
    key = serializers.CharField(help_text="The day (ISO date), the network or the item id.")
    name = serializers.CharField(help_text="The day, the network's or the item's name.")
    figures = ReportFiguresSerializer()


class WinSerializer(serializers.Serializer[Any]):
    kind = serializers.ChoiceField(choices=["first_share", "clicks", "campaign_goal"])
    text = serializers.CharField()


class LearningSerializer(serializers.Serializer[Any]):
    problem = serializers.CharField(help_text="The cause's code (Share.Problem).")
    cause = serializers.CharField(source="label", help_text="The cause in words.")
    count = serializers.IntegerField()
    how_to_avoid = serializers.CharField()


class TeamStatsSerializer(serializers.Serializer[Any]):
    team = TeamRefSerializer()
    scope = serializers.ChoiceField(
        choices=[FULL, TOTALS],
        help_text="full: the whole report (motivators, marketing, leadership); totals: the "
        "team's totals only (its ambassadors).",
    )
    days = serializers.IntegerField()
    since = serializers.DateField(help_text="First day of the period (local calendar day).")
    until = serializers.DateField(help_text="Last day of the period, inclusive.")
    participation = ParticipationSerializer()
    period = ReportFiguresSerializer(help_text="The period.")
    previous = ReportFiguresSerializer(help_text="The period of the same length before it.")
    changes = serializers.DictField(child=ChangeSerializer())
    all_time = ReportFiguresSerializer()
    top_items = ItemStatsSerializer(many=True, required=False)
    wins = WinSerializer(many=True, required=False)
    learnings = LearningSerializer(many=True, required=False)
    group = serializers.ChoiceField(choices=GROUPS, required=False)
    groups = GroupSerializer(many=True, required=False)


class TeamStatsQuerySerializer(serializers.Serializer[Any]):
    period = serializers.IntegerField(
        min_value=1, max_value=366, required=False, help_text="Days, up to today (default 30)."
    )
    days = serializers.IntegerField(
        min_value=1, max_value=366, required=False, help_text="The same as period (older name)."
    )
    group = serializers.ChoiceField(
        choices=GROUPS,
        required=False,
        help_text="Also return the figures per day, network or item.",
    )


def _figure(value: int | None, kind: str = MEASURED) -> dict[str, Any]:
    return {"value": value, "kind": kind, "available": value is not None}


def figures_data(totals: Totals, currency: str) -> dict[str, Any]:
    emv: Decimal | None = totals.emv
    return {
        "shares": _figure(totals.shares),
        "clicks": _figure(totals.clicks),
        "bot_visits": _figure(totals.bot_clicks),
        "unique_visitors": _figure(totals.unique_visitors, ESTIMATED),
        "potential_reach": _figure(totals.potential_reach, ESTIMATED),
        "impressions": _figure(totals.impressions),
        "reactions": _figure(totals.reactions),
        "comments": _figure(totals.comments),
        "reposts": _figure(totals.reposts),
        "engagements": _figure(totals.engagements),
        "emv": {
            "value": emv,
            "currency": currency,
            "kind": ESTIMATED,
            "available": emv is not None,
        },
    }


def _groups(dashboard: Dashboard, group: str) -> list[dict[str, Any]]:
    if group == "day":
        rows = [(row["day"].isoformat(), row["day"].isoformat(), row) for row in dashboard.days]
    elif group == "network":
        rows = [(row["network"], str(row["label"]), row) for row in dashboard.networks]
    else:
        items = selectors.per_item(
            selectors.team_rollups(team=dashboard.team), dashboard.period, limit=None
        )
        rows = [(str(row["content_item_id"]), row["content_item__title"], row) for row in items]
    return [
        {"key": key, "name": label, "figures": figures_data(row["totals"], dashboard.currency)}
        for key, label, row in rows
    ]


class StatsTeamApi(APIView):
    @extend_schema(
        tags=["stats"],
        summary="A team's figures for a period (motivators, marketing, leadership; its "
        "ambassadors: totals only)",
        description=(
            "Read from the daily rollups (rebuilt every few minutes). Every figure says whether "
            "it is measured or estimated; a figure no network reported is "
            "{value: null, available: false}, never 0."
        ),
        parameters=[TeamStatsQuerySerializer],
        responses=TeamStatsSerializer,
    )
    def get(self, request: Request, pk: int) -> Response:
        team, scope = team_stats_access(user=request.user, team_id=pk)  # type: ignore[arg-type]
        query = TeamStatsQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        params = query.validated_data
        days = params.get("period") or params.get("days") or selectors.DEFAULT_PERIOD
        dashboard = selectors.team_dashboard(team=team, days=days)
        currency = dashboard.currency
        data: dict[str, Any] = {
            "team": team,
            "scope": scope,
            "days": days,
            "since": dashboard.period.since,
            "until": dashboard.period.until,
            "participation": dashboard.funnel,
            "period": figures_data(dashboard.totals, currency),
            "previous": figures_data(dashboard.previous, currency),
            "changes": {
                name: {"percent": change.percent, "direction": change.direction}
                for name, change in dashboard.changes.items()
            },
            "all_time": figures_data(dashboard.all_time, currency),
        }
        if scope == FULL:
            data["top_items"] = [
                {
                    "id": row["content_item_id"],
                    "title": row["content_item__title"],
                    "share_count": row["totals"].shares,
                    "click_count": row["totals"].clicks,
                }
                for row in dashboard.top_items
            ]
            data["wins"] = dashboard.wins
            data["learnings"] = dashboard.learnings
            if "group" in params:
                data["group"] = params["group"]
                data["groups"] = _groups(dashboard, params["group"])
        return Response(TeamStatsSerializer(data).data)
