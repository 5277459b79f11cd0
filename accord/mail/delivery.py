"""When to try a delivery again: a pure policy any caller (a flow, the CLI) can apply."""

import time
from collections.abc import Callable
from typing import Protocol

from accord.mail.message import DeliveryResult, OutgoingMail, TransientDeliveryError


class Mailer(Protocol):
    """Hands one mail to a provider; raises Transient- or PermanentDeliveryError when it can't."""

    @property
    def resend_is_harmless(self) -> bool:
        """True when the provider recognises a repeated idempotency key, so a mail handed over
        twice (after a crash) arrives once; SendGrid has no such key."""
        ...

    def deliver(self, mail: OutgoingMail) -> DeliveryResult: ...


def deliver_with_retry(
    mailer: Mailer,
    mail: OutgoingMail,
    *,
    attempts: int = 4,
    sleep: Callable[[float], None] = time.sleep,
    max_wait_s: float = 60,
) -> DeliveryResult:
    """Retry transient failures (the provider's wait, else 1, 2, 4 s); permanent ones at once.

    A failure in doubt (the provider may have accepted the mail) is raised at once unless a
    resend is harmless: trying again could send the mail twice.
    """
    if attempts < 1:
        raise ValueError(f"attempts must be at least 1, got {attempts}")
    for attempt in range(attempts - 1):
        try:
            return mailer.deliver(mail)
        except TransientDeliveryError as error:
            if error.in_doubt and not mailer.resend_is_harmless:
                raise
            sleep(wait_before_retry(error, attempt, max_wait_s=max_wait_s))
    return mailer.deliver(mail)


def wait_before_retry(error: TransientDeliveryError, attempt: int, *, max_wait_s: float) -> float:
    """Seconds before the next try: what the provider asked for, else 2**attempt, capped."""
    wanted = error.retry_after_s if error.retry_after_s is not None else 2.0**attempt
    return min(max(0.0, wanted), max_wait_s)
