from collections.abc import Iterator
from datetime import timedelta

import pytest
import requests
import responses
import urllib3
from django.utils import timezone

from advocacy.models import NetworkAccount
from tests.factories import UserFactory


@pytest.fixture
def rsps() -> Iterator[responses.RequestsMock]:
    """Every outbound call must be registered (anything else fails with ConnectionError), and
    every registered call must be made."""
    with responses.RequestsMock(assert_all_requests_are_fired=True) as mock:
        yield mock


def network_account(network: str, **fields: object) -> NetworkAccount:
    values: dict[str, object] = {
        "user": UserFactory(),
        "network": network,
        "external_id": "2244994945" if network == "x" else "AbC123xyz",
        "display_name": "Amber",
        "access_token": "access-1",
        "refresh_token": "refresh-1" if network == "x" else "",
        "token_expires_at": timezone.now() + timedelta(hours=1),
        "scopes": "tweet.read tweet.write users.read offline.access"
        if network == "x"
        else "openid profile email w_member_social",
    }
    values.update(fields)
    return NetworkAccount.objects.create(**values)


def connection_refused(url: str) -> requests.ConnectionError:
    """What requests raises when nothing listens on the port (the request was never sent)."""
    reason = urllib3.exceptions.NewConnectionError(None, "[Errno 111] Connection refused")  # type: ignore[arg-type]
    return requests.ConnectionError(urllib3.exceptions.MaxRetryError(None, url, reason))  # type: ignore[arg-type]
