"""The API's role permissions: what only marketing may do."""

from rest_framework import permissions
from rest_framework.request import Request
from rest_framework.views import APIView

from advocacy.people.roles import is_marketing


class IsMarketing(permissions.BasePermission):
    message = "Only marketing can do this."

    def has_permission(self, request: Request, view: APIView) -> bool:
        return bool(request.user and request.user.is_authenticated and is_marketing(request.user))


class IsMarketingOrReadOnly(permissions.BasePermission):
    message = "Only marketing can change this."

    def has_permission(self, request: Request, view: APIView) -> bool:
        if not (request.user and request.user.is_authenticated):
            return False
        return request.method in permissions.SAFE_METHODS or is_marketing(request.user)
