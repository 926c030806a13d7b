"""Steering and reading a running fake network over its own HTTP endpoints (see server.py)."""

import requests

from .server import FakeNetServer


def control(fake: FakeNetServer, **knobs: object) -> None:
    """Set knobs (POST /_control); knobs left out keep their value."""
    requests.post(f"{fake.url}/_control", json=knobs, timeout=5).raise_for_status()


def posts(fake: FakeNetServer) -> list[dict[str, object]]:
    """What each network stored, oldest first (GET /_posts)."""
    found: list[dict[str, object]] = requests.get(f"{fake.url}/_posts", timeout=5).json()["posts"]
    return found


def answers(fake: FakeNetServer) -> dict[str, int]:
    """How many answers were given, by method, path and status: "POST /2/tweets 201" (GET /_stats)."""
    found: dict[str, int] = requests.get(f"{fake.url}/_stats", timeout=5).json()["answers"]
    return found
