"""The fake network as pytest fixtures, made available to every test by tests/conftest.py.

`fake` starts a fresh fake for the test (its own port, nothing stored), points both API base
URLs at it and gives the app the client ids and secrets the fake knows (state.TEST_CLIENTS). A
module that needs more overrides `fakenet_settings` (settings to add while the fake runs) or
`fakenet_knobs` (knobs set before the test starts), or wraps `fake` itself:

    @pytest.fixture
    def fakenet_settings() -> dict[str, object]:
        return {"PROVIDER_READ_TIMEOUT": 1.0}

The fake answers 401 to tokens it did not issue: a test that makes a NetworkAccount with
made-up tokens registers them with `register_account(fake, account)`.
"""

from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest
from django.test import override_settings

from tests.fakenet.control import control, register_token
from tests.fakenet.server import FakeNetServer, serve
from tests.fakenet.state import TEST_CLIENTS

if TYPE_CHECKING:
    from advocacy.models import NetworkAccount

[(X_CLIENT_ID, X_CLIENT_SECRET)] = TEST_CLIENTS["x"].items()
[(LINKEDIN_CLIENT_ID, LINKEDIN_CLIENT_SECRET)] = TEST_CLIENTS["linkedin"].items()
APP_SETTINGS: dict[str, str] = {
    "X_CLIENT_ID": X_CLIENT_ID,
    "X_CLIENT_SECRET": str(X_CLIENT_SECRET),
    "LINKEDIN_CLIENT_ID": LINKEDIN_CLIENT_ID,
    "LINKEDIN_CLIENT_SECRET": str(LINKEDIN_CLIENT_SECRET),
}


def register_account(fake: FakeNetServer, account: "NetworkAccount") -> "NetworkAccount":
    """Make the account's tokens known to the fake, as if the network had issued them: the
    member is the account's external_id, the scope its scopes."""
    register_token(
        fake,
        network=account.network,
        token=account.access_token,
        member=account.external_id,
        scope=account.scopes,
        refresh_token=account.refresh_token or "",
    )
    return account


@pytest.fixture
def fakenet_settings() -> dict[str, object]:
    """Settings a test module adds (or replaces) while the fake runs."""
    return {}


@pytest.fixture
def fakenet_knobs() -> dict[str, object]:
    """Knobs set on the fake before the test starts (see server.py)."""
    return {}


@pytest.fixture
def fake(
    fakenet_settings: dict[str, object], fakenet_knobs: dict[str, object]
) -> Iterator[FakeNetServer]:
    server = serve()
    try:
        if fakenet_knobs:
            control(server, **fakenet_knobs)
        base = {"X_API_BASE_URL": server.url, "LINKEDIN_API_BASE_URL": server.url, **APP_SETTINGS}
        with override_settings(**{**base, **fakenet_settings}):
            yield server
    finally:
        server.shutdown()
        server.server_close()
