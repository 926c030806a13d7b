"""The team dashboard: what a motivator sees about their team (and nobody else's), every
figure labelled measured or estimated, "not available" where no network reported, wins,
learnings without names, the period selector, the charts, the CSV tables and EMV."""

import csv
import io
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from advocacy.models import Click, MetricSnapshot, Share, User
from reports.models import NetworkValue, PointsRule
from reports.services.rollups import rollups_rebuild
from reports.tables import csv_cell
from tests import factories

pytestmark = pytest.mark.django_db


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def rebuild() -> None:
    today = timezone.localdate()
    rollups_rebuild(since=today - timedelta(days=200), until=today)


def clicks(share: Share, count: int, *, days_ago: int = 0, bot: bool = False) -> None:
    moment = timezone.now() - timedelta(days=days_ago)
    Click.objects.bulk_create(
        Click(share=share, created_at=moment, is_bot=bot, visitor_hash=f"v{n}")
        for n in range(count)
    )


@pytest.fixture
def team(policy: Any) -> dict[str, Any]:
    sales = factories.TeamFactory(name="Sales Benelux")
    motivator = factories.ambassador(teams=[sales], username="molly")
    sales.motivators.add(motivator)
    veteran = factories.ambassador(teams=[sales], username="victor-veteran")
    newcomer = factories.ambassador(teams=[sales], username="nina-newcomer")
    factories.UserFactory(username="yannick-not-opted-in").teams.add(sales)
    other = factories.TeamFactory(name="Finance")
    outsider = factories.ambassador(teams=[other], username="otto-outsider")
    return {
        "team": sales,
        "motivator": motivator,
        "veteran": veteran,
        "newcomer": newcomer,
        "other": other,
        "outsider": outsider,
    }


def published(user: User, days_ago: int = 0, **kwargs: Any) -> Share:
    kwargs.setdefault("published_at", timezone.now() - timedelta(days=days_ago))
    return factories.ShareFactory(user=user, **kwargs)  # type: ignore[no-any-return]


def test_a_motivator_sees_what_the_team_achieved_without_anyone_named(
    team: dict[str, Any],
) -> None:
    office = factories.ContentItemFactory(title="Our new office")
    hiring = factories.ContentItemFactory(title="We are hiring")
    old = published(team["veteran"], days_ago=45, content_item=hiring, potential_reach=900)
    first = published(team["newcomer"], content_item=office, potential_reach=400, network="x")
    second = published(team["veteran"], days_ago=2, content_item=office, potential_reach=600)
    clicks(old, 3, days_ago=40)
    clicks(first, 60)  # past the 50-click milestone in this period
    clicks(second, 4)
    clicks(second, 2, bot=True)
    published(team["outsider"], content_item=office, potential_reach=5000)  # not this team
    rebuild()

    response = client_for(team["motivator"]).get(reverse("team-detail", args=[team["team"].pk]))

    html = response.content.decode()
    assert response.status_code == 200
    assert "Sales Benelux" in html
    assert "3 / 4" in html  # opted in / eligible
    assert "The last 30 days" in html
    figures = response.context["d"]
    assert (figures.funnel.eligible, figures.funnel.opted_in, figures.funnel.active) == (4, 3, 2)
    assert (figures.totals.shares, figures.totals.clicks, figures.totals.bot_clicks) == (2, 64, 2)
    assert figures.totals.potential_reach == 1000
    assert (figures.previous.shares, figures.previous.clicks) == (1, 3)
    assert figures.changes["shares"].percent == 100
    assert figures.all_time.shares == 3
    assert [row["content_item__title"] for row in figures.top_items] == ["Our new office"]
    assert "▲ 100% vs the 30 days before" in html
    assert "estimated: followers at share time" in html
    assert "measured: people, bots excluded" in html
    # The newcomer's first share and the share past 50 clicks are wins, told without names.
    assert "1 colleague(s) shared for the first time" in html
    assert "A share of “Our new office” on X passed 50 clicks (60)." in html
    for name in ("victor-veteran", "nina-newcomer", "yannick-not-opted-in", "otto-outsider"):
        assert name not in html


def test_engagement_is_not_available_until_a_network_reports_it_and_then_a_zero_is_zero(
    team: dict[str, Any],
) -> None:
    share = published(team["veteran"])
    rebuild()
    url = reverse("team-detail", args=[team["team"].pk])

    before = client_for(team["motivator"]).get(url)
    MetricSnapshot.objects.create(
        share=share, taken_at=timezone.now(), impressions=0, reactions=0, comments=0, reposts=0
    )
    rebuild()
    after = client_for(team["motivator"]).get(url)

    assert before.context["d"].totals.engagements is None
    assert before.context["d"].totals.impressions is None
    assert "not available" in before.content.decode()
    assert after.context["d"].totals.engagements == 0
    assert after.context["d"].totals.impressions == 0


def test_learnings_group_failed_and_held_shares_by_cause_with_advice_and_no_names(
    team: dict[str, Any],
) -> None:
    for _ in range(2):
        factories.ShareFactory(
            user=team["newcomer"], status=Share.Status.FAILED, problem=Share.Problem.RECONNECT
        )
    factories.ShareFactory(
        user=team["veteran"],
        status=Share.Status.SCHEDULED,
        held_reason="The policy changed.",
        problem=Share.Problem.POLICY,
    )
    factories.ShareFactory(  # solved: published after all
        user=team["veteran"], status=Share.Status.PUBLISHED, problem=Share.Problem.RATE_LIMIT
    )
    factories.ShareFactory(  # another team's problem
        user=team["outsider"], status=Share.Status.FAILED, problem=Share.Problem.BUDGET
    )

    response = client_for(team["motivator"]).get(reverse("team-detail", args=[team["team"].pk]))

    learnings = response.context["d"].learnings
    assert [(item.label, item.count) for item in learnings] == [
        ("expired connection", 2),
        ("policy block", 1),
    ]
    html = response.content.decode()
    assert "Reconnecting on “My networks”" in html
    assert "nina-newcomer" not in html and "victor-veteran" not in html


def test_a_campaign_goal_met_is_a_win(team: dict[str, Any]) -> None:
    campaign = factories.CampaignFactory(name="Autumn launch", goal_metric="shares", goal_target=2)
    item = factories.ContentItemFactory(campaign=campaign)
    published(team["veteran"], content_item=item)
    published(team["outsider"], content_item=item)  # another team helped reach it
    rebuild()

    response = client_for(team["motivator"]).get(reverse("team-detail", args=[team["team"].pk]))

    assert "The campaign “Autumn launch” reached its goal of 2 shares." in (
        response.content.decode()
    )


def test_the_period_selector_offers_7_30_and_90_days(team: dict[str, Any]) -> None:
    published(team["veteran"], days_ago=10)
    published(team["veteran"], days_ago=60)
    rebuild()
    client = client_for(team["motivator"])
    url = reverse("team-detail", args=[team["team"].pk])

    shares = {
        days: client.get(url, {"days": days}).context["d"].totals.shares
        for days in ("7", "30", "90", "1000", "soon")
    }

    assert shares == {"7": 0, "30": 1, "90": 2, "1000": 1, "soon": 1}  # unknown: 30 days
    assert 'href="?days=90"' in client.get(url).content.decode()


def test_earned_media_value_uses_marketings_rates_and_is_labelled_an_estimate(
    team: dict[str, Any],
) -> None:
    share = published(team["veteran"], network="linkedin")
    clicks(share, 10)
    MetricSnapshot.objects.create(
        share=share, taken_at=timezone.now(), impressions=2000, reactions=3, comments=1
    )
    rebuild()
    url = reverse("team-detail", args=[team["team"].pk])
    without = client_for(team["motivator"]).get(url)
    NetworkValue.objects.create(
        network="linkedin", cpm=Decimal("10"), cpc=Decimal("1.50"), cpe=Decimal("0.25")
    )

    with_rates = client_for(team["motivator"]).get(url)

    assert without.context["d"].totals.emv is None
    # 2 * 10 (CPM) + 10 * 1.50 (CPC) + 4 * 0.25 (CPE)
    assert with_rates.context["d"].totals.emv == Decimal("36.00")
    html = with_rates.content.decode()
    assert "EUR 36.00" in html
    assert "estimated: what the same results would cost as ads" in html


def test_the_charts_are_drawn_and_data_in_them_is_escaped(team: dict[str, Any]) -> None:
    item = factories.ContentItemFactory(title="<script>alert(1)</script>")
    share = published(team["veteran"], content_item=item)
    clicks(share, 3)
    rebuild()

    html = (
        client_for(team["motivator"])
        .get(reverse("team-detail", args=[team["team"].pk]))
        .content.decode()
    )

    for chart in ("chart-trend", "chart-funnel", "chart-networks"):
        assert f'id="{chart}"><svg class="chart' in html
    assert "<polyline" in html and 'class="bar"' in html
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


# --- Who may see it ----------------------------------------------------------------------


def test_a_motivator_gets_404_for_another_team_and_its_csv(team: dict[str, Any]) -> None:
    client = client_for(team["motivator"])
    other = team["other"].pk

    assert client.get(reverse("team-detail", args=[other])).status_code == 404
    assert client.get(reverse("team-csv", args=[other, "days"])).status_code == 404


def test_a_member_who_is_no_motivator_gets_404_for_the_dashboard(team: dict[str, Any]) -> None:
    client = client_for(team["veteran"])

    assert client.get(reverse("team-detail", args=[team["team"].pk])).status_code == 404
    assert client.get(reverse("team-csv", args=[team["team"].pk, "days"])).status_code == 404


def test_marketing_and_leadership_see_every_team(team: dict[str, Any]) -> None:
    for user in (factories.marketing_user(), factories.leadership_user()):
        response = client_for(user).get(reverse("team-detail", args=[team["other"].pk]))
        assert response.status_code == 200
        assert "Finance" in response.content.decode()


def test_someone_not_logged_in_is_sent_to_the_login_page(team: dict[str, Any]) -> None:
    response = Client().get(reverse("team-detail", args=[team["team"].pk]))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


# --- CSV ---------------------------------------------------------------------------------


def test_each_table_downloads_as_csv_with_the_figures_on_the_page(team: dict[str, Any]) -> None:
    item = factories.ContentItemFactory(title='=HYPERLINK("http://evil.example","Click me")')
    share = published(team["veteran"], content_item=item, network="x", potential_reach=250)
    clicks(share, 7)
    factories.ShareFactory(
        user=team["veteran"], status=Share.Status.FAILED, problem=Share.Problem.DUPLICATE_CAPTION
    )
    rebuild()
    client = client_for(team["motivator"])

    def table(name: str) -> list[list[str]]:
        response = client.get(reverse("team-csv", args=[team["team"].pk, name]), {"days": 7})
        assert response.status_code == 200
        assert response["Content-Type"] == "text/csv; charset=utf-8"
        assert f"team-{team['team'].pk}-7d-{name}.csv" in response["Content-Disposition"]
        return list(csv.reader(io.StringIO(response.content.decode())))

    content = table("content")
    assert content[0] == [
        "Content",
        "Shares",
        "Clicks (measured)",
        "Engagements (measured)",
        "Impressions (measured)",
        "Potential reach (estimated)",
    ]
    # The formula is kept as text: a spreadsheet shows it and never runs it.
    assert content[1] == [
        '\'=HYPERLINK("http://evil.example","Click me")',
        "1",
        "7",
        "not available",
        "not available",
        "250",
    ]
    networks = table("networks")
    assert networks[1][:4] == ["X", "1", "7", "not available"]
    days = table("days")
    assert len(days) == 1 + 7  # a row for every day of the period
    assert days[-1][:3] == [timezone.localdate().isoformat(), "1", "7"]
    assert table("participation")[1:] == [
        ["Eligible team members", "4", "100"],
        ["Opted in", "3", "75"],
        ["Shared this period", "1", "25"],
    ]
    learnings = table("learnings")
    assert learnings[1][:2] == ["duplicate caption", "1"]
    assert client.get(reverse("team-csv", args=[team["team"].pk, "people"])).status_code == 404


@pytest.mark.parametrize(
    ("value", "written"),
    [
        ("=1+1", "'=1+1"),
        ("+31 6 1234", "'+31 6 1234"),
        ("-2", "'-2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tTab", "'\tTab"),
        ("Plain title", "Plain title"),
        (-3, -3),  # a number stays a number (an engagement can go down)
        (None, "not available"),
    ],
)
def test_a_csv_cell_that_a_spreadsheet_would_run_is_kept_as_text(value: Any, written: Any) -> None:
    assert csv_cell(value) == written


# --- Marketing's rates -------------------------------------------------------------------


def test_marketing_sets_the_value_per_network(team: dict[str, Any]) -> None:
    client = client_for(factories.marketing_user())
    data = {}
    for network in ("sandbox", "linkedin", "x"):
        data |= {
            f"{network}-cpm": "12.5",
            f"{network}-cpc": "0.80",
            f"{network}-cpe": "0.10",
            f"{network}-currency": "EUR",
        }
    data |= {"points-per_share": "5", "points-per_click": "1", "points-per_engagement": "3"}
    data["x-cpc"] = "-1"

    refused = client.post(reverse("network-values"), data)
    data["x-cpc"] = "1.10"
    saved = client.post(reverse("network-values"), data, follow=True)

    assert refused.status_code == 200
    assert "greater than or equal to 0" in refused.content.decode()
    assert "The values per network and the points are saved." in saved.content.decode()
    assert NetworkValue.objects.get(network="x").cpc == Decimal("1.10")
    assert NetworkValue.objects.get(network="linkedin").cpm == Decimal("12.5")
    rule = PointsRule.objects.get()
    assert (rule.per_share, rule.per_click, rule.per_engagement) == (5, 1, 3)


def test_only_marketing_may_set_the_value_per_network(team: dict[str, Any]) -> None:
    for user in (team["motivator"], factories.leadership_user()):
        assert client_for(user).get(reverse("network-values")).status_code == 404


def test_a_share_is_a_win_in_the_period_it_passes_the_click_milestone_and_not_again(
    team: dict[str, Any],
) -> None:
    launch = factories.ContentItemFactory(title="Launch")
    hiring = factories.ContentItemFactory(title="We are hiring")
    office = factories.ContentItemFactory(title="Our new office")
    earlier = published(team["veteran"], days_ago=40, content_item=launch)
    clicks(earlier, 70, days_ago=40)  # past 50 in the 30 days before
    clicks(earlier, 5, days_ago=1)
    clicks(published(team["newcomer"], days_ago=3, content_item=hiring), 55, days_ago=2)
    clicks(published(team["veteran"], days_ago=2, content_item=office), 49)
    rebuild()

    wins = client_for(team["motivator"]).get(reverse("team-detail", args=[team["team"].pk]))

    texts = [win.text for win in wins.context["d"].wins if win.kind == "clicks"]
    assert texts == ["A share of “We are hiring” on Sandbox passed 50 clicks (55)."]
