"""The health of each network connection (My networks, the API, the banner on every page) and
the email that asks an ambassador to reconnect LinkedIn before its 60 days are up."""

from datetime import datetime, timedelta
from typing import Any

import pytest
import time_machine
from django.core import mail
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from advocacy.models import NetworkAccount, User
from advocacy.networks.health import Health, account_health
from advocacy.tasks import accounts_remind_expiring_task
from tests import factories
from tests.conftest import api_for

pytestmark = pytest.mark.django_db

LINKEDIN_SCOPES = "email openid profile w_member_social"
X_SCOPES = "offline.access tweet.read tweet.write users.read"
CONFIGURED = {"LINKEDIN_CLIENT_ID": "li-client", "X_CLIENT_ID": "x-client"}


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def linkedin(user: User, *, expires_in: timedelta = timedelta(days=60), **fields: Any) -> NetworkAccount:  # fmt: skip
    values: dict[str, Any] = {
        "external_id": "li-sub",
        "display_name": "Amber on LinkedIn",
        "access_token": "li-token",
        "token_expires_at": timezone.now() + expires_in,
        "scopes": LINKEDIN_SCOPES,
    }
    values.update(fields)
    return NetworkAccount.objects.create(user=user, network="linkedin", **values)


def x_account(user: User, **fields: Any) -> NetworkAccount:
    values: dict[str, Any] = {
        "external_id": "x-id",
        "display_name": "@amber",
        "access_token": "x-token",
        "refresh_token": "x-refresh",
        "token_expires_at": timezone.now() + timedelta(hours=2),
        "scopes": X_SCOPES,
    }
    values.update(fields)
    return NetworkAccount.objects.create(user=user, network="x", **values)


# --- The states ------------------------------------------------------------------------------


def test_a_fresh_linkedin_connection_is_healthy(ambassador_user: User) -> None:
    health = account_health(account=linkedin(ambassador_user))

    assert health.state == Health.CONNECTED
    assert health.action == ""


def test_linkedin_expiring_within_ten_days_asks_to_reconnect_with_the_date(
    ambassador_user: User,
) -> None:
    account = linkedin(ambassador_user, expires_in=timedelta(days=9))

    health = account_health(account=account)

    assert health.state == Health.EXPIRING
    assert health.action == "reconnect"
    assert health.expires_at == account.token_expires_at
    assert str(timezone.localtime(account.token_expires_at).year) in health.label


def test_linkedin_eleven_days_before_expiry_is_still_healthy(ambassador_user: User) -> None:
    health = account_health(account=linkedin(ambassador_user, expires_in=timedelta(days=11)))

    assert health.state == Health.CONNECTED


def test_a_linkedin_token_past_its_date_is_expired(ambassador_user: User) -> None:
    health = account_health(account=linkedin(ambassador_user, expires_in=-timedelta(minutes=1)))

    assert health.state == Health.EXPIRED
    assert health.action == "reconnect"


def test_an_x_token_past_its_date_is_fine_while_it_can_be_refreshed(
    ambassador_user: User,
) -> None:
    account = x_account(ambassador_user, token_expires_at=timezone.now() - timedelta(hours=1))

    assert account_health(account=account).state == Health.CONNECTED


def test_an_x_token_without_refresh_token_expires(ambassador_user: User) -> None:
    soon = x_account(ambassador_user, refresh_token="")
    assert account_health(account=soon).state == Health.EXPIRING

    soon.token_expires_at = timezone.now() - timedelta(minutes=1)
    assert account_health(account=soon).state == Health.EXPIRED


def test_an_account_marked_expired_or_revoked_by_the_worker_says_so(
    ambassador_user: User,
) -> None:
    account = x_account(ambassador_user, status=NetworkAccount.Status.EXPIRED)
    assert account_health(account=account).state == Health.EXPIRED

    account.status = NetworkAccount.Status.REVOKED
    assert account_health(account=account).state == Health.REVOKED
    assert account_health(account=account).action == "reconnect"


def test_a_missing_scope_is_named(ambassador_user: User) -> None:
    account = linkedin(ambassador_user, scopes="openid profile email")

    health = account_health(account=account)

    assert health.state == Health.MISSING_SCOPE
    assert health.missing_scopes == ("w_member_social",)
    assert "w_member_social" in health.message


def test_x_without_offline_access_is_missing_a_scope(ambassador_user: User) -> None:
    account = x_account(ambassador_user, scopes="tweet.read tweet.write users.read")

    assert account_health(account=account).missing_scopes == ("offline.access",)


# --- Shown on the page and in the API ----------------------------------------------------------


@override_settings(**CONFIGURED)
@pytest.mark.parametrize(
    ("fields", "shown"),
    [
        ({}, "connected"),
        ({"expires_in": timedelta(days=5)}, "expires on"),
        ({"expires_in": -timedelta(days=1)}, "has expired"),
        ({"status": "revoked"}, "access was withdrawn"),
        ({"scopes": "openid profile"}, "missing a permission"),
    ],
)
def test_my_networks_shows_each_health_state_with_a_reconnect_button(
    ambassador_user: User, fields: dict[str, Any], shown: str
) -> None:
    linkedin(ambassador_user, **fields)

    html = client_for(ambassador_user).get(reverse("my-networks")).content.decode()

    assert shown in html
    reconnect = reverse("openid_connect_login", kwargs={"provider_id": "linkedin"})
    has_button = f'action="{reconnect}"' in html and "Reconnect LinkedIn" in html
    assert has_button == (shown != "connected")


@pytest.mark.parametrize(
    ("fields", "state"),
    [
        ({}, "connected"),
        ({"expires_in": timedelta(days=5)}, "expiring"),
        ({"expires_in": -timedelta(days=1)}, "expired"),
        ({"status": "revoked"}, "revoked"),
        ({"scopes": "openid profile"}, "missing_scope"),
    ],
)
def test_the_api_gives_each_accounts_health_and_action(
    ambassador_user: User, fields: dict[str, Any], state: str
) -> None:
    account = linkedin(ambassador_user, **fields)

    response = api_for(ambassador_user).get(reverse("api-account", args=[account.pk]))

    assert response.status_code == 200
    health = response.json()["health"]
    assert health["state"] == state
    assert health["action"] == ("" if state == "connected" else "reconnect")
    assert "access_token" not in response.json()
    if state == "expiring":
        assert health["expires_at"] is not None


def test_the_api_lists_health_for_every_account(ambassador_user: User) -> None:
    linkedin(ambassador_user, expires_in=timedelta(days=3))

    response = api_for(ambassador_user).get(reverse("api-accounts"))

    states = {row["network"]: row["health"]["state"] for row in response.json()}
    assert states == {"sandbox": "connected", "linkedin": "expiring"}


# --- The banner on every page ---------------------------------------------------------------------


def test_an_expiring_connection_shows_a_banner_on_every_page(ambassador_user: User) -> None:
    linkedin(ambassador_user, expires_in=timedelta(days=4))
    client = client_for(ambassador_user)

    for name in ("feed", "my-shares", "my-impact"):
        html = client.get(reverse(name)).content.decode()
        assert "network-notice" in html, name
        assert "The LinkedIn connection expires on" in html
        assert f'href="{reverse("my-networks")}"' in html


def test_an_expired_connection_shows_the_banner_too(ambassador_user: User) -> None:
    x_account(ambassador_user, status=NetworkAccount.Status.EXPIRED)

    html = client_for(ambassador_user).get(reverse("feed")).content.decode()

    assert "The X connection has expired" in html


def test_no_banner_while_every_connection_is_healthy(ambassador_user: User) -> None:
    linkedin(ambassador_user)
    x_account(ambassador_user)

    html = client_for(ambassador_user).get(reverse("feed")).content.decode()

    assert "network-notice" not in html


def test_a_disconnected_account_shows_no_banner(ambassador_user: User) -> None:
    linkedin(
        ambassador_user,
        status=NetworkAccount.Status.DISCONNECTED,
        access_token="",
        expires_in=timedelta(days=1),
    )

    html = client_for(ambassador_user).get(reverse("feed")).content.decode()

    assert "network-notice" not in html


# --- The reminder email ---------------------------------------------------------------------------


def at(moment: datetime) -> Any:
    return time_machine.travel(moment, tick=False)


def test_the_reminder_is_sent_once_ten_days_before_linkedin_expires(
    ambassador_user: User,
) -> None:
    connected = timezone.now()
    account = linkedin(ambassador_user, expires_in=timedelta(days=60))
    expires = account.token_expires_at
    assert expires is not None

    with at(connected + timedelta(days=49)):
        assert accounts_remind_expiring_task() == 0
    assert mail.outbox == []

    with at(expires - timedelta(days=10)):
        assert accounts_remind_expiring_task() == 1
    with at(expires - timedelta(days=9)):
        assert accounts_remind_expiring_task() == 0

    assert len(mail.outbox) == 1
    email = mail.outbox[0]
    assert email.to == [ambassador_user.email]
    assert "LinkedIn" in email.subject
    assert f"http://127.0.0.1:8000{reverse('my-networks')}" in email.body
    account.refresh_from_db()
    assert account.expiry_reminded_at is not None


@override_settings(SITE_URL="https://advocacy.example.com")
def test_the_reminder_links_to_my_networks_on_this_site(ambassador_user: User) -> None:
    linkedin(ambassador_user, expires_in=timedelta(days=10))

    accounts_remind_expiring_task()

    assert "https://advocacy.example.com/networks/" in mail.outbox[0].body


def test_reconnecting_makes_the_next_connection_get_its_own_reminder(
    ambassador_user: User,
) -> None:
    account = linkedin(ambassador_user, expires_in=timedelta(days=5))
    accounts_remind_expiring_task()
    account.refresh_from_db()
    account.token_expires_at = timezone.now() + timedelta(days=5)
    account.expiry_reminded_at = None  # what account_connect_oauth does on reconnect
    account.save()

    accounts_remind_expiring_task()

    assert len(mail.outbox) == 2


def test_no_reminder_for_x_or_for_a_disconnected_or_refreshable_linkedin(
    ambassador_user: User, policy: Any
) -> None:
    x_account(ambassador_user, refresh_token="", token_expires_at=timezone.now())
    linkedin(
        factories.ambassador(connect=False),
        expires_in=timedelta(days=3),
        status=NetworkAccount.Status.DISCONNECTED,
    )
    linkedin(
        factories.ambassador(connect=False),
        expires_in=timedelta(days=3),
        refresh_token="partner-app-refresh",
    )

    assert accounts_remind_expiring_task() == 0
    assert mail.outbox == []


def test_the_reminder_task_is_on_the_beat_schedule() -> None:
    from django.conf import settings

    tasks = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "advocacy.tasks.accounts_remind_expiring_task" in tasks
