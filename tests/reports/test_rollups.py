"""The daily rollups equal a recount from the raw rows (Share, Click, MetricSnapshot), stay
equal after more clicks arrive and a rebuild, and keep "not available" apart from 0."""

from collections import defaultdict
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.db.models import Sum

from advocacy.models import Click, MetricSnapshot, Share
from reports.days import report_zone
from reports.models import (
    METRICS,
    AmbassadorDailyRollup,
    DailyRollup,
    ItemDailyRollup,
    NetworkDailyRollup,
    TeamDailyRollup,
    TeamDayRollup,
)
from reports.services.rollups import rollups_rebuild
from tests import factories

pytestmark = pytest.mark.django_db

DAY = date(2026, 3, 10)


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=report_zone())


def click(share: Share, moment: datetime, *, bot: bool = False, visitor: str = "") -> None:
    Click.objects.create(share=share, created_at=moment, is_bot=bot, visitor_hash=visitor)


@pytest.fixture
def world(policy: Any) -> dict[str, Any]:
    """Two teams (one person in both), two items (one in a campaign), three networks'
    worth of shares over three days, people and bots clicking, and snapshots."""
    alpha, bravo = factories.TeamFactory(name="Alpha"), factories.TeamFactory(name="Bravo")
    ann = factories.UserFactory(username="ann")
    ann.teams.set([alpha])
    ben = factories.UserFactory(username="ben")
    ben.teams.set([alpha, bravo])
    cas = factories.UserFactory(username="cas")  # in no team
    campaign = factories.CampaignFactory()
    launch = factories.ContentItemFactory(title="Launch", campaign=campaign)
    office = factories.ContentItemFactory(title="Office")
    d0, d1, d2 = DAY, DAY + timedelta(days=1), DAY + timedelta(days=2)
    s1 = factories.ShareFactory(
        user=ann,
        content_item=launch,
        network="x",
        published_at=at(d0, 9),
        potential_reach=300,
        cost=Decimal("0.2000"),  # what X billed for the post
    )
    s2 = factories.ShareFactory(
        user=ben,
        content_item=launch,
        network="linkedin",
        published_at=at(d0, 23, 30),
        potential_reach=None,  # LinkedIn gives no audience
    )
    s3 = factories.ShareFactory(
        user=cas,
        content_item=office,
        network="sandbox",
        published_at=at(d1, 0, 15),
        potential_reach=50,
    )
    factories.ShareFactory(  # failed: never published, counts nowhere
        user=ann,
        content_item=office,
        network="x",
        status=Share.Status.FAILED,
        published_at=None,
        potential_reach=999,
    )
    for minute, visitor in enumerate(["a", "a", "b", "c"]):
        click(s1, at(d0, 10, minute), visitor=visitor)
    click(s1, at(d0, 10, 30), bot=True)
    click(s1, at(d1, 8), visitor="a")  # a new day: same hash counts again (daily salt)
    click(s2, at(d1, 0, 5), visitor="z")
    click(s2, at(d2, 12), bot=True)
    click(s3, at(d2, 7), visitor="q")
    # X reports impressions only; LinkedIn reports everything, also a reaction withdrawn.
    MetricSnapshot.objects.create(share=s1, taken_at=at(d0, 18), impressions=400)
    MetricSnapshot.objects.create(share=s1, taken_at=at(d1, 18), impressions=900)
    MetricSnapshot.objects.create(
        share=s2, taken_at=at(d1, 9), impressions=0, reactions=5, comments=0, reposts=1
    )
    MetricSnapshot.objects.create(
        share=s2, taken_at=at(d1, 21), impressions=100, reactions=8, comments=2, reposts=1
    )
    MetricSnapshot.objects.create(
        share=s2, taken_at=at(d2, 21), impressions=150, reactions=7, comments=2, reposts=1
    )
    return {"alpha": alpha, "bravo": bravo, "s1": s1, "s2": s2, "s3": s3, "campaign": campaign}


def recount(since: date, until: date) -> dict[tuple[Any, ...], dict[str, Any]]:
    """The figures counted straight from the raw rows, per (day, user, item, network)."""
    zone = report_zone()
    rows: dict[tuple[Any, ...], dict[str, Any]] = defaultdict(
        lambda: {
            "shares": 0,
            "potential_reach": 0,
            "reach_shares": 0,
            "human_clicks": 0,
            "bot_clicks": 0,
            "charged": Decimal(0),
            "charged_shares": 0,
            "visitors": set(),
            **dict.fromkeys(METRICS),
        }
    )

    def key(share: Share, moment: datetime) -> tuple[Any, ...]:
        return (moment.astimezone(zone).date(), share.user_id, share.content_item_id, share.network)

    for share in Share.objects.filter(status="published"):
        assert share.published_at is not None
        row = rows[key(share, share.published_at)]
        row["shares"] += 1
        if share.potential_reach is not None:  # None: the network gives no audience
            row["potential_reach"] += share.potential_reach
            row["reach_shares"] += 1
        if share.cost is not None:  # None: the network does not bill
            row["charged"] += share.cost
            row["charged_shares"] += 1
    for c in Click.objects.select_related("share"):
        row = rows[key(c.share, c.created_at)]
        if c.is_bot:
            row["bot_clicks"] += 1
        else:
            row["human_clicks"] += 1
            row["visitors"].add((c.share_id, c.visitor_hash))
    for share in Share.objects.all():
        previous = dict.fromkeys(METRICS, 0)
        by_day: dict[date, MetricSnapshot] = {}
        for snap in share.metric_snapshots.order_by("taken_at"):
            by_day[snap.taken_at.astimezone(zone).date()] = snap
        for day in sorted(by_day):
            row = rows[key(share, at(day, 12))]
            for name in METRICS:
                value = getattr(by_day[day], name)
                if value is not None:
                    row[name] = (row[name] or 0) + value - previous[name]
                    previous[name] = value
    return {
        k: {
            **{n: v for n, v in row.items() if n != "visitors"},
            "unique_visitors": len(row["visitors"]),
        }
        for k, row in rows.items()
        if since <= k[0] <= until
    }


def rolled_up() -> dict[tuple[Any, ...], dict[str, Any]]:
    names = [
        "shares",
        "potential_reach",
        "reach_shares",
        "human_clicks",
        "bot_clicks",
        "charged",
        "charged_shares",
        *METRICS,
        "unique_visitors",
    ]
    return {
        (r.day, r.user_id, r.content_item_id, r.network): {n: getattr(r, n) for n in names}
        for r in DailyRollup.objects.all()
    }


def test_rollups_equal_a_recount_from_raw_rows(world: dict[str, Any]) -> None:
    rollups_rebuild(since=DAY, until=DAY + timedelta(days=2))

    assert rolled_up() == recount(DAY, DAY + timedelta(days=2))
    assert rolled_up()  # the world is not empty


def test_team_and_item_rollups_add_up_the_ambassador_rows(world: dict[str, Any]) -> None:
    rollups_rebuild(since=DAY, until=DAY + timedelta(days=2))

    def total(queryset: Any) -> dict[str, Any]:
        return queryset.aggregate(**{n: Sum(n) for n in ("shares", "human_clicks", "reactions")})

    # ann and ben are in Alpha; only ben is in Bravo; cas is in no team.
    assert total(TeamDailyRollup.objects.filter(team=world["alpha"])) == {
        "shares": 2,
        "human_clicks": 6,
        "reactions": 7,
    }
    assert total(TeamDailyRollup.objects.filter(team=world["bravo"])) == {
        "shares": 1,
        "human_clicks": 1,
        "reactions": 7,
    }
    # Everyone once, whatever their teams: ben is not counted twice.
    assert (
        total(ItemDailyRollup.objects.all())
        == total(DailyRollup.objects.all())
        == {
            "shares": 3,
            "human_clicks": 7,
            "reactions": 7,
        }
    )
    assert set(
        ItemDailyRollup.objects.filter(campaign=world["campaign"]).values_list(
            "content_item__title", flat=True
        )
    ) == {"Launch"}


def test_network_and_ambassador_rollups_add_up_the_same_figures(world: dict[str, Any]) -> None:
    rollups_rebuild(since=DAY, until=DAY + timedelta(days=2))
    names = ("shares", "potential_reach", "human_clicks", "unique_visitors", "impressions")
    names += ("charged", "charged_shares")

    def total(queryset: Any) -> dict[str, Any]:
        return queryset.aggregate(**{n: Sum(n) for n in names})

    everyone = total(DailyRollup.objects.all())
    assert (everyone["charged"], everyone["charged_shares"]) == (Decimal("0.20"), 1)  # s1's
    assert total(NetworkDailyRollup.objects.filter(team=None)) == everyone
    assert total(AmbassadorDailyRollup.objects.all()) == everyone
    for team in (world["alpha"], world["bravo"]):
        assert (
            total(NetworkDailyRollup.objects.filter(team=team))
            == total(TeamDayRollup.objects.filter(team=team))
            == total(TeamDailyRollup.objects.filter(team=team))
        )
    # One row per team and day, whatever the items, campaigns and networks.
    assert TeamDayRollup.objects.filter(team=world["alpha"], day=DAY).count() == 1
    # One row per day and network: the sandbox share was never measured, X and LinkedIn were.
    assert set(
        NetworkDailyRollup.objects.filter(team=None, day=DAY + timedelta(days=1)).values_list(
            "network", "reported"
        )
    ) == {("x", True), ("linkedin", True), ("sandbox", False)}
    assert AmbassadorDailyRollup.objects.filter(day=DAY).count() == 2  # ann and ben


def test_a_rebuild_after_more_clicks_counts_each_click_once(world: dict[str, Any]) -> None:
    days = (DAY, DAY + timedelta(days=2))
    rollups_rebuild(since=days[0], until=days[1])
    click(world["s1"], at(DAY, 11), visitor="new")
    click(world["s3"], at(DAY + timedelta(days=2), 13), bot=True)

    rollups_rebuild(since=days[0], until=days[1])
    rollups_rebuild(since=days[0], until=days[1])  # again: nothing doubles

    assert rolled_up() == recount(*days)
    assert DailyRollup.objects.aggregate(h=Sum("human_clicks"), b=Sum("bot_clicks")) == {
        "h": 8,
        "b": 3,
    }


def test_a_figure_no_network_reported_is_not_available_and_a_reported_zero_is_zero(
    world: dict[str, Any],
) -> None:
    rollups_rebuild(since=DAY, until=DAY + timedelta(days=2))

    x_day0 = DailyRollup.objects.get(day=DAY, network="x")
    linkedin_day2 = DailyRollup.objects.get(day=DAY + timedelta(days=2), network="linkedin")
    sandbox_day1 = DailyRollup.objects.get(day=DAY + timedelta(days=1), network="sandbox")
    # X reported impressions but never reactions: not available, not 0.
    assert (x_day0.impressions, x_day0.reactions, x_day0.reported) == (400, None, True)
    # LinkedIn reported no new comments on day 2: a measured 0.
    assert (linkedin_day2.comments, linkedin_day2.reported) == (0, True)
    assert DailyRollup.objects.filter(network="linkedin").aggregate(c=Sum("comments")) == {"c": 2}
    # The sandbox share was never measured: nothing reported at all.
    assert (sandbox_day1.impressions, sandbox_day1.reported) == (None, False)
    assert DailyRollup.objects.filter(network="sandbox").aggregate(i=Sum("impressions")) == {
        "i": None
    }


def test_engagement_per_day_is_what_the_network_added_that_day(world: dict[str, Any]) -> None:
    rollups_rebuild(since=DAY, until=DAY + timedelta(days=2))

    linkedin = {
        r.day: (r.impressions, r.reactions)
        for r in DailyRollup.objects.filter(network="linkedin").exclude(impressions=None)
    }
    # Day 1 ends at 100 impressions / 8 reactions; day 2 ends at 150 / 7 (one withdrawn).
    assert linkedin == {DAY + timedelta(days=1): (100, 8), DAY + timedelta(days=2): (50, -1)}


def test_rebuilding_one_day_counts_from_the_snapshot_before_it_and_leaves_other_days(
    world: dict[str, Any],
) -> None:
    rollups_rebuild(since=DAY, until=DAY + timedelta(days=2))
    before = rolled_up()

    rollups_rebuild(since=DAY + timedelta(days=1), until=DAY + timedelta(days=1))

    assert rolled_up() == before
    x_day1 = DailyRollup.objects.get(day=DAY + timedelta(days=1), network="x")
    assert x_day1.impressions == 500  # 900 at the end of day 1, 400 the day before


def test_a_day_is_the_local_calendar_day(world: dict[str, Any]) -> None:
    rollups_rebuild(since=DAY, until=DAY + timedelta(days=2))

    # Published at 23:30 and 00:15 local time: on either side of midnight.
    assert DailyRollup.objects.get(network="linkedin", shares=1).day == DAY
    assert DailyRollup.objects.get(network="sandbox", shares=1).day == DAY + timedelta(days=1)


def test_an_empty_range_is_refused_rather_than_silently_ignored(db: None) -> None:
    with pytest.raises(ValueError, match="until must not be before since"):
        rollups_rebuild(since=DAY, until=DAY - timedelta(days=1))


def test_a_share_measured_days_before_the_rebuilt_range_counts_from_that_snapshot(
    world: dict[str, Any],
) -> None:
    # s1's last snapshot before day 4 is at the end of day 1 (900), not in the day before.
    day4 = DAY + timedelta(days=4)
    MetricSnapshot.objects.create(share=world["s1"], taken_at=at(day4, 18), impressions=1000)

    rollups_rebuild(since=day4, until=day4)

    assert DailyRollup.objects.get(day=day4, network="x").impressions == 100
    assert rolled_up() == recount(day4, day4)
