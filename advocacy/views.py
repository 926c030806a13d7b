"""The ambassador and motivator pages. Each view parses input, calls one service or selector
and renders; every object is fetched through an access check (another person's: 404)."""

import zoneinfo
from datetime import datetime
from typing import Any, cast
from urllib.parse import urlsplit
from uuid import UUID

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import dateformat
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from campaigns.models import ContentItem
from campaigns.selectors import content_items_available, feed_for_user
from policy.captions import caption_findings, link_findings
from policy.selectors import policy_current, policy_has_acknowledged

from . import selectors, services
from .forms import (
    CaptionForm,
    ScheduleForm,
    SettingsForm,
    ShareEditForm,
    add_service_error,
    fold_choices,
)
from .models import NetworkAccount, SandboxPost, Share, User
from .networks import NETWORK_RULES, Network, post_text, tracked_url
from .providers import ProviderError
from .providers.sandbox import SandboxProvider
from .services import scheduling
from .services.settings import user_settings_update

# The status block of a share keeps polling while the worker may still change it.
POLLING_STATUSES = (Share.Status.SCHEDULED, Share.Status.PUBLISHING)
PREVIEW_CODE = "xxxxxxxx"
MY_SHARES_PER_PAGE = 50
# How a moment reads for the ambassador: in their own zone, with the zone's abbreviation
# (which says summer or winter time around a DST change).
LOCAL_FORMAT = "D j M Y, H:i T"
# Service errors about the chosen time belong next to the time field, not the caption.
TIME_ERROR_CODES = {"time_in_past", "after_availability", "no_allowed_time", "naive_time"}


def _user(request: HttpRequest) -> User:
    # Every caller is behind login_required, so the user is one of ours.
    return cast(User, request.user)


def _http_url(url: str) -> str:
    """A link a network gave us, shown only if it is http(s): it is not our data."""
    return url if urlsplit(url).scheme in ("http", "https") else ""


def _error_messages(request: HttpRequest, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


def local_time(moment: datetime, time_zone: str) -> str:
    """A moment as the ambassador reads it: in their own zone, e.g. "Mon 30 Mar 2026, 09:00
    CEST"."""
    return dateformat.format(moment.astimezone(zoneinfo.ZoneInfo(time_zone)), LOCAL_FORMAT)


def _chosen_moment(form: ScheduleForm) -> datetime | None:
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


def _add_schedule_error(
    caption_form: forms.Form, schedule_form: ScheduleForm, error: ValidationError
) -> None:
    if not hasattr(error, "error_dict") and {e.code for e in error.error_list} <= TIME_ERROR_CODES:
        schedule_form.add_error("when", error)
    else:
        add_service_error(caption_form, error)


def _scheduled_messages(request: HttpRequest, share: Share, time_zone: str) -> None:
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


# --- Feed ------------------------------------------------------------------------------------


@login_required
@require_GET
def feed(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    policy = policy_current()
    context: dict[str, Any] = {
        "policy": policy,
        "acknowledged": policy is not None and policy_has_acknowledged(user=user, version=policy),
        "entries": feed_for_user(user=user) if user.is_ambassador else [],
        "has_network": bool(_usable_accounts(user)) if user.is_ambassador else False,
    }
    return render(request, "advocacy/feed.html", context)


# --- Caption editor --------------------------------------------------------------------------


def _available_item(user: User, item_id: int) -> ContentItem:
    """The item if it is offered to this user now (published, in its window, for their
    teams); otherwise it does not exist for them."""
    item = content_items_available(user=user).filter(pk=item_id).first()
    if item is None:
        raise Http404("No such content item.")
    return item


def _usable_accounts(user: User) -> list[NetworkAccount]:
    return [account for account in selectors.accounts_for_user(user=user) if account.is_usable]


def _caption_check_context(*, item: ContentItem, network: str, text: str) -> dict[str, Any]:
    rules = NETWORK_RULES[network]
    policy = policy_current()
    length = rules.caption_length(text)
    findings = []
    if policy is not None:
        findings = link_findings(item.url, policy) + caption_findings(
            text=text, network=network, policy=policy, suggested=item.suggested_caption(network)
        )
    return {
        "item": item,
        "network": Network(network),
        "rules": rules,
        "length": length,
        "over": length > rules.max_length,
        "findings": findings,
        "blocked": any(finding.blocking for finding in findings),
        "policy": policy,
        "preview": post_text(text, PREVIEW_CODE),
    }


@login_required
@require_http_methods(["GET", "POST"])
def share_create(request: HttpRequest, item_id: int) -> HttpResponse:
    """The caption editor: share now, or later at a time in the ambassador's own zone."""
    user = _user(request)
    item = _available_item(user, item_id)
    accounts = _usable_accounts(user)
    check_url = reverse("caption-check", args=[item.pk])
    # No "required" attribute on the time: the same form also shares now.
    schedule_options: dict[str, Any] = {
        "time_zone": user.time_zone,
        "use_required_attribute": False,
    }
    if request.method == "GET":
        requested = request.GET.get("network", "")
        usable = [account.network for account in accounts]
        network = requested if requested in usable else (usable[0] if usable else "")
        text = item.suggested_caption(network or Network.X)
        form = CaptionForm(
            initial={"network": network, "text": text}, accounts=accounts, check_url=check_url
        )
        schedule_form = ScheduleForm(**schedule_options)
        return _render_editor(request, item, form, schedule_form, accounts, network, text)
    form = CaptionForm(request.POST, accounts=accounts, check_url=check_url)
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
    }
    if network in Network.values:
        context["check"] = _caption_check_context(item=item, network=network, text=text)
    return render(request, "advocacy/share_create.html", context, status=status)


def _share_now(
    request: HttpRequest, user: User, item: ContentItem, form: CaptionForm
) -> Share | None:
    if not form.is_valid():
        return None
    try:
        share = services.share_create(
            user=user,
            item=item,
            network=form.cleaned_data["network"],
            text=form.cleaned_data["text"],
        )
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
    when = _chosen_moment(schedule_form)
    if when is None:
        return None
    try:
        share = scheduling.share_schedule(
            user=user,
            item=item,
            network=form.cleaned_data["network"],
            text=form.cleaned_data["text"],
            when=when,
        )
    except ValidationError as error:
        _add_schedule_error(form, schedule_form, error)
        return None
    _scheduled_messages(request, share, user.time_zone)
    return share


@login_required
@require_POST
def caption_check(request: HttpRequest, item_id: int) -> HttpResponse:
    item = _available_item(_user(request), item_id)
    form = CaptionForm(request.POST, guidance_only=True)
    if not form.is_valid():
        return HttpResponse(_("Choose a network."), status=400)
    check = _caption_check_context(
        item=item, network=form.cleaned_data["network"], text=form.cleaned_data["text"]
    )
    return render(request, "advocacy/_caption_check.html", {"check": check})


# --- Shares ----------------------------------------------------------------------------------


@login_required
@require_GET
def my_shares(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    # Newest first; the annotations group the query, which drops the model's default order.
    shares = selectors.shares_for_user(user=user).order_by("-created_at", "-id")
    page = Paginator(shares, MY_SHARES_PER_PAGE).get_page(request.GET.get("page"))
    rows = [_share_row(share, user.time_zone) for share in page]
    return render(request, "advocacy/my_shares.html", {"rows": rows, "page": page})


def _share_row(share: Share, time_zone: str) -> dict[str, Any]:
    """A share with its times as the ambassador reads them (in their own zone)."""

    def local(moment: datetime | None) -> str:
        return local_time(moment, time_zone) if moment is not None else ""

    moved = share.requested_at is not None and share.requested_at != share.scheduled_at
    return {
        "share": share,
        "tracked_url": tracked_url(share.code),
        "external_url": _http_url(share.external_url),
        "time_zone": time_zone,
        "scheduled_local": local(share.scheduled_at),
        "requested_local": local(share.requested_at) if moved else "",
        "published_local": local(share.published_at),
        "created_local": local(share.created_at),
    }


def _share_context(
    share: Share, time_zone: str, edit_form: ShareEditForm | None = None
) -> dict[str, Any]:
    context = {**_share_row(share, time_zone), "polling": share.status in POLLING_STATUSES}
    if edit_form is not None:
        context["edit_form"] = edit_form  # with its errors
    elif share.status == Share.Status.SCHEDULED:
        context["edit_form"] = ShareEditForm(
            initial=_edit_initial(share, time_zone), time_zone=time_zone
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
    context = _share_context(share, _user(request).time_zone, edit_form)
    return render(request, "advocacy/share_detail.html", context, status=status)


@login_required
@require_GET
def share_detail(request: HttpRequest, share_id: int) -> HttpResponse:
    return _render_share(request, selectors.share_access(user=_user(request), share_id=share_id))


@login_required
@require_GET
def share_status(request: HttpRequest, share_id: int) -> HttpResponse:
    user = _user(request)
    share = selectors.share_access(user=user, share_id=share_id)
    return render(request, "advocacy/_share_status.html", _share_context(share, user.time_zone))


@login_required
@require_POST
def share_update(request: HttpRequest, share_id: int) -> HttpResponse:
    """Edit the text or the time of a scheduled share; the time is only re-read when it was
    changed, so a text edit leaves the moment (and a queue slot) alone."""
    user = _user(request)
    share = selectors.share_access(user=user, share_id=share_id)
    form = ShareEditForm(
        request.POST, initial=_edit_initial(share, user.time_zone), time_zone=user.time_zone
    )
    when = None
    if form.is_valid() and "when" in form.changed_data:
        when = _chosen_moment(form)
    if form.errors:
        return _render_share(request, share, edit_form=form, status=400)
    try:
        share = scheduling.share_update(share=share, text=form.cleaned_data["text"], when=when)
    except ValidationError as error:
        if getattr(error, "code", None) != "not_editable":
            _add_schedule_error(form, form, error)
            return _render_share(request, share, edit_form=form, status=400)
        # It started publishing meanwhile: say so, and show it as it is now (no form).
        _error_messages(request, error)
        share.refresh_from_db()
        return _render_share(request, share, status=400)
    _scheduled_messages(request, share, user.time_zone)
    return redirect("share-detail", share_id=share.pk)


@login_required
@require_POST
def share_now(request: HttpRequest, share_id: int) -> HttpResponse:
    share = selectors.share_access(user=_user(request), share_id=share_id)
    try:
        share = scheduling.share_now(share=share)
    except ValidationError as error:
        _error_messages(request, error)
        return _render_share(request, share, status=400)
    messages.success(
        request,
        _("Your share is on its way to %(network)s.") % {"network": Network(share.network).label},
    )
    return redirect("share-detail", share_id=share.pk)


@login_required
@require_POST
def share_cancel(request: HttpRequest, share_id: int) -> HttpResponse:
    share = selectors.share_access(user=_user(request), share_id=share_id)
    try:
        services.share_cancel(share=share)
    except ValidationError as error:
        _error_messages(request, error)
        return _render_share(request, share, status=400)
    messages.success(request, _("The share is cancelled; nothing was posted."))
    return redirect("share-detail", share_id=share.pk)


# --- Impact ----------------------------------------------------------------------------------


@login_required
@require_GET
def my_impact(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    stats = selectors.stats_for_user(user=user)
    by_status = [
        {"status": status, "label": Share.Status(status).label, "count": count}
        for status, count in stats["by_status"].items()
    ]
    context = {
        "figures": stats["figures"],
        "by_status": by_status,
        "best_shares": [_share_row(share, user.time_zone) for share in stats["best_shares"]],
    }
    return render(request, "advocacy/my_impact.html", context)


# --- Networks and opting in / out ------------------------------------------------------------


def _render_networks(
    request: HttpRequest, *, status: int = 200, settings_form: SettingsForm | None = None
) -> HttpResponse:
    user = _user(request)
    accounts = list(selectors.accounts_for_user(user=user))
    sandbox = next((a for a in accounts if a.network == Network.SANDBOX), None)
    context = {
        "accounts": accounts,
        "sandbox_usable": sandbox is not None and sandbox.is_usable,
        "coming_soon": [Network.LINKEDIN.label, Network.X.label],
        "settings_form": settings_form
        or SettingsForm(
            initial={"time_zone": user.time_zone, "digest_frequency": user.digest_frequency}
        ),
    }
    return render(request, "advocacy/my_networks.html", context, status=status)


@login_required
@require_GET
def my_networks(request: HttpRequest) -> HttpResponse:
    return _render_networks(request)


@login_required
@require_POST
def me_settings(request: HttpRequest) -> HttpResponse:
    form = SettingsForm(request.POST)
    if form.is_valid():
        try:
            user = user_settings_update(user=_user(request), **form.cleaned_data)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(
                request,
                _("Saved. Times are read and shown in %(zone)s; new-content email: %(often)s.")
                % {"zone": user.time_zone, "often": user.get_digest_frequency_display()},
            )
            return redirect(f"{reverse('my-networks')}#settings")
    return _render_networks(request, status=400, settings_form=form)


@login_required
@require_POST
def network_connect_sandbox(request: HttpRequest) -> HttpResponse:
    try:
        services.account_connect_sandbox(user=_user(request))
    except ValidationError as error:
        _error_messages(request, error)
        return _render_networks(request, status=400)
    messages.success(request, _("Your sandbox account is connected. Practise away."))
    return redirect("my-networks")


@login_required
@require_POST
def network_disconnect(request: HttpRequest, account_id: int) -> HttpResponse:
    account = selectors.account_access(user=_user(request), account_id=account_id)
    try:
        services.account_disconnect(account=account)
    except ValidationError as error:
        _error_messages(request, error)
        return _render_networks(request, status=400)
    messages.success(
        request,
        _("%(network)s is disconnected and its tokens are deleted.")
        % {"network": account.get_network_display()},
    )
    return redirect("my-networks")


@login_required
@require_POST
def me_opt_in(request: HttpRequest) -> HttpResponse:
    try:
        services.ambassador_opt_in(user=_user(request))
    except ValidationError as error:
        _error_messages(request, error)
        return render(request, "advocacy/opt_in_refused.html", status=400)
    messages.success(request, _("Welcome aboard! Connect a network to start sharing."))
    return redirect("feed")


@login_required
@require_http_methods(["GET", "POST"])
def me_opt_out(request: HttpRequest) -> HttpResponse:
    """GET explains what opting out does; the POST from that page does it."""
    user = _user(request)
    if request.method == "POST":
        try:
            services.ambassador_opt_out(user=user)
        except ValidationError as error:
            _error_messages(request, error)
            return render(request, "advocacy/opt_out.html", status=400)
        messages.success(
            request,
            _(
                "You opted out. Nothing more will be posted for you and your network tokens "
                "are deleted. You can still suggest content, and opt in again at any time."
            ),
        )
        return redirect("feed")
    return render(request, "advocacy/opt_out.html")


# --- Teams (motivators, marketing, leadership) -----------------------------------------------


@login_required
@require_GET
def team_list(request: HttpRequest) -> HttpResponse:
    teams = selectors.teams_visible(user=_user(request))
    return render(request, "advocacy/team_list.html", {"teams": teams})


@login_required
@require_GET
def team_detail(request: HttpRequest, team_id: int) -> HttpResponse:
    team = selectors.team_access(user=_user(request), team_id=team_id)
    since, until = selectors.period_bounds(days=30)
    stats = selectors.stats_for_team(team=team, since=since, until=until)
    return render(request, "advocacy/team_detail.html", {"stats": stats, "team": team})


# --- The sandbox network's public post page --------------------------------------------------


@require_GET
def sandbox_post(request: HttpRequest, post_id: UUID) -> HttpResponse:
    """Stands for a post on a public network: no login, and nothing but the post itself."""
    post = get_object_or_404(SandboxPost.objects.select_related("account"), pk=post_id)
    metrics = None
    if post.account is not None and post.account.access_token:
        try:
            metrics = (
                SandboxProvider()
                .fetch_metrics(account=post.account, external_ids=[str(post.pk)])
                .get(str(post.pk))
            )
        except ProviderError:
            metrics = None
    return render(request, "advocacy/sandbox_post.html", {"post": post, "metrics": metrics})
