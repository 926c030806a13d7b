import socket
from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client
from rest_framework.test import APIClient

from advocacy.models import User
from tests import factories


@pytest.fixture(autouse=True)
def _no_outside_network(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Tests fail on any real network call except to this machine (services, fakes)."""
    real_connect = socket.socket.connect

    def guarded_connect(self: socket.socket, address: Any) -> Any:
        host = address[0] if isinstance(address, tuple) else address
        if (
            isinstance(host, str)
            and host not in ("127.0.0.1", "localhost", "::1")
            and not host.startswith("/")
        ):
            raise RuntimeError(f"Test tried to reach {address!r}: outside network is not allowed")
        return real_connect(self, address)

    monkeypatch.setattr(socket.socket, "connect", guarded_connect)
    yield


@pytest.fixture
def policy(db: None) -> Any:
    return factories.current_policy()


@pytest.fixture
def ambassador_user(policy: Any) -> User:
    return factories.ambassador(username="amber")


@pytest.fixture
def marketing(db: None) -> User:
    return factories.marketing_user(username="mara")


@pytest.fixture
def item(policy: Any) -> Any:
    return factories.ContentItemFactory()


@pytest.fixture
def api() -> APIClient:
    return APIClient()


def api_for(user: User) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def client_for(user: User) -> Client:
    """A browser session logged in as the user, for the pages."""
    client = Client()
    client.force_login(user)
    return client


# The local fake X and LinkedIn (tests/fakenet): `fake`, and what a module may override.
from tests.fakenet.fixtures import fake, fakenet_knobs, fakenet_settings  # noqa: E402, F401

# A real Celery worker process for the end-to-end and browser tests (started once, on demand).
from tests.worker import celery_worker_process  # noqa: E402, F401
