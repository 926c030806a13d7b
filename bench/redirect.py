"""Tracked-link benchmark: /r/<code> against a bare redirect on the same gunicorn server.

Builds a throw-away test database (PostgreSQL with DATABASE_URL, recommended; SQLite
otherwise), creates one published share, starts gunicorn on 127.0.0.1 with
bench/redirect_urls.py (the project's URLs plus /bench/bare/, the same 302 without lookup or
counting), and loads both URLs with `wrk` (or, without wrk, a small threaded Python load
generator) for the same time with the same server, in alternating parts. It prints both
throughputs, their ratio (target >= 0.8), the 99th-percentile latency and the server's CPU per
request, then stops the server (its workers send what they still spool), flushes the clicks
(REDIS_URL set: the Redis stream path; unset: the direct database write) and compares the
clicks counted with the requests sent (must be equal). Loopback only; the server is stopped
and the database dropped on exit and on Ctrl-C.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/test REDIS_URL=redis://127.0.0.1:6379/14 \\
        .venv/bin/python bench/redirect.py [--duration 20] [--connections 32] [--workers 2]
"""

import argparse
import http.client
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
# A stream of its own, so that nothing else's clicks are counted (and ours reach no one else).
os.environ["CLICK_STREAM_KEY"] = f"bench:clicks:{os.getpid()}"

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import setup_databases, teardown_databases  # noqa: E402
from django.utils import timezone  # noqa: E402

from tests.worker import process_cpu_ticks  # noqa: E402

BROWSER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36"


@dataclass
class Load:
    requests: int
    seconds: float
    p99_ms: float
    errors: int
    written: int  # requests sent, the answered ones and those still in flight at the end
    server_cpu: float = 0.0  # seconds of CPU the gunicorn processes used meanwhile

    @property
    def rps(self) -> float:
        return self.requests / self.seconds

    @property
    def cpu_ms(self) -> float:
        return self.server_cpu * 1000 / self.requests if self.requests else 0.0


def database_url() -> str:
    db = connection.settings_dict
    if db["ENGINE"] == "django.db.backends.sqlite3":
        return f"sqlite:///{db['NAME']}"
    user = quote(db.get("USER") or "postgres", safe="")
    password = f":{quote(db['PASSWORD'], safe='')}" if db.get("PASSWORD") else ""
    host = db.get("HOST") or "127.0.0.1"
    return f"postgres://{user}{password}@{host}:{db.get('PORT') or 5432}/{db['NAME']}"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def make_share() -> tuple[int, str, str]:
    from advocacy.clicks.redirect import destination_url
    from advocacy.models import Share, User
    from campaigns.models import ContentItem
    from policy.models import PolicyVersion

    policy = PolicyVersion.objects.create(
        number=1, status="published", body="x", published_at=timezone.now()
    )
    user = User.objects.create(username="bench", ambassador_since=timezone.now())
    item = ContentItem.objects.create(
        title="bench", url="https://example.com/post?ref=bench", caption_x="x", status="published"
    )
    share = Share.objects.create(
        user=user,
        network="sandbox",
        content_item=item,
        text="x",
        policy_version=policy,
        scheduled_at=timezone.now(),
        status="published",
    )
    return share.pk, share.code, destination_url(share)


def start_server(port: int, args: argparse.Namespace, destination: str) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": database_url(),
        "BENCH_REDIRECT_TO": destination,
        # The production default (the test settings send each click in its request).
        "CLICK_SPOOL_SECONDS": str(args.spool_seconds),
    }
    command = [
        str(ROOT / ".venv" / "bin" / "gunicorn"),
        "bench.redirect_urls:application",
        "--chdir",
        str(ROOT),
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(args.workers),
        "--worker-class",
        args.worker_class,
        "--threads",
        str(args.threads),
        "--log-level",
        "warning",
        "--backlog",
        "2048",
    ]
    return subprocess.Popen(command, env=env, cwd=ROOT, start_new_session=True)


def wait_until_ready(server: subprocess.Popen[bytes], port: int) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"gunicorn exited with status {server.returncode}")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/bench/bare/")
            if conn.getresponse().status == 302:
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("gunicorn did not answer within 30 s")


def stop_server(server: subprocess.Popen[bytes]) -> None:
    if server.poll() is None:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()


def server_cpu_seconds(server: subprocess.Popen[bytes]) -> float:
    """utime + stime of gunicorn's master and its workers: steadier than the throughput on a
    machine that runs other things, since it counts what a request costs, not when it ran."""
    pids = [server.pid]
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            if int(stat.read_text().rsplit(")", 1)[1].split()[1]) == server.pid:
                pids.append(int(stat.parent.name))
        except (OSError, IndexError, ValueError):
            continue
    return sum(process_cpu_ticks(pid) for pid in pids) / os.sysconf("SC_CLK_TCK")


def parse_ms(value: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", value).groups()  # type: ignore[union-attr]
    return float(number) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}[unit]


# Counts the requests wrk writes: a request still in flight when wrk stops is not in its
# "requests in" figure, but the server may well have answered (and counted) it.
WRK_SCRIPT = """
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args) written = 0 end
function request() written = written + 1; return wrk.request() end
function done(summary, latency, requests)
  local total = 0
  for _, thread in ipairs(threads) do total = total + thread:get("written") end
  total = total - 1  -- wrk calls request() once on its first thread to check the script
  io.write(string.format("requests written: %d\\n", total))
end
"""


def load_wrk(url: str, args: argparse.Namespace, duration: int) -> Load:
    script = Path(tempfile.gettempdir()) / f"bench-redirect-{os.getpid()}.lua"
    script.write_text(WRK_SCRIPT)
    command = [
        "wrk",
        "-s",
        str(script),
        f"-t{args.threads_client}",
        f"-c{args.connections}",
        f"-d{duration}s",
        "--latency",
        "-H",
        f"User-Agent: {BROWSER}",
        url,
    ]
    try:
        output = subprocess.run(
            command, capture_output=True, text=True, timeout=duration + 60, check=True
        ).stdout
    finally:
        script.unlink(missing_ok=True)
    sent = re.search(r"(\d+) requests in ([\d.]+)(ms|s|m)", output)
    written = re.search(r"requests written: (\d+)", output)
    p99 = re.search(r"^\s*99%\s+(\S+)", output, re.MULTILINE)
    if not sent or not p99 or not written:
        raise RuntimeError(f"Unexpected wrk output:\n{output}")
    seconds = parse_ms(sent.group(2) + sent.group(3)) / 1000
    errors = 0
    if found := re.search(r"Non-2xx or 3xx responses: (\d+)", output):
        errors += int(found.group(1))
    if found := re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    ):
        errors += sum(int(n) for n in found.groups())
    return Load(int(sent.group(1)), seconds, parse_ms(p99.group(1)), errors, int(written.group(1)))


def load_python(url: str, args: argparse.Namespace, duration: int) -> Load:
    """A threaded keep-alive load generator, for machines without wrk (slower than wrk:
    it measures less than the server can do, the same for both URLs)."""
    port = int(url.split(":")[2].split("/")[0])
    target = "/" + url.split("/", 3)[3]
    latencies: list[float] = []
    errors = [0]
    written = [0]
    lock = threading.Lock()
    deadline = time.monotonic() + duration

    def run() -> None:
        mine: list[float] = []
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        while time.monotonic() < deadline:
            start = time.perf_counter()
            try:
                with lock:
                    written[0] += 1
                conn.request("GET", target, headers={"User-Agent": BROWSER})
                response = conn.getresponse()
                response.read()
                if response.status != 302:
                    errors[0] += 1
                if response.getheader("Connection", "").lower() == "close":
                    conn.close()
            except OSError:
                errors[0] += 1
                conn.close()
                continue
            mine.append(time.perf_counter() - start)
        with lock:
            latencies.extend(mine)

    started = time.monotonic()
    threads = [threading.Thread(target=run) for _ in range(args.connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started
    p99 = statistics.quantiles(latencies, n=100)[98] * 1000 if len(latencies) > 1 else 0.0
    return Load(len(latencies), elapsed, p99, errors[0], written[0])


def combined(loads: list[Load]) -> Load:
    """Several runs as one: the p99 is the worst run's (conservative)."""
    return Load(
        requests=sum(load.requests for load in loads),
        seconds=sum(load.seconds for load in loads),
        p99_ms=max(load.p99_ms for load in loads),
        errors=sum(load.errors for load in loads),
        written=sum(load.written for load in loads),
        server_cpu=sum(load.server_cpu for load in loads),
    )


def clicks_counted(share_id: int) -> int:
    from advocacy.models import Click

    return Click.objects.filter(share_id=share_id, is_bot=False).count()


def flush_all() -> tuple[int, float]:
    from advocacy.clicks.flush import clicks_flush

    started = time.perf_counter()
    moved = 0
    while done := clicks_flush():
        moved += done
    return moved, time.perf_counter() - started


def stop_on_signals() -> None:
    def handler(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, handler)
    signal.signal(signal.SIGINT, handler)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--duration", type=int, default=20, help="seconds per URL")
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument(
        "--rounds", type=int, default=2, help="A-B-B-A rounds the duration is split into"
    )
    parser.add_argument("--threads-client", type=int, default=1, help="wrk threads")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("--worker-class", default="gthread", choices=["sync", "gthread"])
    parser.add_argument("--threads", type=int, default=4, help="threads per gthread worker")
    parser.add_argument("--python-load", action="store_true", help="do not use wrk")
    parser.add_argument(
        "--spool-seconds",
        type=float,
        default=0.05,
        help="CLICK_SPOOL_SECONDS of the server (0: one XADD in each request)",
    )
    args = parser.parse_args()

    use_wrk = not args.python_load and shutil.which("wrk") is not None
    if not use_wrk and not args.python_load:
        print("wrk not found (apt-get install wrk): using the Python load generator.")
    load = load_wrk if use_wrk else load_python
    stop_on_signals()
    connection.settings_dict.setdefault("TEST", {})["NAME"] = f"test_bench_redirect_{os.getpid()}"
    if connection.vendor == "sqlite":
        print("SQLite: set DATABASE_URL to a PostgreSQL database for figures that mean something.")
    # Ctrl-C during the database set-up is held back until the `finally` that drops it is armed.
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT, signal.SIGTERM})
    old = setup_databases(verbosity=0, interactive=False)
    server = None
    try:
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT, signal.SIGTERM})
        share_id, code, destination = make_share()
        port = free_port()
        server = start_server(port, args, destination)
        wait_until_ready(server, port)
        base = f"http://127.0.0.1:{port}"
        load(f"{base}/bench/bare/", args, 2)  # warm-up, not counted
        # A-B-B-A, `--rounds` times, so that a drift of the machine (other load) hits both
        # URLs alike.
        part = max(1, args.duration // (2 * args.rounds))
        runs: dict[str, list[Load]] = {"tracked": [], "bare": []}
        for name in ("tracked", "bare", "bare", "tracked") * args.rounds:
            url = f"{base}/r/{code}" if name == "tracked" else f"{base}/bench/bare/"
            before = server_cpu_seconds(server)
            result = load(url, args, part)
            result.server_cpu = server_cpu_seconds(server) - before
            runs[name].append(result)
        tracked, bare = combined(runs["tracked"]), combined(runs["bare"])
        stop_server(server)  # every request answered is in the stream (or the table) now
        moved, flush_seconds = flush_all()
        counted = clicks_counted(share_id)
    finally:
        if server is not None:
            stop_server(server)
        if settings.REDIS_URL:
            from advocacy.clicks import stream as clickstream

            clickstream.client().delete(
                settings.CLICK_STREAM_KEY, f"{settings.CLICK_STREAM_KEY}:flush-lock"
            )
        teardown_databases(old, verbosity=0)

    path = "Redis stream + flush" if settings.REDIS_URL else "direct database write"
    print()
    print(f"database: {connection.vendor}; clicks: {path}; load: {'wrk' if use_wrk else 'Python'}")
    print(
        f"server: gunicorn, {args.workers} workers, {args.worker_class}"
        + (f" x {args.threads} threads" if args.worker_class == "gthread" else "")
        + f"; {args.connections} connections, {args.duration} s per URL"
        + f" (A-B-B-A x {args.rounds})"
        + f"; CLICK_SPOOL_SECONDS={args.spool_seconds:g}"
    )
    for name, result in (("/r/<code>   ", tracked), ("/bench/bare/", bare)):
        print(
            f"{name}: {result.rps:9.0f} req/s, p99 {result.p99_ms:7.2f} ms, "
            f"{result.requests} answered in time, {result.written} sent, {result.errors} errors; "
            f"server CPU {result.cpu_ms:.3f} ms per request"
        )
    ratio = tracked.rps / bare.rps if bare.rps else 0.0
    print(f"ratio tracked/bare: {ratio:.2f} (target >= 0.8)")
    if tracked.cpu_ms:
        print(
            f"server CPU per request, bare/tracked: {bare.cpu_ms / tracked.cpu_ms:.2f} "
            "(what the ratio would be if the server alone had the cores)"
        )
    if settings.REDIS_URL:
        rate = moved / flush_seconds if flush_seconds else 0.0
        print(f"flush: {moved} clicks in {flush_seconds:.2f} s ({rate:.0f} clicks/s)")
    verdict = "equal" if counted == tracked.written else "NOT EQUAL"
    print(f"clicks counted: {counted}, requests sent to /r/<code>: {tracked.written} ({verdict})")


if __name__ == "__main__":
    main()
