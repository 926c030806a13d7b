"""The ambassador's queue, calendar, auto-sharing and one-click pages. Each view parses input,
calls one service or selector and renders; every object is fetched through an access check
(another person's share or consent: 404)."""

import zoneinfo
from datetime import timedelta
from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from campaigns.models import ContentItem
from campaigns.selectors import content_items_available
from campaigns.variants import suggested_caption_for

from .calendar import calendar_for_user
from .models import AutoShareConsent, NetworkAccount, Share, User
from .networks import Network
from .oneclick import oneclick_read, oneclick_use
from .queue_forms import (
    AutoShareForm,
    BaseSlotFormSet,
    QueueAddForm,
    ReorderForm,
    SlotFormSet,
    SuggestionAddForm,
    add_service_error,
)
from .selectors import accounts_for_user, share_access
from .services.autoshare import autoshare_active, autoshare_grant, autoshare_revoke
from .services.queue import (
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
from .views import local_time

CALENDAR_DAYS = 28


def _user(request: HttpRequest) -> User:
    # Every caller is behind login_required, so the user is one of ours.
    return cast(User, request.user)


def _error_messages(request: HttpRequest, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


def _usable_accounts(user: User) -> list[NetworkAccount]:
    return [account for account in accounts_for_user(user=user) if account.is_usable]


def _available_item(user: User, item_id: int) -> ContentItem:
    """The item if it is offered to this user now; otherwise it does not exist for them."""
    item = content_items_available(user=user).filter(pk=item_id).first()
    if item is None:
        raise Http404("No such content item.")
    return item


def consent_access(*, user: User, consent_id: int) -> AutoShareConsent:
    """The user's own auto-sharing consent, or 404."""
    consent = AutoShareConsent.objects.filter(pk=consent_id, user=user).first()
    if consent is None:
        raise Http404("No such consent.")
    return consent


def _queued_messages(request: HttpRequest, share: Share, time_zone: str) -> None:
    """Say when the queued share really goes out, and why that is not its slot."""
    messages.success(
        request,
        _("Added to your queue: “%(title)s” goes out on %(network)s on %(when)s.")
        % {
            "title": share.content_item.title,
            "network": Network(share.network).label,
            "when": local_time(share.scheduled_at, time_zone),
        },
    )
    if share.requested_at and share.requested_at != share.scheduled_at:
        messages.warning(
            request,
            _("Your slot was %(slot)s. %(notice)s")
            % {"slot": local_time(share.requested_at, time_zone), "notice": share.schedule_notice},
        )


# --- My queue --------------------------------------------------------------------------------


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


def _render_queue(
    request: HttpRequest,
    *,
    slot_formset: Any = None,
    autoshare_form: AutoShareForm | None = None,
    status: int = 200,
) -> HttpResponse:
    user = _user(request)
    user.refresh_from_db(fields=["queue_paused", "time_zone"])
    accounts = _usable_accounts(user)
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
    return _render_queue(request)


@login_required
@require_POST
def queue_slots(request: HttpRequest) -> HttpResponse:
    formset = SlotFormSet(request.POST, prefix="slots")
    if not formset.is_valid():
        messages.error(request, _("Some slots are incomplete: see below."))
        return _render_queue(request, slot_formset=formset, status=400)
    try:
        slots = queue_slots_set(user=_user(request), slots=cast(BaseSlotFormSet, formset).slots())
    except ValidationError as error:
        _error_messages(request, error)
        return _render_queue(request, slot_formset=formset, status=400)
    if slots:
        messages.success(
            request,
            _(
                "Your weekly slots are saved; your queue goes out at them, in your time zone %(zone)s."
            )
            % {"zone": _user(request).time_zone},
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
        return _render_queue(request, status=400)
    try:
        queue_reorder(
            user=_user(request),
            share_ids=form.cleaned_data["order"],
            expected=form.cleaned_data["expected"] or None,
        )
    except ValidationError as error:
        _error_messages(request, error)
        return _render_queue(request, status=400)
    messages.success(request, _("Your queue is in its new order."))
    return redirect("my-queue")


@login_required
@require_POST
def queue_share_now(request: HttpRequest, share_id: int) -> HttpResponse:
    share = share_access(user=_user(request), share_id=share_id)
    try:
        share = queue_move_to_now(share=share)
    except ValidationError as error:
        _error_messages(request, error)
        return _render_queue(request, status=400)
    messages.success(
        request,
        _("“%(title)s” is on its way to %(network)s.")
        % {"title": share.content_item.title, "network": Network(share.network).label},
    )
    return redirect("my-queue")


@login_required
@require_POST
def queue_share_remove(request: HttpRequest, share_id: int) -> HttpResponse:
    share = share_access(user=_user(request), share_id=share_id)
    try:
        queue_remove(share=share)
    except ValidationError as error:
        _error_messages(request, error)
        return _render_queue(request, status=400)
    messages.success(
        request,
        _("“%(title)s” is out of your queue; nothing was posted.")
        % {"title": share.content_item.title},
    )
    return redirect("my-queue")


@login_required
@require_POST
def queue_pause_view(request: HttpRequest) -> HttpResponse:
    queue_pause(user=_user(request))
    messages.success(
        request, _("Your queue is paused: nothing in it goes out until you resume it.")
    )
    return redirect("my-queue")


@login_required
@require_POST
def queue_resume_view(request: HttpRequest) -> HttpResponse:
    try:
        queue_resume(user=_user(request))
    except ValidationError as error:
        _error_messages(request, error)
        return _render_queue(request, status=400)
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
    user = _user(request)
    form = SuggestionAddForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Reload the page and try again."))
        return _render_queue(request, status=400)
    item = _available_item(user, form.cleaned_data["item"])
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
        _error_messages(request, error)
        return _render_queue(request, status=400)
    _queued_messages(request, share, user.time_zone)
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
        return QueueAddForm(request.POST, **options)
    usable = [account.network for account in accounts]
    wanted = request.GET.get("network", "")
    network = wanted if wanted in usable else (usable[0] if usable else "")
    text, variant = ("", None)
    if network:
        text, variant = suggested_caption_for(user=user, item=item, network=network)
    return QueueAddForm(initial={"network": network, "text": text, "variant": variant}, **options)


@login_required
@require_http_methods(["GET", "POST"])
def queue_add_view(request: HttpRequest, item_id: int) -> HttpResponse:
    """The caption for a queued share, prefilled with the caption offered to me; it goes into
    my next free slot."""
    user = _user(request)
    item = _available_item(user, item_id)
    accounts = _usable_accounts(user)
    form = _queue_add_form(request, user, item, accounts)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                share = queue_add(
                    user=user,
                    item=item,
                    network=form.cleaned_data["network"],
                    text=form.cleaned_data["text"],
                    variant=form.cleaned_data["variant"],
                )
            except ValidationError as error:
                add_service_error(form, error)
            else:
                _queued_messages(request, share, user.time_zone)
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


# --- Auto-sharing ----------------------------------------------------------------------------


@login_required
@require_POST
def autoshare_grant_view(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    form = AutoShareForm(request.POST, accounts=_usable_accounts(user))
    if form.is_valid():
        try:
            consent = autoshare_grant(
                user=user, topic=form.cleaned_data["topic"], network=form.cleaned_data["network"]
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(
                request,
                _(
                    "Auto-sharing is on for “%(topic)s” on %(network)s until %(until)s: new "
                    "items of the topic go into your queue without asking you."
                )
                % {
                    "topic": consent.topic.name,
                    "network": Network(consent.network).label,
                    "until": local_time(consent.expires_at, user.time_zone),
                },
            )
            return redirect(f"{reverse('my-queue')}#autoshare")
    return _render_queue(request, autoshare_form=form, status=400)


@login_required
@require_POST
def autoshare_revoke_view(request: HttpRequest, consent_id: int) -> HttpResponse:
    consent = consent_access(user=_user(request), consent_id=consent_id)
    consent = autoshare_revoke(consent=consent)
    messages.success(
        request,
        _(
            "Auto-sharing is off for “%(topic)s” on %(network)s. What it already queued stays "
            "in your queue, where you can remove it."
        )
        % {"topic": consent.topic.name, "network": Network(consent.network).label},
    )
    return redirect(f"{reverse('my-queue')}#autoshare")


# --- My calendar -----------------------------------------------------------------------------


@login_required
@require_GET
def my_calendar(request: HttpRequest) -> HttpResponse:
    """My shares still to go out, per day in my own zone, for the next four weeks."""
    user = _user(request)
    start = timezone.now().astimezone(zoneinfo.ZoneInfo(user.time_zone)).date()
    end = start + timedelta(days=CALENDAR_DAYS - 1)
    days = [
        {
            "day": day["day"],
            "shares": [
                {
                    "share": entry["share"],
                    "time": entry["local_time"].strftime("%H:%M"),
                    "local": local_time(entry["share"].scheduled_at, user.time_zone),
                }
                for entry in day["shares"]
            ],
        }
        for day in calendar_for_user(user=user, start=start, end=end)
    ]
    context = {"days": days, "start": start, "end": end, "time_zone": user.time_zone}
    return render(request, "queue/my_calendar.html", context)


# --- One-click links (new-content email) -----------------------------------------------------


def _oneclick_refused(request: HttpRequest, error: ValidationError) -> HttpResponse:
    return render(request, "queue/oneclick_refused.html", {"errors": error.messages}, status=400)


@login_required
@require_http_methods(["GET", "POST"])
def oneclick_add(request: HttpRequest, token: str) -> HttpResponse:
    """GET shows what the link adds and a button; only the POST adds it. Mail scanners open
    every link in an email, and a GET that queued a share would let them post for people."""
    user = _user(request)
    if request.method == "POST":
        try:
            share = oneclick_use(token=token, user=user)
        except ValidationError as error:
            return _oneclick_refused(request, error)
        _queued_messages(request, share, user.time_zone)
        return redirect("my-queue")
    try:
        link = oneclick_read(token=token, user=user)
    except ValidationError as error:
        return _oneclick_refused(request, error)
    text, _variant = suggested_caption_for(user=user, item=link.item, network=link.network)
    context = {
        "token": token,
        "item": link.item,
        "network": Network(link.network).label,
        "text": text,
        "expires": local_time(link.expires_at, user.time_zone),
    }
    return render(request, "queue/oneclick.html", context)
