"""The person's own settings, opting in and out of the ambassador programme, and the team
pages of motivators, marketing and leadership (my impact is a report: reports.views)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from advocacy.networks.views import render_my_networks
from advocacy.people.access import teams_visible
from advocacy.people.forms import SettingsForm
from advocacy.people.request import request_user
from advocacy.people.settings import user_settings_update
from advocacy.sharing.forms import add_service_error
from advocacy.sharing.optin import ambassador_opt_in, ambassador_opt_out, user_preferences_update
from advocacy.sharing.views.common import error_messages

# --- The person's own settings, opting in and out ---------------------------------------------


@login_required
@require_POST
def me_settings(request: HttpRequest) -> HttpResponse:
    form = SettingsForm(request.POST)
    if form.is_valid():
        chosen = dict(form.cleaned_data)
        leaderboard = chosen.pop("show_on_leaderboard")
        try:
            # Settings first: they are the ones that can still be refused (as the API).
            user = user_settings_update(user=request_user(request), **chosen)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            user_preferences_update(user=user, show_on_leaderboard=leaderboard)
            shown = (
                _("You appear on the leaderboard.")
                if leaderboard
                else _("You are not on the leaderboard.")
            )
            messages.success(
                request,
                _("Saved. Times are read and shown in %(zone)s; new-content email: %(often)s.")
                % {"zone": user.time_zone, "often": user.get_digest_frequency_display()}
                + " "
                + shown,
            )
            return redirect(f"{reverse('my-networks')}#settings")
    return render_my_networks(request, status=400, settings_form=form)


@login_required
@require_POST
def me_opt_in(request: HttpRequest) -> HttpResponse:
    try:
        ambassador_opt_in(user=request_user(request))
    except ValidationError as error:
        error_messages(request, error)
        return render(request, "advocacy/opt_in_refused.html", status=400)
    messages.success(request, _("Welcome aboard! Connect a network to start sharing."))
    return redirect("feed")


@login_required
@require_http_methods(["GET", "POST"])
def me_opt_out(request: HttpRequest) -> HttpResponse:
    """GET explains what opting out does; the POST from that page does it."""
    user = request_user(request)
    if request.method == "POST":
        try:
            ambassador_opt_out(user=user)
        except ValidationError as error:
            error_messages(request, error)
            return render(request, "advocacy/opt_out.html", status=400)
        messages.success(
            request,
            _(
                "You opted out. Nothing more will be posted for you and your network tokens "
                "are deleted. You can still suggest content, and opt in again at any time."
            ),
        )
        return redirect("feed")
    return render(request, "advocacy/opt_out.html")


# --- Teams (motivators, marketing, leadership) -----------------------------------------------


@login_required
@require_GET
def team_list(request: HttpRequest) -> HttpResponse:
    teams = teams_visible(user=request_user(request))
    return render(request, "advocacy/team_list.html", {"teams": teams})
