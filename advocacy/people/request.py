"""The person asking, typed: one helper for the pages and the API."""

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from rest_framework.exceptions import NotAuthenticated
from rest_framework.request import Request

from advocacy.models import User


def request_user(request: HttpRequest | Request) -> User:
    """The signed-in user of a page (behind login_required or the admin) or of an API view
    (behind IsAuthenticated). Those guards answer an anonymous request before the view runs,
    so the refusal here is only a safety net: 401/403 for the API, 403 for a page."""
    user = request.user
    if not user.is_authenticated:
        if isinstance(request, Request):
            raise NotAuthenticated
        raise PermissionDenied
    return user
