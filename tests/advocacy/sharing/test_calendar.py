"""Calendars: a campaign's shares per day and network (days in the site's zone, DST included),
and an ambassador's upcoming shares per day in their own zone."""

from datetime import UTC, date, datetime

import pytest
from django.core.exceptions import ValidationError
from django.test import override_settings

from advocacy.models import Share
from advocacy.sharing.calendar import calendar_for_campaign, calendar_for_user
from tests import factories

pytestmark = pytest.mark.django_db


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def cell(calendar, day, network):
    row = next(row for row in calendar if row["day"] == day)
    found = next(cell for cell in row["networks"] if cell["network"] == network)
    return found["scheduled"], found["published"]


@pytest.fixture
def campaign(policy):
    return factories.CampaignFactory()


@pytest.fixture
def launch(campaign):
    """Shares around the spring-forward night in Amsterdam (2025-03-30, 02:00 -> 03:00)."""
    item = factories.ContentItemFactory(campaign=campaign)
    other_item = factories.ContentItemFactory(campaign=campaign)
    scheduled = Share.Status.SCHEDULED
    # 00:30 CET on the 30th.
    factories.ShareFactory(
        content_item=item,
        network="sandbox",
        status=scheduled,
        scheduled_at=utc(2025, 3, 29, 23, 30),
    )
    # 23:30 CEST on the 30th: after the change a day ends at 22:00 UTC.
    factories.ShareFactory(
        content_item=item,
        network="linkedin",
        status=scheduled,
        scheduled_at=utc(2025, 3, 30, 21, 30),
    )
    # 00:30 CEST on the 31st.
    factories.ShareFactory(
        content_item=other_item,
        network="x",
        status=scheduled,
        scheduled_at=utc(2025, 3, 30, 22, 30),
    )
    # Being handed to the network right now: still "scheduled" on the calendar.
    factories.ShareFactory(
        content_item=other_item,
        network="sandbox",
        status=Share.Status.PUBLISHING,
        scheduled_at=utc(2025, 3, 30, 8, 0),
    )
    # Published: counted on the day it went out (00:30 CET on the 29th), not when planned.
    factories.ShareFactory(
        content_item=item,
        network="sandbox",
        scheduled_at=utc(2025, 3, 28, 20, 0),
        published_at=utc(2025, 3, 28, 23, 30),
    )
    factories.ShareFactory(
        content_item=item,
        network="linkedin",
        scheduled_at=utc(2025, 3, 28, 10, 0),
        published_at=utc(2025, 3, 28, 10, 1),
    )
    # Not counted: cancelled, another campaign, outside the range.
    factories.ShareFactory(
        content_item=item, status=Share.Status.CANCELLED, scheduled_at=utc(2025, 3, 30, 9, 0)
    )
    factories.ShareFactory(
        content_item=factories.ContentItemFactory(campaign=factories.CampaignFactory()),
        status=scheduled,
        scheduled_at=utc(2025, 3, 30, 9, 0),
    )
    factories.ShareFactory(
        content_item=item, network="x", status=scheduled, scheduled_at=utc(2025, 4, 2, 9, 0)
    )
    return campaign


@override_settings(TIME_ZONE="Europe/Amsterdam")
def test_the_campaign_calendar_counts_per_local_day_and_network_across_dst(launch):
    calendar = calendar_for_campaign(campaign=launch, start=date(2025, 3, 28), end=date(2025, 4, 1))

    assert [row["day"] for row in calendar] == [date(2025, 3, day) for day in (28, 29, 30, 31)] + [
        date(2025, 4, 1)
    ]
    assert cell(calendar, date(2025, 3, 28), "linkedin") == (0, 1)
    assert cell(calendar, date(2025, 3, 29), "sandbox") == (0, 1)
    assert cell(calendar, date(2025, 3, 30), "sandbox") == (2, 0)
    assert cell(calendar, date(2025, 3, 30), "linkedin") == (1, 0)
    assert cell(calendar, date(2025, 3, 30), "x") == (0, 0)
    assert cell(calendar, date(2025, 3, 31), "x") == (1, 0)
    totals = {row["day"]: (row["scheduled"], row["published"]) for row in calendar}
    assert totals == {
        date(2025, 3, 28): (0, 1),
        date(2025, 3, 29): (0, 1),
        date(2025, 3, 30): (3, 0),
        date(2025, 3, 31): (1, 0),
        date(2025, 4, 1): (0, 0),
    }


@override_settings(TIME_ZONE="Europe/Amsterdam")
def test_days_and_networks_without_shares_are_listed_with_zeros(campaign):
    calendar = calendar_for_campaign(
        campaign=campaign, start=date(2025, 3, 1), end=date(2025, 3, 3)
    )

    assert len(calendar) == 3
    assert calendar[0]["networks"] == [
        {"network": "sandbox", "label": "Sandbox", "scheduled": 0, "published": 0},
        {"network": "linkedin", "label": "LinkedIn", "scheduled": 0, "published": 0},
        {"network": "x", "label": "X", "scheduled": 0, "published": 0},
    ]


def test_the_campaign_calendar_is_counted_in_the_database(launch, django_assert_num_queries):
    # One GROUP BY for scheduled and one for published, however many shares and days.
    with django_assert_num_queries(2):
        calendar_for_campaign(campaign=launch, start=date(2025, 1, 1), end=date(2025, 12, 31))


def test_a_calendar_that_ends_before_it_starts_or_is_too_long_is_refused(campaign):
    with pytest.raises(ValidationError) as error:
        calendar_for_campaign(campaign=campaign, start=date(2025, 3, 2), end=date(2025, 3, 1))
    assert error.value.code == "bad_range"
    assert error.value.messages == [
        "The calendar cannot end (2025-03-01) before it starts (2025-03-02)."
    ]

    with pytest.raises(ValidationError) as error:
        calendar_for_campaign(campaign=campaign, start=date(2025, 1, 1), end=date(2026, 6, 1))
    assert error.value.code == "range_too_long"


def test_my_calendar_shows_upcoming_shares_in_my_own_zone_across_dst(policy):
    # New York springs forward on 2025-03-09 (02:00 -> 03:00): UTC-5 before, UTC-4 after.
    me = factories.UserFactory(time_zone="America/New_York")
    scheduled = Share.Status.SCHEDULED
    before = factories.ShareFactory(user=me, status=scheduled, scheduled_at=utc(2025, 3, 8, 12))
    after = factories.ShareFactory(
        user=me, status=scheduled, scheduled_at=utc(2025, 3, 9, 12), in_queue=True
    )
    # 03:30 UTC on the 10th is still the evening of the 9th in New York.
    late = factories.ShareFactory(
        user=me,
        status=scheduled,
        scheduled_at=utc(2025, 3, 10, 3, 30),
        held_reason="The policy changed.",
    )
    # Not upcoming, or not mine.
    factories.ShareFactory(user=me, scheduled_at=utc(2025, 3, 9, 13))
    factories.ShareFactory(user=me, status=Share.Status.CANCELLED, scheduled_at=utc(2025, 3, 9, 14))
    factories.ShareFactory(status=scheduled, scheduled_at=utc(2025, 3, 9, 15))

    calendar = calendar_for_user(user=me, start=date(2025, 3, 8), end=date(2025, 3, 9))

    assert [row["day"] for row in calendar] == [date(2025, 3, 8), date(2025, 3, 9)]
    assert [
        [(entry["share"], entry["local_time"].strftime("%H:%M %Z")) for entry in row["shares"]]
        for row in calendar
    ] == [[(before, "07:00 EST")], [(after, "08:00 EDT"), (late, "23:30 EDT")]]


def test_my_calendar_uses_my_zone_for_the_range_too(policy):
    me = factories.UserFactory(time_zone="America/New_York")
    # The 10th in UTC, the 9th in New York: outside a calendar of the 10th only.
    factories.ShareFactory(
        user=me, status=Share.Status.SCHEDULED, scheduled_at=utc(2025, 3, 10, 3, 30)
    )

    assert calendar_for_user(user=me, start=date(2025, 3, 10), end=date(2025, 3, 10)) == []
    assert len(calendar_for_user(user=me, start=date(2025, 3, 9), end=date(2025, 3, 9))) == 1
