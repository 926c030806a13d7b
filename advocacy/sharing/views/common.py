"""What the ambassador pages share: times in their own zone, the accounts and items they may
use, and the messages that say when a share really goes out."""

import zoneinfo
from datetime import datetime
from urllib.parse import urlsplit

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from django.utils import dateformat
from django.utils.translation import gettext as _

from advocacy.models import Network, NetworkAccount, Share, User
from advocacy.networks.selectors import accounts_for_user
from advocacy.sharing import scheduling
from advocacy.sharing.forms import ScheduleForm, add_service_error, fold_choices
from campaigns.models import ContentItem
from campaigns.selectors import content_items_available

# How a moment reads for the ambassador: in their own zone, with the zone's abbreviation
# (which says summer or winter time around a DST change).
LOCAL_FORMAT = "D j M Y, H:i T"
# Service errors about the chosen time belong next to the time field, not the caption.
TIME_ERROR_CODES = {"time_in_past", "after_availability", "no_allowed_time", "naive_time"}


def http_url(url: str) -> str:
    """A link a network gave us, shown only if it is http(s): it is not our data."""
    return url if urlsplit(url).scheme in ("http", "https") else ""


def error_messages(request: HttpRequest, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


def local_time(moment: datetime, time_zone: str) -> str:
    """A moment as the ambassador reads it: in their own zone, e.g. "Mon 30 Mar 2026, 09:00
    CEST"."""
    return dateformat.format(moment.astimezone(zoneinfo.ZoneInfo(time_zone)), LOCAL_FORMAT)


def usable_accounts(user: User) -> list[NetworkAccount]:
    return [account for account in accounts_for_user(user=user) if account.is_usable]


def available_item(user: User, item_id: int) -> ContentItem:
    """The item if it is offered to this user now (published, in its window, for their
    teams); otherwise it does not exist for them."""
    item = content_items_available(user=user).filter(pk=item_id).first()
    if item is None:
        raise Http404("No such content item.")
    return item


def chosen_moment(form: ScheduleForm) -> datetime | None:
    """The form's wall time read in the person's own zone, as a UTC moment. A skipped hour
    puts the explanation on the form; a repeated one also offers the choice between its two
    moments. None when the form got an error."""
    local = form.cleaned_data["when"]
    choices = fold_choices(local, form.time_zone)
    if choices:
        form.offer_fold(choices)
    try:
        return scheduling.local_to_utc(
            local=local, time_zone=form.time_zone, fold=form.cleaned_data.get("fold")
        )
    except ValidationError as error:
        form.add_error("when", error)
        return None


def add_schedule_error(
    caption_form: forms.Form, schedule_form: ScheduleForm, error: ValidationError
) -> None:
    if not hasattr(error, "error_dict") and {e.code for e in error.error_list} <= TIME_ERROR_CODES:
        schedule_form.add_error("when", error)
    else:
        add_service_error(caption_form, error)


def scheduled_messages(request: HttpRequest, share: Share, time_zone: str) -> None:
    """Say when the share really goes out, and why that is not the time asked for."""
    messages.success(
        request,
        _("Scheduled: your share goes out on %(network)s on %(when)s.")
        % {
            "network": Network(share.network).label,
            "when": local_time(share.scheduled_at, time_zone),
        },
    )
    if share.requested_at and share.requested_at != share.scheduled_at:
        messages.warning(
            request,
            _("You asked for %(asked)s. %(notice)s")
            % {"asked": local_time(share.requested_at, time_zone), "notice": share.schedule_notice},
        )


def queued_messages(request: HttpRequest, share: Share, time_zone: str) -> None:
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
