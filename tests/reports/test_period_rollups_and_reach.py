"""The per-ambassador period rollup that the leaderboard and "active this period" read equals
each person's sums recounted from the raw rows, and the reports read the same figures from
it as from the per-day rows. Potential reach that a network does not give (LinkedIn) is not
counted as 0: a sum says which shares it covers, and none means "not available"."""

import csv
import io
from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from advocacy.models import Click, MetricSnapshot, Share, User
from reports.models import PERIODS, AmbassadorPeriodRollup, DailyRollup, RollupRun
from reports.selectors.figures import period_of
from reports.selectors.organisation import organisation_report
from reports.selectors.team import team_dashboard
from reports.services.rollups import rollups_rebuild
from tests import factories

pytestmark = pytest.mark.django_db


def rebuild() -> None:
    today = timezone.localdate()
    rollups_rebuild(since=today - timedelta(days=120), until=today)


def published(user: User, days_ago: int, clicks: int = 0, **kwargs: Any) -> Share:
    share: Share = factories.ShareFactory(
        user=user, published_at=timezone.now() - timedelta(days=days_ago), **kwargs
    )
    Click.objects.bulk_create(
        Click(share=share, created_at=share.published_at, visitor_hash=str(n))
        for n in range(clicks)
    )
    return share


@pytest.fixture
def people(policy: Any) -> dict[str, Any]:
    """Three people on the leaderboard with shares 0 to 100 days ago, one of them measured."""
    team = factories.TeamFactory(name="Sales")
    ada = factories.ambassador(teams=[team], username="ada", show_on_leaderboard=True)
    bea = factories.ambassador(teams=[team], username="bea", show_on_leaderboard=True)
    cyd = factories.ambassador(username="cyd", show_on_leaderboard=True)
    measured = published(ada, days_ago=1, clicks=4, network="linkedin", potential_reach=None)
    MetricSnapshot.objects.create(share=measured, taken_at=timezone.now(), reactions=5, comments=2)
    published(ada, days_ago=20, clicks=30, network="x", potential_reach=400)
    published(bea, days_ago=5, clicks=12)
    published(bea, days_ago=60, clicks=50)
    published(cyd, days_ago=100, clicks=9)  # in no offered period
    return {"team": team, "ada": ada, "bea": bea, "cyd": cyd}


def test_the_period_rollup_equals_each_persons_sums_recounted_from_raw_rows(
    people: dict[str, Any],
) -> None:
    rebuild()

    today = timezone.localdate()
    for days in PERIODS:
        since = today - timedelta(days=days - 1)
        expected = {}
        for user in User.objects.all():
            shares = [
                s
                for s in Share.objects.filter(user=user, status="published")
                if s.published_at and timezone.localdate(s.published_at) >= since
            ]
            clicks = Click.objects.filter(
                share__user=user, is_bot=False, created_at__date__gte=since
            ).count()
            engagements = sum(
                (snap.reactions or 0) + (snap.comments or 0) + (snap.reposts or 0)
                for snap in MetricSnapshot.objects.filter(share__user=user)
                if timezone.localdate(snap.taken_at) >= since
            )
            if shares or clicks or engagements:
                expected[user.pk] = (len(shares), clicks, engagements)
        rows = AmbassadorPeriodRollup.objects.filter(days=days, until=today)
        assert {r.user_id: (r.shares, r.human_clicks, r.engagements) for r in rows} == expected
    assert RollupRun.objects.get(name="daily").periods_until == today
    # bea's share of 60 days ago counts in the 90-day period only; cyd's in none.
    assert AmbassadorPeriodRollup.objects.get(user=people["bea"], days=90).human_clicks == 62
    assert not AmbassadorPeriodRollup.objects.filter(user=people["cyd"]).exists()


def test_the_reports_read_the_same_figures_from_the_period_rollup_as_from_the_daily_rows(
    people: dict[str, Any],
) -> None:
    rebuild()

    for days in PERIODS:
        with CaptureQueriesContext(connection) as queries:
            fast = organisation_report(days=days)
        team_fast = team_dashboard(team=people["team"], days=days)
        assert any("reports_ambassadorperiodrollup" in q["sql"] for q in queries)
        # As after midnight, before the beat made the periods ending the new day.
        RollupRun.objects.filter(name="daily").update(periods_until=None)
        with CaptureQueriesContext(connection) as queries:
            slow = organisation_report(days=days)
        team_slow = team_dashboard(team=people["team"], days=days)
        assert not any("reports_ambassadorperiodrollup" in q["sql"] for q in queries)
        assert fast.leaders == slow.leaders
        assert fast.funnel == slow.funnel
        assert team_fast.leaders == team_slow.leaders
        rebuild()

    month = organisation_report(days=30)
    # ada: 2 shares, 34 clicks, 7 engagements; bea: 1 share, 12 clicks (default points rule).
    assert [(row.name, row.points) for row in month.leaders] == [("ada", 68), ("bea", 22)]
    assert month.funnel.active == 2


def test_a_period_that_does_not_end_today_is_read_from_the_daily_rows(
    people: dict[str, Any],
) -> None:
    rebuild()
    last_week = timezone.localdate() - timedelta(days=7)

    report = organisation_report(days=30, today=last_week)

    # The 30 days ending a week ago hold only ada's share of 20 days ago (30 clicks).
    assert [(row.name, row.clicks) for row in report.leaders] == [("ada", 30)]
    assert report.funnel.active == 1
    assert report.period == period_of(days=30, today=last_week)


def test_reach_that_no_network_gave_is_not_available_and_a_mixed_sum_says_what_it_covers(
    people: dict[str, Any],
) -> None:
    rebuild()
    team = people["team"]

    linkedin = DailyRollup.objects.get(user=people["ada"], network="linkedin", shares=1)
    x = DailyRollup.objects.get(user=people["ada"], network="x", shares=1)
    assert (linkedin.potential_reach, linkedin.reach_shares) == (0, 0)
    assert (x.potential_reach, x.reach_shares) == (400, 1)

    # The last 7 days: ada's LinkedIn share (no audience given) and bea's sandbox share.
    week = team_dashboard(team=team, days=7)
    assert (week.totals.shares, week.totals.reach_shares) == (2, 1)
    assert week.totals.reach_partial
    # Only LinkedIn in the period: not available, never 0.
    Share.objects.filter(user=people["bea"]).update(potential_reach=None)
    rebuild()
    week = team_dashboard(team=team, days=7)
    assert week.totals.shares == 2
    assert week.totals.known_reach is None
    assert week.changes["potential_reach"].current is None
    assert not week.totals.reach_partial

    motivator = factories.ambassador(teams=[team], username="mo")
    team.motivators.add(motivator)
    client = Client()
    client.force_login(motivator)
    html = client.get(reverse("team-detail", args=[team.pk]) + "?days=7").content.decode()
    reach = html.split("Potential reach")[1].split("Earned media value")[0]
    assert "not available" in reach
    html = client.get(reverse("team-detail", args=[team.pk]) + "?days=30").content.decode()
    reach = html.split("Potential reach")[1].split("Earned media value")[0]
    assert "400" in reach
    assert "only the networks that give an audience (1 of 3 shares" in reach


def test_the_tables_and_their_csv_show_linkedins_reach_as_not_available_not_0(
    people: dict[str, Any],
) -> None:
    rebuild()
    team = people["team"]
    motivator = factories.ambassador(teams=[team], username="mo")
    team.motivators.add(motivator)
    client = Client()
    client.force_login(motivator)

    download = client.get(reverse("team-csv", args=[team.pk, "networks"]) + "?days=30")

    rows = list(csv.reader(io.StringIO(download.content.decode())))
    reach = rows[0].index("Potential reach (estimated)")
    by_network = {row[0]: row[reach] for row in rows[1:]}
    # ada's LinkedIn share gave no audience (not 0 followers); her X share gave 400.
    assert by_network["LinkedIn"] == "not available"
    assert by_network["X"] == "400"
