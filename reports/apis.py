"""The reports through the API, from the same selectors (and rollups) as the pages:

- /api/stats/teams/<id>/: a team's figures for a period, optionally grouped per day, network
  or content item. The team's motivators, marketing and leadership get the whole report; an
  ambassador in the team gets the team's totals only (no content, wins or learnings); anyone
  else gets 404.
- /api/stats/campaigns/<id>/: a campaign's progress against its goal, its figures grouped per
  day, network, team or item, and what its posts cost on X. Marketing and leadership; 404
  for anyone else, as the page.
- /api/stats/organisation/: the company's figures, grouped per day, network or team.
  Marketing and leadership; 403 for anyone else.

A metric no network reported is null, never 0."""

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.http import Http404
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema
from rest_framework import permissions, serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from advocacy.models import Team, User
from advocacy.people.access import campaign_access
from advocacy.people.apis import TeamRefSerializer
from advocacy.people.roles import can_view_team, sees_everything
from advocacy.reach.apis import ESTIMATED, MEASURED, FigureSerializer, ItemStatsSerializer
from campaigns.apis.campaigns import CampaignCostSerializer, cost_data
from campaigns.models import Campaign
from reports import selectors
from reports.selectors import CampaignReport, Dashboard, OrganisationReport, Totals

FULL = "full"
TOTALS = "totals"
GROUPS = ("day", "network", "item")
CAMPAIGN_GROUPS = ("day", "network", "team", "item")
ORGANISATION_GROUPS = ("day", "network", "team")


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


def _period_field(help_text: str) -> serializers.IntegerField:
    return serializers.IntegerField(min_value=1, max_value=366, required=False, help_text=help_text)


def _group_field(choices: tuple[str, ...]) -> serializers.ChoiceField:
    return serializers.ChoiceField(
        choices=choices,
        required=False,
        help_text=f"Also return the figures per {', '.join(choices)}.",
    )


class TeamStatsQuerySerializer(serializers.Serializer[Any]):
    period = _period_field("Days, up to today (default 30).")
    days = _period_field("The same as period (older name).")
    group = _group_field(GROUPS)


class OrganisationStatsQuerySerializer(serializers.Serializer[Any]):
    period = _period_field("Days, up to today (default 30).")
    group = _group_field(ORGANISATION_GROUPS)


class CampaignStatsQuerySerializer(serializers.Serializer[Any]):
    period = _period_field(
        "The last days of the campaign's run (up to today while it runs); by default the whole "
        "campaign. The goal and its progress always count the whole run."
    )
    group = _group_field(CAMPAIGN_GROUPS)


def query_params(
    request: Request, serializer_class: type[serializers.Serializer[Any]]
) -> dict[str, Any]:
    """The query's parameters, validated, or 400 with the reason."""
    query = serializer_class(data=request.query_params)
    query.is_valid(raise_exception=True)
    return dict(query.validated_data)


def _figure(value: int | None, kind: str = MEASURED) -> dict[str, Any]:
    return {"value": value, "kind": kind, "available": value is not None}


def figures_data(totals: Totals, currency: str) -> dict[str, Any]:
    emv: Decimal | None = totals.emv
    return {
        "shares": _figure(totals.shares),
        "clicks": _figure(totals.clicks),
        "bot_visits": _figure(totals.bot_clicks),
        "unique_visitors": _figure(totals.unique_visitors, ESTIMATED),
        "potential_reach": _figure(totals.known_reach, ESTIMATED),
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


def compared_data(report: Dashboard | OrganisationReport) -> dict[str, Any]:
    """The period, the one before it, the change between them, and all time."""
    return {
        "period": figures_data(report.totals, report.currency),
        "previous": figures_data(report.previous, report.currency),
        "changes": {
            name: {"percent": change.percent, "direction": change.direction}
            for name, change in report.changes.items()
        },
        "all_time": figures_data(report.all_time, report.currency),
    }


# Each group's key and name, from a selector's row.
GROUP_KEYS: dict[str, Callable[[dict[str, Any]], tuple[str, str]]] = {
    "day": lambda row: (row["day"].isoformat(), row["day"].isoformat()),
    "network": lambda row: (row["network"], str(row["label"])),
    "team": lambda row: (str(row["team_id"]), row["team__name"]),
    "item": lambda row: (str(row["content_item_id"]), row["content_item__title"]),
}


def groups_data(*, group: str, rows: list[dict[str, Any]], currency: str) -> list[dict[str, Any]]:
    result = []
    for row in rows:
        key, name = GROUP_KEYS[group](row)
        result.append({"key": key, "name": name, "figures": figures_data(row["totals"], currency)})
    return result


def items_data(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [
        {
            "id": row["content_item_id"],
            "title": row["content_item__title"],
            "share_count": row["totals"].shares,
            "click_count": row["totals"].clicks,
        }
        for row in rows
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
        params = query_params(request, TeamStatsQuerySerializer)
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
                    "item": selectors.per_item(
                        selectors.team_rollups(team=team), dashboard.period, limit=None
                    ),
                }
                data["group"] = group
                data["groups"] = groups_data(group=group, rows=by_group[group], currency=currency)
        return Response(TeamStatsSerializer(data).data)


# --- Campaigns (marketing, leadership) -------------------------------------------------------


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
            "achieved": _figure(report.achieved, kind),
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
        campaign = campaign_access(user=request.user, campaign_id=pk)  # type: ignore[arg-type]
        params = query_params(request, CampaignStatsQuerySerializer)
        report = selectors.campaign_report(campaign=campaign, days=params.get("period"))
        data = campaign_stats_data(report, params.get("group"))
        return Response(CampaignStatsSerializer(data).data)


# --- The organisation (marketing, leadership) ------------------------------------------------


class SeesEverything(permissions.BasePermission):
    message = gettext_lazy("Only marketing and leadership can see the organisation report.")

    def has_permission(self, request: Request, view: APIView) -> bool:
        return bool(request.user and sees_everything(request.user))  # type: ignore[arg-type]


class OrganisationStatsSerializer(serializers.Serializer[Any]):
    days = serializers.IntegerField()
    since = serializers.DateField(help_text="First day of the period (local calendar day).")
    until = serializers.DateField(help_text="Last day of the period, inclusive.")
    participation = ParticipationSerializer(
        help_text="eligible: active employees; opted_in: ambassadors; active: people who "
        "published in the period."
    )
    period = ReportFiguresSerializer(help_text="The period; everyone counted once.")
    previous = ReportFiguresSerializer(help_text="The period of the same length before it.")
    changes = serializers.DictField(child=ChangeSerializer())
    all_time = ReportFiguresSerializer()
    top_items = ItemStatsSerializer(many=True)
    group = serializers.ChoiceField(choices=ORGANISATION_GROUPS, required=False)
    groups = GroupSerializer(
        many=True,
        required=False,
        help_text="Per team, a colleague in two teams counts for both: the teams add up to "
        "more than the company.",
    )


class StatsOrganisationApi(APIView):
    permission_classes = [permissions.IsAuthenticated, SeesEverything]

    @extend_schema(
        tags=["stats"],
        summary="The company's figures for a period (marketing, leadership)",
        description=(
            "Read from the daily rollups (rebuilt every few minutes), everyone counted once. "
            "Every figure says whether it is measured or estimated; a figure no network "
            "reported is {value: null, available: false}, never 0. Anyone else gets 403."
        ),
        parameters=[OrganisationStatsQuerySerializer],
        responses=OrganisationStatsSerializer,
    )
    def get(self, request: Request) -> Response:
        params = query_params(request, OrganisationStatsQuerySerializer)
        days = params.get("period") or selectors.DEFAULT_PERIOD
        report = selectors.organisation_report(days=days)
        currency = report.currency
        data: dict[str, Any] = {
            "days": days,
            "since": report.period.since,
            "until": report.period.until,
            "participation": report.funnel,
            **compared_data(report),
            "top_items": items_data(report.top_items),
        }
        if "group" in params:
            group = params["group"]
            by_group = {"day": report.days, "network": report.networks, "team": report.teams}
            data["group"] = group
            data["groups"] = groups_data(group=group, rows=by_group[group], currency=currency)
        return Response(OrganisationStatsSerializer(data).data)
