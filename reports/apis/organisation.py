"""/api/stats/organisation/: the company's figures, grouped per day, network or team.
Marketing and leadership; 403 for anyone else. From the same selectors as the organisation
report's page.

A metric no network reported is null, never 0."""

from typing import Any

from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema
from rest_framework import permissions, serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from advocacy.people.roles import sees_everything
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
from reports.selectors.figures import DEFAULT_PERIOD
from reports.selectors.organisation import organisation_report

ORGANISATION_GROUPS = ("day", "network", "team")


class OrganisationStatsQuerySerializer(serializers.Serializer[Any]):
    period = period_field("Days, up to today (default 30).")
    group = group_field(ORGANISATION_GROUPS)


class SeesEverything(permissions.BasePermission):
    message = gettext_lazy("Only marketing and leadership can see the organisation report.")

    def has_permission(self, request: Request, view: APIView) -> bool:
        return bool(request.user and sees_everything(request.user))


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
        days = params.get("period") or DEFAULT_PERIOD
        report = organisation_report(days=days)
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
