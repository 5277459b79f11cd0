"""The retry policy: the provider's wait first, else 1, 2, 4 s; permanent refusals at once."""

import pytest

from accord.mail.delivery import deliver_with_retry
from accord.mail.message import (
    DeliveryResult,
    OutgoingMail,
    PermanentDeliveryError,
    TransientDeliveryError,
)

MAIL = OutgoingMail(
    idempotency_key="k-1",
    to_email="a@example.org",
    to_name="A",
    language="en",
    subject="S",
    text="T\n",
    html="<p>T</p>",
)


class ScriptedMailer:
    """Raises the scripted errors in turn, then accepts."""

    resend_is_harmless = False

    def __init__(self, *failures: Exception) -> None:
        self.failures = list(failures)
        self.calls = 0

    def deliver(self, mail: OutgoingMail) -> DeliveryResult:
        self.calls += 1
        if self.failures:
            raise self.failures.pop(0)
        return DeliveryResult(accepted=True, provider_id=f"id-{self.calls}")


def test_backs_off_1_2_4_seconds_then_succeeds() -> None:
    waits: list[float] = []
    mailer = ScriptedMailer(*(TransientDeliveryError("down") for _ in range(3)))
    result = deliver_with_retry(mailer, MAIL, sleep=waits.append)
    assert result.provider_id == "id-4"
    assert waits == [1, 2, 4]


def test_honours_the_providers_wait_capped() -> None:
    waits: list[float] = []
    mailer = ScriptedMailer(
        TransientDeliveryError("slow down", retry_after_s=7),
        TransientDeliveryError("slow down", retry_after_s=3600),
    )
    deliver_with_retry(mailer, MAIL, sleep=waits.append, max_wait_s=60)
    assert waits == [7, 60]


def test_reraises_the_last_transient_error_after_all_attempts() -> None:
    waits: list[float] = []
    errors = [TransientDeliveryError(f"down {i}") for i in range(3)]
    mailer = ScriptedMailer(*errors)
    with pytest.raises(TransientDeliveryError, match="down 2"):
        deliver_with_retry(mailer, MAIL, attempts=3, sleep=waits.append)
    assert mailer.calls == 3 and waits == [1, 2]


def test_a_permanent_refusal_is_not_retried() -> None:
    waits: list[float] = []
    mailer = ScriptedMailer(PermanentDeliveryError("bad address", status=400))
    with pytest.raises(PermanentDeliveryError, match="bad address"):
        deliver_with_retry(mailer, MAIL, sleep=waits.append)
    assert mailer.calls == 1 and waits == []


def test_a_permanent_refusal_can_be_kept_as_a_result() -> None:
    result = PermanentDeliveryError("SendGrid refused it", status=400).as_result()
    assert not result.accepted and result.permanent_error == "SendGrid refused it"


def test_a_failure_in_doubt_is_not_retried_when_a_resend_could_duplicate() -> None:
    waits: list[float] = []
    mailer = ScriptedMailer(TransientDeliveryError("no answer", in_doubt=True))
    with pytest.raises(TransientDeliveryError, match="no answer"):
        deliver_with_retry(mailer, MAIL, sleep=waits.append)
    assert mailer.calls == 1 and waits == []


def test_a_failure_in_doubt_is_retried_when_resends_are_harmless() -> None:
    mailer = ScriptedMailer(TransientDeliveryError("no answer", in_doubt=True))
    mailer.resend_is_harmless = True
    assert deliver_with_retry(mailer, MAIL, sleep=lambda _: None).provider_id == "id-2"
