"""Helpers for the API tests."""

from typing import Any


def detail(response: Any) -> str:
    """The human message of an error answer: every error the API gives has a "detail"."""
    return str(response.json()["detail"])
