"""/api/stats/campaigns/<id>/ and /api/stats/organisation/: the campaign and organisation
reports through the API, read from the rollups. Their figures equal a recount from the raw
rows (Share, Click, MetricSnapshot) after a rebuild, grouped per day, network, team or item,
and the campaign's X cost beside them."""

from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.db.models import QuerySet
from django.test import override_settings
from django.utils import timezone

from advocacy.models import Click, MetricSnapshot, Share, User
from tests import factories
from tests.conftest import api_for
from tests.reports.conftest import rebuild

pytestmark = pytest.mark.django_db


@pytest.fixture
def reported(company: dict[str, Any]) -> dict[str, Any]:
    """The company, with bots visiting bo's share, the network's figures for it read twice,
    and a share still scheduled on X; then the rollups rebuilt."""
    launch = Share.objects.get(user=company["both"])
    Click.objects.bulk_create(
        Click(share=launch, created_at=launch.published_at, is_bot=True) for _ in range(2)
    )
    MetricSnapshot.objects.create(
        share=launch, taken_at=timezone.now() - timedelta(days=1), impressions=300, reactions=1
    )
    MetricSnapshot.objects.create(
        share=launch, taken_at=timezone.now(), impressions=800, reactions=4, comments=1
    )
    factories.ShareFactory(  # still scheduled: no figure yet, a committed X cost
        user=company["motivator"],
        content_item=launch.content_item,
        network="x",
        status=Share.Status.SCHEDULED,
    )
    rebuild()
    return company


def recount(shares: QuerySet[Share]) -> dict[str, Any]:
    """The figures counted again from the raw rows: every published share, its clicks, and
    each share's latest snapshot."""
    published = shares.filter(status=Share.Status.PUBLISHED)
    clicks = Click.objects.filter(share__in=published)
    latest = [
        snapshot
        for share in published
        if (snapshot := MetricSnapshot.objects.filter(share=share).order_by("-taken_at").first())
    ]
    return {
        "shares": published.count(),
        "clicks": clicks.filter(is_bot=False).count(),
        "bot_visits": clicks.filter(is_bot=True).count(),
        "potential_reach": sum(share.potential_reach or 0 for share in published),
        "impressions": sum(s.impressions or 0 for s in latest) if latest else None,
        "engagements": sum(
            (s.reactions or 0) + (s.comments or 0) + (s.reposts or 0) for s in latest
        )
        if latest
        else None,
    }


def values(figures: dict[str, Any]) -> dict[str, Any]:
    return {name: figures[name]["value"] for name in RECOUNTED}


RECOUNTED = ("shares", "clicks", "bot_visits", "potential_reach", "impressions", "engagements")


def campaign_stats(company: dict[str, Any], query: str = "") -> Any:
    url = f"/api/stats/campaigns/{company['campaign'].pk}/{query}"
    return api_for(factories.marketing_user()).get(url)


def organisation_stats(query: str = "", user: User | None = None) -> Any:
    return api_for(user or factories.leadership_user()).get(f"/api/stats/organisation/{query}")


# --- The campaign ----------------------------------------------------------------------------


def test_the_campaigns_figures_equal_a_recount_from_the_raw_rows(reported: dict[str, Any]) -> None:
    body = campaign_stats(reported).json()

    raw = recount(Share.objects.filter(content_item__campaign=reported["campaign"]))
    assert raw["clicks"] == 15 and raw["impressions"] == 800  # the latest snapshot only
    assert values(body["figures"]) == raw
    assert values(body["all_time"]) == raw
    assert body["goal"] == {
        "goal_metric": "clicks",
        "target": 20,
        "achieved": {"value": 15, "kind": "measured", "available": True},
        "percent": 75,
    }
    assert [row["achieved"] for row in body["progress"]] == [0, 6, 6, 6, 15, 15]
    assert (body["days"], body["since"], body["until"]) == (None, None, None)
    assert [(i["title"], i["share_count"], i["click_count"]) for i in body["items"]] == [
        ("Launch", 2, 15),
        ("Not shared yet", 0, 0),
    ]


def test_a_campaign_grouped_per_team_counts_a_colleague_in_two_teams_for_both(
    reported: dict[str, Any],
) -> None:
    body = campaign_stats(reported, "?group=team").json()

    assert body["group"] == "team"
    clicks = {group["name"]: group["figures"]["clicks"]["value"] for group in body["groups"]}
    assert clicks == {"Sales": 15, "Support": 6}
    assert [group["key"] for group in body["groups"]] == [
        str(reported["sales"].pk),
        str(reported["support"].pk),
    ]


def test_a_campaign_grouped_per_network_equals_a_recount_per_network(
    reported: dict[str, Any],
) -> None:
    body = campaign_stats(reported, "?group=network").json()

    groups = {group["key"]: values(group["figures"]) for group in body["groups"]}
    assert set(groups) == {"sandbox", "x"}
    for network, figures in groups.items():
        shares = Share.objects.filter(content_item__campaign=reported["campaign"], network=network)
        assert figures == recount(shares), network
    assert groups["x"]["impressions"] is None  # X reported nothing: not available, not 0


def test_a_campaign_grouped_per_item_and_per_day_adds_up_to_its_totals(
    reported: dict[str, Any],
) -> None:
    per_item = campaign_stats(reported, "?group=item").json()
    per_day = campaign_stats(reported, "?group=day").json()

    assert [(g["name"], g["figures"]["shares"]["value"]) for g in per_item["groups"]] == [
        ("Launch", 2),
        ("Not shared yet", 0),
    ]
    days = [group["key"] for group in per_day["groups"]]
    assert days[0] == reported["campaign"].starts_on.isoformat()
    assert days[-1] == timezone.localdate().isoformat()
    assert sum(g["figures"]["clicks"]["value"] for g in per_day["groups"]) == 15


def test_a_campaigns_period_narrows_its_figures_but_not_its_goal(
    reported: dict[str, Any],
) -> None:
    body = campaign_stats(reported, "?period=2&group=network").json()

    today = timezone.localdate()
    assert (body["days"], body["since"], body["until"]) == (
        2,
        (today - timedelta(days=1)).isoformat(),
        today.isoformat(),
    )
    assert (body["figures"]["shares"]["value"], body["figures"]["clicks"]["value"]) == (1, 9)
    assert body["all_time"]["clicks"]["value"] == 15
    assert body["goal"]["achieved"]["value"] == 15
    # bo's share is older, but what its network reported in those days counts there.
    shares = {group["key"]: group["figures"]["shares"]["value"] for group in body["groups"]}
    assert shares == {"sandbox": 0, "x": 1}
    assert body["figures"]["impressions"]["value"] == 800


@override_settings(NETWORK_POST_COSTS={"x": "0.20"})
def test_the_campaign_stats_give_the_x_cost_and_the_networks_not_billed(
    reported: dict[str, Any],
) -> None:
    Share.objects.filter(network="x", status=Share.Status.PUBLISHED).update(cost=Decimal("0.20"))
    rebuild()  # the report reads the published shares' cost from the rollups

    body = campaign_stats(reported).json()

    assert body["not_billed"] == ["sandbox", "linkedin"]
    [x] = body["costs"]
    assert {key: x[key] for key in x if key != "budget"} == {
        "network": "x",
        "price_per_post": "0.2000",
        "charged": "0.2000",  # shy's X post; the sandbox post is not the campaign's
        "charged_shares": 1,
        "committed": "0.2000",  # the share still scheduled
        "committed_shares": 1,
        "estimated_total": "0.4000",
    }
    assert x["budget"]["network"] == "x"


def test_a_campaign_group_it_does_not_have_is_refused(reported: dict[str, Any]) -> None:
    response = campaign_stats(reported, "?group=person")

    assert response.status_code == 400
    assert response.json()["detail"] == 'group: "person" is not a valid choice.'


# --- The organisation ------------------------------------------------------------------------


def test_the_organisations_figures_equal_a_recount_from_the_raw_rows(
    reported: dict[str, Any],
) -> None:
    body = organisation_stats("?period=30").json()

    assert values(body["period"]) == recount(Share.objects.all())
    assert values(body["all_time"]) == recount(Share.objects.all())
    assert values(organisation_stats("?period=7").json()["period"]) == recount(
        Share.objects.filter(published_at__gte=timezone.now() - timedelta(days=6))
    )
    assert body["days"] == 30
    assert body["until"] == timezone.localdate().isoformat()
    # Every active employee is eligible (the three ambassadors and leadership's reader);
    # three opted in, two shared.
    assert body["participation"] == {"eligible": 4, "opted_in": 3, "active": 2}
    assert [(i["title"], i["click_count"]) for i in body["top_items"]] == [
        ("Launch", 15),
        (Share.objects.get(content_item__campaign=None).content_item.title, 2),
    ]


def test_the_organisation_per_team_and_per_network(reported: dict[str, Any]) -> None:
    teams = organisation_stats("?group=team").json()
    networks = organisation_stats("?group=network").json()

    clicks = {group["name"]: group["figures"]["clicks"]["value"] for group in teams["groups"]}
    assert clicks == {"Sales": 17, "Support": 6}  # bo is in both teams
    per_network = {group["key"]: values(group["figures"]) for group in networks["groups"]}
    for network, figures in per_network.items():
        assert figures == recount(Share.objects.filter(network=network)), network


def test_the_organisation_per_day_has_every_day_of_the_period(reported: dict[str, Any]) -> None:
    body = organisation_stats("?period=7&group=day").json()

    assert len(body["groups"]) == 7
    assert [g["figures"]["shares"]["value"] for g in body["groups"]] == [0, 0, 1, 0, 0, 1, 0]


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("?group=item", 'group: "item" is not a valid choice.'),
        ("?period=0", "period: Ensure this value is greater than or equal to 1."),
    ],
)
def test_a_bad_organisation_parameter_is_refused_with_the_reason(
    reported: dict[str, Any], query: str, message: str
) -> None:
    response = organisation_stats(query)

    assert response.status_code == 400
    assert response.json()["detail"] == message


@pytest.mark.parametrize("who", ["motivator", "shy"])
def test_motivators_and_ambassadors_are_refused_the_organisation_figures(
    reported: dict[str, Any], who: str
) -> None:
    response = organisation_stats(user=reported[who])

    assert response.status_code == 403
    assert response.json()["detail"] == (
        "Only marketing and leadership can see the organisation report."
    )
