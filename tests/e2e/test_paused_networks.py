"""A network paused for the whole installation, end to end: a real Celery worker posts over
HTTP to the fake LinkedIn and X (tests/fakenet), which refuse as the networks do. LinkedIn
refuses a retired API version with its 426, X answers 402 once the credits are spent, and
LinkedIn's short 429 comes and goes. Shares wait, nothing fails, the people who can act get
one email, and every share goes out once the cause is gone."""

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from django.test import override_settings
from django.utils import timezone

from advocacy.models import NetworkAccount, NetworkPause, Share, User
from advocacy.publishing.dispatch import shares_dispatch_due
from advocacy.sharing.shares import share_create
from tests import factories
from tests.conftest import client_for
from tests.fakenet import FakeNetServer, answers, control, posts
from tests.fakenet.fixtures import APP_SETTINGS, register_account
from tests.worker import WorkerProcess, wait_for

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SCOPES = {
    "x": "tweet.read tweet.write users.read offline.access",
    "linkedin": "openid profile email w_member_social",
}


def worker_env(fake: FakeNetServer, emails: Path, **extra: str) -> dict[str, str]:
    return {
        "X_API_BASE_URL": fake.url,
        "LINKEDIN_API_BASE_URL": fake.url,
        "TEST_EMAIL_DIR": str(emails),
        **APP_SETTINGS,
        **extra,
    }


def ambassador_on(fake: FakeNetServer, network: str, username: str) -> User:
    """An ambassador whose account's tokens the fake knows (it answers 401 to others)."""
    user = factories.ambassador(username=username)
    account = NetworkAccount.objects.create(
        user=user,
        network=network,
        external_id=f"{network}-{username}",
        display_name=username,
        access_token=f"{network}-access-{username}",
        refresh_token=f"{network}-refresh-{username}" if network == "x" else "",
        token_expires_at=timezone.now() + timedelta(hours=2),
        scopes=SCOPES[network],
    )
    register_account(fake, account)
    return user


def shares_on(fake: FakeNetServer, network: str, count: int) -> list[Share]:
    return [
        share_create(
            user=ambassador_on(fake, network, f"{network}{n}"),
            item=factories.ContentItemFactory(),
            network=network,
            text=f"Proud of the team, take {n} #employee",
        )
        for n in range(count)
    ]


def all_become(
    shares: list[Share], check: Callable[[Share], bool], timeout: float = 60
) -> list[Share]:
    def current() -> list[Share] | None:
        found = [Share.objects.get(pk=share.pk) for share in shares]
        return found if all(check(share) for share in found) else None

    found = wait_for(current, timeout=timeout)
    assert found, [Share.objects.get(pk=share.pk).__dict__ for share in shares]
    return found


def emails(folder: Path) -> list[str]:
    return [path.read_text(errors="replace") for path in sorted(folder.glob("*.log"))]


def test_a_retired_linkedin_version_pauses_linkedin_until_the_worker_sends_another(
    celery_worker_process: WorkerProcess, fake: FakeNetServer, tmp_path: Path
) -> None:
    factories.PolicyVersionFactory()
    factories.UserFactory(username="ops", is_staff=True)
    # The worker still sends 202510, which LinkedIn retired on 2026-10-15.
    celery_worker_process.restart(**worker_env(fake, tmp_path, LINKEDIN_VERSION="202510"))
    try:
        # The worker said so when it started, where the operator reads its log.
        assert "worker start: advocacy.E001" in celery_worker_process.log()
        shares = shares_on(fake, "linkedin", 3)

        waiting = all_become(shares, lambda s: s.problem == Share.Problem.API_VERSION)

        assert all(s.status == Share.Status.SCHEDULED and s.attempts == 0 for s in waiting)
        assert posts(fake) == []
        # The first 426 paused LinkedIn; the two other shares waited without a request.
        assert answers(fake).get("POST /rest/posts 426") == 1
        assert NetworkPause.objects.get().detail == "202510"
        (email,) = emails(tmp_path)
        assert "ops@example.com" in email and "202510" in email
        with override_settings(LINKEDIN_VERSION="202510"):  # the beat runs the same version
            assert shares_dispatch_due(now=timezone.now() + timedelta(hours=2)) == 0

        # The operator sets LINKEDIN_VERSION=202607 and restarts: the worker lifts the pause
        # when it starts, and the dispatcher sends the waiting shares.
        celery_worker_process.restart(**worker_env(fake, tmp_path))
        assert not NetworkPause.objects.exists()
        assert shares_dispatch_due() == 3

        all_become(shares, lambda s: s.status == Share.Status.PUBLISHED)
        assert len(posts(fake)) == 3
        assert not Share.objects.filter(status=Share.Status.FAILED).exists()
        assert len(emails(tmp_path)) == 1
    finally:
        celery_worker_process.restart()


def test_spent_x_credits_pause_x_until_marketing_says_they_are_topped_up(
    celery_worker_process: WorkerProcess, fake: FakeNetServer, tmp_path: Path
) -> None:
    factories.PolicyVersionFactory()
    marketer = factories.marketing_user(username="mara")
    control(fake, fail="402")  # every X call, until the credits are topped up
    celery_worker_process.restart(**worker_env(fake, tmp_path))
    try:
        shares = shares_on(fake, "x", 2)

        waiting = all_become(shares, lambda s: s.problem == Share.Problem.CREDITS)

        assert all(s.status == Share.Status.SCHEDULED and s.attempts == 0 for s in waiting)
        assert all(s.cost is None for s in waiting)  # the budget reservations went back
        assert answers(fake).get("POST /2/tweets 402") == 1
        (email,) = emails(tmp_path)
        assert "mara@example.com" in email and "Credits topped up" in email
        assert shares_dispatch_due() == 0

        control(fake, fail=None)  # topped up in X's developer console
        response = client_for(marketer).post("/manage/budget/x/credits-topped-up/")
        assert response.status_code == 302
        assert shares_dispatch_due() == 2

        all_become(shares, lambda s: s.status == Share.Status.PUBLISHED)
        assert len(posts(fake)) == 2
        assert not NetworkPause.objects.exists()  # posts went out: the pause is over
        assert len(emails(tmp_path)) == 1
    finally:
        control(fake, fail=None)
        celery_worker_process.restart()


def test_x_shares_go_again_by_themselves_once_the_interval_has_passed(
    celery_worker_process: WorkerProcess, fake: FakeNetServer, tmp_path: Path
) -> None:
    factories.PolicyVersionFactory()
    factories.marketing_user(username="mara")
    control(fake, fail="402", fail_count=1)
    celery_worker_process.restart(**worker_env(fake, tmp_path))
    try:
        (share,) = all_become(shares_on(fake, "x", 1), lambda s: s.problem == "credits")
        assert share.next_attempt_at == NetworkPause.objects.get().resume_at

        # An hour later (X_CREDITS_RECHECK_AFTER; the rows are moved, the worker reads the
        # real clock) the dispatcher sends it again.
        Share.objects.filter(pk=share.pk).update(next_attempt_at=timezone.now())
        NetworkPause.objects.update(resume_at=timezone.now())
        assert shares_dispatch_due() == 1

        all_become([share], lambda s: s.status == Share.Status.PUBLISHED)
        assert not NetworkPause.objects.exists()
    finally:
        control(fake, fail=None)
        celery_worker_process.restart()


def test_linkedins_short_429_is_retried_in_minutes_and_its_daily_limit_at_midnight(
    celery_worker_process: WorkerProcess, fake: FakeNetServer, tmp_path: Path
) -> None:
    factories.PolicyVersionFactory()
    celery_worker_process.restart(**worker_env(fake, tmp_path))
    try:
        control(fake, fail="429short", fail_count=1)
        (short,) = all_become(
            shares_on(fake, "linkedin", 1), lambda s: s.problem == Share.Problem.RATE_LIMIT
        )
        assert short.next_attempt_at <= timezone.now() + timedelta(minutes=2)

        Share.objects.filter(pk=short.pk).update(next_attempt_at=timezone.now())
        assert shares_dispatch_due() == 1
        all_become([short], lambda s: s.status == Share.Status.PUBLISHED)

        control(fake, fail="429", fail_count=1)  # "... MEMBER DAY limit ..."
        daily = share_create(
            user=ambassador_on(fake, "linkedin", "second"),
            item=factories.ContentItemFactory(),
            network="linkedin",
            text="Another day, another milestone #employee",
        )
        (daily,) = all_become([daily], lambda s: s.problem == Share.Problem.RATE_LIMIT)
        midnight = (datetime.now(UTC) + timedelta(days=1)).replace(
            hour=0, minute=0, second=0, microsecond=0
        )
        assert abs((daily.next_attempt_at - midnight).total_seconds()) < 120
        assert answers(fake).get("POST /rest/posts 429") == 2
    finally:
        control(fake, fail=None)
        celery_worker_process.restart()
