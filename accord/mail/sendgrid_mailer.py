"""Delivery through SendGrid's v3 mail-send API, mapping its answers to transient or permanent."""

import base64
import json
import time
from collections.abc import Callable
from email.utils import parsedate_to_datetime
from http.client import HTTPException
from typing import Any
from urllib.error import URLError

from python_http_client.exceptions import HTTPError
from sendgrid import SendGridAPIClient

from accord.mail.message import (
    DeliveryResult,
    OutgoingMail,
    PermanentDeliveryError,
    TransientDeliveryError,
)

IDEMPOTENCY_HEADER = "X-Accord-Idempotency-Key"
TRANSIENT_STATUSES = frozenset({408, 429})
"""Besides every 5xx: the request timed out, or we sent too fast."""
UNREACHABLE = (TimeoutError, URLError, ConnectionError, HTTPException)
"""What the client raises when no HTTP answer came back at all."""


class SendGridMailer:
    """Sends one mail per call; retrying is the caller's decision (see `deliver_with_retry`)."""

    resend_is_harmless = False
    """SendGrid has no idempotency key: a mail handed over twice is sent twice."""

    def __init__(
        self,
        api_key: str,
        *,
        host: str = "https://api.sendgrid.com",
        from_email: str,
        from_name: str,
        timeout_s: float = 10,
        sandbox: bool = False,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.host = host
        self.from_email = from_email
        self.from_name = from_name
        self.sandbox = sandbox
        self.clock = clock
        self._client = SendGridAPIClient(api_key=api_key, host=host)
        self._client.client.timeout = timeout_s

    def deliver(self, mail: OutgoingMail) -> DeliveryResult:
        """Hand the mail to SendGrid once; 2xx is accepted, anything else raises."""
        try:
            response = self._client.send(self.body(mail))
        except HTTPError as error:
            raise self._refusal(error, mail) from error
        except UNREACHABLE as error:
            raise TransientDeliveryError(
                f"could not reach SendGrid at {self.host}: {_reason(error)}",
                in_doubt=not isinstance(error, URLError),  # URLError: it never got there
            ) from error
        status = int(response.status_code)
        if not 200 <= status < 300:
            raise TransientDeliveryError(f"SendGrid answered an unexpected HTTP {status}")
        return DeliveryResult(accepted=True, provider_id=_header(response.headers, "X-Message-Id"))

    def body(self, mail: OutgoingMail) -> dict[str, Any]:
        """The request body, built as a dict so categories and attachments keep their order."""
        to: dict[str, str] = {"email": mail.to_email}
        if mail.to_name:
            to["name"] = mail.to_name
        personalization: dict[str, Any] = {"to": [to], "subject": mail.subject}
        if mail.custom_args:
            # Per personalization: the schema types the message-level field as a string.
            personalization["custom_args"] = dict(mail.custom_args)
        content = [{"type": "text/plain", "value": mail.text}]
        if mail.html:
            content.append({"type": "text/html", "value": mail.html})
        body: dict[str, Any] = {
            "personalizations": [personalization],
            "from": {"email": self.from_email, "name": self.from_name},
            "subject": mail.subject,
            "content": content,
            "headers": {IDEMPOTENCY_HEADER: mail.idempotency_key},
        }
        if mail.attachments:
            body["attachments"] = [
                {
                    "content": base64.b64encode(a.data).decode("ascii"),
                    "type": a.content_type,
                    "filename": a.filename,
                    "disposition": "attachment",
                }
                for a in mail.attachments
            ]
        if mail.categories:
            body["categories"] = list(mail.categories)
        if mail.reply_to:
            body["reply_to"] = {"email": mail.reply_to}
        if self.sandbox:
            body["mail_settings"] = {"sandbox_mode": {"enable": True}}
        return body

    def _refusal(self, error: HTTPError, mail: OutgoingMail) -> Exception:
        """The exception telling the caller whether to try again, in words a person can act on."""
        status = int(error.status_code)
        detail = f"SendGrid answered HTTP {status} {error.reason}: {_error_messages(error)}"
        if status == 429:
            return TransientDeliveryError(detail, retry_after_s=self._retry_after(error.headers))
        if status >= 500 or status in TRANSIENT_STATUSES:
            return TransientDeliveryError(detail)
        hint = " (check ACCORD_SENDGRID_API_KEY)" if status in (401, 403) else ""
        return PermanentDeliveryError(
            f"SendGrid refused the e-mail to {mail.to_email}: {detail}{hint}", status=status
        )

    def _retry_after(self, headers: Any) -> float | None:
        """Seconds to wait: Retry-After (seconds or a date), else X-RateLimit-Reset (epoch)."""
        retry_after = _header(headers, "Retry-After")
        if retry_after is not None:
            try:
                return max(0.0, float(retry_after))
            except ValueError:
                try:
                    return max(0.0, parsedate_to_datetime(retry_after).timestamp() - self.clock())
                except (TypeError, ValueError):
                    return None
        reset = _header(headers, "X-RateLimit-Reset")
        try:
            return None if reset is None else max(0.0, float(reset) - self.clock())
        except ValueError:
            return None


def _header(headers: Any, name: str) -> str | None:
    """A header by name, whatever the case, from a dict or an `http.client.HTTPMessage`."""
    if headers is None:
        return None
    for key, value in headers.items():
        if str(key).lower() == name.lower():
            return str(value)
    return None


def _error_messages(error: HTTPError) -> str:
    """SendGrid's own `errors[].message` (and `field`), or the raw body if it is not that JSON."""
    body = error.body
    raw = body.decode("utf-8", "replace") if isinstance(body, bytes) else str(body)
    try:
        errors = json.loads(raw)["errors"]
        parts = [
            f"{e.get('message', '?')}" + (f" (field: {e['field']})" if e.get("field") else "")
            for e in errors
        ]
    except (ValueError, KeyError, TypeError, AttributeError):
        return raw.strip()[:500] or "no details given"
    return "; ".join(parts) or "no details given"


def _reason(error: BaseException) -> str:
    reason = getattr(error, "reason", None)
    return str(reason if reason is not None else error) or type(error).__name__
