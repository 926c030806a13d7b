"""All outbound HTTP to the networks goes through here: one session factory with timeouts, and
a host-rewriting adapter so tweepy (whose host is fixed inside `BaseClient.request`) can be
pointed at the local fake network (tests/fakenet) by a setting."""

from typing import Any

import requests
import urllib3
from django.conf import settings
from requests.adapters import HTTPAdapter

X_DEFAULT_BASE_URL = "https://api.twitter.com"


class TimeoutSession(requests.Session):
    """A session whose every request has a timeout, even when the caller (tweepy) sets none."""

    def __init__(self, timeout: tuple[float, float]) -> None:
        super().__init__()
        self.timeout = timeout

    def request(self, method: str | bytes, url: str | bytes, *args: Any, **kwargs: Any) -> Any:
        kwargs.setdefault("timeout", self.timeout)
        return super().request(method, url, *args, **kwargs)


class HostRewritingAdapter(HTTPAdapter):
    """Sends requests addressed to `original` (scheme and host) to `target` instead."""

    def __init__(self, original: str, target: str) -> None:
        super().__init__()
        self.original = original.rstrip("/")
        self.target = target.rstrip("/")

    def send(self, request: requests.PreparedRequest, *args: Any, **kwargs: Any) -> Any:
        url = request.url or ""
        if url.startswith(self.original):
            request.url = self.target + url[len(self.original) :]
        return super().send(request, *args, **kwargs)


def session() -> requests.Session:
    """A session for one provider call. Requests for the real X host go to X_API_BASE_URL."""
    result = TimeoutSession((settings.PROVIDER_CONNECT_TIMEOUT, settings.PROVIDER_READ_TIMEOUT))
    if settings.X_API_BASE_URL != X_DEFAULT_BASE_URL:
        result.mount(
            X_DEFAULT_BASE_URL, HostRewritingAdapter(X_DEFAULT_BASE_URL, settings.X_API_BASE_URL)
        )
    return result


def surely_not_sent(exc: requests.RequestException) -> bool:
    """True when the request never reached the network (connection refused, DNS failure,
    connect timeout), so repeating it cannot duplicate a post. A read timeout or a connection
    dropped after sending is not: the network may have acted on it."""
    if isinstance(exc, requests.ConnectTimeout):
        return True
    if not isinstance(exc, requests.ConnectionError) or isinstance(exc, requests.ReadTimeout):
        return False
    reason: object = exc.args[0] if exc.args else None
    if isinstance(reason, urllib3.exceptions.MaxRetryError):
        reason = reason.reason
    return isinstance(
        reason, urllib3.exceptions.NewConnectionError | urllib3.exceptions.ConnectTimeoutError
    )
