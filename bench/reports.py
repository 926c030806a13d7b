"""Reports benchmark: the team dashboard, campaign report and organisation report stay fast and
their number of queries does not grow with the data.

Builds a throw-away test database (SQLite by default, PostgreSQL with DATABASE_URL) and fills
it twice: at full size (10,000 ambassadors in teams of 100, 1,000,000 shares over 30 days,
20,000,000 clicks, 30 days of metric snapshots) and 10x smaller. After each fill it times the
three report selectors (median of --repeat runs) and counts their queries.

Honest about what is generated: the reports read only the daily rollups (and the few shares
with a problem, for the learnings), so the clicks and snapshots go straight into the rollups,
at the grain and with the semantics `rollups_rebuild` produces (per day, ambassador, item and
network; engagement as what a network added that day; LinkedIn reports metrics, X reports
none, so its figures stay "not available"). The 1,000,000 shares are real rows; of the clicks
and snapshots only a sample is stored as raw rows (--raw-clicks, --raw-snapshots): storing
20,000,000 raw clicks and rebuilding from them would make the run last hours, and measures
the rebuild, not the reports. Each share earns its clicks and engagement over its first three
days (60/30/10 %), which gives about 3 ambassador-item-day rollup rows per share. The other
rollups (per team, item, network and ambassador) are then summed from those rows in SQL, as
the rebuild sums them in Python.

    .venv/bin/python bench/reports.py [--ambassadors 10000] [--shares-per 100] \\
        [--clicks-per 20] [--repeat 7]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/test .venv/bin/python bench/reports.py
"""

import argparse
import os
import random
import statistics
import sys
import time
from collections.abc import Callable, Iterator
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test.utils import (  # noqa: E402
    CaptureQueriesContext,
    setup_databases,
    teardown_databases,
)
from django.utils import timezone  # noqa: E402

TEAM_SIZE = 100
ITEMS = 1000
CAMPAIGNS = 20
DAYS = 30
SPLIT = (0.6, 0.3, 0.1)  # a share's clicks and engagement on its day and the two after
BATCH = 20_000
X_COST = Decimal("0.2000")  # what X bills per post with a link


def table(model: Any) -> str:
    return str(model._meta.db_table)


def insert(model: Any, columns: list[str], rows: Iterator[tuple[Any, ...]]) -> int:
    """COPY on PostgreSQL, raw executemany in batches on SQLite: bulk_create builds a model
    instance per row, which for millions of rows costs more than the database does."""
    # Table and column names come from the models, never from input.
    names = ", ".join(connection.ops.quote_name(c) for c in columns)
    if connection.vendor == "postgresql":
        done = 0
        copy_sql = f"COPY {connection.ops.quote_name(table(model))} ({names}) FROM STDIN"
        with connection.cursor() as cursor, cursor.cursor.copy(copy_sql) as copy:
            for row in rows:
                copy.write_row(row)
                done += 1
        return done
    sql = (
        f"INSERT INTO {connection.ops.quote_name(table(model))} ({names}) "  # noqa: S608
        f"VALUES ({', '.join(['%s'] * len(columns))})"
    )
    done = 0
    batch: list[tuple[Any, ...]] = []
    with connection.cursor() as cursor:
        for row in rows:
            batch.append(row)
            if len(batch) == BATCH:
                cursor.executemany(sql, batch)
                done += len(batch)
                batch = []
        if batch:
            cursor.executemany(sql, batch)
            done += len(batch)
    return done


def moment(value: datetime) -> Any:
    return connection.ops.adapt_datetimefield_value(value)


def day_value(value: date) -> Any:
    return connection.ops.adapt_datefield_value(value)


def fill(
    ambassadors: int,
    shares_per: int,
    clicks_per: int,
    raw_clicks: int,
    raw_snapshots: int,
    seed: int,
) -> dict[str, Any]:
    from advocacy.models import Click, MetricSnapshot, Share, Team, User
    from campaigns.models import Campaign, ContentItem
    from policy.models import PolicyVersion
    from reports.days import report_zone
    from reports.models import (
        FIGURES,
        AmbassadorDailyRollup,
        AmbassadorPeriodRollup,
        DailyRollup,
        ItemDailyRollup,
        NetworkDailyRollup,
        NetworkValue,
        RollupRun,
        TeamDailyRollup,
        TeamDayRollup,
    )
    from reports.services.rollups import ambassador_periods_rebuild

    rng = random.Random(seed)
    zone = report_zone()
    today = timezone.localdate(timezone=zone)
    first_day = today - timedelta(days=DAYS - 1)
    now = timezone.now()
    policy = PolicyVersion.objects.create(number=1, status="published", body="x", published_at=now)
    teams = Team.objects.bulk_create(
        Team(name=f"team {i}") for i in range(max(ambassadors // TEAM_SIZE, 1))
    )
    users = User.objects.bulk_create(
        (
            User(
                username=f"amb{i}",
                ambassador_since=now - timedelta(days=60),
                show_on_leaderboard=i % 3 == 0,
            )
            for i in range(ambassadors)
        ),
        batch_size=2000,
    )
    # Everyone in one team; one in twenty in a second one.
    memberships = [(u.pk, teams[i % len(teams)].pk) for i, u in enumerate(users)]
    memberships += [
        (u.pk, teams[(i + 1) % len(teams)].pk)
        for i, u in enumerate(users)
        if i % 20 == 0 and len(teams) > 1
    ]
    through = User.teams.through
    through.objects.bulk_create(
        (through(user_id=u, team_id=t) for u, t in memberships), batch_size=5000
    )
    campaigns = Campaign.objects.bulk_create(
        Campaign(
            name=f"campaign {i}",
            starts_on=first_day,
            ends_on=today + timedelta(days=30),
            utm_campaign=f"c{i}",
            goal_metric="clicks",
            goal_target=100_000,
        )
        for i in range(CAMPAIGNS)
    )
    items = ContentItem.objects.bulk_create(
        (
            ContentItem(
                title=f"item {i}",
                url=f"https://example.com/{i}",
                status="published",
                published_at=now - timedelta(days=40),
                campaign=campaigns[i % CAMPAIGNS],
            )
            for i in range(ITEMS)
        ),
        batch_size=2000,
    )
    for network, cpm in (("linkedin", 12), ("x", 6)):
        NetworkValue.objects.create(network=network, cpm=cpm, cpc=1, cpe="0.4")

    share_columns = [f.column for f in Share._meta.concrete_fields if not f.primary_key]
    defaults = {f.column: f.get_default() for f in Share._meta.concrete_fields if not f.primary_key}
    rollup_columns = ["day", "user_id", "content_item_id", "campaign_id", "network", *FIGURES]
    rollup_rows: list[tuple[Any, ...]] = []
    counted = {"clicks": 0, "shares": 0, "failed": 0, "rollups": 0, "raw_clicks": 0}
    sample: list[tuple[int, int, str, int]] = []  # (share number, clicks, network, day)

    def shares() -> Iterator[tuple[Any, ...]]:
        number = 0
        for user in users:
            for combo in rng.sample(range(ITEMS * 2), shares_per):
                item, network = items[combo // 2], ("linkedin", "x")[combo % 2]
                offset = rng.randrange(DAYS)
                published = datetime.combine(
                    first_day + timedelta(days=offset), datetime.min.time(), tzinfo=zone
                ) + timedelta(minutes=rng.randrange(24 * 60))
                failed = rng.random() < 0.01
                # LinkedIn gives no audience: its potential reach is not available.
                reach = rng.randint(50, 3000) if network == "x" else None
                values = dict(defaults)
                values.update(
                    user_id=user.pk,
                    content_item_id=item.pk,
                    network=network,
                    text="My own words #employee",
                    status="failed" if failed else "published",
                    code=f"b{number:09d}",
                    policy_version_id=policy.pk,
                    scheduled_at=moment(published),
                    published_at=None if failed else moment(published),
                    potential_reach=reach,
                    # X bills per post (settings.NETWORK_POST_COSTS); a failed post gave it back.
                    cost=X_COST if network == "x" and not failed else None,
                    problem=rng.choice(["reconnect", "rate_limit", "duplicate_caption"])
                    if failed
                    else "",
                    created_at=moment(published),
                    updated_at=moment(published),
                )
                number += 1
                yield tuple(values[c] for c in share_columns)
                if failed:
                    counted["failed"] += 1
                    continue
                counted["shares"] += 1
                total = round(rng.expovariate(1 / clicks_per))
                if len(sample) * clicks_per < raw_clicks:
                    sample.append((number, total, network, offset))
                for k, part in enumerate(SPLIT):
                    if offset + k >= DAYS:
                        break
                    # A share of the last days: what would come later is counted today.
                    clicks = round(total * (sum(SPLIT[k:]) if offset + k == DAYS - 1 else part))
                    counted["clicks"] += clicks
                    measured = network == "linkedin"
                    rollup_rows.append(
                        (
                            day_value(first_day + timedelta(days=offset + k)),
                            user.pk,
                            item.pk,
                            item.campaign_id,
                            network,
                            1 if k == 0 else 0,
                            reach if k == 0 and reach else 0,
                            1 if k == 0 and reach else 0,
                            clicks,
                            clicks // 10,
                            clicks * 9 // 10,
                            X_COST if k == 0 and network == "x" else 0,
                            1 if k == 0 and network == "x" else 0,
                            clicks * 25 if measured else None,
                            clicks // 3 if measured else None,
                            clicks // 10 if measured else None,
                            clicks // 20 if measured else None,
                            measured,
                        )
                    )

    started = time.perf_counter()
    with transaction.atomic():
        insert(Share, share_columns, shares())
        counted["rollups"] = insert(DailyRollup, rollup_columns, iter(rollup_rows))
    rollup_rows.clear()
    share_ids = dict(
        Share.objects.filter(code__in=[f"b{n - 1:09d}" for n, *_ in sample]).values_list(
            "code", "pk"
        )
    )

    def clicks() -> Iterator[tuple[Any, ...]]:
        for number, total, _network, offset in sample:
            share_id = share_ids[f"b{number - 1:09d}"]
            for n in range(total):
                at = datetime.combine(
                    first_day + timedelta(days=offset), datetime.min.time(), tzinfo=zone
                ) + timedelta(minutes=n)
                yield (share_id, moment(at), False, "browser", f"v{n}", f"{share_id}-{n}")

    def snapshots() -> Iterator[tuple[Any, ...]]:
        done = 0
        for number, total, network, offset in sample:
            if network != "linkedin":
                continue
            share_id = share_ids[f"b{number - 1:09d}"]
            for day in range(offset, DAYS):
                if done >= raw_snapshots:
                    return
                at = datetime.combine(
                    first_day + timedelta(days=day), datetime.min.time(), tzinfo=zone
                ) + timedelta(hours=20)
                done += 1
                yield (share_id, moment(at), total * 25, total // 3, total // 10, total // 20)

    with transaction.atomic():
        counted["raw_clicks"] = insert(
            Click,
            ["share_id", "created_at", "is_bot", "agent", "visitor_hash", "event_id"],
            clicks(),
        )
        counted["raw_snapshots"] = insert(
            MetricSnapshot,
            ["share_id", "taken_at", "impressions", "reactions", "comments", "reposts"],
            snapshots(),
        )
        figures = "shares, potential_reach, reach_shares, human_clicks, bot_clicks, "
        figures += "unique_visitors, charged, charged_shares, "
        summed = (
            "SUM(r.shares), SUM(r.potential_reach), SUM(r.reach_shares), SUM(r.human_clicks), "
            "SUM(r.bot_clicks), "
            "SUM(r.unique_visitors), SUM(r.charged), SUM(r.charged_shares), SUM(r.impressions), SUM(r.reactions), SUM(r.comments), "
            "SUM(r.reposts), MAX(CAST(r.reported AS INTEGER)) = 1"
        )
        metrics = "impressions, reactions, comments, reposts, reported"
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {table(TeamDailyRollup)} (day, team_id, content_item_id, "  # noqa: S608
                f"campaign_id, network, {figures}{metrics}) "
                f"SELECT r.day, m.team_id, r.content_item_id, r.campaign_id, r.network, {summed} "
                f"FROM {table(DailyRollup)} r JOIN {table(through)} m ON m.user_id = r.user_id "
                "GROUP BY r.day, m.team_id, r.content_item_id, r.campaign_id, r.network"
            )
            cursor.execute(
                f"INSERT INTO {table(ItemDailyRollup)} (day, content_item_id, campaign_id, "  # noqa: S608
                f"network, {figures}{metrics}) "
                f"SELECT r.day, r.content_item_id, r.campaign_id, r.network, {summed} "
                f"FROM {table(DailyRollup)} r "
                "GROUP BY r.day, r.content_item_id, r.campaign_id, r.network"
            )
            cursor.execute(
                f"INSERT INTO {table(NetworkDailyRollup)} (day, team_id, campaign_id, "  # noqa: S608
                f"network, {figures}{metrics}) "
                f"SELECT r.day, r.team_id, r.campaign_id, r.network, {summed} "
                f"FROM {table(TeamDailyRollup)} r "
                "GROUP BY r.day, r.team_id, r.campaign_id, r.network"
            )
            cursor.execute(
                f"INSERT INTO {table(NetworkDailyRollup)} (day, team_id, campaign_id, "  # noqa: S608
                f"network, {figures}{metrics}) "
                f"SELECT r.day, NULL, r.campaign_id, r.network, {summed} "
                f"FROM {table(ItemDailyRollup)} r "
                "GROUP BY r.day, r.campaign_id, r.network"
            )
            cursor.execute(
                f"INSERT INTO {table(TeamDayRollup)} (day, team_id, {figures}{metrics}) "  # noqa: S608
                f"SELECT r.day, r.team_id, {summed} FROM {table(NetworkDailyRollup)} r "
                "WHERE r.team_id IS NOT NULL GROUP BY r.day, r.team_id"
            )
            cursor.execute(
                f"INSERT INTO {table(AmbassadorDailyRollup)} (day, user_id, "  # noqa: S608
                f"{figures}{metrics}) "
                f"SELECT r.day, r.user_id, {summed} FROM {table(DailyRollup)} r "
                "GROUP BY r.day, r.user_id"
            )
            # As the end of every rebuild does (timed apart: the beat pays it every 2 minutes).
            periods_started = time.perf_counter()
            ambassador_periods_rebuild(until=today)
            counted["periods_seconds"] = time.perf_counter() - periods_started
            RollupRun.objects.update_or_create(
                name="daily", defaults={"built_at": now, "periods_until": today}
            )
            cursor.execute("ANALYZE")
    counted["period_rollups"] = AmbassadorPeriodRollup.objects.count()
    counted["team_rollups"] = TeamDailyRollup.objects.count()
    counted["item_rollups"] = ItemDailyRollup.objects.count()
    counted["network_rollups"] = NetworkDailyRollup.objects.count()
    counted["ambassador_rollups"] = AmbassadorDailyRollup.objects.count()
    counted["seconds"] = round(time.perf_counter() - started)
    return {"team": teams[0], "campaign": campaigns[0], "counted": counted}


def rebuild_timed() -> dict[str, Any]:
    """The full rebuild of yesterday and today (`rollups_rebuild`, what the beat did before
    it refreshed only what changed) on a full day's raw rows: the sampled raw clicks and
    snapshots of those two days are replaced by all of them, as the networks and the click
    flush would have stored them (every click the rollups count, a snapshot per LinkedIn share
    of the last 30 days and day), and the rebuild is timed once. After the reports were timed:
    the rebuild recounts these two days from the raw rows. Then the beat's refresh
    (`rollups_refresh`) is timed after 1 % more of today's clicks arrived through the click
    flush's store, and once more with nothing new."""
    from advocacy.models import Click, MetricSnapshot, Share
    from reports.days import day_bounds, report_zone
    from reports.models import DailyRollup
    from reports.services.rollups import rollups_rebuild

    zone = report_zone()
    today = timezone.localdate(timezone=zone)
    days = [today - timedelta(days=1), today]
    start, _end = day_bounds(days[0], today)
    with transaction.atomic():
        Click.objects.filter(created_at__gte=start).delete()
        MetricSnapshot.objects.filter(taken_at__gte=start).delete()
        recent = Share.objects.filter(
            status=Share.Status.PUBLISHED,
            published_at__gte=day_bounds(today - timedelta(days=DAYS), today)[0],
        )
        shares = {
            (user_id, item_id, network): (pk, published)
            for user_id, item_id, network, pk, published in recent.values_list(
                "user_id", "content_item_id", "network", "pk", "published_at"
            )
        }
        # Read before the COPY starts: the connection cannot fetch while it copies.
        rows = list(
            DailyRollup.objects.filter(day__gte=days[0]).values_list(
                "day",
                "user_id",
                "content_item_id",
                "network",
                "human_clicks",
                "bot_clicks",
                "unique_visitors",
            )
        )

        def clicks() -> Iterator[tuple[Any, ...]]:
            for day, user_id, item_id, network, human, bots, visitors in rows:
                share_id = shares[(user_id, item_id, network)][0]
                midnight = datetime.combine(day, datetime.min.time(), tzinfo=zone)
                for n in range(human + bots):
                    bot = n >= human
                    yield (
                        share_id,
                        moment(midnight + timedelta(seconds=n)),
                        bot,
                        "facebookexternalhit" if bot else "browser",
                        "" if bot else f"v{n % max(visitors, 1)}",
                        f"r{share_id}-{day:%d}-{n}",
                    )

        def snapshots() -> Iterator[tuple[Any, ...]]:
            for (_user, _item, network), (share_id, published) in shares.items():
                if network != "linkedin":
                    continue
                for k, day in enumerate(days):
                    if timezone.localdate(published, zone) <= day:
                        at = datetime.combine(day, datetime.min.time(), tzinfo=zone)
                        total = 100 + share_id % 50 + k * 10
                        yield (
                            share_id,
                            moment(at + timedelta(hours=20)),
                            total * 25,
                            total // 3,
                            total // 10,
                            total // 20,
                        )

        raw_clicks = insert(
            Click,
            ["share_id", "created_at", "is_bot", "agent", "visitor_hash", "event_id"],
            clicks(),
        )
        raw_snapshots = insert(
            MetricSnapshot,
            ["share_id", "taken_at", "impressions", "reactions", "comments", "reposts"],
            snapshots(),
        )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    started = time.perf_counter()
    with CaptureQueriesContext(connection) as queries:
        written = rollups_rebuild(since=days[0], until=today)
    return {
        "seconds": time.perf_counter() - started,
        "queries": len(queries),
        "clicks": raw_clicks,
        "snapshots": raw_snapshots,
        "rows": written,
        **refresh_timed(today),
    }


def refresh_timed(today: date) -> dict[str, Any]:
    """The beat's refresh after 1 % of today's clicks arrive (on shares drawn as today's clicks
    fall, stored by the click flush's `clicks_store`, which marks them), then with nothing
    new."""
    from advocacy.clicks.store import clicks_store
    from advocacy.clicks.stream import ClickEvent
    from advocacy.models import Click
    from reports.days import day_bounds
    from reports.services.refresh import rollups_refresh

    start, _end = day_bounds(today, today)
    clicked = list(Click.objects.filter(created_at__gte=start).values_list("share_id", flat=True))
    draw = random.Random(7)
    now = timezone.now()
    arrived = [
        ClickEvent(
            event_id=f"new{n}",
            share_id=draw.choice(clicked),
            at=now - timedelta(seconds=n % 60),
            is_bot=n % 10 == 0,
            agent="facebookexternalhit" if n % 10 == 0 else "browser",
            visitor_hash="" if n % 10 == 0 else f"new{n}",
        )
        for n in range(len(clicked) // 100)
    ]
    for first in range(0, len(arrived), 5000):  # as the flush does, a batch at a time
        with transaction.atomic():
            clicks_store(events=arrived[first : first + 5000])
    shares = len({event.share_id for event in arrived})
    started = time.perf_counter()
    with CaptureQueriesContext(connection) as queries:
        refreshed = rollups_refresh(today=today)
    seconds = time.perf_counter() - started
    idle_started = time.perf_counter()
    with CaptureQueriesContext(connection) as idle_queries:
        rollups_refresh(today=today)
    return {
        "new_clicks": len(arrived),
        "new_shares": shares,
        "refresh_seconds": seconds,
        "refresh_queries": len(queries),
        "refresh_rows": refreshed,
        "idle_seconds": time.perf_counter() - idle_started,
        "idle_queries": len(idle_queries),
    }


def timed(call: Callable[[], object], repeat: int) -> tuple[float, int]:
    call()  # warm up (and the query count of a warm process)
    with CaptureQueriesContext(connection) as queries:
        call()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        call()
        times.append(time.perf_counter() - start)
    return statistics.median(times), len(queries)


def measure(args: argparse.Namespace, ambassadors: int) -> dict[str, tuple[float, int]]:
    from reports.selectors.campaign import campaign_report
    from reports.selectors.organisation import organisation_report
    from reports.selectors.team import team_dashboard

    call_command("flush", interactive=False, verbosity=0)
    data = fill(
        ambassadors,
        args.shares_per,
        args.clicks_per,
        args.raw_clicks * ambassadors // args.ambassadors,
        args.raw_snapshots * ambassadors // args.ambassadors,
        args.seed,
    )
    c = data["counted"]
    print(
        f"\n{ambassadors:,} ambassadors ({ambassadors // TEAM_SIZE} teams of {TEAM_SIZE}), "
        f"{c['shares'] + c['failed']:,} share rows ({c['failed']:,} failed with a problem), "
        f"{c['clicks']:,} clicks counted into the rollups, of which {c['raw_clicks']:,} also "
        f"as raw rows; {c['raw_snapshots']:,} raw snapshots; rollup rows: "
        f"{c['rollups']:,} per ambassador, {c['team_rollups']:,} per team, "
        f"{c['item_rollups']:,} per item, {c['network_rollups']:,} per network, campaign and day, "
        f"{c['ambassador_rollups']:,} per ambassador and day, {c['period_rollups']:,} per "
        f"ambassador and period (filled in {c['seconds']} s; the period rollup's rebuild took "
        f"{c['periods_seconds']:.2f} s)",
        flush=True,
    )
    results = {
        "team dashboard (30 days)": timed(
            lambda: team_dashboard(team=data["team"], days=30), args.repeat
        ),
        "campaign report": timed(lambda: campaign_report(campaign=data["campaign"]), args.repeat),
        "organisation report (30 days)": timed(lambda: organisation_report(days=30), args.repeat),
    }
    for name, (seconds, queries) in results.items():
        print(f"  {name:<30} median {seconds * 1000:8.1f} ms  {queries:>3} queries", flush=True)
    if args.rebuild:
        r = rebuild_timed()
        print(
            f"  rollups_rebuild (yesterday and today in full, {r['clicks']:,} raw "
            f"clicks and {r['snapshots']:,} snapshots in those days): {r['seconds']:.1f} s, "
            f"{r['queries']} queries, {r['rows']:,} ambassador-item-day rows",
            flush=True,
        )
        print(
            f"  rollups_refresh (the beat's, after {r['new_clicks']:,} new clicks on "
            f"{r['new_shares']:,} shares): {r['refresh_seconds']:.2f} s, "
            f"{r['refresh_queries']} queries, {r['refresh_rows']:,} ambassador-item-day rows "
            f"({r['refresh_seconds'] / r['seconds']:.3f} of the rebuild's time in this run); "
            f"with nothing new: {r['idle_seconds'] * 1000:.1f} ms, {r['idle_queries']} queries",
            flush=True,
        )
    return results


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--ambassadors", type=int, default=10_000)
    parser.add_argument("--shares-per", type=int, default=100, help="shares per ambassador")
    parser.add_argument("--clicks-per", type=int, default=20, help="mean clicks per share")
    parser.add_argument("--raw-clicks", type=int, default=200_000)
    parser.add_argument("--raw-snapshots", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--seed", type=int, default=5)
    parser.add_argument(
        "--no-rebuild",
        dest="rebuild",
        action="store_false",
        help="skip timing the beat's rebuild on a full day's raw rows",
    )
    args = parser.parse_args()
    connection.settings_dict.setdefault("TEST", {})
    if connection.vendor == "postgresql":
        connection.settings_dict["TEST"]["NAME"] = f"test_bench_reports_{os.getpid()}"
    old = setup_databases(verbosity=0, interactive=False)
    try:
        print(f"database: {connection.vendor}", flush=True)
        small = measure(args, args.ambassadors // 10)
        large = measure(args, args.ambassadors)
    finally:
        teardown_databases(old, verbosity=0)
    print("\nlarge / small (10x the data); target: under 300 ms each, queries equal")
    for name in large:
        (big, big_queries), (little, little_queries) = large[name], small[name]
        print(
            f"  {name:<30} time x{big / little:5.2f}   queries {little_queries} -> "
            f"{big_queries} ({'same' if big_queries == little_queries else 'GREW'})   "
            f"{'under' if big < 0.3 else 'OVER'} 300 ms"
        )


if __name__ == "__main__":
    main()
