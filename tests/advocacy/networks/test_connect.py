"""Connecting LinkedIn and X through allauth's connect flow, driven through Django's test client
against the local fake network (tests/fakenet), which plays the networks' OAuth servers."""

from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from allauth.socialaccount.models import SocialAccount, SocialToken
from django.db import connection
from django.test import Client, override_settings
from django.urls import reverse

from advocacy.crypto import decrypt
from advocacy.models import NetworkAccount, User
from advocacy.networks.accounts import account_disconnect
from advocacy.sharing.optin import ambassador_opt_out
from tests import factories
from tests.fakenet.connect import (
    LINKEDIN_LOGIN,
    X_LOGIN,
    approve_at_network,
    back_to_site,
    connect,
    network_settings,
    start,
)
from tests.fakenet.fixtures import X_CLIENT_ID, X_CLIENT_SECRET
from tests.fakenet.server import FakeNetServer, serve

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def fakenet() -> Iterator[FakeNetServer]:
    server = serve()
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture
def networks(fakenet: FakeNetServer) -> Iterator[FakeNetServer]:
    fakenet.state.reset()
    with override_settings(**network_settings(fakenet.url)):
        yield fakenet


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def raw_column(account: NetworkAccount, column: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {column} FROM advocacy_networkaccount WHERE id = %s",  # noqa: S608
            [account.pk],
        )
        return str(cursor.fetchone()[0])


def messages_of(response: Any) -> str:
    return " ".join(str(message) for message in response.context["messages"])


def test_an_ambassador_connects_linkedin_and_the_tokens_are_kept_encrypted(
    networks: FakeNetServer, ambassador_user: User
) -> None:
    client = client_for(ambassador_user)

    response = connect(client, LINKEDIN_LOGIN)

    assert response.status_code == 302
    assert response["Location"] == reverse("my-networks")
    account = NetworkAccount.objects.get(user=ambassador_user, network="linkedin")
    assert account.external_id == "member-1"  # the OpenID Connect "sub"
    assert account.display_name == "Member member-1"
    assert account.access_token.startswith("li-access-")
    assert account.refresh_token == ""
    assert account.status == NetworkAccount.Status.CONNECTED
    assert set(account.scopes.split()) == {"openid", "profile", "email", "w_member_social"}
    assert account.token_expires_at is not None
    lifetime = account.token_expires_at - account.connected_at
    assert 59 <= lifetime.days <= 60
    raw = raw_column(account, "access_token")
    assert account.access_token not in raw
    assert decrypt(raw) == account.access_token
    assert SocialToken.objects.count() == 0
    assert SocialAccount.objects.get(user=ambassador_user).provider == "linkedin"
    page = client.get(reverse("my-networks"))
    assert "LinkedIn is connected as Member member-1." in messages_of(page)


def test_an_ambassador_connects_x_with_pkce_and_gets_a_refresh_token(
    networks: FakeNetServer, ambassador_user: User
) -> None:
    client = client_for(ambassador_user)
    authorize = urlsplit(start(client, X_LOGIN)["Location"])
    params = parse_qs(authorize.query)
    assert authorize.path == "/i/oauth2/authorize"
    assert params["code_challenge_method"] == ["S256"]
    assert set(params["scope"][0].split()) == {
        "tweet.read",
        "tweet.write",
        "users.read",
        "offline.access",
        "media.write",  # the ambassador's own photo (X API v2 media upload)
    }

    response = back_to_site(client, approve_at_network(authorize.geturl()))

    assert response.status_code == 302
    assert response["Location"] == reverse("my-networks")
    account = NetworkAccount.objects.get(user=ambassador_user, network="x")
    assert account.external_id == "member-1"
    assert account.display_name == "@member-1"
    assert account.followers_count == 1234
    assert account.access_token.startswith("x-access-")
    assert account.refresh_token.startswith("x-refresh-")
    assert account.refresh_token not in raw_column(account, "refresh_token")
    assert account.access_token not in raw_column(account, "access_token")
    assert "offline.access" in account.scopes.split()
    assert SocialToken.objects.count() == 0
    assert SocialAccount.objects.get(user=ambassador_user).uid == "member-1"


def test_a_callback_whose_state_is_not_this_sessions_is_refused(
    networks: FakeNetServer, ambassador_user: User, policy: Any
) -> None:
    started = start(client_for(ambassador_user), X_LOGIN)
    callback = approve_at_network(started["Location"])
    other = factories.ambassador(connect=False)

    response = back_to_site(client_for(other), callback)

    assert response.status_code == 302
    assert response["Location"] == reverse("my-networks")
    assert not NetworkAccount.objects.filter(network="x").exists()
    assert not SocialAccount.objects.exists()


def test_a_callback_with_a_made_up_state_is_refused(
    networks: FakeNetServer, ambassador_user: User
) -> None:
    client = client_for(ambassador_user)
    callback = approve_at_network(start(client, X_LOGIN)["Location"])
    forged = callback.replace("state=", "state=forged")

    response = back_to_site(client, forged)

    assert response["Location"] == reverse("my-networks")
    assert not NetworkAccount.objects.filter(network="x").exists()
    page = client.get(reverse("my-networks"))
    assert "Connecting X did not work" in messages_of(page)


def test_someone_who_has_not_opted_in_cannot_start_connecting(
    networks: FakeNetServer, policy: Any
) -> None:
    client = client_for(factories.UserFactory())

    response = start(client, LINKEDIN_LOGIN)

    assert response["Location"] == reverse("my-networks")
    assert "Opt in as an ambassador" in messages_of(client.get(reverse("my-networks")))


def test_someone_who_opted_out_during_the_flow_is_refused_at_the_callback(
    networks: FakeNetServer, ambassador_user: User
) -> None:
    client = client_for(ambassador_user)
    callback = approve_at_network(start(client, LINKEDIN_LOGIN)["Location"])
    ambassador_opt_out(user=ambassador_user)

    response = back_to_site(client, callback)

    assert response["Location"] == reverse("my-networks")
    assert not NetworkAccount.objects.filter(network="linkedin").exists()
    assert not SocialAccount.objects.exists()
    assert "Opt in as an ambassador" in messages_of(client.get(reverse("my-networks")))


def test_an_anonymous_visitor_is_sent_to_the_login_page(
    networks: FakeNetServer, client: Client
) -> None:
    response = start(client, X_LOGIN)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_allauths_signup_and_login_pages_are_not_mounted(client: Client) -> None:
    for path in ("/social/login/", "/social/signup/", "/social/3rdparty/", "/accounts/signup/"):
        assert client.get(path).status_code == 404, path


def test_the_next_parameter_cannot_send_anyone_off_site(
    networks: FakeNetServer, ambassador_user: User
) -> None:
    client = client_for(ambassador_user)
    started = client.post(X_LOGIN, {"process": "connect", "next": "https://evil.example/"})

    response = back_to_site(client, approve_at_network(started["Location"]))

    assert response["Location"] == reverse("my-networks")


def test_a_network_account_connected_by_a_colleague_is_refused(
    networks: FakeNetServer, ambassador_user: User, policy: Any
) -> None:
    connect(client_for(ambassador_user), X_LOGIN)
    colleague = factories.ambassador(connect=False)
    client = client_for(colleague)

    response = connect(client, X_LOGIN)

    assert response["Location"] == reverse("my-networks")
    assert not NetworkAccount.objects.filter(user=colleague, network="x").exists()
    assert "already connected to a different account" in messages_of(
        client.get(reverse("my-networks"))
    )


def test_reconnecting_replaces_the_tokens_and_restarts_the_reminder(
    networks: FakeNetServer, ambassador_user: User
) -> None:
    client = client_for(ambassador_user)
    connect(client, LINKEDIN_LOGIN)
    account = NetworkAccount.objects.get(user=ambassador_user, network="linkedin")
    old_token = account.access_token
    NetworkAccount.objects.filter(pk=account.pk).update(
        status=NetworkAccount.Status.EXPIRED, expiry_reminded_at=account.connected_at
    )

    connect(client, LINKEDIN_LOGIN)

    account.refresh_from_db()
    assert account.status == NetworkAccount.Status.CONNECTED
    assert account.expiry_reminded_at is None
    assert account.access_token != old_token
    assert SocialAccount.objects.filter(user=ambassador_user).count() == 1


def test_connecting_another_account_of_the_same_network_forgets_the_first(
    networks: FakeNetServer, ambassador_user: User
) -> None:
    client = client_for(ambassador_user)
    connect(client, X_LOGIN)
    networks.state.knobs["oauth_member"] = "member-2"

    connect(client, X_LOGIN)

    account = NetworkAccount.objects.get(user=ambassador_user, network="x")
    assert account.external_id == "member-2"
    assert list(SocialAccount.objects.values_list("uid", flat=True)) == ["member-2"]


def test_disconnecting_deletes_the_tokens_and_allauths_record(
    networks: FakeNetServer, ambassador_user: User
) -> None:
    client = client_for(ambassador_user)
    connect(client, X_LOGIN)
    connect(client, LINKEDIN_LOGIN)
    account = NetworkAccount.objects.get(user=ambassador_user, network="x")

    response = client.post(reverse("network-disconnect", args=[account.pk]))

    assert response.status_code == 302
    account.refresh_from_db()
    assert account.access_token == account.refresh_token == ""
    assert raw_column(account, "access_token") == ""
    assert account.status == NetworkAccount.Status.DISCONNECTED
    assert list(SocialAccount.objects.values_list("provider", flat=True)) == ["linkedin"]


def test_opting_out_deletes_allauths_records_too(
    networks: FakeNetServer, ambassador_user: User
) -> None:
    client = client_for(ambassador_user)
    connect(client, X_LOGIN)
    connect(client, LINKEDIN_LOGIN)

    ambassador_opt_out(user=ambassador_user)

    assert not SocialAccount.objects.exists()
    assert not NetworkAccount.objects.exclude(access_token="").exists()


def test_the_service_disconnect_removes_the_social_account_of_that_network_only(
    networks: FakeNetServer, ambassador_user: User
) -> None:
    client = client_for(ambassador_user)
    connect(client, LINKEDIN_LOGIN)
    connect(client, X_LOGIN)

    account_disconnect(account=NetworkAccount.objects.get(user=ambassador_user, network="linkedin"))

    assert list(SocialAccount.objects.values_list("provider", flat=True)) == ["twitter_oauth2"]


def test_a_scope_the_member_did_not_grant_shows_as_missing(
    networks: FakeNetServer, ambassador_user: User
) -> None:
    networks.state.knobs["oauth_scope"] = "openid profile email"
    client = client_for(ambassador_user)

    connect(client, LINKEDIN_LOGIN)

    page = client.get(reverse("my-networks")).content.decode()
    assert "missing a permission" in page
    assert "w_member_social" in page
    assert f'action="{LINKEDIN_LOGIN}"' in page  # the Reconnect button


def test_my_networks_offers_connect_buttons_for_configured_networks(
    networks: FakeNetServer, ambassador_user: User
) -> None:
    page = client_for(ambassador_user).get(reverse("my-networks")).content.decode()

    assert f'action="{LINKEDIN_LOGIN}"' in page
    assert f'action="{X_LOGIN}"' in page
    assert "Connect LinkedIn" in page
    assert "Connect X" in page
    assert "not configured by your administrator" not in page


def test_a_network_without_client_id_says_it_is_not_configured(
    fakenet: FakeNetServer, ambassador_user: User
) -> None:
    with override_settings(**network_settings(fakenet.url, x=False)):
        client = client_for(ambassador_user)
        page = client.get(reverse("my-networks")).content.decode()
        started = start(client, X_LOGIN)

    assert "not configured by your administrator" in page
    assert f'action="{X_LOGIN}"' not in page
    assert f'action="{LINKEDIN_LOGIN}"' in page
    assert started.status_code == 404


def test_opening_the_connect_link_asks_to_continue_with_a_post_form(
    networks: FakeNetServer, ambassador_user: User
) -> None:
    response = client_for(ambassador_user).get(X_LOGIN)

    html = response.content.decode()
    assert response.status_code == 200
    assert '<form method="post">' in html
    assert "Connect X" in html
    assert reverse("my-networks") in html


def test_asking_for_allauths_login_process_still_only_connects(
    networks: FakeNetServer, ambassador_user: User
) -> None:
    client = client_for(ambassador_user)
    started = client.post(X_LOGIN, {"process": "login"})

    response = back_to_site(client, approve_at_network(started["Location"]))

    assert response["Location"] == reverse("my-networks")
    assert NetworkAccount.objects.get(network="x").user == ambassador_user
    assert client.get(reverse("my-networks")).context["user"] == ambassador_user


def test_the_fake_x_refuses_a_code_with_the_wrong_pkce_verifier(
    networks: FakeNetServer, ambassador_user: User
) -> None:
    # The connect tests above only pass because allauth sends the right verifier.
    started = start(client_for(ambassador_user), X_LOGIN)
    callback = parse_qs(urlsplit(approve_at_network(started["Location"])).query)
    redirect_uri = parse_qs(urlsplit(started["Location"]).query)["redirect_uri"][0]

    answer = requests.post(
        f"{networks.url}/2/oauth2/token",
        data={
            "grant_type": "authorization_code",
            "code": callback["code"][0],
            "redirect_uri": redirect_uri,
            "code_verifier": "not-the-verifier",
        },
        auth=(X_CLIENT_ID, X_CLIENT_SECRET),  # a confidential client authenticates so
        timeout=5,
    )

    assert answer.status_code == 400
