from typing import Any

from django.http import HttpRequest

from .roles import is_leadership, is_marketing, is_motivator


def roles(request: HttpRequest) -> dict[str, Any]:
    """Role flags for the navigation; each page still checks permissions itself."""
    user = request.user
    return {
        "is_marketing": is_marketing(user),  # type: ignore[arg-type]
        "is_leadership": is_leadership(user),  # type: ignore[arg-type]
        "is_motivator": is_motivator(user),  # type: ignore[arg-type]
    }
