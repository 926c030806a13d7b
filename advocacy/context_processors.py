from typing import Any

from django.http import HttpRequest

from .health import accounts_needing_action
from .roles import is_leadership, is_marketing, is_motivator


def roles(request: HttpRequest) -> dict[str, Any]:
    """Role flags for the navigation; each page still checks permissions itself."""
    user = request.user
    return {
        "is_marketing": is_marketing(user),  # type: ignore[arg-type]
        "is_leadership": is_leadership(user),  # type: ignore[arg-type]
        "is_motivator": is_motivator(user),  # type: ignore[arg-type]
    }


def network_notice(request: HttpRequest) -> dict[str, Any]:
    """The banner on every page for an ambassador whose connection expires soon, expired,
    was revoked or lacks a permission: it links to My networks, where Reconnect is."""
    user = request.user
    if not user.is_authenticated:
        return {"network_notices": []}
    notices = accounts_needing_action(user=user)  # type: ignore[arg-type]
    return {"network_notices": [health for _account, health in notices]}
