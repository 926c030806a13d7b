"""API plumbing shared by every app: the exception handler and the permission classes."""

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import permissions
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView
from rest_framework.views import exception_handler as drf_exception_handler

from .roles import is_marketing


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """Services raise Django's ValidationError; the API answers 400 with the same message a
    page would show: {"detail": "...", "code": "...", "errors": [...]}."""
    if isinstance(exc, DjangoValidationError):
        if hasattr(exc, "error_dict"):
            errors: Any = {key: [str(m) for m in val] for key, val in exc.message_dict.items()}
            messages = [m for values in errors.values() for m in values]
        else:
            messages = [str(m) for m in exc.messages]
            errors = messages
        code = getattr(exc, "code", None) or next(
            (e.code for e in getattr(exc, "error_list", []) if e.code), "invalid"
        )
        return Response({"detail": " ".join(messages), "code": code, "errors": errors}, status=400)
    return drf_exception_handler(exc, context)


class IsMarketing(permissions.BasePermission):
    message = "Only marketing can do this."

    def has_permission(self, request: Request, view: APIView) -> bool:
        return bool(request.user and request.user.is_authenticated and is_marketing(request.user))  # type: ignore[arg-type]


class IsMarketingOrReadOnly(permissions.BasePermission):
    message = "Only marketing can change this."

    def has_permission(self, request: Request, view: APIView) -> bool:
        if not (request.user and request.user.is_authenticated):
            return False
        return request.method in permissions.SAFE_METHODS or is_marketing(request.user)  # type: ignore[arg-type]
