from typing import Any

from django.http import HttpRequest

from advocacy.models import NetworkPause
from advocacy.networks.health import accounts_needing_action
from advocacy.networks.linkedin.checks import network_checks_current
from advocacy.networks.pauses import network_pauses_holding, pause_notice
from advocacy.people.roles import is_leadership, is_marketing, is_motivator


def roles(request: HttpRequest) -> dict[str, Any]:
    """Role flags for the navigation; each page still checks permissions itself."""
    user = request.user
    return {
        "is_marketing": is_marketing(user),
        "is_leadership": is_leadership(user),
        "is_motivator": is_motivator(user),
    }


def network_notice(request: HttpRequest) -> dict[str, Any]:
    """The banner on every page for an ambassador whose connection expires soon, expired,
    was revoked or lacks a permission: it links to My networks, where Reconnect is."""
    user = request.user
    if not user.is_authenticated:
        return {"network_notices": []}
    notices = accounts_needing_action(user=user)
    return {"network_notices": [health for _account, health in notices]}


def network_pauses(request: HttpRequest) -> dict[str, Any]:
    """The banner for staff and marketing (on the admin and on every page): a network paused
    for the whole installation, and what the system checks say about the network setup (the
    LinkedIn API version). Marketing gets the "Credits topped up" button. Nobody else pays a
    query for it."""
    user = request.user
    if not user.is_authenticated:
        return {"network_pause_notices": []}
    marketing = is_marketing(user)
    if not (user.is_staff or marketing):
        return {"network_pause_notices": []}
    notices: list[dict[str, Any]] = [
        {
            "level": "error" if check.is_serious() else "warning",
            "message": f"{check.msg} {check.hint or ''}".strip(),
            "resume_network": "",
        }
        for check in network_checks_current()
    ]
    for pause in network_pauses_holding():
        notices.append(
            {
                "level": "error",
                "message": pause_notice(pause),
                "resume_network": pause.network
                if marketing and pause.reason == NetworkPause.Reason.CREDITS
                else "",
            }
        )
    return {"network_pause_notices": notices}
