"""Steering and reading a running fake network over its own HTTP endpoints (see server.py)."""

from typing import Any

import requests

from tests.fakenet.server import FakeNetServer


def control(fake: FakeNetServer, **knobs: object) -> None:
    """Set knobs (POST /_control); knobs left out keep their value."""
    requests.post(f"{fake.url}/_control", json=knobs, timeout=5).raise_for_status()


def register_token(
    fake: FakeNetServer,
    *,
    network: str,
    token: str,
    member: str,
    scope: str,
    refresh_token: str = "",
) -> None:
    """Make a bearer token (and its refresh token) known to the fake (POST /_tokens): the
    networks answer 401 to a token they did not issue."""
    entry = {"network": network, "token": token, "member": member, "scope": scope}
    if refresh_token:
        entry["refresh_token"] = refresh_token
    requests.post(f"{fake.url}/_tokens", json=entry, timeout=5).raise_for_status()


def posts(fake: FakeNetServer) -> list[dict[str, Any]]:
    """What each network stored, oldest first (GET /_posts)."""
    found: list[dict[str, Any]] = requests.get(f"{fake.url}/_posts", timeout=5).json()["posts"]
    return found


def answers(fake: FakeNetServer) -> dict[str, int]:
    """How many answers were given, by method, path and status: "POST /2/tweets 201" (GET /_stats)."""
    found: dict[str, int] = requests.get(f"{fake.url}/_stats", timeout=5).json()["answers"]
    return found


def request_log(fake: FakeNetServer) -> list[dict[str, Any]]:
    """Every API request in the order it came: method, path, query, status, network
    (GET /_requests); e.g. to assert initializeUpload, then the upload, then the post."""
    found: list[dict[str, Any]] = requests.get(f"{fake.url}/_requests", timeout=5).json()[
        "requests"
    ]
    return found


def media(fake: FakeNetServer) -> list[dict[str, Any]]:
    """The uploads the fake holds (GET /_media): X media and LinkedIn images."""
    found: list[dict[str, Any]] = requests.get(f"{fake.url}/_media", timeout=5).json()["media"]
    return found
