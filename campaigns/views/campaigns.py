"""Campaigns: the list and form (marketing), and the campaign page and its calendar
(marketing and leadership; everyone else gets 404)."""

from datetime import date, timedelta
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from advocacy.models import Network
from advocacy.people.access import campaign_access
from advocacy.people.request import request_user
from advocacy.publishing.costs import campaign_costs
from advocacy.reach.selectors import stats_for_campaign
from advocacy.sharing.calendar import MAX_CALENDAR_DAYS, calendar_for_campaign
from campaigns import selectors, services
from campaigns.forms import CalendarRangeForm, CampaignForm, add_service_errors
from campaigns.models import Campaign
from campaigns.views.common import marketing_required, page_of


@marketing_required
def campaign_list(request: HttpRequest) -> HttpResponse:
    campaigns = selectors.campaigns_list().annotate(item_count=Count("items"))
    return render(request, "campaigns/campaign_list.html", {"page": page_of(request, campaigns)})


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
    campaign = campaign_access(user=request_user(request), campaign_id=pk)
    return render(
        request,
        "campaigns/campaign_detail.html",
        {
            "stats": stats_for_campaign(campaign=campaign),
            "costs": campaign_costs(campaign=campaign),
        },
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
    campaign = campaign_access(user=request_user(request), campaign_id=pk)
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
