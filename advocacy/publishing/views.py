"""The monthly budget of networks that bill per post (X): marketing sets it, leadership reads
it, everyone else gets 404."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from advocacy.models import NetworkPause
from advocacy.networks.pauses import network_pause_resume, network_pauses_holding, pause_notice
from advocacy.people.request import request_user
from advocacy.people.roles import is_marketing, sees_everything
from advocacy.publishing.budget import budget_set
from advocacy.publishing.costs import billing_network_access, budget_overviews
from advocacy.publishing.forms import BudgetForm


@login_required
def budget_manage(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    if not sees_everything(user):
        raise Http404(_("No such page."))
    can_change = is_marketing(user)
    if request.method == "POST" and not can_change:
        raise PermissionDenied(_("Only marketing can change the budget."))
    overviews = budget_overviews()
    posted = request.POST.get("network") if request.method == "POST" else None
    if posted is not None and posted not in {o.network for o in overviews}:
        raise Http404(_("This network does not bill per post, so it has no budget."))
    forms = {
        o.network: BudgetForm(
            request.POST if o.network == posted else None,
            prefix=o.network,
            initial={"monthly_limit": o.monthly_limit},
        )
        for o in overviews
    }
    if posted is not None:
        form = forms[posted]
        if form.is_valid():
            try:
                budget_set(network=posted, monthly_limit=form.cleaned_data["monthly_limit"])
            except ValidationError as error:
                form.add_error("monthly_limit", error)
            else:
                label = next(o.label for o in overviews if o.network == posted)
                messages.success(
                    request,
                    _("The %(network)s budget for this month is now %(amount)s.")
                    % {
                        "network": label,
                        "amount": number_format(form.cleaned_data["monthly_limit"], 2),
                    },
                )
                return redirect("budget-manage")
    # A network whose credits are spent (X's 402): its section says so, with the button. Only
    # while the pause holds, as on the banner: once topped up (or past its next try) the pause
    # row stays until a post succeeds, but the shares are going again.
    credits = {
        pause.network: pause_notice(pause)
        for pause in network_pauses_holding()
        if pause.reason == NetworkPause.Reason.CREDITS
    }
    rows = [(o, forms[o.network], credits.get(o.network, "")) for o in overviews]
    status = 400 if posted is not None else 200
    return render(
        request,
        "campaigns/budget_manage.html",
        {"rows": rows, "can_change": can_change},
        status=status,
    )


@login_required
@require_POST
def budget_credits_topped_up(request: HttpRequest, network: str) -> HttpResponse:
    """Marketing topped the network's pay-per-use credits up: the shares waiting for them go
    at once instead of at the next automatic try."""
    user = request_user(request)
    if not sees_everything(user):
        raise Http404(_("No such page."))
    if not is_marketing(user):
        raise PermissionDenied(_("Only marketing can change the budget."))
    network = billing_network_access(network=network)
    waiting = network_pause_resume(network=network, user=user)
    messages.success(
        request,
        ngettext(
            "Thank you: %(count)d waiting share goes out again now.",
            "Thank you: %(count)d waiting shares go out again now.",
            waiting,
        )
        % {"count": waiting},
    )
    return redirect("budget-manage")
