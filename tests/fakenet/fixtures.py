"""The fake network as pytest fixtures, made available to every test by tests/conftest.py.

`fake` starts a fresh fake for the test (its own port, nothing stored) and points both API base
URLs at it. A module that needs more overrides `fakenet_settings` (settings to add while the
fake runs) or `fakenet_knobs` (knobs set before the test starts), or wraps `fake` itself:

    @pytest.fixture
    def fakenet_settings() -> dict[str, object]:
        return {"PROVIDER_READ_TIMEOUT": 1.0}
"""

from collections.abc import Iterator

import pytest
from django.test import override_settings

from .control import control
from .server import FakeNetServer, serve


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
        base_urls = {"X_API_BASE_URL": server.url, "LINKEDIN_API_BASE_URL": server.url}
        with override_settings(**{**base_urls, **fakenet_settings}):
            yield server
    finally:
        server.shutdown()
        server.server_close()
