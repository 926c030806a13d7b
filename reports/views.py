"""The report pages: an ambassador's "my impact", the team dashboard (its motivators,
marketing, leadership), the organisation and campaign reports (marketing, leadership), the
CSV of each of their tables, and marketing's page for the value per network and the points."""

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from advocacy.models import Network, Share
from advocacy.people.access import campaign_access, team_access
from advocacy.people.request import request_user
from advocacy.people.roles import sees_everything
from campaigns.models import Campaign
from campaigns.views.common import marketing_required
from reports import charts
from reports.digest_views import may_set_webhook
from reports.forms import NetworkValueForm, PointsForm
from reports.models import PERIODS, NetworkValue
from reports.selectors import team as team_selectors
from reports.selectors.campaign import campaign_report
from reports.selectors.figures import Totals, period_days
from reports.selectors.impact import Impact, my_impact
from reports.selectors.leaderboard import points_rule
from reports.selectors.organisation import organisation_report
from reports.selectors.team import Funnel
from reports.services.values import network_value_save, points_rule_save
from reports.tables import (
    Table,
    campaign_tables,
    dashboard_tables,
    impact_tables,
    organisation_tables,
    table_csv,
)


def _everything_required(request: HttpRequest) -> None:
    if not sees_everything(request_user(request)):
        raise Http404(_("No such page."))


def _csv_url(name: str, *args: Any, days: int | None = None) -> Callable[[str], str]:
    def url(table: str) -> str:
        path = reverse(name, args=[*args, table])
        return f"{path}?days={days}" if days else path

    return url


def _csv(tables: dict[str, Table], table: str, filename: str) -> HttpResponse:
    if table not in tables:
        raise Http404("No such table.")
    response = HttpResponse(table_csv(tables[table]), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}-{table}.csv"'
    return response


def _trend(days: list[dict[str, Any]]) -> Any:
    return charts.line_chart(
        title=_("Shares, clicks and engagements per day"),
        days=[row["day"] for row in days],
        series=[
            charts.Series(_("Shares"), [row["totals"].shares for row in days]),
            charts.Series(_("Clicks"), [row["totals"].clicks for row in days]),
            charts.Series(_("Engagements"), [row["totals"].engagements for row in days]),
        ],
    )


def _funnel(funnel: Funnel, eligible: str) -> Any:
    return charts.bar_chart(
        title=_("Participation: eligible, opted in, shared this period"),
        bars=[
            (eligible, funnel.eligible),
            (_("Opted in"), funnel.opted_in),
            (_("Shared"), funnel.active),
        ],
        css="funnel",
        percent_of=funnel.eligible or None,
    )


def _networks(networks: list[dict[str, Any]], totals: Totals) -> Any:
    return charts.bar_chart(
        title=_("Shares per network"),
        bars=[(row["label"], row["totals"].shares) for row in networks],
        css="networks",
        percent_of=totals.shares or None,
    )


# --- My impact (every signed-in person, their own figures only) ------------------------------


def _impact_charts(impact: Impact) -> dict[str, Any]:
    days = [row["day"] for row in impact.days]
    return {
        "trend": _trend(impact.days),
        "points": charts.line_chart(
            title=_("Points per day"),
            days=days,
            series=[charts.Series(_("Points"), [row["points"] for row in impact.days])],
            css="points",
        ),
        "reach": charts.line_chart(
            title=_("Potential reach per day (estimated)"),
            days=days,
            series=[
                charts.Series(
                    _("Potential reach"), [row["totals"].known_reach for row in impact.days]
                )
            ],
            css="reach",
        ),
        "networks": _networks(impact.networks, impact.totals),
    }


@login_required
@require_GET
def my_impact_page(request: HttpRequest) -> HttpResponse:
    days = period_days(request.GET.get("days"))
    impact = my_impact(user=request_user(request), days=days)
    by_status = [
        {"status": status, "label": Share.Status(status).label, "count": count}
        for status, count in impact.by_status.items()
    ]
    context = {
        "d": impact,
        "tables": impact_tables(impact, _csv_url("my-impact-csv", days=days)),
        "charts": _impact_charts(impact),
        "by_status": by_status,
        "periods": PERIODS,
    }
    return render(request, "reports/my_impact.html", context)


@login_required
@require_GET
def my_impact_csv(request: HttpRequest, table: str) -> HttpResponse:
    days = period_days(request.GET.get("days"))
    impact = my_impact(user=request_user(request), days=days)
    return _csv(impact_tables(impact, _csv_url("my-impact-csv")), table, f"my-impact-{days}d")


# --- Team dashboard --------------------------------------------------------------------------


@login_required
@require_GET
def team_dashboard(request: HttpRequest, team_id: int) -> HttpResponse:
    team = team_access(user=request_user(request), team_id=team_id)
    days = period_days(request.GET.get("days"))
    d = team_selectors.team_dashboard(team=team, days=days)
    context = {
        "team": team,
        "d": d,
        "tables": dashboard_tables(d, _csv_url("team-csv", team.pk, days=days)),
        "charts": {
            "trend": _trend(d.days),
            "funnel": _funnel(d.funnel, _("Eligible")),
            "networks": _networks(d.networks, d.totals),
        },
        "periods": PERIODS,
        "may_set_webhook": may_set_webhook(user=request_user(request), team=team),
        "is_motivator": team.motivators.filter(pk=request_user(request).pk).exists(),
    }
    return render(request, "reports/team_dashboard.html", context)


@login_required
@require_GET
def team_dashboard_csv(request: HttpRequest, team_id: int, table: str) -> HttpResponse:
    team = team_access(user=request_user(request), team_id=team_id)
    days = period_days(request.GET.get("days"))
    d = team_selectors.team_dashboard(team=team, days=days)
    return _csv(
        dashboard_tables(d, _csv_url("team-csv", team.pk)), table, f"team-{team.pk}-{days}d"
    )


# --- Organisation and campaigns (marketing, leadership) --------------------------------------


@login_required
@require_GET
def reports_home(request: HttpRequest) -> HttpResponse:
    _everything_required(request)
    campaigns = Campaign.objects.order_by("-starts_on", "name")
    return render(request, "reports/home.html", {"campaigns": campaigns})


@login_required
@require_GET
def organisation(request: HttpRequest) -> HttpResponse:
    _everything_required(request)
    days = period_days(request.GET.get("days"))
    report = organisation_report(days=days)
    context = {
        "r": report,
        "tables": organisation_tables(report, _csv_url("organisation-csv", days=days)),
        "charts": {
            "trend": _trend(report.days),
            "funnel": _funnel(report.funnel, _("Employees")),
            "networks": _networks(report.networks, report.totals),
            "teams": charts.bar_chart(
                title=_("Clicks per team"),
                bars=[(row["team__name"], row["totals"].clicks) for row in report.teams],
                css="teams",
            ),
        },
        "periods": PERIODS,
    }
    return render(request, "reports/organisation.html", context)


@login_required
@require_GET
def organisation_csv(request: HttpRequest, table: str) -> HttpResponse:
    _everything_required(request)
    days = period_days(request.GET.get("days"))
    report = organisation_report(days=days)
    tables = organisation_tables(report, _csv_url("organisation-csv"))
    return _csv(tables, table, f"organisation-{days}d")


@login_required
@require_GET
def campaign(request: HttpRequest, campaign_id: int) -> HttpResponse:
    found = campaign_access(user=request_user(request), campaign_id=campaign_id)
    report = campaign_report(campaign=found)
    goal_label = found.get_goal_metric_display()
    context = {
        "r": report,
        "tables": campaign_tables(report, _csv_url("campaign-csv", found.pk)),
        "charts": {
            "progress": charts.line_chart(
                title=_("Progress against the goal"),
                days=[day for day, _value in report.progress],
                series=[
                    charts.Series(
                        _("%(goal)s so far") % {"goal": goal_label},
                        [value for _day, value in report.progress],
                    ),
                    charts.Series(_("Goal"), [report.target for _day in report.progress]),
                ],
                css="progress",
            ),
            "networks": _networks(report.networks, report.totals),
        },
    }
    return render(request, "reports/campaign.html", context)


@login_required
@require_GET
def campaign_csv(request: HttpRequest, campaign_id: int, table: str) -> HttpResponse:
    found = campaign_access(user=request_user(request), campaign_id=campaign_id)
    report = campaign_report(campaign=found)
    tables = campaign_tables(report, _csv_url("campaign-csv", found.pk))
    return _csv(tables, table, f"campaign-{found.pk}")


# --- Marketing: value per network and points -------------------------------------------------


@marketing_required
@require_http_methods(["GET", "POST"])
def network_values(request: HttpRequest) -> HttpResponse:
    data = request.POST if request.method == "POST" else None
    saved = {value.network: value for value in NetworkValue.objects.all()}
    forms = []
    for network, label in Network.choices:
        current = saved.get(network)
        initial = (
            {
                "cpm": current.cpm,
                "cpc": current.cpc,
                "cpe": current.cpe,
                "currency": current.currency,
            }
            if current
            else {"cpm": 0, "cpc": 0, "cpe": 0, "currency": "EUR"}
        )
        forms.append((network, label, NetworkValueForm(data, prefix=network, initial=initial)))
    rule = points_rule()
    points = PointsForm(
        data,
        prefix="points",
        initial={
            "per_share": rule.per_share,
            "per_click": rule.per_click,
            "per_engagement": rule.per_engagement,
        },
    )
    if data is not None and all(form.is_valid() for _n, _l, form in forms) and points.is_valid():
        for network, _label, form in forms:
            network_value_save(network=network, **form.cleaned_data)
        points_rule_save(**points.cleaned_data)
        messages.success(request, _("The values per network and the points are saved."))
        return redirect("network-values")
    return render(request, "reports/network_values.html", {"forms": forms, "points": points})
