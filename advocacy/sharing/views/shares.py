"""My shares and one share: its status (polled while the worker may still change it), and
editing, cancelling or sending now a share that is still scheduled."""

import zoneinfo
from datetime import datetime
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from advocacy.models import Network, Share
from advocacy.networks.pauses import network_pause_holding, pause_share_message
from advocacy.networks.registry import get_provider
from advocacy.networks.rules import tracked_url
from advocacy.people.access import share_access
from advocacy.people.request import request_user
from advocacy.publishing.reconcile import share_confirm as share_confirm_service
from advocacy.sharing import scheduling
from advocacy.sharing.forms import ShareEditForm
from advocacy.sharing.photos import PreparedPhoto, photo_check, photo_prepare, share_photo_set
from advocacy.sharing.selectors import shares_for_user
from advocacy.sharing.shares import share_cancel as share_cancel_service
from advocacy.sharing.views.common import (
    add_schedule_error,
    chosen_moment,
    error_messages,
    http_url,
    local_time,
    scheduled_messages,
)

# The status block of a share keeps polling while the worker may still change it.
POLLING_STATUSES = (Share.Status.SCHEDULED, Share.Status.PUBLISHING)
MY_SHARES_PER_PAGE = 50


@login_required
@require_GET
def my_shares(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    # Newest first; the annotations group the query, which drops the model's default order.
    shares = shares_for_user(user=user).order_by("-created_at", "-id")
    page = Paginator(shares, MY_SHARES_PER_PAGE).get_page(request.GET.get("page"))
    rows = [share_row(share, user.time_zone) for share in page]
    return render(request, "advocacy/my_shares.html", {"rows": rows, "page": page})


def share_row(share: Share, time_zone: str) -> dict[str, Any]:
    """A share with its times as the ambassador reads them (in their own zone)."""

    def local(moment: datetime | None) -> str:
        return local_time(moment, time_zone) if moment is not None else ""

    moved = share.requested_at is not None and share.requested_at != share.scheduled_at
    return {
        "share": share,
        "tracked_url": tracked_url(share.code),
        "external_url": http_url(share.external_url),
        "time_zone": time_zone,
        "scheduled_local": local(share.scheduled_at),
        "requested_local": local(share.requested_at) if moved else "",
        "published_local": local(share.published_at),
        "created_local": local(share.created_at),
    }


def _share_context(
    share: Share, time_zone: str, edit_form: ShareEditForm | None = None
) -> dict[str, Any]:
    context = {
        **share_row(share, time_zone),
        "polling": share.status in POLLING_STATUSES,
        # Where the network cannot be searched, only the ambassador can say whether it appeared.
        "ask_appeared": share.status == Share.Status.UNKNOWN
        and not get_provider(share.network).can_find_posts,
    }
    if share.status == Share.Status.SCHEDULED and not share.error:
        # Due while its network is paused for everyone, the share was never tried, so it
        # carries no message of its own yet: say why it waits.
        pause = network_pause_holding(network=share.network)
        if pause is not None:
            context["pause_message"] = pause_share_message(pause)
    if share.photo:
        context["photo_url"] = reverse("share-photo", args=[share.pk])
    elif share.network == Network.LINKEDIN:
        # Without a photo, LinkedIn shows the link's card with the item's image (if any).
        context["card"] = share.content_item
    if edit_form is not None:
        context["edit_form"] = edit_form  # with its errors
    elif share.status == Share.Status.SCHEDULED:
        context["edit_form"] = ShareEditForm(
            initial=_edit_initial(share, time_zone),
            time_zone=time_zone,
            has_photo=bool(share.photo),
        )
    return context


def _edit_initial(share: Share, time_zone: str) -> dict[str, Any]:
    # The time asked for (the service moves it again if needed), to the minute the field shows.
    moment = share.requested_at or share.scheduled_at
    local = moment.astimezone(zoneinfo.ZoneInfo(time_zone))
    return {"text": share.text, "when": local.replace(tzinfo=None, second=0, microsecond=0)}


def _render_share(
    request: HttpRequest, share: Share, *, edit_form: ShareEditForm | None = None, status: int = 200
) -> HttpResponse:
    context = _share_context(share, request_user(request).time_zone, edit_form)
    return render(request, "advocacy/share_detail.html", context, status=status)


@login_required
@require_GET
def share_detail(request: HttpRequest, share_id: int) -> HttpResponse:
    share = share_access(user=request_user(request), share_id=share_id)
    return _render_share(request, share)


@login_required
@require_GET
def share_status(request: HttpRequest, share_id: int) -> HttpResponse:
    user = request_user(request)
    share = share_access(user=user, share_id=share_id)
    return render(request, "advocacy/_share_status.html", _share_context(share, user.time_zone))


@login_required
@require_POST
def share_update(request: HttpRequest, share_id: int) -> HttpResponse:
    """Edit the text or the time of a scheduled share; the time is only re-read when it was
    changed, so a text edit leaves the moment (and a queue slot) alone."""
    user = request_user(request)
    share = share_access(user=user, share_id=share_id)
    form = ShareEditForm(
        request.POST,
        request.FILES,
        initial=_edit_initial(share, user.time_zone),
        time_zone=user.time_zone,
        has_photo=bool(share.photo),
    )
    when = None
    if form.is_valid() and "when" in form.changed_data:
        when = chosen_moment(form)
    photo = _edited_photo(form, share) if not form.errors else None
    if form.errors:
        return _render_share(request, share, edit_form=form, status=400)
    try:
        with transaction.atomic():
            share = scheduling.share_update(share=share, text=form.cleaned_data["text"], when=when)
            if photo is not None or form.cleaned_data.get("remove_photo"):
                share = share_photo_set(share=share, photo=photo)
    except ValidationError as error:
        if getattr(error, "code", None) != "not_editable":
            add_schedule_error(form, form, error)
            return _render_share(request, share, edit_form=form, status=400)
        # It started publishing meanwhile: say so, and show it as it is now (no form).
        error_messages(request, error)
        share.refresh_from_db()
        return _render_share(request, share, status=400)
    scheduled_messages(request, share, user.time_zone)
    return redirect("share-detail", share_id=share.pk)


def _edited_photo(form: ShareEditForm, share: Share) -> PreparedPhoto | None:
    """A new photo for the share, checked for its network and account; its problems go on
    the photo field."""
    upload = form.cleaned_data.get("photo")
    if not upload:
        return None
    try:
        photo = photo_prepare(upload=upload)
        photo_check(photo=photo, network=share.network, account=share.account)
    except ValidationError as error:
        form.add_error("photo", error)
        return None
    return photo


@login_required
@require_POST
def share_now(request: HttpRequest, share_id: int) -> HttpResponse:
    share = share_access(user=request_user(request), share_id=share_id)
    try:
        share = scheduling.share_now(share=share)
    except ValidationError as error:
        error_messages(request, error)
        return _render_share(request, share, status=400)
    messages.success(
        request,
        _("Your share is on its way to %(network)s.") % {"network": Network(share.network).label},
    )
    return redirect("share-detail", share_id=share.pk)


@login_required
@require_POST
def share_cancel(request: HttpRequest, share_id: int) -> HttpResponse:
    share = share_access(user=request_user(request), share_id=share_id)
    try:
        share_cancel_service(share=share)
    except ValidationError as error:
        error_messages(request, error)
        return _render_share(request, share, status=400)
    messages.success(request, _("The share is cancelled; nothing was posted."))
    return redirect("share-detail", share_id=share.pk)


@login_required
@require_POST
def share_confirm(request: HttpRequest, share_id: int) -> HttpResponse:
    """The ambassador's answer to "did this appear?" (a post the network did not confirm)."""
    share = share_access(user=request_user(request), share_id=share_id)
    appeared = request.POST.get("appeared") == "yes"
    try:
        share = share_confirm_service(share=share, appeared=appeared)
    except ValidationError as error:
        error_messages(request, error)
        return _render_share(request, share, status=400)
    if appeared:
        messages.success(request, _("Thank you: the share counts as published."))
    else:
        messages.success(request, _("Thank you: it is posted again now, once."))
    return redirect("share-detail", share_id=share.pk)
