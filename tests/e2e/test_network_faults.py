"""Fault injection against the local fake X and LinkedIn, with a separately started Celery
worker process. Every test ends the same way: no duplicate post, no share lost."""

import json
import subprocess
import sys
import time
from datetime import timedelta

import pytest
import requests
from django.utils import timezone

from advocacy.models import NetworkAccount, Share, User
from advocacy.publishing.dispatch import shares_dispatch_due
from advocacy.sharing.shares import share_create
from tests import factories
from tests.fakenet import FakeNetServer, answers, control, posts
from tests.fakenet.fixtures import APP_SETTINGS, register_account
from tests.worker import ROOT, RedisServer, WorkerProcess, database_url, sending_to, wait_for

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def worker_env(fake: FakeNetServer, **extra: str) -> dict[str, str]:
    return {"X_API_BASE_URL": fake.url, "LINKEDIN_API_BASE_URL": fake.url, **APP_SETTINGS, **extra}


def x_ambassador(fake: FakeNetServer, username: str = "amber") -> User:
    """An ambassador with an X account whose tokens the fake knows."""
    user = factories.ambassador(username=username)
    account = NetworkAccount.objects.create(
        user=user,
        network="x",
        external_id=f"x-{username}",
        display_name=f"@{username}",
        access_token=f"x-access-{username}",
        refresh_token=f"x-refresh-{username}",
        token_expires_at=timezone.now() + timedelta(hours=2),
        scopes="tweet.read tweet.write users.read offline.access",
    )
    register_account(fake, account)
    return user


def share_for(user: User, text: str = "Proud of the team #employee") -> Share:
    return share_create(user=user, item=factories.ContentItemFactory(), network="x", text=text)


def settled(share: Share, status: str, timeout: float = 60) -> Share:
    found = wait_for(
        lambda: (s := Share.objects.get(pk=share.pk)).status == status and s, timeout=timeout
    )
    assert found, Share.objects.get(pk=share.pk).__dict__
    return found


def test_a_worker_killed_while_x_holds_the_request_posts_once(
    celery_worker_process: WorkerProcess, fake: FakeNetServer
) -> None:
    factories.PolicyVersionFactory()
    user = x_ambassador(fake)
    # X stores the post, then holds the answer for 8 s: the worker is killed in between.
    control(fake, fail="timeout_after_accept", fail_count=1, hang_seconds=8)
    celery_worker_process.restart(**worker_env(fake))
    try:
        share = share_for(user)
        assert wait_for(lambda: len(posts(fake)) == 1)
        assert Share.objects.get(pk=share.pk).status == Share.Status.PUBLISHING

        celery_worker_process.kill_pool_child()

        # The message comes back; the redelivery finds its own claim, does not post, and
        # finds the post among the author's recent posts on X.
        share = settled(share, Share.Status.PUBLISHED)
        assert len(posts(fake)) == 1
        assert share.external_id == posts(fake)[0]["id"]
        assert answers(fake).get("POST /2/tweets 201", 0) <= 1  # the one held answer
        assert shares_dispatch_due(now=timezone.now() + timedelta(hours=1)) == 0
    finally:
        celery_worker_process.restart()


def test_a_timeout_after_x_accepted_the_post_is_settled_without_posting_again(
    celery_worker_process: WorkerProcess, fake: FakeNetServer
) -> None:
    factories.PolicyVersionFactory()
    user = x_ambassador(fake)
    control(fake, fail="timeout_after_accept", fail_count=1, hang_seconds=4)
    celery_worker_process.restart(**worker_env(fake, PROVIDER_READ_TIMEOUT="1"))
    try:
        share = share_for(user)

        share = settled(share, Share.Status.PUBLISHED)
        assert len(posts(fake)) == 1
        assert share.external_id == posts(fake)[0]["id"]
        time.sleep(1)
        assert len(posts(fake)) == 1
    finally:
        celery_worker_process.restart()


def test_a_429_with_a_24_hour_reset_waits_on_the_row_not_in_the_broker(
    celery_worker_process: WorkerProcess, fake: FakeNetServer
) -> None:
    factories.PolicyVersionFactory()
    user = x_ambassador(fake)
    control(fake, fail="429", daily_cap=True, fail_count=1)
    celery_worker_process.restart(**worker_env(fake))
    try:
        share = share_for(user)

        waiting = wait_for(
            lambda: (s := Share.objects.get(pk=share.pk)).next_attempt_at is not None and s
        )
        assert waiting, Share.objects.get(pk=share.pk).__dict__
        assert waiting.status == Share.Status.SCHEDULED
        assert waiting.problem == Share.Problem.RATE_LIMIT
        # The later of X's resets: the 24-hour cap, not the 15-minute window.
        assert waiting.next_attempt_at > timezone.now() + timedelta(hours=23)
        # Nothing waits in the broker with a countdown, and nothing is sent meanwhile.
        assert shares_dispatch_due() == 0
        time.sleep(2)
        assert posts(fake) == []

        # A day later (the row is moved; the worker reads the real clock) the beat task
        # finds it due and it goes out once.
        Share.objects.filter(pk=share.pk).update(next_attempt_at=timezone.now())
        assert shares_dispatch_due() == 1
        settled(share, Share.Status.PUBLISHED)
        assert len(posts(fake)) == 1
        assert answers(fake)["POST /2/tweets 429"] == 1
    finally:
        celery_worker_process.restart()


def test_a_broker_restart_loses_no_share(
    celery_worker_process: WorkerProcess, fake: FakeNetServer
) -> None:
    factories.PolicyVersionFactory()
    users = [x_ambassador(fake, f"amb{n}") for n in range(3)]
    broker = RedisServer()
    broker.start()
    celery_worker_process.stop()
    try:
        with sending_to(broker.url):
            # Shares made while no worker runs: their messages wait in the broker ...
            shares = [share_for(user) for user in users]
            later = share_for(x_ambassador(fake, "later"))
            Share.objects.filter(pk=later.pk).update(
                scheduled_at=timezone.now() + timedelta(seconds=3)
            )
            # ... and the broker restarts, keeping nothing.
            broker.restart()
            celery_worker_process.start(**worker_env(fake, CELERY_BROKER_URL=broker.url))
            time.sleep(2)
            assert posts(fake) == []
            assert all(
                s.status == "scheduled" for s in Share.objects.filter(pk__in=[s.pk for s in shares])
            )

            # The beat task re-enqueues what was enqueued long ago and is still scheduled,
            # and enqueues the later share when it is due.
            time.sleep(3)
            assert shares_dispatch_due(now=timezone.now() + timedelta(minutes=6)) == 4
            for share in [*shares, later]:
                settled(share, Share.Status.PUBLISHED)
        assert len(posts(fake)) == 4
        assert len({p["text"] for p in posts(fake)}) == 4
    finally:
        celery_worker_process.stop()
        broker.stop()
        celery_worker_process.start()


REFRESH = """
import os, sys, time, django
django.setup()
from advocacy.models import NetworkAccount
from advocacy.networks.x.provider import XProvider
account = NetworkAccount.objects.get(pk=int(sys.argv[1]))
time.sleep(max(float(sys.argv[2]) - time.time(), 0))  # both start at the same moment
XProvider().refresh_token(account=account)
print(account.refresh_token)
"""


def test_two_workers_refreshing_the_same_x_token_keep_the_account(fake: FakeNetServer) -> None:
    factories.PolicyVersionFactory()
    user = x_ambassador(fake)
    account = NetworkAccount.objects.get(user=user, network="x")
    # The fake knows the refresh token; it is about to expire, so both workers refresh.
    account.token_expires_at = timezone.now() + timedelta(minutes=1)
    account.save()
    control(fake, latency_ms=500)  # the exchanges overlap
    env = {
        **__import__("os").environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": database_url(),
        "X_API_BASE_URL": fake.url,
        **APP_SETTINGS,
    }
    # Both load the account before either refreshes: time enough for two processes to start
    # Django on a busy machine (one that starts late would read the refreshed token instead).
    start = str(time.time() + 10)
    workers = [
        subprocess.Popen(
            [sys.executable, "-c", REFRESH, str(account.pk), start],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        for _ in range(2)
    ]
    results = [worker.communicate(timeout=60) for worker in workers]

    for worker, (_out, err) in zip(workers, results, strict=True):
        assert worker.returncode == 0, err.decode()
    seen = {out.decode().strip() for out, _ in results}
    account.refresh_from_db()
    # One exchange at X; both workers ended with the same, current refresh token.
    assert answers(fake)["POST /2/oauth2/token 200"] == 1  # one refresh
    assert "POST /2/oauth2/token 400" not in answers(fake)
    assert seen == {account.refresh_token}
    assert account.status == NetworkAccount.Status.CONNECTED
    # And X still accepts it: the account was not lost.
    still = requests.post(
        f"{fake.url}/2/oauth2/token",
        data={"grant_type": "refresh_token", "refresh_token": account.refresh_token},
        auth=(APP_SETTINGS["X_CLIENT_ID"], APP_SETTINGS["X_CLIENT_SECRET"]),
        timeout=5,
    )
    assert still.status_code == 200, json.dumps(still.json())
