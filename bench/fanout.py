"""Fan-out benchmark: one campaign item launched to --ambassadors ambassadors on both LinkedIn
and X, published by a real Celery worker against the local fake network (tests/fakenet) with
--latency-ms per call and posting limits configured per user and per app.

PostgreSQL and Redis (the machine's services; defaults below). It builds a throw-away test
database, starts the fake network in a process of its own with the same posting limits as the
product's NETWORK_QUOTAS (so any overshoot comes back as a 429), starts one `celery worker` with
--concurrency prefork processes on the Redis broker, waits for the start of a quota window,
makes every share due at once and calls the dispatcher every --tick seconds, as beat does.

It prints the time to publish all, the lower bound that the limits and the worker's concurrency
set, and their ratio (target <= 1.25), duplicate posts (must be 0), 429 answers received (must
be 0 when the limits are configured right) and the worker's peak memory.

The lower bound: with an app limit of L posts per window of W seconds on each network and N
shares per network, a perfect scheduler fills ceil(N / L) windows, the last one as fast as C
concurrent calls of the given latency allow:
    limits bound      = (ceil(N / L) - 1) * W + ceil(last window's posts, both networks / C) * latency
    concurrency bound = ceil(2 N / C) * latency
    lower bound       = the larger of the two

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/test .venv/bin/python bench/fanout.py \\
        [--ambassadors 10000] [--latency-ms 100] [--app-limit 2000] [--window 60] \\
        [--user-limit 100] [--concurrency 16] [--tick 10] [--timeout 1800]
"""

import argparse
import json
import math
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

DEFAULT_DATABASE = "postgres://postgres@127.0.0.1:5432/test"
BROKER = "redis://127.0.0.1:6379/11"  # this benchmark's own Redis databases, emptied first
CACHE = "redis://127.0.0.1:6379/12"
TEXT = "Launch day: proud of what we built! #employee"


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--ambassadors", type=int, default=10_000)
    parser.add_argument("--latency-ms", type=int, default=100, help="per call to the fake")
    parser.add_argument("--app-limit", type=int, default=2_000, help="posts per window per app")
    parser.add_argument("--window", type=int, default=60, help="seconds of the app window")
    parser.add_argument("--user-limit", type=int, default=100, help="posts per user per 15 min")
    parser.add_argument("--concurrency", type=int, default=16, help="worker pool processes")
    parser.add_argument("--tick", type=float, default=10.0, help="seconds between dispatches")
    parser.add_argument("--batch", type=int, default=1000, help="dispatcher limit per network")
    parser.add_argument("--timeout", type=float, default=1800.0, help="seconds")
    parser.add_argument("--keep-logs", action="store_true", help="keep the worker's log")
    return parser.parse_args()


ARGS = arguments()
QUOTAS = {
    network: {"user": [[ARGS.user_limit, 900]], "app": [[ARGS.app_limit, ARGS.window]]}
    for network in ("x", "linkedin")
}


class FakeNetwork:
    """The fake network in a process of its own, as a real network is: its CPU is apart
    from the worker's and the dispatcher's, and it does not wait for their GIL."""

    def __init__(self) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "tests.fakenet", "--port", "0"],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert self.process.stdout is not None
        # "fake X and LinkedIn listening on http://127.0.0.1:<port> (control: ...)"
        self.url = self.process.stdout.readline().split(" listening on ")[1].split()[0]

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=10)


# The fake network starts before Django, so the worker inherits its address.
FAKE = FakeNetwork()
os.environ.update(
    {
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "X_API_BASE_URL": FAKE.url,
        "LINKEDIN_API_BASE_URL": FAKE.url,
        "NETWORK_QUOTAS": json.dumps(QUOTAS),
        # Every post must go: the benchmark measures limits, not the budget.
        "NETWORK_POST_COSTS": json.dumps({"x": "0.20"}),
    }
)
os.environ.setdefault("CELERY_BROKER_URL", BROKER)
os.environ.setdefault("REDIS_URL", CACHE)

import django  # noqa: E402

django.setup()

import redis  # noqa: E402
import requests  # noqa: E402
from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import setup_databases, teardown_databases  # noqa: E402
from django.utils import timezone  # noqa: E402

from tests.worker import WorkerProcess, process_cpu_ticks  # noqa: E402


@dataclass
class Run:
    shares: int = 0
    took: float = 0.0
    statuses: dict[str, int] = field(default_factory=dict)
    answers: dict[str, int] = field(default_factory=dict)
    posts: int = 0
    duplicates: int = 0
    missing: int = 0
    peak_pss: int = 0
    peak_rss: int = 0
    dispatches: list[float] = field(default_factory=list)
    cpu: dict[str, float] = field(default_factory=dict)
    progress: list[tuple[float, int]] = field(default_factory=list)


def build(ambassadors: int) -> list[int]:
    """Ambassadors with a LinkedIn and an X account each, and one share per account of one
    campaign item, not yet due."""
    from advocacy.models import NetworkAccount, Share, User
    from campaigns.models import Campaign, ContentItem
    from tests.factories import current_policy

    now = timezone.now()
    policy = current_policy()
    campaign = Campaign.objects.create(
        name="Launch",
        starts_on=now.date(),
        ends_on=(now + timedelta(days=30)).date(),
        utm_campaign="launch",
        goal_target=ambassadors,
    )
    item = ContentItem.objects.create(
        title="Our launch",
        description="What we built, and why.",
        url="https://example.com/launch",
        status="published",
        published_at=now,
        campaign=campaign,
    )
    users = User.objects.bulk_create(
        User(username=f"fan-{i}", email=f"fan-{i}@example.com", ambassador_since=now)
        for i in range(ambassadors)
    )
    accounts = NetworkAccount.objects.bulk_create(
        NetworkAccount(
            user=user,
            network=network,
            external_id=f"{network}-{user.pk}",
            display_name=f"@{user.username}",
            access_token=f"{network}-token-{user.pk}",
            token_expires_at=now + timedelta(days=30),
            scopes="tweet.read tweet.write users.read offline.access"
            if network == "x"
            else "openid profile email w_member_social",
            followers_count=300,
        )
        for user in users
        for network in ("x", "linkedin")
    )
    # The fake network answers 401 to tokens it did not issue: it is told about these.
    tokens = [
        {"network": a.network, "token": a.access_token, "member": a.external_id, "scope": a.scopes}
        for a in accounts
    ]
    requests.post(f"{FAKE.url}/_tokens", json={"tokens": tokens}, timeout=120).raise_for_status()
    later = now + timedelta(days=1)
    shares = Share.objects.bulk_create(
        Share(
            user_id=account.user_id,
            account=account,
            network=account.network,
            content_item=item,
            text=TEXT,
            policy_version=policy,
            scheduled_at=later,
            potential_reach=account.followers_count,
        )
        for account in accounts
    )
    return [share.pk for share in shares]


def wait_for_window_start(window: int) -> None:
    """Launch at the start of a quota window (windows are aligned to the epoch), so that the
    limits bound below is the one this run can reach."""
    now = time.time()
    time.sleep(window - now % window + 0.05)


# The last CPU ticks seen of each PostgreSQL backend of the benchmark's database. A worker
# process reconnects every CELERY_DB_REUSE_MAX tasks, so backends end during the run: they are
# sampled every second, and one that ended keeps the ticks it had at its last sample.
BACKEND_TICKS: dict[int, int] = {}


def sample_backends() -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
            "AND pid <> pg_backend_pid()"
        )
        for (pid,) in cursor.fetchall():
            BACKEND_TICKS[pid] = max(BACKEND_TICKS.get(pid, 0), process_cpu_ticks(pid))


def cpu_used(worker: "WorkerProcess") -> dict[str, float]:
    """CPU seconds used so far by each part of the set-up: where a CPU-bound run spends."""
    sample_backends()
    ticks = os.sysconf("SC_CLK_TCK")
    used = os.times()
    redis_cpu = redis.Redis.from_url(settings.CELERY_BROKER_URL).info("cpu")
    main, pool = worker.cpu_seconds()
    return {
        "worker's main process": main,
        "worker's pool": pool,
        "PostgreSQL": sum(BACKEND_TICKS.values()) / ticks,
        "Redis": redis_cpu["used_cpu_user"] + redis_cpu["used_cpu_sys"],
        "fake network": process_cpu_ticks(FAKE.process.pid) / ticks,
        "dispatcher and this benchmark": used.user + used.system,
    }


def launch(ids: list[int], worker: "WorkerProcess", run: Run) -> None:
    from advocacy.models import Share
    from advocacy.publishing.dispatch import shares_dispatch_due

    shares = Share.objects.all()  # the benchmark's own database holds only these
    wait_for_window_start(ARGS.window)
    before = cpu_used(worker)
    start = time.monotonic()
    shares.update(scheduled_at=timezone.now())
    next_tick = start
    while True:
        now = time.monotonic()
        if now >= next_tick:
            began = time.perf_counter()
            shares_dispatch_due(limit=ARGS.batch)
            run.dispatches.append(time.perf_counter() - began)
            next_tick += ARGS.tick
        pss, rss = worker.memory()
        sample_backends()
        run.peak_pss, run.peak_rss = max(run.peak_pss, pss), max(run.peak_rss, rss)
        pending = shares.filter(status__in=["scheduled", "publishing"]).count()
        run.progress.append((now - start, len(ids) - pending))
        if not pending:
            break
        if now - start > ARGS.timeout:
            raise RuntimeError(f"{pending} shares still pending after {ARGS.timeout:.0f} s")
        time.sleep(1.0)
    run.took = time.monotonic() - start
    after = cpu_used(worker)
    run.cpu = {part: after[part] - before[part] for part in after}
    run.shares = len(ids)
    run.statuses = dict(Counter(Share.objects.filter(pk__in=ids).values_list("status", flat=True)))


def check_network(ids: list[int], run: Run) -> None:
    """Duplicates and missing posts, from what the fake network stored."""
    from advocacy.models import Share

    run.answers = requests.get(f"{FAKE.url}/_stats", timeout=30).json()["answers"]
    stored = requests.get(f"{FAKE.url}/_posts", timeout=60).json()["posts"]
    run.posts = len(stored)
    per_share = Counter((post["network"], post["text"].rsplit("/r/", 1)[-1]) for post in stored)
    run.duplicates = sum(count - 1 for count in per_share.values())
    expected = set(Share.objects.filter(pk__in=ids).values_list("network", "code"))
    run.missing = len(expected - set(per_share))


def lower_bound(ambassadors: int) -> tuple[float, float]:
    latency = ARGS.latency_ms / 1000
    windows = math.ceil(ambassadors / ARGS.app_limit)
    last = ambassadors - (windows - 1) * ARGS.app_limit
    limits = (windows - 1) * ARGS.window + math.ceil(2 * last / ARGS.concurrency) * latency
    concurrency = math.ceil(2 * ambassadors / ARGS.concurrency) * latency
    return limits, concurrency


def report(run: Run) -> None:
    limits, concurrency = lower_bound(ARGS.ambassadors)
    bound = max(limits, concurrency)
    ratio = run.took / bound
    statuses = ", ".join(f"{n} {status}" for status, n in sorted(run.statuses.items()))
    too_many = sum(n for answer, n in run.answers.items() if answer.endswith(" 429"))
    print()
    print(
        f"fan-out: {ARGS.ambassadors:,} ambassadors x 2 networks = {run.shares:,} shares; "
        f"fake latency {ARGS.latency_ms} ms; app limit {ARGS.app_limit:,} per {ARGS.window} s "
        f"per network, user limit {ARGS.user_limit} per 15 min; worker -c {ARGS.concurrency} "
        f"(prefork), dispatcher every {ARGS.tick:.0f} s, PostgreSQL + Redis"
    )
    print(f"  time to publish all: {run.took:.1f} s ({statuses})")
    print(f"  lower bound: {bound:.1f} s (limits {limits:.1f} s, concurrency {concurrency:.1f} s)")
    verdict = "met" if ratio <= 1.25 else "MISSED"
    print(f"  ratio time / lower bound: {ratio:.2f} (target <= 1.25: {verdict})")
    print(
        f"  posts on the fake network: {run.posts:,}; duplicates: {run.duplicates}; "
        f"shares without a post: {run.missing}"
    )
    print(f"  429 answers received: {too_many}")
    print(
        f"  worker peak memory ({ARGS.concurrency + 1} processes): PSS {run.peak_pss / 2**20:.0f} MiB,"
        f" RSS {run.peak_rss / 2**20:.0f} MiB"
    )
    per_post = ", ".join(
        f"{part} {1000 * seconds / max(run.shares, 1):.1f}" for part, seconds in run.cpu.items()
    )
    print(
        f"  CPU per share, ms: {per_post} (total {1000 * sum(run.cpu.values()) / max(run.shares, 1):.1f};"
        f" {os.cpu_count()} cores, busy {100 * sum(run.cpu.values()) / run.took / (os.cpu_count() or 1):.0f} %)"
    )
    dispatches = sorted(run.dispatches)
    print(
        f"  dispatcher calls: {len(dispatches)}, median {dispatches[len(dispatches) // 2] * 1000:.0f} ms"
    )
    marks = []
    for second in range(30, int(run.took) + 30, 30):
        done = max((d for t, d in run.progress if t <= second), default=0)
        marks.append(f"{second}: {done:,}")
    print("  published or settled by second: " + ", ".join(marks))
    answers = ", ".join(f"{answer}: {n}" for answer, n in sorted(run.answers.items()))
    print(f"  fake network answers: {answers}")


def main() -> None:
    engine = settings.DATABASES["default"]["ENGINE"]
    if "postgresql" not in engine:
        print(
            f"bench/fanout.py needs PostgreSQL: DATABASE_URL={DEFAULT_DATABASE} "
            ".venv/bin/python bench/fanout.py",
            file=sys.stderr,
        )
        sys.exit(2)
    if not settings.CELERY_BROKER_URL.startswith("redis://") or not settings.REDIS_URL:
        print("bench/fanout.py needs a Redis broker and REDIS_URL", file=sys.stderr)
        sys.exit(2)

    def interrupted(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, interrupted)
    signal.signal(signal.SIGINT, interrupted)
    requests.post(
        f"{FAKE.url}/_control",
        json={"latency_ms": ARGS.latency_ms, "post_limits": QUOTAS, "metrics_growth": 0},
        timeout=5,
    ).raise_for_status()
    for url in {settings.CELERY_BROKER_URL, settings.REDIS_URL}:
        if url in (BROKER, CACHE):
            redis.Redis.from_url(url).flushdb()  # this benchmark's own databases only
    connection.settings_dict.setdefault("TEST", {})["NAME"] = f"test_bench_fanout_{os.getpid()}"
    log_dir = Path(tempfile.mkdtemp(prefix="bench-fanout-"))
    old = setup_databases(verbosity=0, interactive=False)
    worker = WorkerProcess(log_dir, own_session=True, concurrency=ARGS.concurrency)
    run = Run()
    try:
        print(f"building {ARGS.ambassadors:,} ambassadors and {2 * ARGS.ambassadors:,} shares")
        ids = build(ARGS.ambassadors)
        worker.start()
        print(f"worker ready; launching at the next {ARGS.window} s window", flush=True)
        launch(ids, worker, run)
        check_network(ids, run)
    finally:
        worker.stop()
        connection.close()
        teardown_databases(old, verbosity=0)
        FAKE.stop()
        if ARGS.keep_logs:
            print(f"worker log kept in {log_dir}")
        else:
            shutil.rmtree(log_dir, ignore_errors=True)
    report(run)


if __name__ == "__main__":
    try:
        main()
    except KeyboardInterrupt:
        print("interrupted: the worker was stopped and the test database dropped", file=sys.stderr)
        sys.exit(130)
