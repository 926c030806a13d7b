"""The feed and the caption editor: share an item now, or later at a time in the
ambassador's own zone, with live guidance from the policy while they write."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from advocacy.models import Network, NetworkAccount, Share, User
from advocacy.networks.rules import post_text
from advocacy.people.request import request_user
from advocacy.sharing import scheduling
from advocacy.sharing.captions import caption_guidance
from advocacy.sharing.forms import CaptionForm, ScheduleForm, add_service_error
from advocacy.sharing.photos import PreparedPhoto, share_photo_set
from advocacy.sharing.shares import share_create as share_create_service
from advocacy.sharing.similarity import caption_similarity
from advocacy.sharing.views.common import (
    add_schedule_error,
    available_item,
    chosen_moment,
    scheduled_messages,
    usable_accounts,
)
from advocacy.sharing.views.photos import chosen_photo, photo_errors_context
from campaigns.models import CaptionVariant, ContentItem
from campaigns.selectors import feed_for_user
from campaigns.variants import suggested_caption_for
from policy.selectors import policy_current, policy_has_acknowledged

PREVIEW_CODE = "xxxxxxxx"


@login_required
@require_GET
def feed(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    policy = policy_current()
    context: dict[str, Any] = {
        "policy": policy,
        "acknowledged": policy is not None and policy_has_acknowledged(user=user, version=policy),
        "entries": feed_for_user(user=user) if user.is_ambassador else [],
        "has_network": bool(usable_accounts(user)) if user.is_ambassador else False,
    }
    return render(request, "advocacy/feed.html", context)


# A share "used" the offered variant while its text stays this close to it.
VARIANT_KEPT_SIMILARITY = 0.5


# --- Caption editor --------------------------------------------------------------------------


def _variant_used(user: User, item: ContentItem, network: str, text: str) -> CaptionVariant | None:
    """The variant this caption grew from, if it was offered and is still recognisable in
    it: recorded on the share, so colleagues are offered the other variants."""
    offered, variant = suggested_caption_for(user=user, item=item, network=network)
    if variant is not None and caption_similarity(text, offered) >= VARIANT_KEPT_SIMILARITY:
        return variant
    return None


def _caption_check_context(
    *, user: User, item: ContentItem, network: str, text: str
) -> dict[str, Any]:
    """The guidance panel: share_check refuses exactly what it marks red (one call)."""
    offered, _variant = suggested_caption_for(user=user, item=item, network=network)
    guidance = caption_guidance(
        user=user, item=item, network=network, text=text, policy=policy_current(), suggested=offered
    )
    return {
        "item": item,
        "network": guidance.network,
        "rules": guidance.rules,
        "length": guidance.length,
        "over": guidance.over,
        "findings": guidance.findings,
        "blocked": guidance.blocked,
        "policy": guidance.policy,
        "preview": post_text(text, PREVIEW_CODE),
    }


@login_required
@require_http_methods(["GET", "POST"])
def share_create(request: HttpRequest, item_id: int) -> HttpResponse:
    """The caption editor: share now, or later at a time in the ambassador's own zone."""
    user = request_user(request)
    item = available_item(user, item_id)
    accounts = usable_accounts(user)
    check_url = reverse("caption-check", args=[item.pk])
    photo_check_url = reverse("photo-check", args=[item.pk])
    # No "required" attribute on the time: the same form also shares now.
    schedule_options: dict[str, Any] = {
        "time_zone": user.time_zone,
        "use_required_attribute": False,
    }
    if request.method == "GET":
        requested = request.GET.get("network", "")
        usable = [account.network for account in accounts]
        network = requested if requested in usable else (usable[0] if usable else "")
        text, _variant = suggested_caption_for(user=user, item=item, network=network or Network.X)
        form = CaptionForm(
            initial={"network": network, "text": text},
            accounts=accounts,
            check_url=check_url,
            photo_check_url=photo_check_url,
        )
        schedule_form = ScheduleForm(**schedule_options)
        return _render_editor(request, item, form, schedule_form, accounts, network, text)
    form = CaptionForm(
        request.POST,
        request.FILES,
        accounts=accounts,
        check_url=check_url,
        photo_check_url=photo_check_url,
    )
    if request.POST.get("action") == "later":
        schedule_form = ScheduleForm(request.POST, **schedule_options)
        share = _share_later(request, user, item, form, schedule_form)
    else:
        schedule_form = ScheduleForm(initial={"when": request.POST.get("when")}, **schedule_options)
        share = _share_now(request, user, item, form)
    if share is not None:
        return redirect("share-detail", share_id=share.pk)
    network, text = request.POST.get("network", ""), request.POST.get("text", "")
    return _render_editor(request, item, form, schedule_form, accounts, network, text, status=400)


def _render_editor(
    request: HttpRequest,
    item: ContentItem,
    form: CaptionForm,
    schedule_form: ScheduleForm,
    accounts: list[NetworkAccount],
    network: str,
    text: str,
    *,
    status: int = 200,
) -> HttpResponse:
    context: dict[str, Any] = {
        "item": item,
        "form": form,
        "schedule_form": schedule_form,
        "accounts": accounts,
        # A file input cannot be filled in again: say so when the page comes back with one.
        "photo_sent": bool(form.files.get("photo")),
    }
    photo_errors = form.errors.as_data().get("photo")
    if photo_errors:
        # The errors show on the field; the page adds the way out when it is a reconnect.
        reconnect = photo_errors_context(ValidationError(photo_errors))["photo_reconnect"]
        context["photo_reconnect"] = reconnect
    if network in Network.values:
        context["check"] = {
            **_caption_check_context(
                user=request_user(request), item=item, network=network, text=text
            ),
            **_card_context(item, network),
        }
    return render(request, "advocacy/share_create.html", context, status=status)


def _card_context(item: ContentItem, network: str) -> dict[str, Any]:
    """The link card LinkedIn shows for a share without a photo: the item's title, its
    description and its image (uploaded with the post; without an image the card has none)."""
    if network != Network.LINKEDIN:
        return {}
    return {"card": {"title": item.title, "description": item.description, "image": item.image}}


def _with_photo(share: Share, photo: PreparedPhoto | None) -> Share:
    return share_photo_set(share=share, photo=photo) if photo is not None else share


def _share_now(
    request: HttpRequest, user: User, item: ContentItem, form: CaptionForm
) -> Share | None:
    if not form.is_valid():
        return None
    try:
        photo = chosen_photo(form, user)
    except ValidationError as error:
        form.add_error("photo", error)
        return None
    try:
        network, text = form.cleaned_data["network"], form.cleaned_data["text"]
        # One transaction: the worker is handed the share only once its photo is attached.
        with transaction.atomic():
            share = share_create_service(
                user=user,
                item=item,
                network=network,
                text=text,
                variant=_variant_used(user, item, network, text),
            )
            share = _with_photo(share, photo)
    except ValidationError as error:
        add_service_error(form, error)
        return None
    messages.success(
        request,
        _("Your share is on its way to %(network)s.") % {"network": Network(share.network).label},
    )
    return share


def _share_later(
    request: HttpRequest,
    user: User,
    item: ContentItem,
    form: CaptionForm,
    schedule_form: ScheduleForm,
) -> Share | None:
    caption_valid = form.is_valid()  # both forms checked, so every problem shows at once
    if not (schedule_form.is_valid() and caption_valid):
        return None
    when = chosen_moment(schedule_form)
    if when is None:
        return None
    try:
        photo = chosen_photo(form, user)
    except ValidationError as error:
        form.add_error("photo", error)
        return None
    try:
        network, text = form.cleaned_data["network"], form.cleaned_data["text"]
        with transaction.atomic():
            share = scheduling.share_schedule(
                user=user,
                item=item,
                network=network,
                text=text,
                when=when,
                variant=_variant_used(user, item, network, text),
            )
            share = _with_photo(share, photo)
    except ValidationError as error:
        add_schedule_error(form, schedule_form, error)
        return None
    scheduled_messages(request, share, user.time_zone)
    return share


@login_required
@require_POST
def caption_check(request: HttpRequest, item_id: int) -> HttpResponse:
    item = available_item(request_user(request), item_id)
    form = CaptionForm(request.POST, guidance_only=True)
    if not form.is_valid():
        return HttpResponse(_("Choose a network."), status=400)
    check = _caption_check_context(
        user=request_user(request),
        item=item,
        network=form.cleaned_data["network"],
        text=form.cleaned_data["text"],
    )
    check.update(_card_context(item, form.cleaned_data["network"]))
    return render(request, "advocacy/_caption_check.html", {"check": check})
