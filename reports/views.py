"""The team dashboard (its motivators, marketing, leadership), its CSV tables, and marketing's
page for the value of a click, an impression and an engagement per network."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from advocacy.models import User
from advocacy.networks import Network
from advocacy.selectors import team_access
from campaigns.views.common import marketing_required

from . import charts, selectors, services
from .forms import NetworkValueForm
from .models import NetworkValue
from .tables import dashboard_tables, table_csv


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _dashboard_charts(dashboard: selectors.Dashboard) -> dict[str, Any]:
    days = [row["day"] for row in dashboard.days]
    funnel = dashboard.funnel
    shares = dashboard.totals.shares
    return {
        "trend": charts.line_chart(
            title=_("Shares, clicks and engagements per day"),
            days=days,
            series=[
                charts.Series(_("Shares"), [row["totals"].shares for row in dashboard.days]),
                charts.Series(_("Clicks"), [row["totals"].clicks for row in dashboard.days]),
                charts.Series(
                    _("Engagements"), [row["totals"].engagements for row in dashboard.days]
                ),
            ],
        ),
        "funnel": charts.bar_chart(
            title=_("Participation: eligible, opted in, shared this period"),
            bars=[
                (_("Eligible"), funnel.eligible),
                (_("Opted in"), funnel.opted_in),
                (_("Shared"), funnel.active),
            ],
            css="funnel",
            percent_of=funnel.eligible or None,
        ),
        "networks": charts.bar_chart(
            title=_("Shares per network"),
            bars=[(row["label"], row["totals"].shares) for row in dashboard.networks],
            css="networks",
            percent_of=shares or None,
        ),
    }


@login_required
@require_GET
def team_dashboard(request: HttpRequest, team_id: int) -> HttpResponse:
    team = team_access(user=_user(request), team_id=team_id)
    days = selectors.period_days(request.GET.get("days"))
    dashboard = selectors.team_dashboard(team=team, days=days)
    context = {
        "team": team,
        "d": dashboard,
        "tables": dashboard_tables(dashboard),
        "charts": _dashboard_charts(dashboard),
        "periods": selectors.PERIODS,
    }
    return render(request, "reports/team_dashboard.html", context)


@login_required
@require_GET
def team_dashboard_csv(request: HttpRequest, team_id: int, table: str) -> HttpResponse:
    team = team_access(user=_user(request), team_id=team_id)
    days = selectors.period_days(request.GET.get("days"))
    tables = dashboard_tables(selectors.team_dashboard(team=team, days=days))
    if table not in tables:
        raise Http404("No such table.")
    response = HttpResponse(table_csv(tables[table]), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="team-{team.pk}-{table}-{days}d.csv"'
    return response


@marketing_required
@require_http_methods(["GET", "POST"])
def network_values(request: HttpRequest) -> HttpResponse:
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
        data = request.POST if request.method == "POST" else None
        forms.append((network, label, NetworkValueForm(data, prefix=network, initial=initial)))
    if request.method == "POST" and all(form.is_valid() for _n, _l, form in forms):
        for network, _label, form in forms:
            services.network_value_save(network=network, **form.cleaned_data)
        messages.success(request, _("The values per network are saved."))
        return redirect("network-values")
    return render(request, "reports/network_values.html", {"forms": forms})
