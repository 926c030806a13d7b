"""Dispatch benchmark: the beat tick's cost grows with what is due, not with what is stored,
and a share starts publishing soon after its time.

PostgreSQL only (DATABASE_URL=postgres://...). Builds a throw-away test database and measures:

1. Tick cost. Fills the share table with scheduled shares spread over the next 30 days (COPY),
   runs ANALYZE (as autovacuum would on a live database), makes exactly 1,000 of them due and
   times `shares_dispatch_due(limit=1000)` (median of repeated ticks, `enqueued_at` reset in
   between) and counts its queries, once with --small rows in total and once with --large.
   Celery is patched out in this part (`_send` counts instead of enqueueing 1,000 messages):
   the figure is the database cost of a tick. Target: large/small <= 1.5.
2. Lag. With the --large rows still in the table, starts a real Celery worker process (one,
   concurrency 1, as in tests/worker.py), schedules --lag-shares shares to the sandbox network
   at times spread over the next minute, calls the dispatcher every 10 s in this process (as
   beat would) and waits until every share is done. Prints the lag between `scheduled_at` and
   `claimed_at` (p50/p99/max; target p99 < 60 s) and the duplicates (sandbox posts per share).
   The broker is CELERY_BROKER_URL, else the filesystem transport (see bench/README.md).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/test .venv/bin/python bench/dispatch.py \\
        [--small 10000] [--large 1000000] [--repeat 11] [--lag-shares 300] [--explain]
"""

import argparse
import math
import os
import random
import shutil
import signal
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
# Set by the test settings when unset: a temporary broker folder this run then owns.
OWN_BROKER_DIR = "CELERY_FILESYSTEM_BROKER_DIR" not in os.environ

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import (  # noqa: E402
    CaptureQueriesContext,
    setup_databases,
    teardown_databases,
)
from django.utils import timezone  # noqa: E402

DUE = 1000  # shares due at the measured tick
ITEMS = 500  # content items; users = rows / ITEMS, so every (user, item) pair is used once
SPAN = timedelta(days=30)
BACKGROUND_FROM = timedelta(hours=1)  # stored shares start here: none falls due during a run
TICK = 10.0  # seconds between dispatcher calls, as CELERY_BEAT_SCHEDULE says
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/test"


@dataclass
class World:
    policy_id: int
    user_ids: list[int]
    account_ids: list[int]
    item_ids: list[int]


@dataclass
class TickResult:
    rows: int
    median: float
    times: list[float]
    queries: int  # as CaptureQueriesContext counts them, BEGIN and COMMIT included
    statements: int  # without BEGIN and COMMIT
    breakdown: str  # each query of one tick and its time in ms
    plan: str


# --- Part 1: tick cost -------------------------------------------------------------------------


def build_world(rows: int) -> World:
    """A policy, ITEMS published items and enough ambassadors (each with a connected sandbox
    account) that every share is a distinct (user, item) pair: one live share per user, network
    and item, as the partial unique constraint demands."""
    from advocacy.models import NetworkAccount, User
    from campaigns.models import ContentItem
    from tests.factories import current_policy

    now = timezone.now()
    policy = current_policy()
    users = User.objects.bulk_create(
        User(username=f"bench-{i}", email=f"bench-{i}@example.com", ambassador_since=now)
        for i in range(math.ceil(rows / ITEMS))
    )
    accounts = NetworkAccount.objects.bulk_create(
        NetworkAccount(
            user=user,
            network="sandbox",
            external_id=f"sandbox-{user.pk}",
            display_name=f"@{user.username}",
            access_token="bench-token",  # noqa: S106 - a sandbox token, encrypted on save
            followers_count=500,
        )
        for user in users
    )
    items = ContentItem.objects.bulk_create(
        ContentItem(
            title=f"bench item {i}",
            url=f"https://example.com/bench/{i}",
            caption_x="Proud of what we built. #employee",
            caption_linkedin="Proud of what we built. #employee",
            status="published",
            published_at=now,
        )
        for i in range(ITEMS)
    )
    return World(
        policy_id=policy.pk,
        user_ids=[user.pk for user in users],
        account_ids=[account.pk for account in accounts],
        item_ids=[item.pk for item in items],
    )


def share_table() -> str:
    from advocacy.models import Share

    return connection.ops.quote_name(Share._meta.db_table)


def fill(world: World, rows: int) -> float:
    """COPY `rows` scheduled shares, at random moments over the next 30 days (random, so the
    table's physical order does not follow scheduled_at, as on a live database). Every column
    the services write gets the value they would write; the rest gets the model's default."""
    from advocacy.models import Share

    start = time.perf_counter()
    now = timezone.now()
    fields = [field for field in Share._meta.concrete_fields if not field.primary_key]
    constants = {field.attname: field.get_default() for field in fields}
    constants.update(
        network="sandbox",
        text="My own words about what we built. #employee",
        status=Share.Status.SCHEDULED,
        policy_version_id=world.policy_id,
        potential_reach=500,
        created_at=now,
        updated_at=now,
    )
    columns = [field.column for field in fields]
    users = len(world.user_ids)
    generator = random.Random(rows)
    span = (SPAN - BACKGROUND_FROM).total_seconds()
    names = ", ".join(connection.ops.quote_name(column) for column in columns)
    copy_sql = f"COPY {share_table()} ({names}) FROM STDIN"
    with connection.cursor() as cursor, cursor.cursor.copy(copy_sql) as copy:
        for i in range(rows):
            when = now + BACKGROUND_FROM + timedelta(seconds=generator.uniform(0, span))
            row = dict(
                constants,
                user_id=world.user_ids[i % users],
                account_id=world.account_ids[i % users],
                content_item_id=world.item_ids[i // users],
                code=f"b{i:07d}",  # unique; real codes are random letters and digits
                scheduled_at=when,
                requested_at=when,
            )
            copy.write_row([row[field.attname] for field in fields])
    return time.perf_counter() - start


def make_due(now: datetime) -> list[int]:
    """Exactly DUE shares become due: their time passed in the last ten minutes."""
    table = share_table()
    with connection.cursor() as cursor:
        cursor.execute("SELECT setseed(0.42)")
        cursor.execute(
            f"SELECT id FROM {table} ORDER BY random() LIMIT %s",  # noqa: S608
            [DUE],
        )
        ids = [row[0] for row in cursor.fetchall()]
        cursor.execute(
            f"UPDATE {table} SET scheduled_at = %s - random() * interval '10 minutes',"  # noqa: S608
            " requested_at = NULL, enqueued_at = NULL WHERE id = ANY(%s)",
            [now, ids],
        )
    return ids


def reset_due(ids: list[int]) -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {share_table()} SET enqueued_at = NULL WHERE id = ANY(%s)",  # noqa: S608
            [ids],
        )


@contextmanager
def celery_patched_out() -> Iterator[list[int]]:
    """The harness, not the product: count what would be enqueued instead of sending it."""
    from advocacy.sharing import enqueue as publishing

    sent: list[int] = []
    original = publishing._send
    publishing._send = lambda share_ids: sent.append(len(share_ids))  # type: ignore[assignment]
    try:
        yield sent
    finally:
        publishing._send = original  # type: ignore[assignment]


def explain(sql: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}")
        return "\n".join(row[0] for row in cursor.fetchall())


def measure_tick(world: World, rows: int, repeat: int) -> TickResult:
    from advocacy.publishing.dispatch import shares_dispatch_due

    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {share_table()} CASCADE")
    took = fill(world, rows)
    print(f"  filled {rows:>9,} scheduled shares in {took:6.1f} s", flush=True)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # as autovacuum would have done on a live database
    now = timezone.now()
    due_ids = make_due(now)
    times = []
    with celery_patched_out() as sent:
        shares_dispatch_due(now=now, limit=DUE)  # warm up
        for _ in range(repeat):
            reset_due(due_ids)
            sent.clear()
            start = time.perf_counter()
            dispatched = shares_dispatch_due(now=now, limit=DUE)
            times.append(time.perf_counter() - start)
            if dispatched != DUE or sum(sent) != DUE:
                raise RuntimeError(f"a tick dispatched {dispatched} shares, sent {sum(sent)}")
        reset_due(due_ids)
        with CaptureQueriesContext(connection) as queries:
            shares_dispatch_due(now=now, limit=DUE)
    sqls = [q["sql"] for q in queries.captured_queries]
    due_select = next(sql for sql in sqls if '"scheduled_at" <=' in sql)
    statements = sum(sql not in ("BEGIN", "COMMIT") for sql in sqls)
    breakdown = ", ".join(
        f"{q['sql'].split()[0]} {float(q['time']) * 1000:.1f}" for q in queries.captured_queries
    )
    reset_due(due_ids)
    plan = explain(due_select)
    return TickResult(rows, statistics.median(times), times, len(sqls), statements, breakdown, plan)


# --- Part 2: lag with a real worker ------------------------------------------------------------


def lag_people(count: int) -> tuple[list[Any], list[Any]]:
    """Opted-in ambassadors with a sandbox account (through the real services, via the test
    factories) and published items: one (ambassador, item) pair per share."""
    from tests.factories import ContentItemFactory, ambassador

    items = [ContentItemFactory(title=f"lag item {i}") for i in range(10)]
    people = [ambassador(username=f"lag-{i}") for i in range(math.ceil(count / len(items)))]
    return people, items


def schedule_lag_shares(people: list[Any], items: list[Any], count: int) -> list[int]:
    """Rows as share_schedule leaves them (status scheduled, the ambassador's account, the
    current policy, a tracked code, requested_at = scheduled_at), at random moments over the
    next minute. Written directly because share_schedule rounds to the minute and would spread
    same-item shares over the campaign's 2-hour window."""
    from advocacy.models import NetworkAccount, Share
    from policy.selectors import policy_current

    policy = policy_current()
    accounts = {a.user_id: a for a in NetworkAccount.objects.filter(network="sandbox")}
    generator = random.Random(count)
    start = timezone.now() + timedelta(seconds=5)
    moments = sorted(start + timedelta(seconds=generator.uniform(0, 60)) for _ in range(count))
    shares = []
    for i, when in enumerate(moments):
        person = people[i // len(items)]
        account = accounts[person.pk]
        shares.append(
            Share(
                user=person,
                account=account,
                network="sandbox",
                content_item=items[i % len(items)],
                text="Proud of what we built. #employee",
                policy_version=policy,
                scheduled_at=when,
                requested_at=when,
                potential_reach=account.followers_count,
            )
        )
    return [share.pk for share in Share.objects.bulk_create(shares)]


def percentile(values: list[float], p: float) -> float:
    """Nearest rank."""
    ordered = sorted(values)
    return ordered[max(math.ceil(p / 100 * len(ordered)) - 1, 0)]


@dataclass
class LagResult:
    shares: int
    statuses: dict[str, int]
    lags: list[float]
    posts: int
    distinct_posts: int
    ticks: list[float]
    took: float
    broker: str


def measure_lag(count: int, timeout: float, log_dir: Path) -> LagResult:
    from advocacy.models import SandboxPost, Share
    from advocacy.publishing.dispatch import shares_dispatch_due

    people, items = lag_people(count)
    from tests.worker import WorkerProcess

    worker = WorkerProcess(log_dir, own_session=True)
    try:
        worker.start()
        ids = schedule_lag_shares(people, items, count)
        shares = Share.objects.filter(pk__in=ids)
        start = time.monotonic()
        next_tick = start
        ticks = []
        while True:
            if time.monotonic() >= next_tick:
                began = time.perf_counter()
                shares_dispatch_due()
                ticks.append(time.perf_counter() - began)
                next_tick += TICK
            pending = shares.filter(status__in=["scheduled", "publishing"]).count()
            if not pending:
                break
            if time.monotonic() - start > timeout:
                raise RuntimeError(
                    f"{pending} of {count} shares still pending after {timeout:.0f} s; "
                    f"worker log:\n{worker.tail()}"
                )
            time.sleep(0.5)
        took = time.monotonic() - start
    finally:
        worker.stop()
    statuses: dict[str, int] = {}
    lags = []
    for status, scheduled_at, claimed_at in shares.values_list(
        "status", "scheduled_at", "claimed_at"
    ):
        statuses[status] = statuses.get(status, 0) + 1
        if claimed_at is not None:
            lags.append((claimed_at - scheduled_at).total_seconds())
    codes = list(shares.values_list("code", flat=True))
    posts = SandboxPost.objects.filter(client_ref__in=codes)
    return LagResult(
        shares=count,
        statuses=statuses,
        lags=lags,
        posts=posts.count(),
        distinct_posts=posts.values("client_ref").distinct().count(),
        ticks=ticks,
        took=took,
        broker=settings.CELERY_BROKER_URL.split(":", 1)[0],  # the scheme: no credentials
    )


# --- Running it --------------------------------------------------------------------------------


def remove_own_broker_dir() -> None:
    if OWN_BROKER_DIR and settings.CELERY_BROKER_URL.startswith("filesystem://"):
        shutil.rmtree(settings.CELERY_FILESYSTEM_BROKER_DIR, ignore_errors=True)


def require_postgres() -> None:
    engine = settings.DATABASES["default"]["ENGINE"]
    if "postgresql" not in engine and "postgis" not in engine:
        print(
            "bench/dispatch.py needs PostgreSQL: set DATABASE_URL, for example\n"
            f"  DATABASE_URL={DEFAULT_URL} .venv/bin/python bench/dispatch.py\n"
            f"(now: {os.environ.get('DATABASE_URL') or 'DATABASE_URL unset'}, engine {engine})",
            file=sys.stderr,
        )
        remove_own_broker_dir()
        sys.exit(2)


def stop_on_signals() -> None:
    """Ctrl-C and SIGTERM unwind through the `finally` that stops the worker and drops the
    database (SIGINT too when started in the background, where it would be ignored)."""

    def handler(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, handler)
    signal.signal(signal.SIGINT, handler)


def report(
    version: str, ticks: list[TickResult], lag: LagResult | None, explain_plans: bool
) -> None:
    print()
    print(f"database: {version}, {DUE} shares due per tick")
    for tick in ticks:
        spread = ", ".join(f"{t * 1000:.1f}" for t in tick.times)
        print(
            f"tick, {tick.rows:>9,} shares stored: median {tick.median * 1000:8.2f} ms, "
            f"{tick.queries} queries ({tick.statements} without BEGIN/COMMIT)"
            f"  (runs, ms: {spread})"
        )
        print(f"    one tick's queries, ms: {tick.breakdown}")
    if len(ticks) == 2:
        small, large = ticks
        ratio = large.median / small.median
        verdict = "met" if ratio <= 1.5 else "MISSED"
        print(f"ratio large/small: {ratio:.2f} (target <= 1.5: {verdict})")
        print(f"queries large/small: {large.queries}/{small.queries}")
    if explain_plans:
        for tick in ticks:
            print(f"\nplan of the due-shares query, {tick.rows:,} shares stored:\n{tick.plan}")
    if lag is None:
        return
    print()
    statuses = ", ".join(f"{n} {status}" for status, n in sorted(lag.statuses.items()))
    print(
        f"lag: {lag.shares} shares over ~60 s, one worker (-c 1), dispatcher every {TICK:.0f} s,"
        f" broker {lag.broker}"
    )
    print(f"  done in {lag.took:.1f} s: {statuses}")
    if lag.lags:
        p50, p99 = percentile(lag.lags, 50), percentile(lag.lags, 99)
        verdict = "met" if p99 < 60 else "MISSED"
        print(
            f"  scheduled_at -> claimed_at: p50 {p50:.1f} s, p99 {p99:.1f} s, "
            f"max {max(lag.lags):.1f} s (target p99 < 60 s: {verdict})"
        )
    print(
        f"  sandbox posts: {lag.posts} for {lag.shares} shares, "
        f"duplicates: {lag.posts - lag.distinct_posts}"
    )
    median_tick = statistics.median(lag.ticks) * 1000
    print(
        f"  dispatcher ticks: {len(lag.ticks)}, median {median_tick:.1f} ms,"
        f" max {max(lag.ticks) * 1000:.1f} ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--small", type=int, default=10_000, help="shares stored, small run")
    parser.add_argument("--large", type=int, default=1_000_000, help="shares stored, large run")
    parser.add_argument("--repeat", type=int, default=11, help="ticks timed per size")
    parser.add_argument("--lag-shares", type=int, default=300, help="0 skips the lag part")
    parser.add_argument("--lag-timeout", type=float, default=900.0, help="seconds")
    parser.add_argument("--explain", action="store_true", help="print the query plans")
    parser.add_argument("--keep-logs", action="store_true", help="keep the worker's log")
    args = parser.parse_args()
    require_postgres()
    if min(args.small, args.large) < DUE:
        parser.error(f"--small and --large must be at least {DUE}")
    stop_on_signals()
    # A name of its own: a test run on the same server keeps its test database.
    connection.settings_dict.setdefault("TEST", {})["NAME"] = f"test_bench_dispatch_{os.getpid()}"
    log_dir = Path(tempfile.mkdtemp(prefix="bench-dispatch-"))
    try:
        old = setup_databases(verbosity=0, interactive=False)
    except Exception as exc:
        print(f"cannot create the test database: {exc}", file=sys.stderr)
        remove_own_broker_dir()
        sys.exit(2)
    ticks: list[TickResult] = []
    lag = None
    try:
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            version = f"PostgreSQL {cursor.fetchone()[0]}"
        print(f"test database {connection.settings_dict['NAME']} ({version})", flush=True)
        world = build_world(max(args.small, args.large))
        for rows in (args.small, args.large):
            ticks.append(measure_tick(world, rows, args.repeat))
        if args.lag_shares:
            from advocacy.models import Share

            # The due shares of part 1 stay out of the way; the stored ones are an hour away.
            Share.objects.filter(scheduled_at__lte=timezone.now()).delete()
            print(f"  lag: {args.lag_shares} shares, real worker ...", flush=True)
            lag = measure_lag(args.lag_shares, args.lag_timeout, log_dir)
    finally:
        connection.close()
        teardown_databases(old, verbosity=0)
        if args.keep_logs:
            print(f"worker log kept in {log_dir}")
        else:
            shutil.rmtree(log_dir, ignore_errors=True)
        remove_own_broker_dir()
    report(version, ticks, lag, args.explain)


if __name__ == "__main__":
    try:
        main()
    except KeyboardInterrupt:
        print("interrupted: the worker was stopped and the test database dropped", file=sys.stderr)
        sys.exit(130)
