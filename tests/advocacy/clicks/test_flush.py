"""The tracked link's hot path with Redis: no database write per click, and a flush that
neither loses nor doubles a click when it runs concurrently, fails, or dies before it
acknowledges.

Uses the Redis of REDIS_URL (CI) or redis://127.0.0.1:6379/12, with a stream key of its own
per test (the `stream` fixture of tests/conftest.py)."""

import os
import subprocess
import sys
import threading
import time

import pytest
from django.conf import settings as django_settings
from django.db import OperationalError, connection
from django.test import Client
from django.utils import timezone

from advocacy.clicks import spool as clickspool
from advocacy.clicks import stream as clickstream
from advocacy.clicks.count import click_register, new_event_id, tracked_link_forget
from advocacy.clicks.flush import clicks_flush
from advocacy.clicks.store import clicks_store
from advocacy.clicks.stream import ClickEvent
from advocacy.models import Click, Share
from tests import factories

BROWSER = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36"
PREVIEW_BOTS = [
    "LinkedInBot/1.0 (compatible; Mozilla/5.0; Apache-HttpClient +http://www.linkedin.com)",
    "Twitterbot/1.0",
    "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)",
    "Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)",
    "Mozilla/5.0 (compatible; Discordbot/2.0; +https://discordapp.com)",
    "TelegramBot (like TwitterBot)",
    "WhatsApp/2.23.20.0",
    "Mozilla/5.0 (Windows NT 6.1; WOW64) SkypeUriPreview Preview/0.5",
]


@pytest.fixture
def share(policy):
    item = factories.ContentItemFactory(url="https://example.com/post")
    return factories.ShareFactory(content_item=item, network="x", status="published")


def _clicks(client: Client, share: Share, count: int, agent: str = BROWSER) -> None:
    for i in range(count):
        response = client.get(
            f"/r/{share.code}", HTTP_USER_AGENT=agent, REMOTE_ADDR=f"192.0.2.{i % 250}"
        )
        assert response.status_code == 302


def _flush_all() -> int:
    done = 0
    while moved := clicks_flush(batch=500):
        done += moved
    return done


@pytest.mark.django_db
def test_a_click_on_a_cached_link_makes_no_database_query(
    client, share, stream, django_assert_num_queries
):
    _clicks(client, share, 1)  # fills the link cache and the day's salt

    with django_assert_num_queries(0):
        response = client.get(f"/r/{share.code}", HTTP_USER_AGENT=BROWSER)

    assert response.status_code == 302
    assert response["Location"].startswith("https://example.com/post?")
    assert not Click.objects.exists()
    assert clickstream.backlog() == 2


@pytest.mark.django_db
def test_the_flush_stores_exactly_the_clicks_sent_and_bots_apart(client, share, stream):
    _clicks(client, share, 50)
    for agent in PREVIEW_BOTS:
        _clicks(client, share, 1, agent=agent)

    assert clicks_flush(batch=20) == 50 + len(PREVIEW_BOTS)

    assert Click.objects.filter(share=share, is_bot=False).count() == 50
    assert Click.objects.filter(share=share, is_bot=True).count() == len(PREVIEW_BOTS)
    assert Click.objects.values("event_id").distinct().count() == 50 + len(PREVIEW_BOTS)
    assert clickstream.backlog() == 0
    assert clicks_flush() == 0
    assert Click.objects.count() == 50 + len(PREVIEW_BOTS)


@pytest.mark.django_db(transaction=True)
def test_concurrent_clicks_are_all_flushed_exactly_once_while_flushes_run(share, stream):
    _clicks(Client(), share, 1)  # the link and the salt are cached before the burst
    senders_done = threading.Event()
    errors: list[BaseException] = []

    def send() -> None:
        try:
            _clicks(Client(), share, 200)
        except BaseException as error:  # reported by the main thread
            errors.append(error)
        finally:
            connection.close()

    def flush() -> None:
        try:
            while not senders_done.is_set():
                clicks_flush(batch=97)
        except BaseException as error:
            errors.append(error)
        finally:
            connection.close()

    senders = [threading.Thread(target=send) for _ in range(8)]
    flusher = threading.Thread(target=flush)
    flusher.start()
    for thread in senders:
        thread.start()
    for thread in senders:
        thread.join()
    senders_done.set()
    flusher.join()
    _flush_all()

    assert errors == []
    assert Click.objects.filter(share=share, is_bot=False).count() == 1 + 8 * 200
    assert Click.objects.values("event_id").distinct().count() == 1 + 8 * 200
    assert clickstream.backlog() == 0


@pytest.mark.django_db
def test_a_flush_that_fails_midway_loses_nothing_and_its_retry_doubles_nothing(
    client, share, stream, monkeypatch
):
    _clicks(client, share, 30)
    real_bulk_create = Click.objects.bulk_create
    calls = {"n": 0}

    def bulk_create_failing_on_the_second_batch(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 2:
            raise OperationalError("the database went away")
        return real_bulk_create(*args, **kwargs)

    monkeypatch.setattr(Click.objects, "bulk_create", bulk_create_failing_on_the_second_batch)

    with pytest.raises(OperationalError):
        clicks_flush(batch=10)

    assert Click.objects.count() == 10  # the first batch, committed and acknowledged
    assert clickstream.backlog() == 20  # the failed batch is still in Redis, and the rest
    assert clicks_flush(batch=10) == 20
    assert Click.objects.count() == 30
    assert clicks_flush(batch=10) == 0
    assert Click.objects.values("event_id").distinct().count() == 30


@pytest.mark.django_db
def test_a_flush_that_died_after_its_insert_but_before_its_ack_doubles_nothing(
    client, share, stream
):
    _clicks(client, share, 25)
    # What a flush does up to the moment its process is killed: read and store, no ack.
    entries = clickstream.read(100)
    clicks_store(events=[event for _id, event in entries if event is not None])
    assert Click.objects.count() == 25
    assert clickstream.backlog() == 25

    assert clicks_flush() == 25  # the pending batch is read again

    assert Click.objects.count() == 25
    assert clickstream.backlog() == 0


@pytest.mark.django_db
def test_no_ip_address_or_user_agent_reaches_redis_or_the_database(client, share, stream):
    client.get(f"/r/{share.code}", HTTP_USER_AGENT=BROWSER, REMOTE_ADDR="203.0.113.77")

    raw = repr(clickstream.client().xrange(stream))
    assert "203.0.113.77" not in raw
    assert "Chrome/131.0" not in raw
    assert clicks_flush() == 1
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f'SELECT * FROM "{table}"')  # noqa: S608 - table names from introspection
            dump = repr(cursor.fetchall())
            assert "203.0.113.77" not in dump, table
            assert "Chrome/131.0" not in dump, table


@pytest.mark.django_db
def test_an_unknown_code_stays_a_404_when_it_is_cached_as_unknown(
    client, share, stream, django_assert_num_queries
):
    assert client.get("/r/nosuchcode1", HTTP_USER_AGENT=BROWSER).status_code == 404

    with django_assert_num_queries(0):
        response = client.get("/r/nosuchcode1", HTTP_USER_AGENT=BROWSER)

    assert response.status_code == 404
    assert "Location" not in response
    assert client.get("/r/not-a-code!", HTTP_USER_AGENT=BROWSER).status_code == 404
    assert clickstream.backlog() == 0


@pytest.mark.django_db
def test_clicks_of_a_share_cancelled_before_the_flush_are_dropped(client, policy, stream):
    share = factories.ShareFactory(status="scheduled")
    _clicks(client, share, 3)
    Share.objects.filter(pk=share.pk).update(status="cancelled")
    tracked_link_forget(code=share.code)

    assert client.get(f"/r/{share.code}", HTTP_USER_AGENT=BROWSER).status_code == 404
    assert clicks_flush() == 3
    assert not Click.objects.exists()
    assert clickstream.backlog() == 0


@pytest.mark.django_db
def test_a_click_is_written_directly_when_redis_does_not_take_it(share, stream, settings):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"  # nothing listens there

    click_register(share_id=share.pk, ip="192.0.2.1", user_agent=BROWSER)

    assert Click.objects.filter(share=share, is_bot=False).count() == 1


# --- The spool: each web process sends its clicks to the stream in batches ------------------


def _wait_for_backlog(count: int, seconds: float = 5.0) -> int:
    deadline = time.monotonic() + seconds
    while (found := clickstream.backlog()) < count and time.monotonic() < deadline:
        time.sleep(0.02)
    return found


@pytest.mark.django_db(transaction=True)
def test_spooled_clicks_reach_the_stream_without_a_flush_and_are_stored_once(
    client, share, stream, settings
):
    settings.CLICK_SPOOL_SECONDS = 0.05
    _clicks(client, share, 40)
    for agent in PREVIEW_BOTS:
        _clicks(client, share, 1, agent=agent)

    # The spool's own thread sends them, within its interval; nothing else is asked to.
    assert _wait_for_backlog(40 + len(PREVIEW_BOTS)) == 40 + len(PREVIEW_BOTS)
    assert _flush_all() == 40 + len(PREVIEW_BOTS)
    assert Click.objects.filter(share=share, is_bot=False).count() == 40
    assert Click.objects.filter(share=share, is_bot=True).count() == len(PREVIEW_BOTS)
    assert Click.objects.values("event_id").distinct().count() == 40 + len(PREVIEW_BOTS)


@pytest.mark.django_db(transaction=True)
def test_the_flush_sends_its_own_process_spool_first(client, share, stream, settings):
    settings.CLICK_SPOOL_SECONDS = 60  # the spool's thread waits a minute from its next round
    settings.CLICK_SPOOL_BATCH = 10_000
    clickspool.spool().wake.set()  # (ends a shorter wait an earlier test left it in)
    time.sleep(0.2)
    _clicks(client, share, 5)
    assert clickstream.backlog() == 0  # still spooled

    assert _flush_all() == 5
    assert Click.objects.filter(share=share).count() == 5


@pytest.mark.django_db(transaction=True)
def test_spooled_clicks_are_written_directly_when_redis_does_not_take_them(share, stream, settings):
    settings.CLICK_SPOOL_SECONDS = 0.05
    settings.REDIS_URL = "redis://127.0.0.1:1/0"  # nothing listens there

    for i in range(12):
        click_register(share_id=share.pk, ip=f"192.0.2.{i}", user_agent=BROWSER)
    clickspool.send_now()  # whatever the spool's thread has not written yet

    assert Click.objects.filter(share=share, is_bot=False).count() == 12


def test_a_process_that_exits_sends_what_it_still_had_spooled(stream):
    # A gunicorn worker that is stopped or recycled leaves through sys.exit: its atexit
    # sends the spool. The spool's thread is told to wait a minute, so only the exit sends.
    child = """
import sys
import django
django.setup()
from django.utils import timezone
from advocacy.clicks import spool as clickspool
from advocacy.clicks.stream import ClickEvent
from advocacy.clicks.count import new_event_id
for n in range(200):
    clickspool.add(ClickEvent(new_event_id(), 1, timezone.now(), False, "browser", "h"))
sys.exit(0)
"""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "REDIS_URL": django_settings.REDIS_URL,
        "CLICK_STREAM_KEY": stream,
        "CLICK_SPOOL_SECONDS": "60",
    }
    subprocess.run([sys.executable, "-c", child], env=env, check=True, timeout=60)

    entries = clickstream.client().xrange(stream)
    assert len(entries) == 200
    assert len({fields[b"c"].split(b"|")[0] for _id, fields in entries}) == 200  # event ids


def test_a_forked_process_draws_its_own_event_ids():
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child
        os.write(write, new_event_id().encode())
        os._exit(0)
    os.waitpid(pid, 0)
    child_id = os.read(read, 64).decode()
    os.close(read)
    os.close(write)

    mine = new_event_id()
    assert len(child_id) == len(mine) == 32
    assert child_id[:16] != mine[:16]


def test_a_spool_that_cannot_send_stops_growing_at_its_limit(settings, monkeypatch, caplog):
    settings.CLICK_SPOOL_SECONDS = 60  # its thread does not send during the test
    monkeypatch.setattr(clickspool, "MAX_PENDING", 5)
    spool = clickspool.Spool()

    for _ in range(8):
        spool.add(ClickEvent(new_event_id(), 1, timezone.now(), False, "browser", "h"))

    assert len(spool.pending) == 5
    assert spool.dropped == 3
    assert "Click spool full" in caplog.text
    spool.pending.clear()  # its thread must not send them into a later test's stream


def test_while_sending_fails_a_full_batch_does_not_cut_the_back_off_short(settings):
    settings.CLICK_SPOOL_SECONDS = 60
    settings.CLICK_SPOOL_BATCH = 2
    spool = clickspool.Spool()
    event = ClickEvent(new_event_id(), 1, timezone.now(), False, "browser", "h")

    spool.failing = True
    for _ in range(3):
        spool.add(event)
    assert not spool.wake.is_set()  # every click would otherwise wake a retry

    spool.failing = False
    spool.add(event)
    assert spool.wake.is_set()
    spool.pending.clear()
