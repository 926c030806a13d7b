"""The API's exception handler (REST_FRAMEWORK["EXCEPTION_HANDLER"]): every 400 of every app
has the same shape."""

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework.exceptions import ValidationError as DrfValidationError
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler as drf_exception_handler


def _field_path(parent: str, key: Any) -> str:
    if key == api_settings.NON_FIELD_ERRORS_KEY:
        return parent
    return f"{parent}.{key}" if parent else str(key)


def _field_messages(errors: Any, field: str = "") -> list[str]:
    """DRF's nested input errors as "field: message" lines (nested fields as "field.sub",
    items of a list as "field.0"); errors not about one field keep the bare message."""
    if isinstance(errors, dict):
        return [
            message
            for key, value in errors.items()
            for message in _field_messages(value, _field_path(field, key))
        ]
    if isinstance(errors, list):
        # A list of dicts is one error dict per item of a nested list (`many=True`).
        return [
            message
            for index, value in enumerate(errors)
            for message in _field_messages(
                value, _field_path(field, index) if isinstance(value, dict) else field
            )
        ]
    return [f"{field}: {errors}" if field else str(errors)]


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """Every 400 has the same shape: {"detail": "...", "code": "...", "errors": ...}.

    Services raise Django's ValidationError; the API answers with the same message a page
    would show. Serializers raise DRF's ValidationError (input that does not parse); its
    detail names each field, and "errors" keeps DRF's per-field structure."""
    if isinstance(exc, DrfValidationError):
        response = drf_exception_handler(exc, context)  # also rolls back an atomic request
        if response is not None:
            response.data = {
                "detail": " ".join(_field_messages(exc.detail)),
                "code": "invalid",
                "errors": exc.detail,
            }
        return response
    if isinstance(exc, DjangoValidationError):
        if hasattr(exc, "error_dict"):
            errors: Any = {key: [str(m) for m in val] for key, val in exc.message_dict.items()}
            messages = [m for values in errors.values() for m in values]
        else:
            messages = [str(m) for m in exc.messages]
            errors = messages
        # A field-keyed error (full_clean) keeps its codes per field: take the first one.
        parts = (
            [e for errs in exc.error_dict.values() for e in errs]
            if hasattr(exc, "error_dict")
            else getattr(exc, "error_list", [])
        )
        code = getattr(exc, "code", None) or next((e.code for e in parts if e.code), "invalid")
        return Response({"detail": " ".join(messages), "code": code, "errors": errors}, status=400)
    return drf_exception_handler(exc, context)
