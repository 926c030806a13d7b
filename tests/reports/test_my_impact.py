"""My impact: an ambassador's own figures for 7, 30 or 90 days from the daily rollups (equal to
a recount of the raw rows), points as the leaderboard counts them, "not available" apart from
0, their best shares, colleagues' tips without names or captions, CSV of every table, the API
with period and grouping, and the leaderboard choice in their settings."""

import csv
import io
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from advocacy.models import Click, MetricSnapshot, Share, User
from reports.selectors.figures import period_of
from reports.selectors.impact import my_impact, my_teams
from reports.selectors.leaderboard import leaderboard
from reports.services.rollups import rollups_rebuild
from reports.services.values import network_value_save, points_rule_save
from tests import factories
from tests.conftest import api_for

pytestmark = pytest.mark.django_db


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def rebuild() -> None:
    today = timezone.localdate()
    rollups_rebuild(since=today - timedelta(days=200), until=today)


def published(user: User, days_ago: int = 0, **kwargs: Any) -> Share:
    kwargs.setdefault("published_at", timezone.now() - timedelta(days=days_ago))
    return factories.ShareFactory(user=user, **kwargs)  # type: ignore[no-any-return]


def clicks(share: Share, count: int, *, days_ago: int = 0, bot: bool = False) -> None:
    moment = timezone.now() - timedelta(days=days_ago)
    Click.objects.bulk_create(
        Click(share=share, created_at=moment, is_bot=bot, visitor_hash=f"v{n}")
        for n in range(count)
    )


def snapshot(share: Share, *, days_ago: int = 0, **metrics: int) -> None:
    MetricSnapshot.objects.create(
        share=share, taken_at=timezone.now() - timedelta(days=days_ago), **metrics
    )


def csv_rows(response: Any) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode())))


@pytest.fixture
def amber(policy: Any) -> User:
    return factories.ambassador(username="amber", first_name="Amber", last_name="Ambassador")


@pytest.fixture
def colleagues(policy: Any) -> list[User]:
    return [
        factories.ambassador(
            username=f"colleague-{n}", first_name="Zelda", last_name=f"Quasimodo{n}"
        )
        for n in range(4)
    ]


def test_my_figures_equal_a_recount_of_the_raw_rows(amber: User, colleagues: list[User]) -> None:
    points_rule_save(per_share=7, per_click=3, per_engagement=5)
    amber.show_on_leaderboard = True
    amber.save()
    recent = published(amber, days_ago=2, potential_reach=400, network="x")
    older = published(amber, days_ago=20, potential_reach=250)
    before = published(amber, days_ago=45, potential_reach=900)  # the previous period
    published(colleagues[0], days_ago=1, potential_reach=5000)  # someone else's
    clicks(recent, 5, days_ago=1)
    clicks(recent, 3, days_ago=1, bot=True)
    clicks(older, 2, days_ago=10)
    clicks(before, 4, days_ago=40)
    snapshot(recent, days_ago=2, impressions=300, reactions=4)
    snapshot(recent, days_ago=1, impressions=700, reactions=9, comments=2)
    snapshot(older, days_ago=10, impressions=100, reposts=1)
    rebuild()

    impact = my_impact(user=amber, days=30)

    period = period_of(days=30)
    since = timezone.now() - timedelta(days=29)  # well inside the first day of the period
    mine = Share.objects.filter(user=amber, status="published", published_at__gte=since)
    recount_clicks = Click.objects.filter(share__user=amber, is_bot=False, created_at__gte=since)
    assert impact.period == period
    assert impact.totals.shares == mine.count() == 2
    assert impact.totals.potential_reach == 650
    assert impact.totals.clicks == recount_clicks.count() == 7
    assert impact.totals.bot_clicks == 3
    assert impact.totals.impressions == 700 + 100  # each share's latest snapshot
    assert impact.totals.engagements == 9 + 2 + 1
    assert impact.previous.shares == 1
    assert impact.previous.clicks == 4
    assert impact.all_time.shares == 3
    assert impact.points.current == 2 * 7 + 7 * 3 + 12 * 5
    assert impact.points.previous == 1 * 7 + 4 * 3
    assert impact.changes["points"].direction == "up"
    # The very sum the leaderboard shows.
    [leader] = [row for row in leaderboard(period=period) if row.name == "Amber Ambassador"]
    assert leader.points == impact.points.current
    assert sum(row["points"] for row in impact.days) == impact.points.current
    assert sum(row["totals"].clicks for row in impact.days) == 7
    assert {row["network"]: row["totals"].shares for row in impact.networks} == {
        "sandbox": 1,
        "x": 1,
    }
    best = impact.best_shares[0]
    assert (best.share_id, best.totals.clicks, best.network) == (recent.pk, 5, "x")
    assert best.points == 1 * 7 + 5 * 3 + 11 * 5


def test_a_figure_no_network_reported_is_not_available_and_a_reported_zero_is_zero(
    amber: User,
) -> None:
    share = published(amber, potential_reach=120)
    rebuild()

    html = client_for(amber).get(reverse("my-impact")).content.decode()
    body = api_for(amber).get("/api/stats/me/").json()

    assert my_impact(user=amber, days=30).totals.engagements is None
    assert "not available" in html
    assert body["period"]["engagements"] == {"value": None, "kind": "measured", "available": False}
    assert body["period"]["potential_reach"] == {
        "value": 120,
        "kind": "estimated",
        "available": True,
    }

    snapshot(share, impressions=0, reactions=0, comments=0, reposts=0)
    rebuild()

    body = api_for(amber).get("/api/stats/me/").json()
    assert my_impact(user=amber, days=30).totals.engagements == 0
    assert body["period"]["engagements"] == {"value": 0, "kind": "measured", "available": True}
    assert body["period"]["impressions"]["value"] == 0


def test_another_persons_shares_never_appear_in_my_figures_tables_or_api(
    amber: User, colleagues: list[User]
) -> None:
    published(amber, content_item=factories.ContentItemFactory(title="My own pick"))
    theirs = published(
        colleagues[0], content_item=factories.ContentItemFactory(title="Their secret pick")
    )
    clicks(theirs, 30)
    rebuild()

    client = client_for(amber)
    impact = my_impact(user=amber, days=30)
    page = client.get(reverse("my-impact")).content.decode()
    content = client.get(reverse("my-impact-csv", args=["content"])).content.decode()
    best = client.get(reverse("my-impact-csv", args=["best"])).content.decode()
    body = api_for(amber).get("/api/stats/me/?group=item").json()

    assert impact.totals.shares == 1
    assert impact.totals.clicks == 0
    assert [row.title for row in impact.best_shares] == ["My own pick"]
    assert "My own pick" in content and "Their secret pick" not in content
    assert "Their secret pick" not in best
    assert [group["name"] for group in body["groups"]] == ["My own pick"]
    assert body["period"]["clicks"]["value"] == 0
    assert [row["title"] for row in body["top_shares"]] == ["My own pick"]
    for name in ("Zelda", "Quasimodo", "colleague-0"):
        assert name not in page
        assert name not in str(body)


def test_tips_tell_what_worked_for_colleagues_without_names_or_their_captions(
    amber: User, colleagues: list[User]
) -> None:
    launch = factories.ContentItemFactory(
        title="Our <b>launch</b>", caption_linkedin="Marketing says: look at this #employee"
    )
    tuesday_morning = timezone.now() - timedelta(days=3)
    for n, person in enumerate(colleagues):
        # Three wrote their own caption, one kept marketing's suggestion.
        text = "Marketing says: look at this #employee" if n == 3 else f"Zelda's secret {n}"
        on_linkedin = published(
            person,
            content_item=launch,
            network="linkedin",
            text=text,
            published_at=tuesday_morning,
        )
        clicks(on_linkedin, 10 + n, days_ago=2)
        clicks(published(person, content_item=launch, network="x", text="Zelda X"), 1)
    # Amber has not shared the launch yet; her own share is not a colleague's.
    clicks(
        published(amber, network="x", content_item=factories.ContentItemFactory(title="Mine")), 30
    )
    rebuild()

    impact = my_impact(user=amber, days=30)
    tips = {tip.kind: tip.text for tip in impact.tips}
    html = client_for(amber).get(reverse("my-impact")).content.decode()
    api_tips = api_for(amber).get("/api/stats/me/").json()["tips"]

    assert set(tips) == {"network", "content", "caption", "timing"}
    assert tips["network"] == (
        "Across the company, a share on LinkedIn earned 11.5 clicks on average, against 1.0 on X."
    )
    assert "earned colleagues 50 clicks" in tips["content"]
    assert "Mine" not in " ".join(tip.text for tip in impact.tips)
    assert "You have not shared it yet" in tips["content"]
    # The four on X wrote their own words too.
    assert tips["caption"].startswith("7 of the 8 best shares had a caption in the sharer's own")
    assert "The best shares went out most often on" in tips["timing"]
    assert [tip["kind"] for tip in api_tips] == [tip.kind for tip in impact.tips]
    texts = " ".join(tips.values()) + str(api_tips)
    for secret in ("Zelda", "Quasimodo", "colleague-", "secret"):
        assert secret not in texts
        assert secret not in html
    assert "Our &lt;b&gt;launch&lt;/b&gt;" in html  # marketing's title, escaped
    assert "<b>launch</b>" not in html


def test_no_tips_are_drawn_from_too_few_shares(amber: User, colleagues: list[User]) -> None:
    share = published(colleagues[0], text="Zelda's only share", network="linkedin")
    clicks(share, 5)
    rebuild()

    kinds = [tip.kind for tip in my_impact(user=amber, days=30).tips]

    assert "caption" not in kinds
    assert "timing" not in kinds
    assert "network" not in kinds


def test_the_page_has_the_period_switch_charts_labels_and_a_print_layout(amber: User) -> None:
    share = published(amber, days_ago=3, potential_reach=321)
    clicks(share, 2, days_ago=2)
    clicks(share, 2, days_ago=2, bot=True)
    rebuild()

    client = client_for(amber)
    html = client.get(reverse("my-impact")).content.decode()
    week = client.get(reverse("my-impact"), {"days": 7}).content.decode()
    unknown = client.get(reverse("my-impact"), {"days": 12}).content.decode()

    assert 'href="?days=7"' in html and 'href="?days=90"' in html
    assert '<strong aria-current="page">30 days</strong>' in html
    assert '<strong aria-current="page">7 days</strong>' in week
    assert '<strong aria-current="page">30 days</strong>' in unknown
    for chart in ("chart-trend", "chart-points", "chart-reach", "chart-networks"):
        assert f'id="{chart}"' in html
    assert html.count("<svg") == 4
    assert "estimated: followers at share time" in html
    assert "measured: people, bots excluded" in html
    assert "2 bot visits (link previews, not counted)" in html
    assert "321" in html
    assert "css/reports.css" in html  # its print layout
    assert "window.print()" in html
    assert reverse("my-impact-csv", args=["days"]) + "?days=30" in html
    assert 'class="status status-published"' in html


def test_each_table_downloads_as_csv_with_the_figures_on_the_page(amber: User) -> None:
    item = factories.ContentItemFactory(title="=HYPERLINK(evil)")
    share = published(amber, days_ago=1, content_item=item, potential_reach=80)
    clicks(share, 3, days_ago=1)
    rebuild()

    client = client_for(amber)
    days = client.get(reverse("my-impact-csv", args=["days"]), {"days": 7})
    networks = csv_rows(client.get(reverse("my-impact-csv", args=["networks"])))
    content = csv_rows(client.get(reverse("my-impact-csv", args=["content"])))
    best = csv_rows(client.get(reverse("my-impact-csv", args=["best"])))

    assert days["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="my-impact-7d-days.csv"' in days["Content-Disposition"]
    day_rows = csv_rows(days)
    assert day_rows[0] == [
        "Day",
        "Shares",
        "Clicks (measured)",
        "Engagements (measured)",
        "Impressions (measured)",
        "Potential reach (estimated)",
        "Points",
    ]
    assert len(day_rows) == 1 + 7
    yesterday = (timezone.localdate() - timedelta(days=1)).isoformat()
    assert [yesterday, "1", "3", "not available", "not available", "80", "13"] in day_rows
    assert networks[1][:3] == ["Sandbox", "1", "3"]
    assert content[1][:3] == ["'=HYPERLINK(evil)", "1", "3"]  # kept as text, never run
    assert best[0][-1] == "Points"
    assert best[1][:4] == ["'=HYPERLINK(evil)", "Sandbox", "1", "3"]
    assert client.get(reverse("my-impact-csv", args=["nothing"])).status_code == 404


def test_someone_not_logged_in_is_sent_to_the_login_page(client: Client) -> None:
    for url in (reverse("my-impact"), reverse("my-impact-csv", args=["days"])):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
    assert client.get("/api/stats/me/").status_code in (401, 403)


def test_the_api_takes_a_period_and_a_grouping(amber: User) -> None:
    item = factories.ContentItemFactory(title="Spring news")
    recent = published(amber, days_ago=1, content_item=item, network="linkedin")
    published(amber, days_ago=60, potential_reach=700)
    clicks(recent, 4, days_ago=1)
    rebuild()

    api = api_for(amber)
    week = api.get("/api/stats/me/?period=7&group=day").json()
    quarter = api.get("/api/stats/me/?period=90&group=network").json()
    items = api.get("/api/stats/me/?group=item").json()

    assert (week["days"], len(week["groups"]), week["group"]) == (7, 7, "day")
    assert week["until"] == timezone.localdate().isoformat()
    assert week["period"]["shares"]["value"] == 1
    assert week["period"]["clicks"] == {"value": 4, "kind": "measured", "available": True}
    assert week["points"]["period"] == 1 * 10 + 4 * 1  # marketing's default points
    assert week["changes"]["clicks"]["direction"] == "up"
    assert week["groups"][-2]["figures"]["clicks"]["value"] == 4
    assert week["groups"][-2]["points"] == 14
    assert quarter["period"]["shares"]["value"] == 2
    assert {(g["key"], g["name"]) for g in quarter["groups"]} == {
        ("linkedin", "LinkedIn"),
        ("sandbox", "Sandbox"),
    }
    assert items["days"] == 30
    assert [(g["key"], g["name"]) for g in items["groups"]] == [(str(item.pk), "Spring news")]
    assert items["top_shares"][0]["share_id"] == recent.pk
    assert "groups" not in api.get("/api/stats/me/").json()
    # The all-time figures up to the minute stay as they were.
    assert week["figures"]["shares"]["value"] == 2
    assert week["best_shares"][0]["id"] == recent.pk


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("period=0", "period: Ensure this value is greater than or equal to 1."),
        ("period=soon", "period: A valid integer is required."),
        ("group=person", 'group: "person" is not a valid choice.'),
    ],
)
def test_a_bad_period_or_grouping_is_refused(amber: User, query: str, message: str) -> None:
    response = api_for(amber).get(f"/api/stats/me/?{query}")

    assert response.status_code == 400
    assert message in str(response.json())


def test_the_number_of_queries_does_not_grow_with_the_data(
    amber: User, colleagues: list[User]
) -> None:
    def queries() -> int:
        rebuild()
        with CaptureQueriesContext(connection) as captured:
            my_impact(user=amber, days=30)
        return len(captured)

    def activity(network: str, items: int) -> None:
        for n, person in enumerate([amber, *colleagues]):
            for item in factories.ContentItemFactory.create_batch(items):
                share = published(person, days_ago=n + 1, network=network, content_item=item)
                clicks(share, n + 1, days_ago=n)
                snapshot(share, days_ago=n, impressions=10, reactions=n)

    activity("linkedin", items=1)
    small = queries()
    activity("x", items=4)

    assert queries() == small


def test_an_ambassador_chooses_to_appear_on_the_leaderboard_in_their_settings(
    amber: User,
) -> None:
    client = client_for(amber)
    page = client.get(reverse("my-networks")).content.decode()
    data = {"time_zone": amber.time_zone, "digest_frequency": amber.digest_frequency}

    assert 'name="show_on_leaderboard"' in page
    assert "Off, you are simply not listed" in page

    shown = client.post(reverse("me-settings"), {**data, "show_on_leaderboard": "on"})
    amber.refresh_from_db()
    assert shown.status_code == 302
    assert amber.show_on_leaderboard is True
    assert "You appear on the leaderboard." in client.get(reverse("my-impact")).content.decode()

    client.post(reverse("me-settings"), data)  # the box unticked
    amber.refresh_from_db()
    assert amber.show_on_leaderboard is False
    assert (
        "You do not appear on the leaderboard." in client.get(reverse("my-impact")).content.decode()
    )


# --- My teams: each team's totals, as the team API gives them to its ambassadors -------------


def team_rows(client: Client, **query: Any) -> list[list[str]]:
    return csv_rows(client.get(reverse("my-impact-csv", args=["teams"]), query))


@pytest.mark.parametrize("days", [7, 30])
def test_an_ambassador_sees_their_teams_totals_as_the_team_api_gives_them(
    company: dict[str, Any], days: int
) -> None:
    shy, sales = company["shy"], company["sales"]
    [recent] = Share.objects.filter(user=shy, network="x")
    snapshot(recent, impressions=500, reactions=6, comments=1)
    network_value_save(network="x", cpm=Decimal(4), cpc=Decimal("0.5"), cpe=Decimal(1))
    rebuild()

    [mine] = my_impact(user=shy, days=days).teams
    body = api_for(shy).get(f"/api/stats/teams/{sales.pk}/?period={days}").json()
    rows = team_rows(client_for(shy), days=days)
    html = client_for(shy).get(reverse("my-impact"), {"days": days}).content.decode()

    period = body["period"]
    assert body["scope"] == "totals"
    assert (mine.name, mine.team_id) == ("Sales", sales.pk)
    assert mine.totals.shares == period["shares"]["value"] == (3 if days == 30 else 2)
    assert mine.totals.clicks == period["clicks"]["value"] == (17 if days == 30 else 15)
    assert mine.totals.engagements == period["engagements"]["value"] == 7
    assert (
        mine.totals.known_reach
        == period["potential_reach"]["value"]
        == (250 if days == 30 else 150)
    )
    # X's 9 clicks at 0.50, 500 impressions at 4 per thousand, 7 engagements at 1.
    assert mine.totals.emv == Decimal(period["emv"]["value"]) == Decimal("13.50")
    assert mine.funnel.active == body["participation"]["active"] == 2
    assert mine.funnel.eligible == body["participation"]["eligible"] == 3
    assert rows == [
        [
            "Team",
            "Members who shared",
            "Members",
            "Shares",
            "Clicks (measured)",
            "Engagements (measured)",
            "Potential reach (estimated)",
        ],
        [
            "Sales",
            str(mine.funnel.active),
            "3",
            str(period["shares"]["value"]),
            str(period["clicks"]["value"]),
            "7",
            str(period["potential_reach"]["value"]),
        ],
    ]
    assert 'id="my-teams"' in html
    assert reverse("my-impact-csv", args=["teams"]) + f"?days={days}" in html
    assert reverse("team-detail", args=[sales.pk]) not in html  # the dashboard is not theirs


def test_a_figure_no_network_gave_a_team_is_not_available(company: dict[str, Any]) -> None:
    rebuild()  # nobody's share was measured by a network

    [sales] = team_rows(client_for(company["shy"]))[1:]

    assert sales[3:6] == ["3", "17", "not available"]  # shares, clicks, engagements


def test_a_team_whose_networks_give_no_audience_has_no_potential_reach_rather_than_0(
    amber: User,
) -> None:
    team = factories.TeamFactory(name="Field sales")
    team.members.add(amber)
    published(amber, network="linkedin", potential_reach=None)
    rebuild()

    [mine] = my_impact(user=amber, days=30).teams
    html = client_for(amber).get(reverse("my-impact")).content.decode()

    assert (mine.totals.shares, mine.totals.known_reach) == (1, None)
    assert team_rows(client_for(amber))[1][-1] == "not available"
    assert "Potential reach (estimated): not available" in html
    api = api_for(amber)
    for url in ("/api/stats/me/", f"/api/stats/teams/{team.pk}/"):
        reach = api.get(url).json()["period"]["potential_reach"]
        assert reach == {"value": None, "kind": "estimated", "available": False}, url


def test_an_ambassador_sees_no_team_they_are_not_in(company: dict[str, Any]) -> None:
    rebuild()
    shy, both, support = company["shy"], company["both"], company["support"]

    assert [team.name for team in my_impact(user=shy, days=30).teams] == ["Sales"]
    assert [row[0] for row in team_rows(client_for(shy))[1:]] == ["Sales"]
    assert api_for(shy).get(f"/api/stats/teams/{support.pk}/").status_code == 404
    # Someone in both teams sees both, each with its own figures.
    teams = {team.name: team.totals.shares for team in my_impact(user=both, days=30).teams}
    assert teams == {"Sales": 3, "Support": 1}


def test_someone_who_has_not_opted_in_sees_no_team_totals_as_in_the_api(
    company: dict[str, Any],
) -> None:
    newcomer = factories.UserFactory(username="newcomer")
    newcomer.teams.add(company["sales"])
    rebuild()

    assert my_impact(user=newcomer, days=30).teams == []
    assert team_rows(client_for(newcomer)) == [team_rows(client_for(company["shy"]))[0]]
    assert api_for(newcomer).get(f"/api/stats/teams/{company['sales'].pk}/").status_code == 404


def test_a_motivator_in_the_team_also_finds_the_way_to_its_dashboard(
    company: dict[str, Any],
) -> None:
    rebuild()
    sales = company["sales"]

    html = client_for(company["motivator"]).get(reverse("my-impact")).content.decode()

    assert f'href="{reverse("team-detail", args=[sales.pk])}?days=30"' in html


def test_my_teams_name_no_colleague(amber: User, colleagues: list[User]) -> None:
    team = factories.TeamFactory(name="Field sales")
    team.members.add(amber, *colleagues)
    for n, person in enumerate(colleagues):
        clicks(published(person, days_ago=n, text=f"Zelda's secret {n}"), 5 + n)
    rebuild()

    client = client_for(amber)
    html = client.get(reverse("my-impact")).content.decode()
    rows = team_rows(client)
    [mine] = my_impact(user=amber, days=30).teams

    assert rows[1][:5] == ["Field sales", "4", "5", "4", str(5 + 6 + 7 + 8)]
    assert len(rows) == 2  # the team's totals, no row per person
    assert mine.funnel.active == 4
    for secret in ("Zelda", "Quasimodo", "colleague-", "secret"):
        assert secret not in html
        assert secret not in str(rows)


def test_the_number_of_queries_does_not_grow_with_teams_or_their_data(
    amber: User, colleagues: list[User]
) -> None:
    period = period_of(days=30)

    def queries() -> int:
        rebuild()
        with CaptureQueriesContext(connection) as captured:
            my_teams(user=amber, period=period, rates={})
        return len(captured)

    def team_with_activity(name: str, shares: int) -> None:
        team = factories.TeamFactory(name=name)
        team.members.add(amber, *colleagues)
        for n, person in enumerate(colleagues):
            for _ in range(shares):
                share = published(person, days_ago=n, network=("x", "linkedin")[n % 2])
                clicks(share, n + 1)
                snapshot(share, impressions=10, reactions=n)

    team_with_activity("Sales", shares=1)
    one_team = queries()
    team_with_activity("Support", shares=3)
    team_with_activity("Marketing", shares=2)

    assert queries() == one_team == 2
    assert len(my_teams(user=amber, period=period, rates={})) == 3
