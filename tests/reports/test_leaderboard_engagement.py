"""The leaderboard's engagements follow the product rule for a figure a network does not
provide: someone whose shares went only to a network that reports no engagement (X) shows
"not available", never 0, on the page and in the CSV; a reported 0 stays 0. Points count
what was not reported as no engagement."""

import csv
import io
from datetime import timedelta
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from advocacy.models import Click, MetricSnapshot, Share, User
from reports.models import PointsRule
from reports.selectors.figures import period_of
from reports.selectors.leaderboard import leaderboard
from reports.services.rollups import rollups_rebuild
from tests import factories
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


def published(user: User, *, network: str, clicks: int, days_ago: int = 1) -> Share:
    share: Share = factories.ShareFactory(
        user=user, network=network, published_at=timezone.now() - timedelta(days=days_ago)
    )
    Click.objects.bulk_create(
        Click(share=share, created_at=share.published_at, visitor_hash=str(n))
        for n in range(clicks)
    )
    return share


@pytest.fixture
def team(policy: Any) -> dict[str, Any]:
    """Xavier shares on X only (no engagement reported); Lena on LinkedIn, whose network
    reported no reaction, comment or repost yet (a measured 0); Maud on LinkedIn with 3."""
    sales = factories.TeamFactory(name="Sales")
    motivator = factories.ambassador(teams=[sales], username="mo")
    sales.motivators.add(motivator)
    people = {
        name: factories.ambassador(
            teams=[sales], username=name.lower(), first_name=name, show_on_leaderboard=True
        )
        for name in ("Xavier", "Lena", "Maud")
    }
    published(people["Xavier"], network="x", clicks=9)
    zero = published(people["Lena"], network="linkedin", clicks=5)
    MetricSnapshot.objects.create(
        share=zero, taken_at=timezone.now(), impressions=40, reactions=0, comments=0, reposts=0
    )
    some = published(people["Maud"], network="linkedin", clicks=1)
    MetricSnapshot.objects.create(share=some, taken_at=timezone.now(), reactions=2, comments=1)
    PointsRule.objects.create(per_share=10, per_click=1, per_engagement=5)
    today = timezone.localdate()
    rollups_rebuild(since=today - timedelta(days=40), until=today)
    return {"team": sales, "motivator": motivator, **people}


def engagements(leaders: list[Any]) -> dict[str, tuple[int | None, int]]:
    return {row.name: (row.engagements, row.points) for row in leaders}


def test_engagements_no_network_reported_are_not_available_and_a_reported_zero_is_zero(
    team: dict[str, Any],
) -> None:
    # Maud: 10 + 1 + 3 * 5; Xavier: 10 + 9, his engagement counting no points.
    expected = {"Maud": (3, 26), "Xavier": (None, 19), "Lena": (0, 15)}

    # From the period rollup (30 days ending today) and from the per-day rows (a period the
    # rollup was not made for): the same answer.
    assert engagements(leaderboard(period=period_of(days=30), team=team["team"])) == expected
    assert engagements(leaderboard(period=period_of(days=14), team=team["team"])) == expected
    assert engagements(leaderboard(period=period_of(days=30))) == expected


def test_the_page_and_the_csv_show_not_available_for_xaviers_engagements(
    team: dict[str, Any],
) -> None:
    client = client_for(team["motivator"])

    page = client.get(reverse("team-detail", args=[team["team"].pk])).content.decode()
    download = client.get(reverse("team-csv", args=[team["team"].pk, "leaderboard"]))

    board = page.split('class="card leaderboard"')[1].split("</section>")[0]
    xavier = board.split("Xavier")[1].split("</tr>")[0]
    assert "not available" in xavier
    lena = board.split("Lena")[1].split("</tr>")[0]
    assert "not available" not in lena and "<td>0</td>" in lena
    rows = list(csv.reader(io.StringIO(download.content.decode())))
    assert rows[1:] == [
        ["1", "Maud", "1", "1", "3", "26"],
        ["2", "Xavier", "1", "9", "not available", "19"],
        ["3", "Lena", "1", "5", "0", "15"],
    ]
