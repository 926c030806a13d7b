"""The request handler's plumbing, shared by the X, LinkedIn and OAuth parts of the fake."""

import base64
import json
import time
from email import policy
from email.parser import BytesParser
from http.server import BaseHTTPRequestHandler
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs, urlsplit

from tests.fakenet.state import State

if TYPE_CHECKING:
    from tests.fakenet.server import FakeNetServer


def network_of(path: str) -> str:
    """Which network a path belongs to, for the request log."""
    if path.startswith(("/2/", "/i/")):
        return "x"
    if path.startswith("/_"):
        return "control"
    return "linkedin"


class Plumbing(BaseHTTPRequestHandler):
    server: "FakeNetServer"
    protocol_version = "HTTP/1.0"

    def log_message(self, format: str, *args: Any) -> None:  # quiet
        pass

    @property
    def state(self) -> State:
        return self.server.state

    def _body(self) -> bytes:
        if not hasattr(self, "_raw_body"):
            length = int(self.headers.get("Content-Length") or 0)
            self._raw_body = self.rfile.read(length) if length else b""
        return self._raw_body

    def _json_body(self) -> Any:
        raw = self._body()
        try:
            return json.loads(raw) if raw else {}
        except ValueError:
            return None

    def _form(self) -> dict[str, str]:
        return {k: v[0] for k, v in parse_qs(self._body().decode(errors="replace")).items()}

    def _multipart(self) -> dict[str, bytes]:
        """The fields of a multipart/form-data body (a field's Content-Transfer-Encoding,
        e.g. base64, is decoded)."""
        content_type = self.headers.get("Content-Type", "")
        head = f"Content-Type: {content_type}\r\nMIME-Version: 1.0\r\n\r\n".encode()
        message = BytesParser(policy=policy.HTTP).parsebytes(head + self._body())
        fields: dict[str, bytes] = {}
        if not message.is_multipart():
            return fields
        for part in message.iter_parts():
            name = part.get_param("name", header="content-disposition")
            if name:
                payload = part.get_payload(decode=True)
                fields[str(name)] = payload if isinstance(payload, bytes) else b""
        return fields

    def _media_fields(self) -> dict[str, Any] | None:
        """A media upload's fields from a JSON body (media base64-encoded) or a multipart body
        (media as raw bytes), as X's OpenAPI describes both. None: unreadable."""
        if self.headers.get("Content-Type", "").startswith("multipart/form-data"):
            return {k: v if k == "media" else v.decode() for k, v in self._multipart().items()}
        body = self._json_body()
        if not isinstance(body, dict):
            return None
        fields = dict(body)
        if "media" in fields:
            try:
                fields["media"] = base64.b64decode(str(fields["media"]), validate=True)
            except ValueError:
                return None
        return fields

    def _send(
        self,
        status: int,
        payload: Any = None,
        headers: dict[str, str] | None = None,
        content_type: str = "application/json; charset=utf-8",
    ) -> None:
        body = b"" if payload is None else json.dumps(payload).encode()
        self._record(status)
        try:
            self.send_response(status)
            if payload is not None:
                self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (a timeout): like a real network, the post stays

    def _redirect(self, location: str) -> None:
        self._record(302)
        self.send_response(302)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def _record(self, status: int) -> None:
        url = urlsplit(self.path)
        answer = f"{self.command} {url.path} {status}"
        with self.state.lock:
            self.state.answers[answer] = self.state.answers.get(answer, 0) + 1
            if not url.path.startswith("/_"):
                self.state.log.append(
                    {
                        "method": self.command,
                        "path": url.path,
                        "query": url.query,
                        "status": status,
                        "network": network_of(url.path),
                        "at": time.time(),
                    }
                )

    def _bearer(self) -> str:
        value = self.headers.get("Authorization", "")
        return value[len("Bearer ") :] if value.startswith("Bearer ") else ""

    def _latency(self) -> None:
        if self.state.knobs["latency_ms"]:
            time.sleep(self.state.knobs["latency_ms"] / 1000)
