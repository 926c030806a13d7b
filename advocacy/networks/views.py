"""My networks: connecting, disconnecting and retrying a network's failed shares (the page also
shows the person's settings form, which people.views saves)."""

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from advocacy.models import Network, NetworkAccount, User
from advocacy.networks.accounts import account_connect_sandbox, account_disconnect
from advocacy.networks.health import account_health, shares_awaiting_reconnect
from advocacy.networks.selectors import accounts_for_user
from advocacy.people.access import account_access
from advocacy.people.forms import SettingsForm
from advocacy.people.request import request_user
from advocacy.sharing.retry import shares_retry_failed
from advocacy.sharing.views.common import error_messages


def network_login_url(network: str) -> str:
    """allauth's login view of the network's provider (the connect flow starts there)."""
    if network == Network.LINKEDIN:
        return reverse("openid_connect_login", kwargs={"provider_id": "linkedin"})
    return reverse("twitter_oauth2_login")


def network_configured(network: str) -> bool:
    client_id = settings.LINKEDIN_CLIENT_ID if network == Network.LINKEDIN else settings.X_CLIENT_ID
    return bool(client_id)


def _account_rows(user: User, accounts: list[NetworkAccount]) -> list[dict[str, Any]]:
    rows = []
    for account in accounts:
        failed = 0
        if account.network != Network.SANDBOX:
            failed = shares_awaiting_reconnect(user=user, network=account.network).count()
        rows.append(
            {
                "account": account,
                "health": account_health(account=account),
                "failed_count": failed,
                "reconnect_url": network_login_url(account.network)
                if account.network != Network.SANDBOX
                else "",
            }
        )
    return rows


def _connect_options(accounts: list[NetworkAccount]) -> list[dict[str, Any]]:
    by_network = {account.network: account for account in accounts}
    options = []
    for network in (Network.LINKEDIN, Network.X):
        account = by_network.get(network)
        options.append(
            {
                "label": network.label,
                "configured": network_configured(network),
                "url": network_login_url(network),
                "connected": account is not None and account.is_usable,
            }
        )
    return options


def render_my_networks(
    request: HttpRequest, *, status: int = 200, settings_form: SettingsForm | None = None
) -> HttpResponse:
    """The My networks page; `settings_form` is the settings form to show again with its errors."""
    user = request_user(request)
    accounts = list(accounts_for_user(user=user))
    sandbox = next((a for a in accounts if a.network == Network.SANDBOX), None)
    context = {
        "accounts": accounts,
        "account_rows": _account_rows(user, accounts),
        "sandbox_usable": sandbox is not None and sandbox.is_usable,
        "connect_options": _connect_options(accounts),
        "settings_form": settings_form
        or SettingsForm(
            initial={
                "time_zone": user.time_zone,
                "digest_frequency": user.digest_frequency,
                "show_on_leaderboard": user.show_on_leaderboard,
            }
        ),
    }
    return render(request, "advocacy/my_networks.html", context, status=status)


@login_required
@require_GET
def my_networks(request: HttpRequest) -> HttpResponse:
    return render_my_networks(request)


@login_required
@require_POST
def network_connect_sandbox(request: HttpRequest) -> HttpResponse:
    try:
        account_connect_sandbox(user=request_user(request))
    except ValidationError as error:
        error_messages(request, error)
        return render_my_networks(request, status=400)
    messages.success(request, _("Your sandbox account is connected. Practise away."))
    return redirect("my-networks")


@login_required
@require_POST
def network_disconnect(request: HttpRequest, account_id: int) -> HttpResponse:
    account = account_access(user=request_user(request), account_id=account_id)
    try:
        account_disconnect(account=account)
    except ValidationError as error:
        error_messages(request, error)
        return render_my_networks(request, status=400)
    messages.success(
        request,
        _("%(network)s is disconnected and its tokens are deleted.")
        % {"network": account.get_network_display()},
    )
    return redirect("my-networks")


@login_required
@require_POST
def network_retry_failed(request: HttpRequest, account_id: int) -> HttpResponse:
    """Retry, in one go, the shares that failed because this connection had expired."""
    user = request_user(request)
    account = account_access(user=user, account_id=account_id)
    try:
        outcome = shares_retry_failed(user=user, account=account)
    except ValidationError as error:
        error_messages(request, error)
        return render_my_networks(request, status=400)
    if outcome.retried:
        messages.success(
            request,
            ngettext(
                "%(count)d share is on its way again.",
                "%(count)d shares are on their way again.",
                len(outcome.retried),
            )
            % {"count": len(outcome.retried)},
        )
    for _share, reason in outcome.skipped:
        messages.warning(request, _("Not retried: %(reason)s") % {"reason": reason})
    return redirect("my-networks")
