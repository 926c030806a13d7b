"""Quotas per user and per app, the monthly X budget, and the ambassador's answer to "did
this appear?" — publishing for real over HTTP to the local fake network."""

import threading
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import override_settings
from django.utils import timezone

from advocacy.models import BudgetSpend, NetworkAccount, QuotaCounter, Share
from advocacy.publishing.budget import budget_reserve, budget_set, budget_spent
from advocacy.publishing.dispatch import shares_dispatch_due
from advocacy.publishing.publish import share_publish
from advocacy.publishing.quotas import quota_take, windows
from advocacy.publishing.reconcile import share_confirm
from advocacy.sharing.shares import share_create
from tests import factories
from tests.fakenet import FakeNetServer, control, posts
from tests.fakenet.fixtures import register_account

pytestmark = pytest.mark.django_db
QUOTAS = {"x": {"user": [[2, 900]], "app": [[3, 86_400]]}, "linkedin": {"user": [[1, 86_400]]}}


@pytest.fixture
def fakenet_settings() -> dict[str, object]:
    return {"PROVIDER_READ_TIMEOUT": 1.0, "NETWORK_QUOTAS": QUOTAS, "REDIS_URL": ""}


def connected(user: object, network: str, fake: FakeNetServer | None = None) -> NetworkAccount:
    """The user's connected account; with `fake`, its token is one the fake network knows."""
    account, _ = NetworkAccount.objects.update_or_create(
        user=user,
        network=network,
        defaults={
            "external_id": f"{network}-{user.pk}",  # type: ignore[attr-defined]
            "display_name": "Amber",
            "access_token": f"token-{network}-{user.pk}",  # type: ignore[attr-defined]
            "token_expires_at": timezone.now() + timedelta(days=30),
            "scopes": "tweet.read tweet.write users.read offline.access"
            if network == "x"
            else "openid profile email w_member_social",
            "status": NetworkAccount.Status.CONNECTED,
        },
    )
    return register_account(fake, account) if fake else account


def x_share(
    user: object, text: str = "Proud of the team #employee", fake: FakeNetServer | None = None
) -> Share:
    connected(user, "x", fake)
    return share_create(
        user=user,  # type: ignore[arg-type]
        item=factories.ContentItemFactory(),
        network="x",
        text=text,
    )


@override_settings(NETWORK_QUOTAS=QUOTAS)
def test_windows_are_aligned_so_a_day_starts_at_midnight_utc() -> None:
    now = datetime(2026, 12, 2, 15, 7, tzinfo=UTC)
    found = windows(network="linkedin", user_id=7, now=now)
    assert [w.ends_at for w in found] == [datetime(2026, 12, 3, tzinfo=UTC)]
    assert found[0].limit == 1


@override_settings(NETWORK_QUOTAS=QUOTAS, REDIS_URL="")
def test_the_database_counter_takes_all_windows_or_none() -> None:
    now = datetime(2026, 12, 2, 15, 7, tzinfo=UTC)
    assert quota_take(network="x", user_id=1, now=now) is None
    assert quota_take(network="x", user_id=1, now=now) is None
    # User 1's 15-minute window is full: it ends at 15:15; the app window was not charged.
    assert quota_take(network="x", user_id=1, now=now) == datetime(2026, 12, 2, 15, 15, tzinfo=UTC)
    assert quota_take(network="x", user_id=2, now=now) is None
    # The app's 24-hour window (3) is now full for everyone, until midnight UTC.
    assert quota_take(network="x", user_id=3, now=now) == datetime(2026, 12, 3, tzinfo=UTC)
    counts = dict(QuotaCounter.objects.values_list("key", "count"))
    assert sorted(counts.values()) == [1, 2, 3]


@pytest.mark.skipif(not __import__("os").environ.get("REDIS_URL"), reason="needs REDIS_URL")
def test_the_redis_counter_never_lets_concurrent_workers_past_the_limit() -> None:
    import os

    import redis

    url = os.environ["REDIS_URL"]
    # The real clock: a window's Redis key expires when the window ends, so a window already
    # over in real time would be forgotten at once and never fill.
    now = datetime.now(UTC)
    quotas = {"x": {"user": [[1000, 900]], "app": [[50, 86_400]]}}
    client = redis.Redis.from_url(url)
    for window in windows(network="x", user_id=1, now=now):
        client.delete(window.key)
    granted = []

    def take() -> None:
        for _ in range(20):
            if quota_take(network="x", user_id=1, now=now) is None:
                granted.append(1)

    with override_settings(NETWORK_QUOTAS=quotas, REDIS_URL=url):
        threads = [threading.Thread(target=take) for _ in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert len(granted) == 50  # 160 asked, exactly the app's limit granted


def test_a_share_past_the_users_limit_waits_for_the_window_instead_of_being_refused(
    fake: FakeNetServer, ambassador_user: object
) -> None:
    shares = [x_share(ambassador_user, f"Post number {n} #employee", fake) for n in range(3)]
    with time_machine.travel(datetime(2026, 12, 2, 15, 7, tzinfo=UTC), tick=False):
        for share in shares:
            Share.objects.filter(pk=share.pk).update(scheduled_at=timezone.now())
            share_publish(share_id=share.pk, attempt_id=f"a-{share.pk}")

    assert len(posts(fake)) == 2  # the fake never had to answer 429
    waiting = Share.objects.get(pk=shares[2].pk)
    assert waiting.status == Share.Status.SCHEDULED
    assert waiting.problem == Share.Problem.RATE_LIMIT
    assert waiting.attempts == 0  # waiting is not a failed attempt
    assert (
        datetime(2026, 12, 2, 15, 15, tzinfo=UTC)
        <= waiting.next_attempt_at
        <= datetime(2026, 12, 2, 15, 15, 5, tzinfo=UTC)
    )
    assert "posting limit" in waiting.error

    # After the window it goes out.
    with time_machine.travel(datetime(2026, 12, 2, 15, 16, tzinfo=UTC), tick=False):
        share_publish(share_id=waiting.pk, attempt_id="a-later")
    waiting.refresh_from_db()
    assert waiting.status == Share.Status.PUBLISHED
    assert waiting.problem == ""
    assert len(posts(fake)) == 3


def test_every_x_post_is_charged_to_the_months_budget(fake: FakeNetServer, ambassador_user):
    share = x_share(ambassador_user, fake=fake)
    share_publish(share_id=share.pk, attempt_id="a-1")

    share.refresh_from_db()
    assert share.status == Share.Status.PUBLISHED
    assert share.cost == Decimal("0.2000")
    assert budget_spent(network="x") == Decimal("0.2000")


def test_the_budget_is_never_exceeded_and_a_share_over_it_waits(fake, policy):
    budget_set(network="x", monthly_limit=Decimal("0.40"))
    users = [factories.ambassador(username=f"amb{n}") for n in range(3)]
    shares = [x_share(user, fake=fake) for user in users]

    for share in shares:
        share_publish(share_id=share.pk, attempt_id=f"a-{share.pk}")

    statuses = [Share.objects.get(pk=s.pk).status for s in shares]
    assert statuses == ["published", "published", "scheduled"]
    assert len(posts(fake)) == 2
    assert budget_spent(network="x") == Decimal("0.40")
    waiting = Share.objects.get(pk=shares[2].pk)
    assert waiting.problem == Share.Problem.BUDGET
    assert waiting.cost is None
    assert waiting.next_attempt_at is not None
    assert waiting.next_attempt_at <= timezone.now() + timedelta(hours=1, seconds=5)

    # Marketing raises the budget: the share goes at its next attempt, within the hour.
    budget_set(network="x", monthly_limit=Decimal("1.00"))
    with time_machine.travel(waiting.next_attempt_at, tick=False):
        share_publish(share_id=waiting.pk, attempt_id="a-again")
    assert Share.objects.get(pk=waiting.pk).status == Share.Status.PUBLISHED


@pytest.mark.django_db(transaction=True)
def test_concurrent_reservations_never_pass_the_budget() -> None:
    factories.current_policy()
    budget_set(network="x", monthly_limit=Decimal("2.00"))  # ten posts at 0.20
    users = [factories.ambassador(username=f"amb{n}") for n in range(16)]
    shares = [x_share(user) for user in users]
    granted = []

    def reserve(share: Share) -> None:
        try:
            if budget_reserve(share=share):
                granted.append(share.pk)
        finally:
            connection.close()

    threads = [threading.Thread(target=reserve, args=(share,)) for share in shares]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert len(granted) == 10
    assert budget_spent(network="x") == Decimal("2.00")
    assert Share.objects.filter(cost__isnull=False).count() == 10


def test_a_post_that_surely_did_not_go_out_gives_its_cost_back(fake, ambassador_user):
    share = x_share(ambassador_user, fake=fake)
    control(fake, fail="401", fail_count=1)

    share_publish(share_id=share.pk, attempt_id="a-1")

    share.refresh_from_db()
    assert share.status == Share.Status.FAILED
    assert share.problem == Share.Problem.RECONNECT
    assert "reconnect your X account" in share.error
    assert share.cost is None
    assert BudgetSpend.objects.get().spent == 0
    assert NetworkAccount.objects.get(network="x").status == "expired"
    # The ambassador is told once, with the way back.
    assert len(mail.outbox) == 1
    assert "/networks/" in mail.outbox[0].body


def test_a_linkedin_post_carries_the_tracked_link_as_an_article_card(fake, ambassador_user):
    connected(ambassador_user, "linkedin", fake)
    item = factories.ContentItemFactory(title="Our new plant", description="Sun & wind")
    share = share_create(user=ambassador_user, item=item, network="linkedin", text="Proud!")

    share_publish(share_id=share.pk, attempt_id="a-1")

    share.refresh_from_db()
    assert share.status == Share.Status.PUBLISHED
    assert share.external_id.startswith("urn:li:share:")
    assert share.cost is None  # LinkedIn does not bill per post
    [stored] = posts(fake)
    assert stored["text"].endswith(f"/r/{share.code}")


def test_linkedin_timing_out_after_accepting_asks_the_ambassador(fake, ambassador_user):
    connected(ambassador_user, "linkedin", fake)
    share = share_create(
        user=ambassador_user, item=factories.ContentItemFactory(), network="linkedin", text="Hi"
    )
    control(fake, fail="timeout_after_accept", fail_count=1, hang_seconds=3)

    share_publish(share_id=share.pk, attempt_id="a-1")

    share.refresh_from_db()
    assert share.status == Share.Status.UNKNOWN
    assert len(posts(fake)) == 1
    [asked] = mail.outbox
    assert "Did your LinkedIn post appear?" in asked.subject
    assert f"/shares/{share.pk}/" in asked.body

    share = share_confirm(share=share, appeared=True)
    assert share.status == Share.Status.PUBLISHED
    assert len(posts(fake)) == 1


def test_an_answer_of_no_posts_it_again(fake, ambassador_user):
    connected(ambassador_user, "linkedin", fake)
    share = share_create(
        user=ambassador_user, item=factories.ContentItemFactory(), network="linkedin", text="Hi"
    )
    Share.objects.filter(pk=share.pk).update(status=Share.Status.UNKNOWN)
    share.refresh_from_db()

    share = share_confirm(share=share, appeared=False)

    assert share.status == Share.Status.SCHEDULED
    with pytest.raises(ValidationError, match="not waiting for your answer"):
        share_confirm(share=share, appeared=True)


def test_linkedins_duplicate_answer_settles_the_share_with_the_earlier_post(fake, ambassador_user):
    connected(ambassador_user, "linkedin", fake)
    share = share_create(
        user=ambassador_user, item=factories.ContentItemFactory(), network="linkedin", text="Hi"
    )
    share_publish(share_id=share.pk, attempt_id="a-1")
    first = Share.objects.get(pk=share.pk).external_id
    # As if the first answer had been lost: the row goes back and the worker tries again.
    Share.objects.filter(pk=share.pk).update(status=Share.Status.SCHEDULED, external_id="")

    with override_settings(NETWORK_QUOTAS={}):
        share_publish(share_id=share.pk, attempt_id="a-2")

    share.refresh_from_db()
    assert share.status == Share.Status.PUBLISHED
    assert share.external_id == first
    assert len(posts(fake)) == 1


@override_settings(NETWORK_QUOTAS={"x": {"app": [[3, 86_400]]}}, REDIS_URL="")
def test_the_dispatcher_enqueues_no_more_than_the_apps_window_still_allows(policy):
    users = [factories.ambassador(username=f"amb{n}") for n in range(5)]
    shares = [x_share(user) for user in users]
    sandbox = share_create(
        user=users[0], item=factories.ContentItemFactory(), network="sandbox", text="Hi #employee"
    )
    Share.objects.filter(pk__in=[s.pk for s in [*shares, sandbox]]).update(enqueued_at=None)

    assert shares_dispatch_due() == 4  # three X shares, and the sandbox has no quota
    # The three are still waiting in the broker: they fill the room, nothing more goes.
    Share.objects.filter(network="x", enqueued_at__isnull=True).update(scheduled_at=timezone.now())
    assert shares_dispatch_due() == 0
    quota_take(network="x", user_id=users[0].pk)
    Share.objects.filter(network="x").update(enqueued_at=None)
    assert shares_dispatch_due() == 2  # one unit of the three is spent now


def test_a_linkedin_shares_potential_reach_is_not_available_rather_than_zero(ambassador_user):
    account = connected(ambassador_user, "linkedin")
    assert account.followers_count is None  # LinkedIn's sign-in gives no connection count
    share = share_create(
        user=ambassador_user, item=factories.ContentItemFactory(), network="linkedin", text="Hi"
    )
    assert share.potential_reach is None


@pytest.mark.django_db(transaction=True)
def test_the_months_first_posts_at_the_same_moment_are_all_reserved_without_a_budget() -> None:
    factories.current_policy()
    users = [factories.ambassador(username=f"amb{n}") for n in range(12)]
    shares = [x_share(user) for user in users]
    granted = []
    start = threading.Barrier(len(shares))

    def reserve(share: Share) -> None:
        try:
            start.wait()
            if budget_reserve(share=share):
                granted.append(share.pk)
        finally:
            connection.close()

    threads = [threading.Thread(target=reserve, args=(share,)) for share in shares]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert len(granted) == 12  # no budget set: nothing may be refused
    assert budget_spent(network="x") == Decimal("2.40")


@override_settings(NETWORK_QUOTAS=QUOTAS, REDIS_URL="")
def test_a_post_in_the_last_moments_of_a_window_counts_in_the_next_window_too() -> None:
    closing = datetime(2026, 12, 2, 15, 14, 59, tzinfo=UTC)  # the 15-minute window ends at :15
    assert quota_take(network="x", user_id=1, now=closing) is None  # it goes at once
    counts = dict(QuotaCounter.objects.values_list("key", "count"))
    this_window, next_window = (
        f"quota:x:u1:900:{int(datetime(2026, 12, 2, 15, minute, tzinfo=UTC).timestamp())}"
        for minute in (0, 15)
    )
    assert counts[this_window] == 1
    assert counts[next_window] == 1  # it may reach X after X's window turned
    # The next window now holds one post of user 1's two: one more fits, then it is full.
    later = datetime(2026, 12, 2, 15, 20, tzinfo=UTC)
    assert quota_take(network="x", user_id=1, now=later) is None
    assert quota_take(network="x", user_id=1, now=later) == datetime(
        2026, 12, 2, 15, 30, tzinfo=UTC
    )


@override_settings(NETWORK_QUOTAS=QUOTAS, REDIS_URL="")
def test_a_post_at_a_windows_end_waits_when_the_next_window_is_full() -> None:
    for _ in range(2):  # user 1's 15:15 window is full
        assert (
            quota_take(network="x", user_id=1, now=datetime(2026, 12, 2, 15, 16, tzinfo=UTC))
            is None
        )
    before = dict(QuotaCounter.objects.values_list("key", "count"))
    closing = datetime(2026, 12, 2, 15, 14, 59, tzinfo=UTC)
    # The 15:00 window has room, but the post could land in the full 15:15 one: it waits for
    # that window to end, and takes nothing meanwhile.
    assert quota_take(network="x", user_id=1, now=closing) == datetime(
        2026, 12, 2, 15, 30, tzinfo=UTC
    )
    assert dict(QuotaCounter.objects.values_list("key", "count")) == before
