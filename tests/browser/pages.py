"""What the browser tests do on every page, the way a person does it."""

from typing import Any


def log_in(page: Any, server_url: str, username: str, password: str) -> None:
    """Log in through the login page, as a person does."""
    page.goto(f"{server_url}/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
