"""My queue: weekly slots, the shares waiting for them (reorder, send now, remove), pausing,
suggestions for the empty slots, and adding an item to the queue."""

from typing import Any, cast

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
from advocacy.people.access import share_access
from advocacy.people.request import request_user
from advocacy.sharing.autoshare import autoshare_active
from advocacy.sharing.forms import (
    AutoShareForm,
    BaseSlotFormSet,
    QueueAddForm,
    ReorderForm,
    SlotFormSet,
    SuggestionAddForm,
    add_service_error,
)
from advocacy.sharing.photos import share_photo_set
from advocacy.sharing.queue import (
    queue_add,
    queue_move_to_now,
    queue_pause,
    queue_remove,
    queue_reorder,
    queue_resume,
    queue_shares,
    queue_slots_set,
    queue_suggestions,
)
from advocacy.sharing.views.common import (
    available_item,
    error_messages,
    local_time,
    queued_messages,
    usable_accounts,
)
from advocacy.sharing.views.photos import chosen_photo
from campaigns.models import ContentItem
from campaigns.variants import suggested_caption_for


def _order(ids: list[int]) -> str:
    return ",".join(str(pk) for pk in ids)


def _swapped(ids: list[int], index: int, other: int) -> str:
    order = list(ids)
    order[index], order[other] = order[other], order[index]
    return _order(order)


def _queue_rows(shares: list[Share], time_zone: str) -> list[dict[str, Any]]:
    """Each queued share with its local time and the full new order its up / down buttons
    post."""
    ids = [share.pk for share in shares]
    rows = []
    for index, share in enumerate(shares):
        moved = share.requested_at is not None and share.requested_at != share.scheduled_at
        rows.append(
            {
                "share": share,
                "position": index + 1,
                "local": local_time(share.scheduled_at, time_zone),
                "slot_local": local_time(share.requested_at, time_zone)
                if moved and share.requested_at
                else "",
                "up": _swapped(ids, index, index - 1) if index > 0 else "",
                "down": _swapped(ids, index, index + 1) if index < len(ids) - 1 else "",
            }
        )
    return rows


def _suggestion_rows(user: User, accounts: list[NetworkAccount]) -> list[dict[str, Any]]:
    return [
        {
            "local": local_time(moment, user.time_zone),
            "entry": entry,
            "forms": [
                (
                    account,
                    SuggestionAddForm(
                        initial={
                            "item": entry.item.pk,
                            "network": account.network,
                            "slot": moment.isoformat(),
                        }
                    ),
                )
                for account in accounts
            ],
        }
        for moment, entry in queue_suggestions(user=user)
    ]


def _slot_initial(user: User) -> list[dict[str, Any]]:
    return [
        {"weekday": slot.weekday, "time": slot.time}
        for slot in user.queue_slots.order_by("weekday", "time")
    ]


def render_queue(
    request: HttpRequest,
    *,
    slot_formset: Any = None,
    autoshare_form: AutoShareForm | None = None,
    status: int = 200,
) -> HttpResponse:
    """The queue page; a refused POST passes back its bound form (with its errors)."""
    user = request_user(request)
    user.refresh_from_db(fields=["queue_paused", "time_zone"])
    accounts = usable_accounts(user)
    shares = list(queue_shares(user))
    context = {
        "time_zone": user.time_zone,
        "paused": user.queue_paused,
        "slot_formset": slot_formset or SlotFormSet(initial=_slot_initial(user), prefix="slots"),
        "has_slots": user.queue_slots.exists(),
        "rows": _queue_rows(shares, user.time_zone),
        "expected": _order([share.pk for share in shares]),
        "suggestions": _suggestion_rows(user, accounts),
        "accounts": accounts,
        "consents": list(autoshare_active(user=user)),
        "autoshare_form": autoshare_form or AutoShareForm(accounts=accounts),
    }
    return render(request, "queue/my_queue.html", context, status=status)


@login_required
@require_GET
def my_queue(request: HttpRequest) -> HttpResponse:
    return render_queue(request)


@login_required
@require_POST
def queue_slots(request: HttpRequest) -> HttpResponse:
    formset = SlotFormSet(request.POST, prefix="slots")
    if not formset.is_valid():
        messages.error(request, _("Some slots are incomplete: see below."))
        return render_queue(request, slot_formset=formset, status=400)
    try:
        slots = queue_slots_set(
            user=request_user(request), slots=cast(BaseSlotFormSet, formset).slots()
        )
    except ValidationError as error:
        error_messages(request, error)
        return render_queue(request, slot_formset=formset, status=400)
    if slots:
        messages.success(
            request,
            _(
                "Your weekly slots are saved; your queue goes out at them, in your time zone %(zone)s."
            )
            % {"zone": request_user(request).time_zone},
        )
    else:
        messages.success(request, _("Your weekly slots are removed."))
    return redirect("my-queue")


@login_required
@require_POST
def queue_reorder_view(request: HttpRequest) -> HttpResponse:
    form = ReorderForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Reload the page and try again."))
        return render_queue(request, status=400)
    try:
        queue_reorder(
            user=request_user(request),
            share_ids=form.cleaned_data["order"],
            expected=form.cleaned_data["expected"] or None,
        )
    except ValidationError as error:
        error_messages(request, error)
        return render_queue(request, status=400)
    messages.success(request, _("Your queue is in its new order."))
    return redirect("my-queue")


@login_required
@require_POST
def queue_share_now(request: HttpRequest, share_id: int) -> HttpResponse:
    share = share_access(user=request_user(request), share_id=share_id)
    try:
        share = queue_move_to_now(share=share)
    except ValidationError as error:
        error_messages(request, error)
        return render_queue(request, status=400)
    messages.success(
        request,
        _("“%(title)s” is on its way to %(network)s.")
        % {"title": share.content_item.title, "network": Network(share.network).label},
    )
    return redirect("my-queue")


@login_required
@require_POST
def queue_share_remove(request: HttpRequest, share_id: int) -> HttpResponse:
    share = share_access(user=request_user(request), share_id=share_id)
    try:
        queue_remove(share=share)
    except ValidationError as error:
        error_messages(request, error)
        return render_queue(request, status=400)
    messages.success(
        request,
        _("“%(title)s” is out of your queue; nothing was posted.")
        % {"title": share.content_item.title},
    )
    return redirect("my-queue")


@login_required
@require_POST
def queue_pause_view(request: HttpRequest) -> HttpResponse:
    queue_pause(user=request_user(request))
    messages.success(
        request, _("Your queue is paused: nothing in it goes out until you resume it.")
    )
    return redirect("my-queue")


@login_required
@require_POST
def queue_resume_view(request: HttpRequest) -> HttpResponse:
    try:
        queue_resume(user=request_user(request))
    except ValidationError as error:
        error_messages(request, error)
        return render_queue(request, status=400)
    messages.success(
        request,
        _("Your queue is running again: its shares moved to your next free slots, in order."),
    )
    return redirect("my-queue")


@login_required
@require_POST
def queue_suggestion_add(request: HttpRequest) -> HttpResponse:
    """ "Add" on an empty slot: the suggested item with the caption offered to me (a variant
    colleagues have not used yet), in that very slot."""
    user = request_user(request)
    form = SuggestionAddForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Reload the page and try again."))
        return render_queue(request, status=400)
    item = available_item(user, form.cleaned_data["item"])
    network = form.cleaned_data["network"]
    text, variant = suggested_caption_for(user=user, item=item, network=network)
    try:
        share = queue_add(
            user=user,
            item=item,
            network=network,
            text=text,
            variant=variant,
            slot=form.cleaned_data["slot"],
        )
    except ValidationError as error:
        error_messages(request, error)
        return render_queue(request, status=400)
    queued_messages(request, share, user.time_zone)
    return redirect("my-queue")


# --- Add to queue from an item ---------------------------------------------------------------


def _queue_add_form(
    request: HttpRequest, user: User, item: ContentItem, accounts: list[NetworkAccount]
) -> QueueAddForm:
    options: dict[str, Any] = {
        "item": item,
        "accounts": accounts,
        "check_url": reverse("caption-check", args=[item.pk]),
    }
    if request.method == "POST":
        return QueueAddForm(request.POST, request.FILES, **options)
    usable = [account.network for account in accounts]
    wanted = request.GET.get("network", "")
    network = wanted if wanted in usable else (usable[0] if usable else "")
    text, variant = ("", None)
    if network:
        text, variant = suggested_caption_for(user=user, item=item, network=network)
    return QueueAddForm(initial={"network": network, "text": text, "variant": variant}, **options)


def _queue_add(form: QueueAddForm, user: User, item: ContentItem) -> Share | None:
    """Queue the share, with the ambassador's photo if they chose one; every problem goes on
    the form, which keeps the caption as typed."""
    try:
        photo = chosen_photo(form, user)
    except ValidationError as error:
        form.add_error("photo", error)
        return None
    try:
        with transaction.atomic():
            share = queue_add(
                user=user,
                item=item,
                network=form.cleaned_data["network"],
                text=form.cleaned_data["text"],
                variant=form.cleaned_data["variant"],
            )
            if photo is not None:
                share = share_photo_set(share=share, photo=photo)
    except ValidationError as error:
        add_service_error(form, error)
        return None
    return share


@login_required
@require_http_methods(["GET", "POST"])
def queue_add_view(request: HttpRequest, item_id: int) -> HttpResponse:
    """The caption for a queued share, prefilled with the caption offered to me; it goes into
    my next free slot."""
    user = request_user(request)
    item = available_item(user, item_id)
    accounts = usable_accounts(user)
    form = _queue_add_form(request, user, item, accounts)
    status = 200
    if request.method == "POST":
        share = _queue_add(form, user, item) if form.is_valid() else None
        if share is not None:
            queued_messages(request, share, user.time_zone)
            return redirect("my-queue")
        status = 400
    context = {
        "item": item,
        "form": form,
        "accounts": accounts,
        "has_slots": user.queue_slots.exists(),
        "time_zone": user.time_zone,
    }
    return render(request, "queue/queue_add.html", context, status=status)
