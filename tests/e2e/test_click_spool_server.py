"""Tracked links served by gunicorn, as in production: every click answered is counted once,
while the workers are reloaded (SIGHUP) and when the server stops (SIGTERM), with the
clicks spooled in each worker (advocacy/clicks/spool.py) until it leaves."""

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

from advocacy.clicks.flush import clicks_flush
from advocacy.models import Click
from tests import factories
from tests.worker import database_url

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[2]
BROWSER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _clicks(url: str, count: int) -> int:
    answered = 0
    for _ in range(count):
        # A connection per click, as most visitors arrive (a kept-alive connection to a worker
        # that is leaving would wait for it to go).
        response = requests.get(
            url, allow_redirects=False, headers={"User-Agent": BROWSER}, timeout=30
        )
        assert response.status_code == 302, response.text[:300]
        answered += 1
    return answered


def test_every_click_answered_is_counted_through_a_reload_and_a_stop(stream, policy, tmp_path):
    item = factories.ContentItemFactory(url="https://example.com/post")
    share = factories.ShareFactory(content_item=item, network="x", status="published")
    port = _free_port()
    log = (tmp_path / "gunicorn.log").open("w")
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": database_url(),
        "REDIS_URL": os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/12",
        "CLICK_STREAM_KEY": stream,
        # Longer than the test's bursts: the workers still hold clicks when told to go.
        "CLICK_SPOOL_SECONDS": "30",
    }
    server = subprocess.Popen(
        [
            *(sys.executable, "-m", "gunicorn", "config.wsgi:application"),
            *("--bind", f"127.0.0.1:{port}", "--workers", "2"),
            *("--worker-class", "gthread", "--threads", "4", "--graceful-timeout", "20"),
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}/r/{share.code}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                requests.get(f"http://127.0.0.1:{port}/r/unknown0", timeout=10)
                break
            except requests.RequestException:
                assert time.monotonic() < deadline, (tmp_path / "gunicorn.log").read_text()
                time.sleep(0.2)

        answered = _clicks(url, 150)
        server.send_signal(signal.SIGHUP)  # new workers; the old ones finish and leave
        answered += _clicks(url, 150)
        server.send_signal(signal.SIGTERM)
        assert server.wait(timeout=60) == 0
    finally:
        if server.poll() is None:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()
        log.close()

    moved = 0
    while done := clicks_flush():
        moved += done

    assert answered == 300
    assert moved == 300, (tmp_path / "gunicorn.log").read_text()
    assert Click.objects.filter(share=share, is_bot=False).count() == 300
    assert Click.objects.values("event_id").distinct().count() == 300
