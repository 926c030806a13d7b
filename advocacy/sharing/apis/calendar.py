"""/api/calendar/: my shares still to go out, per day in my own zone; /api/campaigns/<id>/
calendar/: a campaign's shares scheduled and published per day and per network (marketing and
leadership; 404 for everyone else, like the campaign itself)."""

import zoneinfo
from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from advocacy.models import Network, Share
from advocacy.people.access import campaign_access
from advocacy.people.request import request_user
from advocacy.sharing.calendar import MAX_CALENDAR_DAYS, calendar_for_campaign, calendar_for_user
from campaigns.models import Campaign
from config.api.pagination import related_ids

MY_CALENDAR_DAYS = 28


class RangeSerializer(serializers.Serializer[Any]):
    start = serializers.DateField(required=False, help_text="First day (included).")
    end = serializers.DateField(required=False, help_text="Last day (included).")


def _range(request: Request) -> dict[str, date]:
    """The days asked for, if any; the calendar explains an end before the start or a range
    over a year."""
    serializer = RangeSerializer(data=request.query_params)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


class CalendarShareSerializer(serializers.Serializer[Share]):
    id = serializers.IntegerField()
    content_item = related_ids()
    content_title = serializers.CharField(source="content_item.title")
    network = serializers.ChoiceField(choices=Network.choices)
    scheduled_at = serializers.DateTimeField()
    in_queue = serializers.BooleanField()
    held_reason = serializers.CharField(help_text="Not empty: on hold until you edit it.")


class OwnZoneDateTimeField(serializers.DateTimeField):
    """A moment written in the zone it carries (the ambassador's own), not the server's."""

    def enforce_timezone(self, value: datetime) -> datetime:
        return value


class CalendarEntrySerializer(serializers.Serializer[Any]):
    share = CalendarShareSerializer()
    local_time = OwnZoneDateTimeField(help_text="scheduled_at in your own time zone.")


class MyCalendarDaySerializer(serializers.Serializer[Any]):
    day = serializers.DateField(help_text="A day in your own time zone.")
    shares = CalendarEntrySerializer(many=True)


class MyCalendarApi(APIView):
    @extend_schema(
        tags=["calendar"],
        summary="My shares still to go out, per day",
        description=(
            "Scheduled, queued and held shares, per day in my own time zone; only days with "
            "shares are listed. Default: the next four weeks from today. At most "
            f"{MAX_CALENDAR_DAYS} days (400, code range_too_long); an end before the start: "
            "400, code bad_range."
        ),
        parameters=[RangeSerializer],
        responses=MyCalendarDaySerializer(many=True),
    )
    def get(self, request: Request) -> Response:
        user = request_user(request)
        asked = _range(request)
        start = (
            asked.get("start")
            or timezone.now().astimezone(zoneinfo.ZoneInfo(user.time_zone)).date()
        )
        end = asked.get("end") or start + timedelta(days=MY_CALENDAR_DAYS - 1)
        days = calendar_for_user(user=user, start=start, end=end)
        return Response(MyCalendarDaySerializer(days, many=True).data)


class NetworkCountSerializer(serializers.Serializer[Any]):
    network = serializers.ChoiceField(choices=Network.choices)
    network_label = serializers.CharField(source="label")
    scheduled = serializers.IntegerField(help_text="Shares set for this day, not out yet.")
    published = serializers.IntegerField(help_text="Shares published this day.")


class CampaignCalendarDaySerializer(serializers.Serializer[Any]):
    day = serializers.DateField()
    scheduled = serializers.IntegerField()
    published = serializers.IntegerField()
    networks = NetworkCountSerializer(many=True)


def campaign_days(
    campaign: Campaign, start: date | None = None, end: date | None = None
) -> tuple[date, date]:
    """The days asked for; by default the campaign's own period, capped to the longest
    calendar that can be shown."""
    start = start or campaign.starts_on
    if end is None:
        end = max(start, min(campaign.ends_on, start + timedelta(days=MAX_CALENDAR_DAYS - 1)))
    return start, end


class CampaignCalendarApi(APIView):
    @extend_schema(
        tags=["calendar"],
        summary="A campaign's shares per day and per network",
        description=(
            f"Days in the server's time zone ({settings.TIME_ZONE}), every day listed (zeros "
            "included). Default: the campaign's period. Marketing and leadership only; 404 for "
            "everyone else."
        ),
        parameters=[RangeSerializer],
        responses=CampaignCalendarDaySerializer(many=True),
    )
    def get(self, request: Request, pk: int) -> Response:
        campaign = campaign_access(user=request_user(request), campaign_id=pk)
        start, end = campaign_days(campaign, **_range(request))
        days = calendar_for_campaign(campaign=campaign, start=start, end=end)
        return Response(CampaignCalendarDaySerializer(days, many=True).data)
