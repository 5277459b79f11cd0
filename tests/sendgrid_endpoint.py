"""A local stand-in for api.sendgrid.com: a real HTTP server that checks every mail-send body
against SendGrid's own OpenAPI schema (tests/data/sendgrid, MIT), records it, and answers
with scripted statuses.

    with SendGridEndpoint() as endpoint:
        endpoint.script(429, headers={"Retry-After": "1"})   # next answer; then 202 again
        ...  # SendGridMailer(endpoint.api_key, host=endpoint.url, ...)
        assert endpoint.requests[-1].valid
"""

import json
import socket
import threading
import time
import uuid
from collections import deque
from dataclasses import dataclass, field
from functools import cache
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType
from typing import Any

from jsonschema import Draft202012Validator
from referencing import Registry
from referencing.jsonschema import DRAFT202012

SPEC_PATH = Path(__file__).parent / "data" / "sendgrid" / "tsg_mail_v3.json"
SPEC_URI = "urn:sendgrid-oai:tsg_mail_v3"
REQUEST_BODY_POINTER = "/components/requestBodies/PostMailSend/content/application~1json/schema"
MAIL_SEND_PATH = "/v3/mail/send"


@cache
def mail_send_validator() -> Draft202012Validator:
    """The request body schema, its `$ref`s resolved inside the OpenAPI document (3.1 = 2020-12)."""
    spec = json.loads(SPEC_PATH.read_text(encoding="utf-8"))
    registry: Registry[Any] = Registry().with_resource(SPEC_URI, DRAFT202012.create_resource(spec))
    schema = {"$ref": f"{SPEC_URI}#{REQUEST_BODY_POINTER}"}
    return Draft202012Validator(
        schema, registry=registry, format_checker=Draft202012Validator.FORMAT_CHECKER
    )


def validation_errors(body: Any) -> list[dict[str, str | None]]:
    """SendGrid-style errors for a body: the schema's, then API rules the schema can't express."""
    errors = [
        {"message": error.message, "field": ".".join(str(p) for p in error.absolute_path) or None}
        for error in sorted(mail_send_validator().iter_errors(body), key=lambda e: e.json_path)
    ]
    return errors or _documented_rules(body)


def _documented_rules(body: dict[str, Any]) -> list[dict[str, str | None]]:
    """Rules from SendGrid's documentation: text/plain comes first; custom args are strings."""
    errors: list[dict[str, str | None]] = []
    types = [part.get("type") for part in body.get("content", [])]
    if "text/plain" in types and types[0] != "text/plain":
        errors.append({"message": "text/plain must be the first content", "field": "content"})
    for i, personalization in enumerate(body["personalizations"]):
        for name, value in personalization.get("custom_args", {}).items():
            if not isinstance(value, str):
                field_name = f"personalizations.{i}.custom_args.{name}"
                errors.append({"message": "custom args must be strings", "field": field_name})
    return errors


@dataclass(frozen=True)
class Answer:
    status: int
    headers: dict[str, str] = field(default_factory=dict)
    body: dict[str, Any] | None = None
    delay_s: float = 0.0


@dataclass(frozen=True)
class RecordedRequest:
    path: str
    headers: dict[str, str]
    body: Any
    valid: bool
    errors: list[dict[str, str | None]]
    status: int


class SendGridEndpoint:
    """Answers each valid, authorised POST with the next scripted answer, else 202."""

    def __init__(self, api_key: str = "SG.test-key") -> None:
        self.api_key = api_key
        self.requests: list[RecordedRequest] = []
        self._answers: deque[Answer] = deque()
        self._lock = threading.Lock()
        self._server = _Server(("127.0.0.1", 0), _Handler)
        self._server.endpoint = self
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    def script(
        self,
        status: int,
        *,
        headers: dict[str, str] | None = None,
        body: dict[str, Any] | None = None,
        delay_s: float = 0.0,
    ) -> None:
        """Queue the answer to the next valid request."""
        with self._lock:
            self._answers.append(Answer(status, headers or {}, body, delay_s))

    def __enter__(self) -> "SendGridEndpoint":
        self._thread.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def _answer(self, path: str, headers: dict[str, str], raw: bytes) -> Answer:
        if path != MAIL_SEND_PATH:
            return self._refuse(path, headers, raw, 404, "Not Found")
        if headers.get("authorization") != f"Bearer {self.api_key}":
            message = "The provided authorization grant is invalid, expired, or revoked"
            return self._refuse(path, headers, raw, 401, message)
        try:
            body = json.loads(raw)
        except ValueError:
            return self._refuse(path, headers, raw, 400, "Bad Request")
        invalid = validation_errors(body)
        if invalid:
            return self._record(path, headers, body, invalid, Answer(400, body={"errors": invalid}))
        with self._lock:
            answer = self._answers.popleft() if self._answers else Answer(202)
        if answer.status == 202 and "X-Message-Id" not in answer.headers:
            answer = Answer(202, {"X-Message-Id": uuid.uuid4().hex[:22]}, None, answer.delay_s)
        return self._record(path, headers, body, [], answer)

    def _refuse(
        self, path: str, headers: dict[str, str], raw: bytes, status: int, message: str
    ) -> Answer:
        errors: list[dict[str, str | None]] = [{"message": message, "field": None}]
        return self._record(path, headers, raw, errors, Answer(status, body={"errors": errors}))

    def _record(
        self,
        path: str,
        headers: dict[str, str],
        body: Any,
        errors: list[dict[str, str | None]],
        answer: Answer,
    ) -> Answer:
        valid = not errors if path == MAIL_SEND_PATH else False
        with self._lock:
            self.requests.append(RecordedRequest(path, headers, body, valid, errors, answer.status))
        return answer


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128
    """Like SendGrid, take many connections at once: socketserver's 5 resets some of 16
    concurrent senders, which the client cannot tell from a reset after its mail was read."""
    endpoint: SendGridEndpoint


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def do_POST(self) -> None:
        raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        headers = {key.lower(): value for key, value in self.headers.items()}
        answer = self.server.endpoint._answer(self.path, headers, raw)
        time.sleep(answer.delay_s)
        payload = b"" if answer.body is None else json.dumps(answer.body).encode()
        try:
            self.send_response(answer.status)
            for name, value in answer.headers.items():
                self.send_header(name, value)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up waiting (timeout tests)

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: the test output is for assertions."""


def unused_port() -> int:
    """A local port with nothing listening on it (for "connection refused")."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port
