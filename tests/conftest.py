import os
import socket
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
import redis
from django.test import Client, override_settings
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
def stream(settings: Any) -> Iterator[str]:
    """A click stream of the test's own, on the Redis of REDIS_URL (CI) or
    redis://127.0.0.1:6379/12; the test is skipped, with the reason, only when no Redis
    answers."""
    url = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/12"
    try:
        redis.Redis.from_url(url, socket_connect_timeout=1).ping()
    except redis.RedisError as error:
        pytest.skip(f"This test needs a Redis server at {url} ({error}).")
    settings.REDIS_URL = url
    settings.CLICK_STREAM_KEY = key = f"test:clicks:{uuid.uuid4().hex}"
    yield key
    redis.Redis.from_url(url).delete(key, f"{key}:flush-lock")


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


# The tracked link on a real domain, as deployed: X counts it as a link of 23. twitter-text finds
# no link in the test default http://127.0.0.1:8000, and X counts that one by its characters.
ON_A_DOMAIN = override_settings(SITE_URL="https://advocacy.example.com")


def client_for(user: User) -> Client:
    """A browser session logged in as the user, for the pages."""
    client = Client()
    client.force_login(user)
    return client


# The local fake X and LinkedIn (tests/fakenet): `fake`, and what a module may override.
from tests.fakenet.fixtures import fake, fakenet_knobs, fakenet_settings  # noqa: E402, F401

# A real Celery worker process for the end-to-end and browser tests (started once, on demand).
from tests.worker import celery_worker_process  # noqa: E402, F401
