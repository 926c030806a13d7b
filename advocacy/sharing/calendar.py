"""Calendars: marketing's view of a campaign (shares scheduled and published per day and per
network) and an ambassador's own upcoming shares, per day in their own time zone."""

import zoneinfo
from collections import defaultdict
from datetime import date, datetime, time, timedelta, tzinfo
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Count, QuerySet
from django.db.models.functions import TruncDate
from django.utils.translation import gettext as _

from advocacy.models import Network, Share, User
from campaigns.models import Campaign

MAX_CALENDAR_DAYS = 366
# Not yet out: still waiting (or being handed to the network right now).
UPCOMING_STATUSES = (Share.Status.SCHEDULED, Share.Status.PUBLISHING)


def _check_range(start: date, end: date) -> list[date]:
    if end < start:
        raise ValidationError(
            _("The calendar cannot end (%(end)s) before it starts (%(start)s).")
            % {"start": start.isoformat(), "end": end.isoformat()},
            code="bad_range",
        )
    days = (end - start).days + 1
    if days > MAX_CALENDAR_DAYS:
        raise ValidationError(
            _("Show at most %(max)d days at a time (you asked for %(days)d).")
            % {"max": MAX_CALENDAR_DAYS, "days": days},
            code="range_too_long",
        )
    return [start + timedelta(days=offset) for offset in range(days)]


def _bounds(start: date, end: date, zone: tzinfo) -> tuple[datetime, datetime]:
    """From local midnight of `start` to local midnight after `end` (both days included)."""
    return (
        datetime.combine(start, time(0), zone),
        datetime.combine(end + timedelta(days=1), time(0), zone),
    )


def _counts_per_day(
    shares: QuerySet[Share], field: str, zone: tzinfo, start: datetime, end: datetime
) -> dict[tuple[date, str], int]:
    """One GROUP BY query: the local day of `field` and the network, with a count."""
    rows = (
        shares.filter(**{f"{field}__gte": start, f"{field}__lt": end})
        .annotate(day=TruncDate(field, tzinfo=zone))
        .values("day", "network")
        .annotate(count=Count("pk"))
        .order_by()
    )
    return {(row["day"], row["network"]): row["count"] for row in rows}


def calendar_for_campaign(*, campaign: Campaign, start: date, end: date) -> list[dict[str, Any]]:
    """Every day from `start` to `end` (included, days in settings.TIME_ZONE), with per network
    how many shares of the campaign's items are scheduled (by scheduled_at, not out yet) and
    published (by published_at). Days and networks without shares are there with zeros.

    [{"day": date, "scheduled": 3, "published": 5,
      "networks": [{"network": "linkedin", "label": "LinkedIn", "scheduled": 1,
                    "published": 2}, ...]}, ...]
    """
    days = _check_range(start, end)
    zone = zoneinfo.ZoneInfo(settings.TIME_ZONE)
    since, until = _bounds(start, end, zone)
    shares = Share.objects.filter(content_item__campaign=campaign)
    scheduled = _counts_per_day(
        shares.filter(status__in=UPCOMING_STATUSES), "scheduled_at", zone, since, until
    )
    published = _counts_per_day(
        shares.filter(status=Share.Status.PUBLISHED), "published_at", zone, since, until
    )
    calendar = []
    for day in days:
        networks = [
            {
                "network": network.value,
                "label": network.label,
                "scheduled": scheduled.get((day, network.value), 0),
                "published": published.get((day, network.value), 0),
            }
            for network in Network
        ]
        calendar.append(
            {
                "day": day,
                "scheduled": sum(scheduled.get((day, network), 0) for network in Network.values),
                "published": sum(published.get((day, network), 0) for network in Network.values),
                "networks": networks,
            }
        )
    return calendar


def calendar_for_user(*, user: User, start: date, end: date) -> list[dict[str, Any]]:
    """My shares still waiting to go out (set for a time, queued, or held), per day in my own
    time zone from `start` to `end` (included), each with its local time. Only days with
    shares are listed.

    [{"day": date, "shares": [{"share": Share, "local_time": aware datetime in my zone}]}]
    """
    _check_range(start, end)
    zone = zoneinfo.ZoneInfo(user.time_zone or settings.TIME_ZONE)
    since, until = _bounds(start, end, zone)
    shares = (
        Share.objects.filter(
            user=user,
            status=Share.Status.SCHEDULED,
            scheduled_at__gte=since,
            scheduled_at__lt=until,
        )
        .select_related("content_item", "variant")
        .order_by("scheduled_at", "pk")
    )
    per_day: dict[date, list[dict[str, Any]]] = defaultdict(list)
    for share in shares:
        local = share.scheduled_at.astimezone(zone)
        per_day[local.date()].append({"share": share, "local_time": local})
    return [{"day": day, "shares": per_day[day]} for day in sorted(per_day)]
