"""SendGrid Event Webhook: signatures checked on the raw body, then our delivery events read."""

import base64
import json
from datetime import UTC, datetime

import pytest
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec

from accord.mail.webhook import parse_events, verify_event_webhook

NOW = 1_770_000_000.0
TIMESTAMP = str(int(NOW) - 5)
EVENTS = [
    {
        "email": "a@example.kz",
        "timestamp": 1770000000,
        "event": "processed",
        "sg_event_id": "e0",
        "message_id": "41",
    },
    {
        "email": "a@example.kz",
        "timestamp": 1770000001,
        "event": "delivered",
        "sg_event_id": "e1",
        "sg_message_id": "sg.1",
        "response": "250 OK",
        "message_id": "41",
    },
    {
        "email": "b@example.kz",
        "timestamp": 1770000002,
        "event": "bounce",
        "type": "bounce",
        "sg_event_id": "e2",
        "reason": "550 5.1.1 user unknown",
        "message_id": "42",
    },
    {
        "email": "c@example.kz",
        "timestamp": 1770000003,
        "event": "bounce",
        "type": "blocked",
        "sg_event_id": "e3",
        "reason": "blocked by policy",
        "message_id": "43",
    },
    {
        "email": "d@example.kz",
        "timestamp": 1770000004,
        "event": "deferred",
        "sg_event_id": "e4",
        "response": "421 try later",
        "message_id": "44",
    },
    {
        "email": "e@example.kz",
        "timestamp": 1770000005,
        "event": "dropped",
        "sg_event_id": "e5",
        "reason": "Bounced Address",
        "message_id": "45",
    },
    {
        "email": "f@example.kz",
        "timestamp": 1770000006,
        "event": "open",
        "sg_event_id": "e6",
        "message_id": "41",
    },
    {"email": "g@example.kz", "timestamp": 1770000007, "event": "delivered", "sg_event_id": "e7"},
]
PAYLOAD = json.dumps(EVENTS, ensure_ascii=False).encode("utf-8")


def key_pair() -> tuple[ec.EllipticCurvePrivateKey, str]:
    """A P-256 key and its public half as SendGrid shows it (base64 DER SubjectPublicKeyInfo)."""
    private = ec.generate_private_key(ec.SECP256R1())
    der = private.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return private, base64.b64encode(der).decode()


def sign(private: ec.EllipticCurvePrivateKey, timestamp: str, payload: bytes) -> str:
    signature = private.sign(timestamp.encode() + payload, ec.ECDSA(hashes.SHA256()))
    return base64.b64encode(signature).decode()


@pytest.fixture(scope="module")
def keys() -> tuple[ec.EllipticCurvePrivateKey, str]:
    return key_pair()


def test_a_valid_signature_is_accepted(keys: tuple[ec.EllipticCurvePrivateKey, str]) -> None:
    private, public = keys
    signature = sign(private, TIMESTAMP, PAYLOAD)
    assert verify_event_webhook(public, PAYLOAD, signature, TIMESTAMP, now=NOW) is True


def test_a_tampered_payload_is_refused(keys: tuple[ec.EllipticCurvePrivateKey, str]) -> None:
    private, public = keys
    signature = sign(private, TIMESTAMP, PAYLOAD)
    tampered = PAYLOAD.replace(b'"42"', b'"99"')
    assert verify_event_webhook(public, tampered, signature, TIMESTAMP, now=NOW) is False
    reencoded = json.dumps(json.loads(PAYLOAD), separators=(",", ":")).encode()
    assert reencoded != PAYLOAD and json.loads(reencoded) == json.loads(PAYLOAD)
    assert verify_event_webhook(public, reencoded, signature, TIMESTAMP, now=NOW) is False


def test_an_old_timestamp_is_refused_even_when_signed(
    keys: tuple[ec.EllipticCurvePrivateKey, str],
) -> None:
    private, public = keys
    old = str(int(NOW) - 3600)
    signature = sign(private, old, PAYLOAD)
    assert verify_event_webhook(public, PAYLOAD, signature, old, now=NOW) is False
    assert verify_event_webhook(public, PAYLOAD, signature, old, now=NOW - 3600) is True


def test_a_signature_by_another_key_is_refused(
    keys: tuple[ec.EllipticCurvePrivateKey, str],
) -> None:
    _, public = keys
    other, _ = key_pair()
    signature = sign(other, TIMESTAMP, PAYLOAD)
    assert verify_event_webhook(public, PAYLOAD, signature, TIMESTAMP, now=NOW) is False


@pytest.mark.parametrize(
    "signature", ["", "not base64!", "abc", base64.b64encode(b"not DER at all").decode()]
)
def test_a_malformed_signature_is_refused_not_raised(
    keys: tuple[ec.EllipticCurvePrivateKey, str], signature: str
) -> None:
    _, public = keys
    assert verify_event_webhook(public, PAYLOAD, signature, TIMESTAMP, now=NOW) is False


@pytest.mark.parametrize("timestamp", ["", "yesterday", "1.5e9"])
def test_a_malformed_timestamp_is_refused(
    keys: tuple[ec.EllipticCurvePrivateKey, str], timestamp: str
) -> None:
    private, public = keys
    signature = sign(private, timestamp, PAYLOAD)
    assert verify_event_webhook(public, PAYLOAD, signature, timestamp, now=NOW) is False


def test_a_public_key_that_is_not_one_says_which_setting() -> None:
    with pytest.raises(ValueError, match="ACCORD_SENDGRID_WEBHOOK_PUBLIC_KEY"):
        verify_event_webhook("not a key", PAYLOAD, "", TIMESTAMP, now=NOW)


def test_parse_events_reads_our_delivery_events_only() -> None:
    events = parse_events(PAYLOAD)
    assert [(e.message_id, e.event, e.sg_event_id) for e in events] == [
        ("41", "processed", "e0"),  # accepted: settles a message in flight at a crash
        ("41", "delivered", "e1"),
        ("42", "bounce", "e2"),
        ("43", "blocked", "e3"),
        ("44", "deferred", "e4"),
        ("45", "dropped", "e5"),
    ]
    by_id = {e.sg_event_id: e for e in events}
    assert by_id["e2"].reason == "550 5.1.1 user unknown"
    assert by_id["e4"].reason == "421 try later"
    assert by_id["e1"].reason is None
    assert by_id["e1"].timestamp == datetime(2026, 2, 2, 2, 40, 1, tzinfo=UTC)


def test_parse_events_refuses_a_body_that_is_not_a_list_of_events() -> None:
    with pytest.raises(ValueError, match="not JSON"):
        parse_events(b"{oops")
    with pytest.raises(ValueError, match="list"):
        parse_events(b'{"event": "delivered"}')
