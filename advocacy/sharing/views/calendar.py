"""My calendar: my shares still to go out, per day in my own zone."""

import zoneinfo
from datetime import timedelta

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from advocacy.people.request import request_user
from advocacy.sharing.calendar import calendar_for_user
from advocacy.sharing.views.common import local_time

CALENDAR_DAYS = 28


@login_required
@require_GET
def my_calendar(request: HttpRequest) -> HttpResponse:
    """My shares still to go out, per day in my own zone, for the next four weeks."""
    user = request_user(request)
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
