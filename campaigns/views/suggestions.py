"""Suggestions: any employee suggests content (/suggest/); marketing reviews them."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Case, IntegerField, Value, When
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from advocacy.people.request import request_user
from campaigns import selectors, services
from campaigns.forms import ReviewForm, SuggestionForm, add_service_errors
from campaigns.models import Suggestion
from campaigns.views.common import error_text, marketing_required, page_of


def _form_error_text(form: ReviewForm) -> str:
    return " ".join(str(message) for errors in form.errors.values() for message in errors)


@marketing_required
def suggestion_review_list(request: HttpRequest) -> HttpResponse:
    suggestions = selectors.suggestions_for(user=request_user(request), everything=True).order_by(
        Case(
            When(status=Suggestion.Status.PENDING, then=Value(0)),
            default=Value(1),
            output_field=IntegerField(),
        ),
        "-created_at",
        "-pk",
    )
    return render(
        request,
        "campaigns/suggestion_review_list.html",
        {"page": page_of(request, suggestions), "review_form": ReviewForm()},
    )


def _suggestion(request: HttpRequest, pk: int) -> Suggestion:
    return get_object_or_404(
        selectors.suggestions_for(user=request_user(request), everything=True), pk=pk
    )


@marketing_required
@require_POST
def suggestion_approve(request: HttpRequest, pk: int) -> HttpResponse:
    suggestion = _suggestion(request, pk)
    form = ReviewForm(request.POST)
    if not form.is_valid():
        messages.error(request, _form_error_text(form))
        return redirect("suggestion-review-list")
    try:
        item = services.suggestion_approve(
            suggestion=suggestion, reviewer=request_user(request), note=form.cleaned_data["note"]
        )
    except ValidationError as error:
        messages.error(request, error_text(error))
        return redirect("suggestion-review-list")
    messages.success(
        request,
        _("“%(title)s” was added to the library as a draft: polish it and publish it.")
        % {"title": item.title},
    )
    return redirect("content-edit", pk=item.pk)


@marketing_required
@require_POST
def suggestion_reject(request: HttpRequest, pk: int) -> HttpResponse:
    suggestion = _suggestion(request, pk)
    form = ReviewForm(request.POST)
    if not form.is_valid():
        messages.error(request, _form_error_text(form))
        return redirect("suggestion-review-list")
    try:
        services.suggestion_reject(
            suggestion=suggestion, reviewer=request_user(request), note=form.cleaned_data["note"]
        )
    except ValidationError as error:
        messages.error(request, error_text(error))
    else:
        messages.success(
            request,
            _("“%(title)s” was declined; the sender sees your note.") % {"title": suggestion.title},
        )
    return redirect("suggestion-review-list")


@login_required
def suggestion_create(request: HttpRequest) -> HttpResponse:
    """Any employee, also one who never shares, can suggest content (principle 1)."""
    form = SuggestionForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                suggestion = services.suggestion_create(
                    user=request_user(request), **form.cleaned_data
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(
                    request,
                    _("Thank you! Marketing will review “%(title)s”.")
                    % {"title": suggestion.title},
                )
                return redirect("suggestion-create")
        status = 400
    mine = selectors.suggestions_for(user=request_user(request), everything=False)
    return render(
        request,
        "campaigns/suggestion_create.html",
        {"form": form, "page": page_of(request, mine)},
        status=status,
    )
