"""SendGrid's Event Webhook: check a request really came from SendGrid, then read its events."""

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any

from sendgrid.helpers.eventwebhook import EventWebhook

MESSAGE_ID_ARG = "message_id"
"""The custom argument naming our outgoing message; SendGrid echoes it on every event."""
DELIVERY_EVENTS = frozenset({"processed", "delivered", "bounce", "dropped", "deferred", "blocked"})
"""`processed`: SendGrid accepted the mail, which settles a message in flight at a crash."""
LARGEST_ID = 2**31 - 1
"""Our message ids are database integers; a larger number was never one of ours."""
EVENT_ID_LENGTH = 200
"""As `message_event.provider_event_id` holds; SendGrid's ids are about 22 characters."""
REASON_LENGTH = 2000
"""Characters of a provider's reason kept: SMTP replies are short; the rest is noise."""
LATEST_TIMESTAMP = 253402300799
"""9999-12-31T23:59:59Z, the last second a date can hold."""


@dataclass(frozen=True)
class DeliveryEvent:
    """What happened to one sent mail; `sg_event_id` makes a replayed event harmless."""

    message_id: str
    event: str
    sg_event_id: str
    timestamp: datetime
    reason: str | None


def verify_event_webhook(
    public_key: str,
    payload: bytes,
    signature: str,
    timestamp: str,
    *,
    now: float,
    tolerance_s: float = 300,
) -> bool:
    """True only for the raw body SendGrid signed, recently: anything else is not trusted."""
    try:
        sent_at = int(timestamp)
        text = payload.decode("utf-8")
    except (ValueError, UnicodeDecodeError):
        return False
    if abs(now - sent_at) > tolerance_s:
        return False
    verifier = _verifier(public_key)
    try:
        return bool(verifier.verify_signature(text, signature, timestamp))
    except (ValueError, TypeError):
        return False  # malformed base64 or DER: the library raises instead of saying no


@lru_cache(maxsize=4)
def _verifier(public_key: str) -> Any:
    """Parse the key once; a key that is not one is a configuration error, said plainly."""
    try:
        return EventWebhook(public_key=public_key)
    except (ValueError, TypeError) as error:
        raise ValueError(
            "the SendGrid webhook verification key (ACCORD_SENDGRID_WEBHOOK_PUBLIC_KEY) "
            f"is not a base64 public key as shown in SendGrid's settings: {error}"
        ) from error


def parse_events(payload: bytes) -> list[DeliveryEvent]:
    """The delivery events of our own mails; engagement events and foreign mail are skipped."""
    try:
        raw = json.loads(payload)
    except RecursionError:
        raise ValueError("the webhook body is nested too deeply to be SendGrid's") from None
    except ValueError as error:
        raise ValueError(f"the webhook body is not JSON: {error}") from error
    if not isinstance(raw, list):
        raise ValueError("the webhook body must be a JSON list of events")
    events = (_event(item) for item in raw if isinstance(item, dict))
    return [event for event in events if event is not None]


def _event(item: dict[str, Any]) -> DeliveryEvent | None:
    name = str(item.get("event", ""))
    if name == "bounce" and item.get("type") == "blocked":
        name = "blocked"
    message_id = _custom_arg(item, MESSAGE_ID_ARG)
    if name not in DELIVERY_EVENTS or message_id is None or not item.get("sg_event_id"):
        return None
    reason = item.get("reason") or (item.get("response") if name == "deferred" else None)
    return DeliveryEvent(
        message_id=_our_id(message_id),
        event=name,
        sg_event_id=_event_id(item["sg_event_id"]),
        timestamp=_moment(item.get("timestamp", 0)),
        reason=None if reason is None else str(reason)[:REASON_LENGTH],
    )


def _our_id(value: str) -> str:
    """ASCII digits naming a possible message: `²` and `٣` are digits to Python, not to us."""
    if not (value.isascii() and value.isdigit() and len(value) <= 10 and int(value) <= LARGEST_ID):
        raise ValueError(f"the event's {MESSAGE_ID_ARG} is not one of our message ids")
    return value


def _event_id(value: object) -> str:
    if not isinstance(value, str | int) or isinstance(value, bool):
        raise ValueError("the event's sg_event_id is not a string")
    text = str(value)
    if len(text) > EVENT_ID_LENGTH:
        raise ValueError(f"the event's sg_event_id is over {EVENT_ID_LENGTH} characters")
    return text


def _moment(value: object) -> datetime:
    """The event's Unix time; one no date can hold is not SendGrid's."""
    if not isinstance(value, int | float) or isinstance(value, bool):
        raise ValueError("the event's timestamp is not a number")
    if not 0 <= value <= LATEST_TIMESTAMP:
        raise ValueError("the event's timestamp is not a date")
    return datetime.fromtimestamp(int(value), tz=UTC)


def _custom_arg(item: dict[str, Any], name: str) -> str | None:
    """SendGrid echoes custom arguments at the top level of each event (else in `custom_args`)."""
    value = item.get(name)
    nested = item.get("custom_args")
    if value is None and isinstance(nested, dict):
        value = nested.get(name)
    if value is None:
        return None
    if not isinstance(value, str | int) or isinstance(value, bool):
        raise ValueError(f"the event's {name} is not a string")
    return str(value)
