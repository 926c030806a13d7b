"""Helpers for the API tests."""

from typing import Any


def detail(response: Any) -> str:
    """The human message of an error answer (our services' format and DRF's alike)."""
    body = response.json()
    if "detail" in body:
        return str(body["detail"])
    return " ".join(str(message) for messages in body.values() for message in messages)
