"""A real Celery worker in its own process, on the configured broker (Redis in CI, the
filesystem transport otherwise), against the test database."""

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar
from urllib.parse import quote

import pytest
from django.conf import settings
from django.db import connection

ROOT = Path(__file__).resolve().parents[1]
T = TypeVar("T")


def database_url() -> str:
    """The URL of the database this process uses now (the test database during tests)."""
    db = connection.settings_dict
    if db["ENGINE"] == "django.db.backends.sqlite3":
        return f"sqlite:///{db['NAME']}"
    user = quote(db.get("USER") or "postgres", safe="")
    password = f":{quote(db['PASSWORD'], safe='')}" if db.get("PASSWORD") else ""
    host = db.get("HOST") or "127.0.0.1"
    return f"postgres://{user}{password}@{host}:{db.get('PORT') or 5432}/{db['NAME']}"


def _celery(*args: str) -> list[str]:
    return [sys.executable, "-m", "celery", "-A", "config", *args]


def _parent_pid(stat: Path) -> int | None:
    try:
        # /proc/<pid>/stat: "pid (name) state ppid ..."; the name may contain spaces.
        return int(stat.read_text().rsplit(")", 1)[1].split()[1])
    except (OSError, IndexError, ValueError):
        return None


def process_cpu_ticks(pid: int, *, with_children: bool = False) -> int:
    """utime + stime of a process in clock ticks (and of its reaped children), 0 once it
    has ended. proc(5): the fields after the name start with the state, field 3."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0
    used = int(fields[11]) + int(fields[12])  # utime, stime
    return used + (int(fields[13]) + int(fields[14]) if with_children else 0)


class WorkerProcess:
    """`celery worker` started as a new user would start it, restartable with other settings.
    Used by the end-to-end tests and by bench/dispatch.py."""

    def __init__(self, log_dir: Path, *, own_session: bool = False, concurrency: int = 1) -> None:
        # own_session: Ctrl-C in a terminal reaches only the caller, which stops the worker.
        self.own_session = own_session
        self.concurrency = concurrency
        self.log_dir = log_dir
        self.process: subprocess.Popen[bytes] | None = None
        self.log_path = log_dir / "worker.log"
        self.base_env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings.test",
            "DATABASE_URL": database_url(),
            "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
            "SITE_URL": settings.SITE_URL,
        }

    def start(self, **extra_env: str) -> None:
        env = {**self.base_env, **extra_env}
        # Messages left by an earlier run must not reach this worker.
        subprocess.run(
            _celery("purge", "-f", "-Q", "celery,publish"),
            env=env,
            cwd=ROOT,
            check=False,
            capture_output=True,
            timeout=60,
        )
        self.log_path = self.log_dir / f"worker-{time.monotonic_ns()}.log"
        with self.log_path.open("wb") as log:
            self.process = subprocess.Popen(
                _celery(
                    "worker",
                    "-Q",
                    "celery,publish",
                    "-c",
                    str(self.concurrency),
                    "-l",
                    "info",
                    "--without-gossip",
                    "--without-mingle",
                    "--without-heartbeat",
                ),
                env=env,
                cwd=ROOT,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=self.own_session,
            )
        deadline = time.monotonic() + 60
        while b"ready." not in self.log_path.read_bytes():
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.process.kill()
                raise RuntimeError(f"the Celery worker did not start:\n{self.log()}")
            time.sleep(0.2)

    def stop(self) -> None:
        if self.process is None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)
        self.process = None

    def restart(self, **extra_env: str) -> None:
        self.stop()
        self.start(**extra_env)

    def kill_pool_child(self) -> int:
        """SIGKILL the pool process that runs tasks, as the kernel's OOM killer would."""
        assert self.process is not None
        children = self._pids()[1:]
        assert children, "the worker has no pool process"
        pid = children[0]
        os.kill(pid, signal.SIGKILL)
        return pid

    def _pids(self) -> list[int]:
        if self.process is None:
            return []
        return [self.process.pid] + [
            int(stat.parent.name)
            for stat in Path("/proc").glob("[0-9]*/stat")
            if _parent_pid(stat) == self.process.pid
        ]

    def cpu_seconds(self) -> tuple[float, float]:
        """CPU time (user + system) used so far by the worker's main process, and by its
        pool processes (those still running and those it has reaped)."""
        pids = self._pids()
        if not pids:
            return 0.0, 0.0
        main = process_cpu_ticks(pids[0])
        pool = process_cpu_ticks(pids[0], with_children=True) - main
        pool += sum(process_cpu_ticks(pid) for pid in pids[1:])
        ticks = os.sysconf("SC_CLK_TCK")
        return main / ticks, pool / ticks

    def memory(self) -> tuple[int, int]:
        """(PSS, RSS) in bytes of the worker and its pool processes. PSS shares the pages a
        forked pool has in common with its parent out between them; RSS counts them in each."""
        pss = rss = 0
        for pid in self._pids():
            try:
                for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
                    name, _, value = line.partition(":")
                    if name in ("Pss", "Rss"):
                        kib = int(value.split()[0]) * 1024
                        pss, rss = (pss + kib, rss) if name == "Pss" else (pss, rss + kib)
            except (OSError, ValueError):
                continue  # the process ended meanwhile
        return pss, rss

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def tail(self, lines: int = 40) -> str:
        return "\n".join(self.log().splitlines()[-lines:])


@pytest.fixture(scope="session")
def celery_worker_process(
    django_db_setup: None, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[WorkerProcess]:
    worker = WorkerProcess(tmp_path_factory.mktemp("worker"))
    worker.start()
    yield worker
    worker.stop()
    sys.stdout.write(f"\n[worker logs: {worker.log_dir}]\n")


def wait_for(predicate: Callable[[], T], *, timeout: float = 30.0, interval: float = 0.25) -> T:
    """Poll until the predicate returns something truthy (returned), or the timeout passes
    (the last falsy value is returned, for the assertion message)."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value or time.monotonic() > deadline:
            return value
        time.sleep(interval)


@contextmanager
def sending_to(broker_url: str) -> Iterator[None]:
    """Make this process's Celery app send its messages to another broker for a while (the
    end-to-end test that restarts its own broker). The connection pools are rebuilt."""
    from config.celery_app import app

    # The write URL: Celery reads broker_url from CELERY_BROKER_URL first, when it is set.
    saved = (app.conf.broker_write_url, app._pool, app.amqp._producer_pool)
    app._pool = app.amqp._producer_pool = None  # built again, for the other broker
    app.conf.broker_write_url = broker_url
    try:
        yield
    finally:
        if app._pool is not None:
            app._pool.force_close_all()
        app.conf.broker_write_url, app._pool, app.amqp._producer_pool = saved


class RedisServer:
    """A private redis-server on a free port that keeps nothing on disk, so a restart loses
    every message it held, as a broker restart without persistence does."""

    def __init__(self) -> None:
        binary = shutil.which("redis-server")
        if binary is None:
            pytest.skip("redis-server is not installed (.ci/run installs it)")
        self.binary = binary
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                self.binary,
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 20
        while True:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1) as conn:
                    conn.sendall(b"PING\r\n")
                    if conn.recv(16).startswith(b"+PONG"):
                        return
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("the private redis-server did not start")
            time.sleep(0.1)

    def stop(self) -> None:
        if self.process is not None:
            self.process.kill()
            self.process.wait(timeout=10)
            self.process = None

    def restart(self) -> None:
        self.stop()
        self.start()
