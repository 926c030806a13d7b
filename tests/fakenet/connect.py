"""Driving the OAuth connect flow against the fake network, as a browser would: start it on
our site, let the fake "approve" at the network, come back to our callback."""

from typing import Any
from urllib.parse import urlsplit

import requests
from django.test import Client

from config.settings.base import social_providers
from tests.fakenet.fixtures import APP_SETTINGS

LINKEDIN_LOGIN = "/social/oidc/linkedin/login/"
X_LOGIN = "/social/twitter_oauth2/login/"


def network_settings(url: str, *, linkedin: bool = True, x: bool = True) -> dict[str, Any]:
    # The apps the fake knows (state.TEST_CLIENTS); a network left out has no client id.
    ids = {
        **APP_SETTINGS,
        "LINKEDIN_CLIENT_ID": APP_SETTINGS["LINKEDIN_CLIENT_ID"] if linkedin else "",
        "X_CLIENT_ID": APP_SETTINGS["X_CLIENT_ID"] if x else "",
    }
    return {
        **ids,
        "X_API_BASE_URL": url,
        "X_AUTHORIZE_URL": f"{url}/i/oauth2/authorize",
        "LINKEDIN_OIDC_URL": f"{url}/oauth",
        "SOCIALACCOUNT_PROVIDERS": social_providers(
            linkedin_client_id=ids["LINKEDIN_CLIENT_ID"],
            linkedin_secret=ids["LINKEDIN_CLIENT_SECRET"],
            linkedin_oidc_url=f"{url}/oauth",
            x_client_id=ids["X_CLIENT_ID"],
            x_secret=ids["X_CLIENT_SECRET"],
        ),
    }


def start(client: Client, login_url: str) -> Any:
    return client.post(login_url, {"process": "connect"})


def approve_at_network(authorize_url: str) -> str:
    """The browser's visit to the network: the fake approves and sends it back."""
    answer = requests.get(authorize_url, allow_redirects=False, timeout=5)
    assert answer.status_code == 302, answer.text
    return str(answer.headers["Location"])


def back_to_site(client: Client, callback_url: str) -> Any:
    parts = urlsplit(callback_url)
    return client.get(f"{parts.path}?{parts.query}")


def connect(client: Client, login_url: str) -> Any:
    response = start(client, login_url)
    assert response.status_code == 302, response.content
    return back_to_site(client, approve_at_network(response["Location"]))
