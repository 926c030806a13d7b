"""Helpers shared by the API modules of every app: the page envelope and read-only related
ids."""

from typing import Any

from django.db.models import QuerySet
from rest_framework import serializers
from rest_framework.pagination import BasePagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import BaseSerializer
from rest_framework.settings import api_settings
from rest_framework.views import APIView


def paginated_response(
    *,
    request: Request,
    view: APIView,
    queryset: QuerySet[Any],
    serializer_class: type[BaseSerializer[Any]],
    context: dict[str, Any] | None = None,
) -> Response:
    """One page of the queryset with the project's default pagination ({count, next,
    previous, results}). List views also set `pagination_class`, which is how
    drf-spectacular knows to document the page envelope."""
    # drf-stubs type the setting as its dotted path (str | None); api_settings gives the class.
    paginator: BasePagination = api_settings.DEFAULT_PAGINATION_CLASS()  # type: ignore[misc,operator]
    page = paginator.paginate_queryset(queryset, request, view=view)
    serializer = serializer_class(page, many=True, context={"request": request, **(context or {})})
    return paginator.get_paginated_response(serializer.data)


def related_ids(**kwargs: Any) -> Any:
    """Read-only ids of related objects (integers in the schema, which cannot guess them for
    a serializer without a model)."""
    return serializers.PrimaryKeyRelatedField(
        read_only=True, pk_field=serializers.IntegerField(), **kwargs
    )
