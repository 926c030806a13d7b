"""/api/stats/teams/<id>/: a team's figures for a period, optionally grouped per day, network
or content item. The team's motivators, marketing and leadership get the whole report; an
ambassador in the team gets the team's totals only (no content, wins or learnings); anyone
else gets 404. Read from the same selectors (and rollups) as the team dashboard.

A metric no network reported is null, never 0."""

from typing import Any

from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from advocacy.models import Team, User
from advocacy.people.apis import TeamRefSerializer
from advocacy.people.request import request_user
from advocacy.people.roles import can_view_team
from reports.apis.figures import (
    ChangeSerializer,
    GroupSerializer,
    ItemStatsSerializer,
    ParticipationSerializer,
    ReportFiguresSerializer,
    compared_data,
    group_field,
    groups_data,
    items_data,
    period_field,
    query_params,
)
from reports.selectors.figures import DEFAULT_PERIOD, per_item
from reports.selectors.team import team_dashboard, team_rollups

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
    period = period_field("Days, up to today (default 30).")
    days = period_field("The same as period (older name).")
    group = group_field(GROUPS)


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
        team, scope = team_stats_access(user=request_user(request), team_id=pk)
        params = query_params(request, TeamStatsQuerySerializer)
        days = params.get("period") or params.get("days") or DEFAULT_PERIOD
        dashboard = team_dashboard(team=team, days=days)
        currency = dashboard.currency
        data: dict[str, Any] = {
            "team": team,
            "scope": scope,
            "days": days,
            "since": dashboard.period.since,
            "until": dashboard.period.until,
            "participation": dashboard.funnel,
            **compared_data(dashboard),
        }
        if scope == FULL:
            data["top_items"] = items_data(dashboard.top_items)
            data["wins"] = dashboard.wins
            data["learnings"] = dashboard.learnings
            if "group" in params:
                group = params["group"]
                by_group = {
                    "day": dashboard.days,
                    "network": dashboard.networks,
                    "item": per_item(team_rollups(team=team), dashboard.period, limit=None),
                }
                data["group"] = group
                data["groups"] = groups_data(group=group, rows=by_group[group], currency=currency)
        return Response(TeamStatsSerializer(data).data)
