"""Content items (marketing): the library, the content form with the length each network
counts for the suggested captions, status changes, and the item's caption variants."""

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from advocacy.models import Network
from advocacy.networks.rules import NETWORK_RULES
from advocacy.people.request import request_user
from campaigns import selectors, services
from campaigns.forms import (
    ContentItemForm,
    ContentStatusForm,
    VariantForm,
    VariantTextForm,
    add_service_errors,
)
from campaigns.models import CaptionVariant, ContentItem
from campaigns.variants import variant_create, variant_delete, variant_update
from campaigns.views.common import error_text, marketing_required, page_of
from policy.captions import link_findings
from policy.selectors import policy_current


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
            "page": page_of(request, items),
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
                    item=item, user=request_user(request), **form.cleaned_data
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
                % {"title": item.title, "reason": error_text(error)},
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
