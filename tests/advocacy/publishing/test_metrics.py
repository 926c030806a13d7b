"""Reading engagement back on a schedule that follows the post's age: soon after publishing,
hourly in the first two days, daily until day 30, then never; batched per account; "not
available" kept apart from 0."""

from datetime import UTC, datetime, timedelta

import pytest
import requests
import time_machine
from django.core import mail

from advocacy.models import MetricSnapshot, NetworkAccount, NetworkPause, Share
from advocacy.networks.accounts import OAuthGrant, account_connect_oauth, account_mark_expired
from advocacy.publishing.metrics import metrics_refresh
from advocacy.publishing.publish import share_publish
from advocacy.sharing.shares import share_create
from tests import factories
from tests.fakenet import answers, control, register_token
from tests.fakenet.fixtures import X_CLIENT_ID, X_CLIENT_SECRET, register_account

pytestmark = pytest.mark.django_db
LAUNCH = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
ANALYTICS = "openid profile email w_member_social r_member_postAnalytics"
DEFAULT_SCOPES = {
    "x": "tweet.read tweet.write users.read offline.access",
    "linkedin": "openid profile email w_member_social",
}


@pytest.fixture
def fakenet_settings() -> dict[str, object]:
    return {"NETWORK_QUOTAS": {}}


@pytest.fixture
def fakenet_knobs() -> dict[str, object]:
    return {"metrics_growth": 10}


def account(user, network: str, scopes: str = "", *, fake=None) -> NetworkAccount:
    """A connected account; with `fake`, its token is one the fake network knows."""
    created = NetworkAccount.objects.create(
        user=user,
        network=network,
        external_id=f"{network}-{user.pk}",
        access_token=f"token-{network}-{user.pk}",
        token_expires_at=LAUNCH + timedelta(days=90),
        scopes=scopes or DEFAULT_SCOPES[network],
    )
    return register_account(fake, created) if fake else created


def published(user, network: str, text: str = "Proud! #employee") -> Share:
    share = share_create(user=user, item=factories.ContentItemFactory(), network=network, text=text)
    share_publish(share_id=share.pk, attempt_id=f"a-{share.pk}")
    share.refresh_from_db()
    assert share.status == Share.Status.PUBLISHED
    return share


def test_a_new_post_is_read_at_the_next_refresh_then_hourly(fake, ambassador_user):
    account(ambassador_user, "x", fake=fake)
    with time_machine.travel(LAUNCH, tick=False):
        share = published(ambassador_user, "x")
        assert share.metrics_due_at == LAUNCH
    with time_machine.travel(LAUNCH + timedelta(minutes=5), tick=False):
        assert metrics_refresh() == 1
        share.refresh_from_db()
        assert share.metrics_due_at == LAUNCH + timedelta(minutes=65)
        assert metrics_refresh() == 0  # not due again yet: nothing is read
    with time_machine.travel(LAUNCH + timedelta(minutes=66), tick=False):
        assert metrics_refresh() == 1
    assert MetricSnapshot.objects.filter(share=share).count() == 2


def test_after_two_days_daily_and_after_thirty_days_never(fake, ambassador_user):
    account(ambassador_user, "x", fake=fake)
    with time_machine.travel(LAUNCH, tick=False):
        share = published(ambassador_user, "x")
    three_days = LAUNCH + timedelta(days=3)
    with time_machine.travel(three_days, tick=False):
        metrics_refresh()
    share.refresh_from_db()
    assert share.metrics_due_at == three_days + timedelta(days=1)

    last = LAUNCH + timedelta(days=30, minutes=1)
    with time_machine.travel(last, tick=False):
        assert metrics_refresh() == 1  # one last read
    share.refresh_from_db()
    assert share.metrics_due_at is None
    with time_machine.travel(last + timedelta(days=5), tick=False):
        assert metrics_refresh() == 0


def test_x_is_read_in_batches_of_one_hundred(fake, ambassador_user):
    account(ambassador_user, "x", fake=fake)
    with time_machine.travel(LAUNCH, tick=False):
        shares = [published(ambassador_user, "x", f"Post {n} #employee") for n in range(150)]
    with time_machine.travel(LAUNCH + timedelta(minutes=5), tick=False):
        assert metrics_refresh() == 150
    assert answers(fake)["GET /2/tweets 200"] == 2
    assert all(s.metric_snapshots.get().impressions is not None for s in shares[:3])


def test_linkedin_without_the_analytics_permission_is_not_available_rather_than_zero(
    fake, ambassador_user
):
    account(ambassador_user, "linkedin", fake=fake)
    with time_machine.travel(LAUNCH, tick=False):
        share = published(ambassador_user, "linkedin")
    with time_machine.travel(LAUNCH + timedelta(minutes=5), tick=False):
        metrics_refresh()
    snapshot = share.metric_snapshots.get()
    assert (snapshot.impressions, snapshot.reactions, snapshot.comments, snapshot.reposts) == (
        None,
        None,
        None,
        None,
    )
    assert not any("memberCreatorPostAnalytics" in answer for answer in answers(fake))


def test_linkedin_with_the_analytics_permission_reports_its_figures(fake, ambassador_user):
    account(
        ambassador_user,
        "linkedin",
        scopes="openid profile email w_member_social r_member_postAnalytics",
        fake=fake,
    )
    with time_machine.travel(LAUNCH, tick=False):
        share = published(ambassador_user, "linkedin")
    with time_machine.travel(LAUNCH + timedelta(minutes=5), tick=False):
        metrics_refresh()
    assert share.metric_snapshots.get().impressions > 0


def reconnect(account: NetworkAccount, fake) -> None:
    """What the connect flow does when the ambassador connects the same account again (with a
    token the network issued: the fake knows it)."""
    account_connect_oauth(
        user=account.user,
        network=account.network,
        grant=OAuthGrant(
            external_id=account.external_id,
            display_name="Amber",
            access_token=f"new-token-{account.network}",
            refresh_token="",
            expires_at=LAUNCH + timedelta(days=60),
            scopes=account.scopes,
        ),
    )
    register_account(fake, NetworkAccount.objects.get(pk=account.pk))


@pytest.mark.parametrize(
    ("refused", "read", "refusal"),
    [
        ("x", "linkedin", "GET /2/tweets 401"),
        ("linkedin", "x", "GET /rest/memberCreatorPostAnalytics 401"),
    ],
)
def test_a_401_while_reading_expires_the_account_and_its_reads_wait_for_the_reconnect(
    fake, ambassador_user, refused, read, refusal
):
    accounts = {
        "x": account(ambassador_user, "x", fake=fake),
        "linkedin": account(ambassador_user, "linkedin", scopes=ANALYTICS, fake=fake),
    }
    with time_machine.travel(LAUNCH, tick=False):
        shares = {network: published(ambassador_user, network) for network in accounts}
    control(fake, fail="401", fail_network=refused)

    with time_machine.travel(LAUNCH + timedelta(minutes=5), tick=False):
        assert metrics_refresh() == 1  # the other account is still read in the same refresh

    for share in shares.values():
        share.refresh_from_db()
    assert NetworkAccount.objects.get(pk=accounts[refused].pk).status == "expired"
    assert NetworkAccount.objects.get(pk=accounts[read].pk).status == "connected"
    assert shares[read].metric_snapshots.get().impressions > 0
    # Neither a 0 nor a lost read: nothing is stored and the read stays due.
    assert not shares[refused].metric_snapshots.exists()
    assert shares[refused].metrics_due_at == LAUNCH
    [email] = mail.outbox
    network = accounts[refused].get_network_display()
    assert email.subject == f"Reconnect your {network} account"
    assert f"reconnect your {network} account" in email.body
    assert "/networks/" in email.body

    # Until the ambassador reconnects, the account is not asked again and nobody is emailed.
    with time_machine.travel(LAUNCH + timedelta(hours=2), tick=False):
        assert metrics_refresh() == 1
    assert answers(fake)[refusal] == 1
    assert len(mail.outbox) == 1
    assert not shares[refused].metric_snapshots.exists()

    control(fake, fail=None)
    reconnect(accounts[refused], fake)
    with time_machine.travel(LAUNCH + timedelta(hours=2, minutes=5), tick=False):
        assert metrics_refresh() == 1
    shares[refused].refresh_from_db()
    assert shares[refused].metric_snapshots.get().impressions > 0
    assert shares[refused].metrics_due_at == LAUNCH + timedelta(hours=3, minutes=5)


def test_an_x_refresh_token_refused_while_reading_expires_the_account(fake, ambassador_user):
    x = account(ambassador_user, "x", fake=fake)
    with time_machine.travel(LAUNCH, tick=False):
        share = published(ambassador_user, "x")
    # The refresh token was spent elsewhere (say, a database restored from a backup): X
    # refuses it, and only the ambassador can connect the account again.
    register_token(
        fake,
        network="x",
        token="x-access-old",
        member=x.external_id,
        scope=x.scopes,
        refresh_token="x-refresh-spent",
    )
    requests.post(
        f"{fake.url}/2/oauth2/token",
        data={"grant_type": "refresh_token", "refresh_token": "x-refresh-spent"},
        auth=(X_CLIENT_ID, X_CLIENT_SECRET),
        timeout=5,
    ).raise_for_status()
    x.refresh_token = "x-refresh-spent"
    x.token_expires_at = LAUNCH + timedelta(minutes=6)
    x.save()

    with time_machine.travel(LAUNCH + timedelta(minutes=5), tick=False):
        assert metrics_refresh() == 0

    x.refresh_from_db()
    share.refresh_from_db()
    assert x.status == "expired"
    assert not share.metric_snapshots.exists()
    assert share.metrics_due_at == LAUNCH
    assert [email.subject for email in mail.outbox] == ["Reconnect your X account"]
    assert answers(fake)["POST /2/oauth2/token 400"] == 1
    assert "GET /2/tweets 200" not in answers(fake)


def test_an_account_that_is_not_connected_is_not_marked_expired_nor_emailed(ambassador_user):
    x = account(ambassador_user, "x")
    x.status = NetworkAccount.Status.DISCONNECTED
    x.save()

    assert not account_mark_expired(account=x, reason="X refused.", during="metrics")

    x.refresh_from_db()
    assert x.status == "disconnected"
    assert mail.outbox == []


def test_spent_x_credits_met_while_reading_figures_pause_x_and_tell_marketing_once(
    fake, ambassador_user
):
    factories.marketing_user(email="marketing@example.com")
    colleague = factories.ambassador(username="colleague", connect=False)
    account(ambassador_user, "x", fake=fake)
    account(colleague, "x", fake=fake)
    with time_machine.travel(LAUNCH, tick=False):
        shares = [published(ambassador_user, "x"), published(colleague, "x")]
    control(fake, fail="402")

    with time_machine.travel(LAUNCH + timedelta(minutes=5), tick=False):
        metrics_refresh()
        metrics_refresh()

    pause = NetworkPause.objects.get(network="x")
    assert pause.reason == NetworkPause.Reason.CREDITS
    assert [message.to for message in mail.outbox] == [["marketing@example.com"]]
    # One refused request in all: the paused network is not asked for the other account, nor
    # again at the next refresh (X bills requests), and every read keeps its due time.
    assert answers(fake)["GET /2/tweets 402"] == 1
    assert not MetricSnapshot.objects.exists()
    for share in shares:
        assert Share.objects.get(pk=share.pk).metrics_due_at == LAUNCH
