"""The organisation report (leadership, marketing), the campaign report against its goal, and
the opt-in leaderboard, all from the same rollups and selectors as the team dashboard."""

import csv
import io
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from advocacy.models import MetricSnapshot, Share
from advocacy.sharing.optin import ambassador_opt_out
from reports.models import PointsRule
from tests import factories
from tests.conftest import client_for
from tests.reports.conftest import rebuild

pytestmark = pytest.mark.django_db


def test_the_organisation_counts_everyone_once_and_shows_each_team(
    company: dict[str, Any],
) -> None:
    rebuild()

    response = client_for(factories.leadership_user()).get(
        reverse("organisation-report"), {"days": 30}
    )

    report = response.context["r"]
    assert response.status_code == 200
    assert (report.totals.shares, report.totals.clicks) == (3, 17)
    assert (report.funnel.opted_in, report.funnel.active) == (3, 2)
    teams = {row["team__name"]: row["totals"].clicks for row in report.teams}
    assert teams == {"Sales": 17, "Support": 6}  # bo is in both teams
    html = response.content.decode()
    assert 'id="chart-teams"><svg' in html and 'id="chart-trend"><svg' in html
    assert "A colleague in two teams counts for both" in html


@pytest.mark.parametrize("who", ["motivator", "shy"])
def test_motivators_and_ambassadors_get_404_for_the_organisation_and_campaign_reports(
    company: dict[str, Any], who: str
) -> None:
    client = client_for(company[who])
    campaign = company["campaign"].pk

    for url in (
        reverse("reports-home"),
        reverse("organisation-report"),
        reverse("organisation-csv", args=["teams"]),
        reverse("campaign-report", args=[campaign]),
        reverse("campaign-csv", args=[campaign, "progress"]),
    ):
        assert client.get(url).status_code == 404, url


def test_the_campaign_report_shows_progress_against_the_goal_per_day(
    company: dict[str, Any],
) -> None:
    rebuild()
    client = client_for(factories.marketing_user())

    response = client.get(reverse("campaign-report", args=[company["campaign"].pk]))

    report = response.context["r"]
    assert (report.achieved, report.target, report.percent) == (15, 20, 75)
    assert [value for _day, value in report.progress] == [0, 6, 6, 6, 15, 15]
    assert [(row["content_item__title"], row["totals"].shares) for row in report.items] == [
        ("Launch", 2),
        ("Not shared yet", 0),
    ]
    assert {row["label"] for row in report.networks} == {"Sandbox", "X"}
    html = response.content.decode()
    assert "15 / 20" in html and "75%" in html
    assert 'id="chart-progress"><svg' in html
    progress = client.get(reverse("campaign-csv", args=[company["campaign"].pk, "progress"]))
    rows = list(csv.reader(io.StringIO(progress.content.decode())))
    assert rows[0] == ["Day", "Achieved so far", "Goal"]
    assert rows[-1] == [timezone.localdate().isoformat(), "15", "20"]


def test_the_reports_home_lists_the_organisation_and_every_campaign(
    company: dict[str, Any],
) -> None:
    html = client_for(factories.marketing_user()).get(reverse("reports-home")).content.decode()

    assert reverse("organisation-report") in html
    assert reverse("campaign-report", args=[company["campaign"].pk]) in html


# --- Points and leaderboard ----------------------------------------------------------------


def test_the_leaderboard_lists_only_people_who_chose_to_appear_with_their_points(
    company: dict[str, Any],
) -> None:
    company["both"].show_on_leaderboard = True
    company["both"].save()
    PointsRule.objects.create(per_share=10, per_click=2, per_engagement=5)
    share = Share.objects.get(user=company["both"])
    MetricSnapshot.objects.create(share=share, taken_at=timezone.now(), reactions=3, comments=1)
    rebuild()

    team = client_for(company["motivator"]).get(reverse("team-detail", args=[company["sales"].pk]))
    leaders = team.context["d"].leaders

    # bo: 1 share, 6 clicks, 4 engagements = 10 + 12 + 20; shy chose not to appear.
    assert [(row.name, row.points) for row in leaders] == [("Bo Both", 42)]
    html = team.content.decode()
    assert "Bo Both" in html
    assert "shy" not in html.split("<main>")[1]


def test_someone_who_opted_out_leaves_the_leaderboard(company: dict[str, Any]) -> None:
    for person in (company["both"], company["shy"]):
        person.show_on_leaderboard = True
        person.save()
    ambassador_opt_out(user=company["shy"])
    rebuild()

    report = client_for(factories.marketing_user()).get(reverse("organisation-report"))

    assert [row.name for row in report.context["r"].leaders] == ["Bo Both"]


def test_marketing_finds_the_reports_and_the_values_from_the_manage_pages(
    company: dict[str, Any],
) -> None:
    html = client_for(factories.marketing_user()).get(reverse("manage-home")).content.decode()

    assert reverse("reports-home") in html
    assert reverse("network-values") in html
