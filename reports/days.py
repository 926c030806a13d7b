"""A report's day is a local calendar day in settings.TIME_ZONE: the rollups count by it and
every report shows it, so the writes and the reads take it from here."""

import zoneinfo
from datetime import date, datetime, time, timedelta

from django.conf import settings


def report_zone() -> zoneinfo.ZoneInfo:
    return zoneinfo.ZoneInfo(settings.TIME_ZONE)


def day_bounds(since: date, until: date) -> tuple[datetime, datetime]:
    """The first moment of `since` and the first moment after `until`, in the report's zone."""
    zone = report_zone()
    return (
        datetime.combine(since, time.min, tzinfo=zone),
        datetime.combine(until + timedelta(days=1), time.min, tzinfo=zone),
    )
