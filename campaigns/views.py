"""Pages for marketing's content management (/manage/...) and the suggestion page every
employee can use (/suggest/). Thin: parse the form, call one service or selector, render."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Page, Paginator
from django.db.models import Case, Count, IntegerField, QuerySet, Value, When
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from advocacy.calendar import MAX_CALENDAR_DAYS, calendar_for_campaign
from advocacy.models import User
from advocacy.networks import NETWORK_RULES, Network
from advocacy.roles import is_marketing
from advocacy.selectors import campaign_access, stats_for_campaign
from policy.captions import link_findings
from policy.selectors import policy_current, policy_draft

from . import selectors, services
from .forms import (
    CalendarRangeForm,
    CampaignForm,
    ContentItemForm,
    ContentStatusForm,
    ReviewForm,
    SuggestionForm,
    TopicForm,
    VariantForm,
    VariantTextForm,
    add_service_errors,
)
from .models import Campaign, CaptionVariant, ContentItem, Suggestion
from .variants import variant_create, variant_delete, variant_update

PAGE_SIZE = 50
View = Callable[..., HttpResponse]


def marketing_required(view: View) -> View:
    """Logged in and in the marketing group; anyone else gets 404 (the page does not exist
    for them), for GET and POST alike."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not is_marketing(request.user):  # type: ignore[arg-type]
            raise Http404(_("No such page."))
        return view(request, *args, **kwargs)

    return login_required(wrapped)


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _page(request: HttpRequest, objects: QuerySet[Any]) -> "Page[Any]":
    return Paginator(objects, PAGE_SIZE).get_page(request.GET.get("page"))


def _error_text(error: ValidationError) -> str:
    return " ".join(str(message) for message in error.messages)


def _form_error_text(form: ReviewForm) -> str:
    return " ".join(str(message) for errors in form.errors.values() for message in errors)


# --- Overview -------------------------------------------------------------------------------


@marketing_required
def manage_home(request: HttpRequest) -> HttpResponse:
    by_status = dict(ContentItem.objects.values_list("status").annotate(n=Count("pk")).order_by())
    return render(
        request,
        "campaigns/manage_home.html",
        {
            "policy": policy_current(),
            "policy_draft": policy_draft(),
            "topic_count": selectors.topics_list().count(),
            "campaign_count": selectors.campaigns_list().count(),
            "status_counts": [
                (value, label, by_status.get(value, 0))
                for value, label in ContentItem.Status.choices
            ],
            "pending_count": selectors.suggestions_for(user=_user(request), everything=True)
            .filter(status=Suggestion.Status.PENDING)
            .count(),
        },
    )


# --- Topics ---------------------------------------------------------------------------------


@marketing_required
def topic_list(request: HttpRequest) -> HttpResponse:
    form = TopicForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                topic = services.topic_create(**form.cleaned_data)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("Topic “%(name)s” added.") % {"name": topic.name})
                return redirect("topic-list")
        status = 400
    topics = selectors.topics_list().annotate(item_count=Count("items"))
    return render(
        request, "campaigns/topic_list.html", {"form": form, "topics": topics}, status=status
    )


# --- Campaigns ------------------------------------------------------------------------------


@marketing_required
def campaign_list(request: HttpRequest) -> HttpResponse:
    campaigns = selectors.campaigns_list().annotate(item_count=Count("items"))
    return render(request, "campaigns/campaign_list.html", {"page": _page(request, campaigns)})


def _campaign_form(request: HttpRequest, campaign: Campaign | None) -> HttpResponse:
    initial = CampaignForm.initial_for(campaign) if campaign else {}
    form = CampaignForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                campaign = services.campaign_save(campaign=campaign, **form.cleaned_data)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("Campaign “%(name)s” saved.") % {"name": campaign})
                return redirect("campaign-detail", pk=campaign.pk)
        status = 400
    return render(
        request,
        "campaigns/campaign_form.html",
        {"form": form, "campaign": campaign},
        status=status,
    )


@marketing_required
def campaign_create(request: HttpRequest) -> HttpResponse:
    return _campaign_form(request, None)


@marketing_required
def campaign_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _campaign_form(request, get_object_or_404(selectors.campaigns_list(), pk=pk))


@login_required
def campaign_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Marketing and leadership; campaign_access answers 404 for everyone else."""
    campaign = campaign_access(user=_user(request), campaign_id=pk)
    return render(
        request, "campaigns/campaign_detail.html", {"stats": stats_for_campaign(campaign=campaign)}
    )


def _calendar_days(campaign: Campaign, form: CalendarRangeForm) -> tuple[date, date]:
    """The days asked for; by default the campaign's own period, capped to the longest
    calendar that can be shown."""
    start = form.cleaned_data.get("start") or campaign.starts_on
    end = form.cleaned_data.get("end")
    if end is None:
        end = max(start, min(campaign.ends_on, start + timedelta(days=MAX_CALENDAR_DAYS - 1)))
    return start, end


@login_required
def campaign_calendar(request: HttpRequest, pk: int) -> HttpResponse:
    """Shares of the campaign's items scheduled and published, per day and per network.
    Marketing and leadership, like the campaign page."""
    campaign = campaign_access(user=_user(request), campaign_id=pk)
    form = CalendarRangeForm(request.GET)
    days: list[dict[str, Any]] = []
    if form.is_valid():
        start, end = _calendar_days(campaign, form)
        try:
            days = calendar_for_campaign(campaign=campaign, start=start, end=end)
        except ValidationError as error:
            form.add_error(None, error)
    context = {
        "campaign": campaign,
        "form": form,
        "days": days,
        "networks": Network.choices,
        "totals": {
            "scheduled": sum(day["scheduled"] for day in days),
            "published": sum(day["published"] for day in days),
        },
    }
    status = 400 if form.errors else 200
    return render(request, "campaigns/campaign_calendar.html", context, status=status)


# --- Content items --------------------------------------------------------------------------


@dataclass(frozen=True)
class CaptionCounter:
    field: str
    network: str
    length: int
    max_length: int
    short_length: int

    @property
    def over(self) -> bool:
        return self.length > self.max_length


def _caption_counters(linkedin: str, x: str) -> list[CaptionCounter]:
    """The length each network will count (with the tracked link appended) for the suggested
    captions, so marketing sees at once when a caption is too long or not bite-sized."""
    counters = []
    for field, network, text in (
        ("caption_linkedin", Network.LINKEDIN, linkedin),
        ("caption_x", Network.X, x),
    ):
        rules = NETWORK_RULES[network]
        counters.append(
            CaptionCounter(
                field=field,
                network=str(network.label),
                length=rules.caption_length(text) if text.strip() else 0,
                max_length=rules.max_length,
                short_length=rules.short_length,
            )
        )
    return counters


def _status_actions() -> list[tuple[str, str]]:
    """The status buttons; a page shows the ones other than the item's current status."""
    return [
        (ContentItem.Status.IN_REVIEW, _("Send to review")),
        (ContentItem.Status.PUBLISHED, _("Publish")),
        (ContentItem.Status.ARCHIVED, _("Archive")),
        (ContentItem.Status.DRAFT, _("Back to draft")),
    ]


@marketing_required
def content_list(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    if status not in ContentItem.Status.values:
        status = ""
    items = selectors.content_items_list(status=status or None).order_by("-updated_at", "-pk")
    return render(
        request,
        "campaigns/content_list.html",
        {
            "page": _page(request, items),
            "status": status,
            "statuses": ContentItem.Status.choices,
            "status_actions": _status_actions(),
        },
    )


def _content_form(request: HttpRequest, item: ContentItem | None) -> HttpResponse:
    initial = ContentItemForm.initial_for(item) if item else {}
    form = ContentItemForm(request.POST or None, request.FILES or None, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                item = services.content_item_save(
                    item=item, user=_user(request), **form.cleaned_data
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("“%(title)s” saved.") % {"title": item.title})
                return redirect("content-edit", pk=item.pk)
        status = 400
    return _render_content(request, item, form, status=status)


def _render_content(
    request: HttpRequest,
    item: ContentItem | None,
    form: ContentItemForm | None = None,
    *,
    variant_form: VariantForm | None = None,
    edited: tuple[int, VariantTextForm] | None = None,
    status: int = 200,
) -> HttpResponse:
    """The content form and, for an existing item, its caption variants. `variant_form` and
    `edited` (a variant id with its bound form) put back what a refused POST sent."""
    if form is None:
        form = ContentItemForm(initial=ContentItemForm.initial_for(item) if item else {})
    policy = policy_current()
    return render(
        request,
        "campaigns/content_form.html",
        {
            "form": form,
            "item": item,
            "counters": _caption_counters(
                str(form["caption_linkedin"].value() or ""), str(form["caption_x"].value() or "")
            ),
            "link_problems": link_findings(item.url, policy) if item and policy else [],
            "status_actions": _status_actions(),
            "variants": _variant_rows(item, edited) if item else [],
            "variant_form": variant_form or VariantForm(prefix="variant-new"),
        },
        status=status,
    )


def _counter(network: str, text: str) -> CaptionCounter:
    rules = NETWORK_RULES[network]
    return CaptionCounter(
        field="text",
        network=str(Network(network).label),
        length=rules.caption_length(text) if text.strip() else 0,
        max_length=rules.max_length,
        short_length=rules.short_length,
    )


def _variant_rows(
    item: ContentItem, edited: tuple[int, VariantTextForm] | None
) -> list[dict[str, Any]]:
    """Each variant with its edit form and the length its network counts."""
    rows = []
    for variant in item.variants.order_by("network", "pk"):
        if edited is not None and edited[0] == variant.pk:
            form = edited[1]
        else:
            form = VariantTextForm(initial={"text": variant.text}, prefix=f"variant-{variant.pk}")
        rows.append(
            {
                "variant": variant,
                "form": form,
                "counter": _counter(variant.network, str(form["text"].value() or "")),
            }
        )
    return rows


def _variant(pk: int) -> CaptionVariant:
    return get_object_or_404(CaptionVariant.objects.select_related("item"), pk=pk)


def _variants_anchor(item: ContentItem) -> str:
    return f"{reverse('content-edit', args=[item.pk])}#variants"


@marketing_required
@require_POST
def variant_create_view(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_object_or_404(selectors.content_items_list(), pk=pk)
    form = VariantForm(request.POST, prefix="variant-new")
    if form.is_valid():
        try:
            variant = variant_create(item=item, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("Caption variant added for %(network)s.")
                % {"network": variant.get_network_display()},
            )
            return redirect(_variants_anchor(item))
    return _render_content(request, item, variant_form=form, status=400)


@marketing_required
@require_POST
def variant_update_view(request: HttpRequest, pk: int) -> HttpResponse:
    variant = _variant(pk)
    form = VariantTextForm(request.POST, prefix=f"variant-{variant.pk}")
    if form.is_valid():
        try:
            variant_update(variant=variant, text=form.cleaned_data["text"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("Caption variant for %(network)s saved.")
                % {"network": variant.get_network_display()},
            )
            return redirect(_variants_anchor(variant.item))
    return _render_content(request, variant.item, edited=(variant.pk, form), status=400)


@marketing_required
@require_POST
def variant_delete_view(request: HttpRequest, pk: int) -> HttpResponse:
    variant = _variant(pk)
    item = variant.item
    variant_delete(variant=variant)
    messages.success(
        request,
        _("Caption variant deleted. Shares made with it keep their own text."),
    )
    return redirect(_variants_anchor(item))


@marketing_required
def content_create(request: HttpRequest) -> HttpResponse:
    return _content_form(request, None)


@marketing_required
def content_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _content_form(request, get_object_or_404(selectors.content_items_list(), pk=pk))


@marketing_required
@require_POST
def content_status(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_object_or_404(selectors.content_items_list(), pk=pk)
    form = ContentStatusForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a status."))
    else:
        try:
            services.content_item_set_status(item=item, status=form.cleaned_data["status"])
        except ValidationError as error:
            messages.error(
                request,
                _("“%(title)s” was not changed: %(reason)s")
                % {"title": item.title, "reason": _error_text(error)},
            )
        else:
            messages.success(
                request,
                _("“%(title)s” is now %(status)s.")
                % {"title": item.title, "status": item.get_status_display()},
            )
    return _redirect_back(request, reverse("content-edit", args=[item.pk]))


def _redirect_back(request: HttpRequest, default: str) -> HttpResponseRedirect:
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = default
    return HttpResponseRedirect(target)


# --- Suggestions ----------------------------------------------------------------------------


@marketing_required
def suggestion_review_list(request: HttpRequest) -> HttpResponse:
    suggestions = selectors.suggestions_for(user=_user(request), everything=True).order_by(
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
        {"page": _page(request, suggestions), "review_form": ReviewForm()},
    )


def _suggestion(request: HttpRequest, pk: int) -> Suggestion:
    return get_object_or_404(selectors.suggestions_for(user=_user(request), everything=True), pk=pk)


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
            suggestion=suggestion, reviewer=_user(request), note=form.cleaned_data["note"]
        )
    except ValidationError as error:
        messages.error(request, _error_text(error))
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
            suggestion=suggestion, reviewer=_user(request), note=form.cleaned_data["note"]
        )
    except ValidationError as error:
        messages.error(request, _error_text(error))
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
                suggestion = services.suggestion_create(user=_user(request), **form.cleaned_data)
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
    mine = selectors.suggestions_for(user=_user(request), everything=False)
    return render(
        request,
        "campaigns/suggestion_create.html",
        {"form": form, "page": _page(request, mine)},
        status=status,
    )
