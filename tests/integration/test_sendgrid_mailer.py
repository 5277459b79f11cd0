"""The SendGrid mailer against a local endpoint that checks SendGrid's own request schema."""

import base64
from collections.abc import Iterator
from typing import Any

import pytest
from python_http_client.exceptions import BadRequestsError
from sendgrid import SendGridAPIClient

from accord.mail.delivery import deliver_with_retry
from accord.mail.message import (
    Attachment,
    OutgoingMail,
    PermanentDeliveryError,
    TransientDeliveryError,
)
from accord.mail.rendering import render_mail
from accord.mail.sendgrid_mailer import SendGridMailer
from tests.mail_examples import context_for
from tests.sendgrid_endpoint import SendGridEndpoint, unused_port, validation_errors

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
DOCX_BYTES = b"PK\x03\x04" + bytes(range(256)) * 8
CATEGORIES = ("accord", "review_request", "round-7", "kz-nrm-mou")


@pytest.fixture
def sendgrid_endpoint() -> Iterator[SendGridEndpoint]:
    with SendGridEndpoint() as endpoint:
        yield endpoint


def mailer_for(endpoint: SendGridEndpoint, **options: float) -> SendGridMailer:
    return SendGridMailer(
        endpoint.api_key,
        host=endpoint.url,
        from_email="noreply@accord.example.org",
        from_name="Хатшылық / Секретариат",
        **options,  # type: ignore[arg-type]
    )


def review_request(key: str = "round-7/contact-3/review_request") -> OutgoingMail:
    subject, text, html = render_mail("review_request", "kk", context_for("review_request"))
    return OutgoingMail(
        idempotency_key=key,
        to_email="asel@example.kz",
        to_name="Әсел Құрманова",
        language="kk",
        subject=subject,
        text=text,
        html=html,
        attachments=(Attachment("kz-nrm-mou-v3.docx", DOCX, DOCX_BYTES),),
        categories=CATEGORIES,
        custom_args={"message_id": "42", "round_id": "7"},
        reply_to="secretariat@example.kz",
    )


def test_a_full_mail_matches_the_official_schema_and_is_accepted(
    sendgrid_endpoint: SendGridEndpoint,
) -> None:
    result = mailer_for(sendgrid_endpoint).deliver(review_request())

    (request,) = sendgrid_endpoint.requests
    assert request.valid, request.errors
    assert request.status == 202
    assert result.accepted and result.provider_id
    assert request.headers["authorization"] == "Bearer SG.test-key"
    body = request.body
    assert body["categories"] == list(CATEGORIES)  # order kept (the helpers reverse it)
    assert [c["type"] for c in body["content"]] == ["text/plain", "text/html"]
    (attachment,) = body["attachments"]
    assert base64.b64decode(attachment["content"]) == DOCX_BYTES
    assert (attachment["filename"], attachment["type"], attachment["disposition"]) == (
        "kz-nrm-mou-v3.docx",
        DOCX,
        "attachment",
    )
    (personalization,) = body["personalizations"]
    assert personalization["to"] == [{"email": "asel@example.kz", "name": "Әсел Құрманова"}]
    assert personalization["custom_args"] == {"message_id": "42", "round_id": "7"}
    assert body["headers"] == {"X-Accord-Idempotency-Key": "round-7/contact-3/review_request"}
    assert body["reply_to"] == {"email": "secretariat@example.kz"}
    assert "mail_settings" not in body


def test_sandbox_mode_is_asked_for_when_configured(sendgrid_endpoint: SendGridEndpoint) -> None:
    sendgrid_endpoint.script(200)
    mailer = SendGridMailer(
        sendgrid_endpoint.api_key,
        host=sendgrid_endpoint.url,
        from_email="noreply@accord.example.org",
        from_name="Accord",
        sandbox=True,
    )
    assert mailer.deliver(review_request()).accepted
    (request,) = sendgrid_endpoint.requests
    assert request.valid and request.body["mail_settings"] == {"sandbox_mode": {"enable": True}}


def test_too_many_requests_is_transient_with_the_providers_wait(
    sendgrid_endpoint: SendGridEndpoint,
) -> None:
    sendgrid_endpoint.script(429, headers={"Retry-After": "1"}, body={"errors": []})
    with pytest.raises(TransientDeliveryError) as caught:
        mailer_for(sendgrid_endpoint).deliver(review_request())
    assert caught.value.retry_after_s == 1
    assert "429" in str(caught.value)


def test_rate_limit_reset_is_used_when_there_is_no_retry_after(
    sendgrid_endpoint: SendGridEndpoint,
) -> None:
    sendgrid_endpoint.script(429, headers={"X-RateLimit-Reset": "1000030"})
    mailer = mailer_for(sendgrid_endpoint)
    mailer.clock = lambda: 1_000_000.0
    with pytest.raises(TransientDeliveryError) as caught:
        mailer.deliver(review_request())
    assert caught.value.retry_after_s == 30


def test_retry_waits_as_told_and_then_succeeds(sendgrid_endpoint: SendGridEndpoint) -> None:
    sendgrid_endpoint.script(429, headers={"Retry-After": "1"})
    sendgrid_endpoint.script(500)
    sendgrid_endpoint.script(202, headers={"X-Message-Id": "sg-msg-1"})
    waits: list[float] = []

    result = deliver_with_retry(mailer_for(sendgrid_endpoint), review_request(), sleep=waits.append)

    assert waits == [1, 2]  # Retry-After, then the backoff for the second attempt
    assert result.provider_id == "sg-msg-1"
    assert [r.status for r in sendgrid_endpoint.requests] == [429, 500, 202]
    assert all(r.valid for r in sendgrid_endpoint.requests)


@pytest.mark.parametrize("status", [500, 502, 503])
def test_server_errors_are_transient(sendgrid_endpoint: SendGridEndpoint, status: int) -> None:
    sendgrid_endpoint.script(status, body={"errors": [{"message": "internal error"}]})
    with pytest.raises(TransientDeliveryError, match=f"HTTP {status}.*internal error"):
        mailer_for(sendgrid_endpoint).deliver(review_request())


def test_a_refusal_is_permanent_and_names_sendgrids_message(
    sendgrid_endpoint: SendGridEndpoint,
) -> None:
    message = "The from address does not match a verified Sender Identity."
    sendgrid_endpoint.script(400, body={"errors": [{"message": message, "field": "from"}]})
    with pytest.raises(PermanentDeliveryError) as caught:
        mailer_for(sendgrid_endpoint).deliver(review_request())
    text = str(caught.value)
    assert message in text and "field: from" in text and "asel@example.kz" in text
    assert caught.value.status == 400


def test_a_wrong_api_key_is_permanent_and_says_which_setting(
    sendgrid_endpoint: SendGridEndpoint,
) -> None:
    mailer = SendGridMailer(
        "SG.wrong", host=sendgrid_endpoint.url, from_email="n@accord.example.org", from_name="A"
    )
    with pytest.raises(PermanentDeliveryError, match="ACCORD_SENDGRID_API_KEY"):
        mailer.deliver(review_request())


def test_connection_refused_is_transient() -> None:
    mailer = SendGridMailer(
        "SG.x",
        host=f"http://127.0.0.1:{unused_port()}",
        from_email="noreply@accord.example.org",
        from_name="Accord",
        timeout_s=2,
    )
    with pytest.raises(TransientDeliveryError, match="could not reach SendGrid") as raised:
        mailer.deliver(review_request())
    assert raised.value.in_doubt is False  # it never got there: sending again is safe


def test_a_slow_answer_times_out_as_transient(sendgrid_endpoint: SendGridEndpoint) -> None:
    sendgrid_endpoint.script(202, delay_s=1.0)
    with pytest.raises(TransientDeliveryError, match="could not reach SendGrid") as raised:
        mailer_for(sendgrid_endpoint, timeout_s=0.2).deliver(review_request())
    assert raised.value.in_doubt is True  # SendGrid may have accepted it


def test_the_endpoint_rejects_a_body_the_schema_rejects(
    sendgrid_endpoint: SendGridEndpoint,
) -> None:
    """Proof the validator can fail: a broken body sent straight through the client."""
    client = SendGridAPIClient(api_key=sendgrid_endpoint.api_key, host=sendgrid_endpoint.url)
    broken = {
        "personalizations": [{"to": [{"name": "no address"}]}],
        "from": {"email": 5},
        "categories": ["same", "same"],
    }
    with pytest.raises(BadRequestsError) as caught:
        client.send(broken)
    (request,) = sendgrid_endpoint.requests
    assert not request.valid
    fields = {e["field"] for e in request.errors}
    assert {"from.email", "personalizations.0.to.0", "categories"} <= fields
    assert caught.value.to_dict["errors"][0]["field"] in fields


def test_the_schema_catches_what_sendgrid_would_refuse() -> None:
    body = mailer_for_body()
    assert validation_errors(body) == []
    assert validation_errors({**body, "categories": [f"c{i}" for i in range(11)]})
    assert validation_errors({**body, "attachments": [{"content": "", "filename": "x"}]})
    assert validation_errors({**body, "content": list(reversed(body["content"]))})
    assert validation_errors({k: v for k, v in body.items() if k != "from"})


def mailer_for_body() -> dict[str, Any]:
    mailer = SendGridMailer("SG.x", from_email="noreply@accord.example.org", from_name="Accord")
    return mailer.body(review_request())
