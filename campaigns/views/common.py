"""What marketing's pages share: the marketing-only guard, pagination and service errors as
one line of text."""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from advocacy.people.roles import is_marketing

PAGE_SIZE = 50
View = Callable[..., HttpResponse]


def marketing_required(view: View) -> View:
    """Logged in and in the marketing group; anyone else gets 404 (the page does not exist
    for them), for GET and POST alike."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not is_marketing(request.user):
            raise Http404(_("No such page."))
        return view(request, *args, **kwargs)

    return login_required(wrapped)


def page_of(request: HttpRequest, objects: QuerySet[Any]) -> "Page[Any]":
    return Paginator(objects, PAGE_SIZE).get_page(request.GET.get("page"))


def error_text(error: ValidationError) -> str:
    return " ".join(str(message) for message in error.messages)
