"""The event webhook under hostile posts: bounded while arriving, absurd signed bodies get 400."""

import asyncio
import base64
import json
from datetime import UTC, datetime
from typing import Any

import pytest
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from starlette.testclient import TestClient
from starlette.types import Message

from accord.portal.app import create_app
from accord.portal.webhook import BODY_LIMIT
from accord.settings import Settings

NOW = datetime(2027, 1, 12, 11, 0, tzinfo=UTC)
STAMP = str(int(NOW.timestamp()))


@pytest.fixture
def signing_key() -> ec.EllipticCurvePrivateKey:
    return ec.generate_private_key(ec.SECP256R1())


def _public_key(key: ec.EllipticCurvePrivateKey) -> str:
    der = key.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return base64.b64encode(der).decode()


def _signed(key: ec.EllipticCurvePrivateKey, payload: bytes) -> dict[str, str]:
    signature = key.sign(STAMP.encode() + payload, ec.ECDSA(hashes.SHA256()))
    return {
        "X-Twilio-Email-Event-Webhook-Signature": base64.b64encode(signature).decode(),
        "X-Twilio-Email-Event-Webhook-Timestamp": STAMP,
        "Content-Type": "application/json",
    }


@pytest.fixture
def keyed(settings_on: Settings, signing_key: ec.EllipticCurvePrivateKey) -> Settings:
    return settings_on.model_copy(update={"sendgrid_webhook_public_key": _public_key(signing_key)})


def _event(**changes: Any) -> dict[str, Any]:
    event: dict[str, Any] = {
        "email": "a@example.kz",
        "event": "delivered",
        "sg_event_id": "evt-1",
        "timestamp": int(NOW.timestamp()),
        "message_id": "1",
    }
    event.update(changes)
    return event


ABSURD: list[bytes] = [
    json.dumps([_event(timestamp=1e20)]).encode(),
    json.dumps([_event(timestamp=-1e300)]).encode(),
    json.dumps([_event(timestamp="soon")]).encode(),
    json.dumps([_event(timestamp=[1])]).encode(),
    json.dumps([_event(message_id="²")]).encode(),
    json.dumps([_event(message_id="٣")]).encode(),
    json.dumps([_event(message_id="9" * 40)]).encode(),
    json.dumps([_event(message_id="9" * 5000)]).encode(),
    json.dumps([_event(custom_args={"message_id": {"x": 1}}, message_id=None)]).encode(),
    json.dumps([_event(sg_event_id="e" * 5000)]).encode(),
    b"[" * 100_000 + b"]" * 100_000,
    b'[{"a":' * 50_000 + b"1" + b"}" * 50_000 + b"]",
    b"NaN",
    b'{"not": "a list"}',
]


@pytest.mark.parametrize("payload", ABSURD, ids=range(len(ABSURD)))
def test_signed_absurd_bodies_get_400_never_500(
    keyed: Settings, signing_key: ec.EllipticCurvePrivateKey, payload: bytes
) -> None:
    client = TestClient(create_app(keyed, clock=lambda: NOW), raise_server_exceptions=False)
    response = client.post(
        "/sendgrid/events", content=payload, headers=_signed(signing_key, payload)
    )
    assert response.status_code == 400, (response.status_code, response.text[:300])


def test_a_signed_body_that_is_not_utf8_is_not_trusted(
    keyed: Settings, signing_key: ec.EllipticCurvePrivateKey
) -> None:
    payload = b"\xff\xfe[]"
    client = TestClient(create_app(keyed, clock=lambda: NOW), raise_server_exceptions=False)
    response = client.post(
        "/sendgrid/events", content=payload, headers=_signed(signing_key, payload)
    )
    assert response.status_code == 403


def _post(keyed: Settings, headers: list[tuple[bytes, bytes]], chunks: int) -> tuple[int, int]:
    """(status, chunks read) of a POST whose body is `chunks` MiB of zeros, streamed."""
    app = create_app(keyed, clock=lambda: NOW)
    read: list[int] = []
    answer: list[int] = []
    chunk = b"0" * (1024 * 1024)

    async def receive() -> Message:
        read.append(1)
        more = len(read) < chunks
        return {
            "type": "http.request",
            "body": chunk if len(read) <= chunks else b"",
            "more_body": more,
        }

    async def send(message: Message) -> None:
        if message["type"] == "http.response.start":
            answer.append(message["status"])

    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": "/sendgrid/events",
        "raw_path": b"/sendgrid/events",
        "query_string": b"",
        "root_path": "",
        "headers": [(b"host", b"testserver"), *headers],
        "client": ("127.0.0.1", 5000),
        "server": ("testserver", 80),
    }
    asyncio.run(app(scope, receive, send))
    return answer[0], len(read)


def test_an_endless_unsigned_body_is_cut_off_at_the_limit(keyed: Settings) -> None:
    """400 MB without a declared length: refused once the limit is passed, the rest never read."""
    status, read = _post(keyed, [], chunks=400)
    assert status == 413
    assert read <= BODY_LIMIT // (1024 * 1024) + 2


def test_a_declared_oversize_body_is_refused_before_a_byte_is_read(keyed: Settings) -> None:
    declared = str(400 * 1024 * 1024).encode()
    status, read = _post(keyed, [(b"content-length", declared)], chunks=400)
    assert status == 413
    assert read == 0
