"""/api/stats/campaigns/<id>/: a campaign's progress against its goal, its figures grouped
per day, network, team or item, and what its posts cost on X. Marketing and leadership; 404
for anyone else, as the campaign report's page, from the same selectors.

A metric no network reported is null, never 0."""

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from advocacy.people.access import campaign_access
from advocacy.people.request import request_user
from campaigns.apis.campaigns import CampaignCostSerializer, cost_data
from campaigns.models import Campaign
from reports.apis.figures import (
    ESTIMATED,
    MEASURED,
    FigureSerializer,
    GroupSerializer,
    ItemStatsSerializer,
    ReportFiguresSerializer,
    figure_data,
    figures_data,
    group_field,
    groups_data,
    items_data,
    period_field,
    query_params,
)
from reports.selectors.campaign import CampaignReport, campaign_report

CAMPAIGN_GROUPS = ("day", "network", "team", "item")


class CampaignStatsQuerySerializer(serializers.Serializer[Any]):
    period = period_field(
        "The last days of the campaign's run (up to today while it runs); by default the whole "
        "campaign. The goal and its progress always count the whole run."
    )
    group = group_field(CAMPAIGN_GROUPS)


class CampaignRefSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    name = serializers.CharField()
    starts_on = serializers.DateField()
    ends_on = serializers.DateField()


class GoalSerializer(serializers.Serializer[Any]):
    goal_metric = serializers.ChoiceField(choices=Campaign.Goal.choices)
    target = serializers.IntegerField()
    achieved = FigureSerializer(help_text="The whole run; estimated for a reach goal.")
    percent = serializers.IntegerField(allow_null=True, help_text="Null when there is no target.")


class ProgressSerializer(serializers.Serializer[Any]):
    day = serializers.DateField()
    achieved = serializers.IntegerField(help_text="The goal's figure so far, at the day's end.")


class CampaignStatsSerializer(serializers.Serializer[Any]):
    campaign = CampaignRefSerializer()
    goal = GoalSerializer()
    progress = ProgressSerializer(many=True, help_text="Every day of the run so far.")
    days = serializers.IntegerField(
        allow_null=True, help_text="The period asked for; null for the whole campaign."
    )
    since = serializers.DateField(
        allow_null=True, help_text="First day of the period; null for the whole campaign."
    )
    until = serializers.DateField(allow_null=True, help_text="Last day of the period, inclusive.")
    figures = ReportFiguresSerializer(help_text="The period (by default the whole campaign).")
    all_time = ReportFiguresSerializer(help_text="Everything the campaign's content earned.")
    items = ItemStatsSerializer(many=True, help_text="Every content item, in the period.")
    costs = CampaignCostSerializer(
        many=True,
        help_text="Per network that bills per post (X): charged so far, committed for the "
        "shares still scheduled, and the estimated total (the whole campaign).",
    )
    not_billed = serializers.ListField(
        child=serializers.CharField(),
        help_text="The networks that do not bill per post, by code (linkedin, sandbox): their "
        "posts cost nothing.",
    )
    group = serializers.ChoiceField(choices=CAMPAIGN_GROUPS, required=False)
    groups = GroupSerializer(many=True, required=False)


def campaign_stats_data(report: CampaignReport, group: str | None) -> dict[str, Any]:
    currency = report.currency
    kind = ESTIMATED if report.estimated else MEASURED
    data: dict[str, Any] = {
        "campaign": report.campaign,
        "goal": {
            "goal_metric": report.campaign.goal_metric,
            "target": report.target,
            "achieved": figure_data(report.achieved, kind),
            "percent": report.percent,
        },
        "progress": [{"day": day, "achieved": value} for day, value in report.progress],
        "days": report.window.days if report.window else None,
        "since": report.window.since if report.window else None,
        "until": report.window.until if report.window else None,
        "figures": figures_data(report.current, currency),
        "all_time": figures_data(report.totals, currency),
        "items": items_data(report.items),
        "costs": [cost_data(row.cost) for row in report.costs if row.cost is not None],
        "not_billed": [row.network for row in report.costs if row.cost is None],
    }
    if group is not None:
        by_group = {
            "day": report.days,
            "network": report.networks,
            "team": report.teams,
            "item": report.items,
        }
        data["group"] = group
        data["groups"] = groups_data(group=group, rows=by_group[group], currency=currency)
    return data


class StatsCampaignApi(APIView):
    @extend_schema(
        tags=["stats"],
        summary="A campaign's progress against its goal, its figures and its X cost "
        "(marketing, leadership)",
        description=(
            "Read from the daily rollups (rebuilt every few minutes); the cost from the "
            "budget's reservations and the shares still scheduled. Every figure says whether "
            "it is measured or estimated; a figure no network reported is "
            "{value: null, available: false}, never 0. Anyone else gets 404."
        ),
        parameters=[CampaignStatsQuerySerializer],
        responses=CampaignStatsSerializer,
    )
    def get(self, request: Request, pk: int) -> Response:
        campaign = campaign_access(user=request_user(request), campaign_id=pk)
        params = query_params(request, CampaignStatsQuerySerializer)
        report = campaign_report(campaign=campaign, days=params.get("period"))
        data = campaign_stats_data(report, params.get("group"))
        return Response(CampaignStatsSerializer(data).data)
