"""The .eml mailer: files a mail client can open, written once per key, atomically."""

import os
import threading
from datetime import UTC, datetime
from email.message import EmailMessage
from email.parser import BytesParser
from email.policy import default
from pathlib import Path

import pytest

from accord.mail.delivery import Mailer
from accord.mail.eml_mailer import EmlMailer
from accord.mail.message import Attachment, OutgoingMail, TransientDeliveryError

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
DOCX_BYTES = b"PK\x03\x04" + bytes(range(256)) * 40
NAME = "Әсел Құрманова"
SUBJECT = "Жобаны қарауыңызды сұраймыз: Меморандум о взаимодействии (3-нұсқа, 2-раунд)"


def a_mail(key: str = "round-7/contact-3/review_request", **changes: object) -> OutgoingMail:
    fields: dict[str, object] = {
        "idempotency_key": key,
        "to_email": "asel@example.kz",
        "to_name": NAME,
        "language": "kk",
        "subject": SUBJECT,
        "text": "Құрметті Әсел Құрманова!\n\nСілтеме: https://accord.example.org/r/abc\n",
        "html": "<p>Құрметті Әсел Құрманова!</p>",
        "attachments": (Attachment("Меморандум v3.docx", DOCX, DOCX_BYTES),),
        "categories": ("accord", "review_request"),
        "custom_args": {"message_id": "42", "round": "7"},
        "reply_to": "secretariat@example.kz",
    }
    fields.update(changes)
    return OutgoingMail(**fields)  # type: ignore[arg-type]


def read(path: Path) -> EmailMessage:
    with path.open("rb") as handle:
        message = BytesParser(policy=default).parse(handle)
    assert isinstance(message, EmailMessage)
    return message


def test_the_eml_parses_back_with_everything_in_it(tmp_path: Path) -> None:
    mailer = EmlMailer(tmp_path, from_email="noreply@accord.kz", from_name="Хатшылық")
    result = mailer.deliver(a_mail())
    assert result.accepted and result.provider_id
    message = read(tmp_path / result.provider_id)

    assert message["Subject"] == SUBJECT
    (to,) = message["To"].addresses
    assert (to.display_name, to.addr_spec) == (NAME, "asel@example.kz")
    assert message["From"].addresses[0].display_name == "Хатшылық"
    assert message["Reply-To"] == "secretariat@example.kz"
    assert message["X-Accord-Idempotency-Key"] == "round-7/contact-3/review_request"
    assert message.get_all("X-Accord-Category") == ["accord", "review_request"]
    assert message["X-Accord-Arg-message_id"] == "42"
    assert message["Message-ID"].endswith("@accord.kz>")
    assert message["Date"].datetime.tzinfo is not None

    plain = message.get_body(preferencelist=("plain",))
    html = message.get_body(preferencelist=("html",))
    assert plain is not None and "Құрметті Әсел" in plain.get_content()
    assert html is not None and "<p>Құрметті Әсел" in html.get_content()
    (attachment,) = message.iter_attachments()
    assert attachment.get_filename() == "Меморандум v3.docx"
    assert attachment.get_content_type() == DOCX
    assert attachment["Content-Transfer-Encoding"] == "base64"
    assert attachment.get_content() == DOCX_BYTES


def test_headers_are_ascii_with_cyrillic_encoded(tmp_path: Path) -> None:
    """Names and subjects travel as RFC 2047 words; the bodies are UTF-8."""
    result = EmlMailer(tmp_path).deliver(a_mail())
    assert result.provider_id is not None
    raw = (tmp_path / result.provider_id).read_bytes()
    headers, _, _ = raw.partition(b"\r\n\r\n")
    headers.decode("ascii")
    assert b"Subject: =?utf-8?" in headers and b"To: =?utf-8?" in headers
    raw.decode("utf-8")
    assert b"multipart/mixed" in raw and b"multipart/alternative" in raw


def test_the_same_key_twice_leaves_one_file_and_one_answer(tmp_path: Path) -> None:
    mailer = EmlMailer(tmp_path)
    first = mailer.deliver(a_mail())
    second = mailer.deliver(a_mail(subject="A changed subject"))
    assert second == first
    assert [p.name for p in tmp_path.iterdir()] == [first.provider_id]
    assert read(tmp_path / str(first.provider_id))["Subject"] == SUBJECT


def test_another_key_is_another_file_and_names_sort_by_time(tmp_path: Path) -> None:
    times = iter([datetime(2026, 3, 4, 9, 0, tzinfo=UTC), datetime(2026, 3, 4, 9, 1, tzinfo=UTC)])
    mailer = EmlMailer(tmp_path, clock=lambda: next(times))
    first = mailer.deliver(a_mail("key-b"))
    second = mailer.deliver(a_mail("key-a"))
    assert first.provider_id != second.provider_id
    assert sorted(p.name for p in tmp_path.iterdir()) == [first.provider_id, second.provider_id]
    assert str(first.provider_id).startswith("20260304T090000")


def test_concurrent_deliveries_of_one_key_write_one_file(tmp_path: Path) -> None:
    mailer = EmlMailer(tmp_path)
    results = []
    barrier = threading.Barrier(8)

    def deliver() -> None:
        barrier.wait()
        results.append(mailer.deliver(a_mail()))

    threads = [threading.Thread(target=deliver) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(list(tmp_path.iterdir())) == 1
    assert len({r.provider_id for r in results}) == 1


def test_no_temporary_files_are_left(tmp_path: Path) -> None:
    mailer = EmlMailer(tmp_path / "outbox")
    for i in range(3):
        mailer.deliver(a_mail(f"key-{i}"))
    names = [p.name for p in (tmp_path / "outbox").iterdir()]
    assert len(names) == 3
    assert all(n.endswith(".eml") and not n.startswith(".") for n in names)


def test_a_failed_write_leaves_nothing_and_is_worth_retrying(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def disk_full(src: str, dst: str) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", disk_full)
    with pytest.raises(TransientDeliveryError, match="No space left"):
        EmlMailer(tmp_path).deliver(a_mail())
    assert list(tmp_path.iterdir()) == []


def test_the_outbox_is_a_mailer(tmp_path: Path) -> None:
    mailer: Mailer = EmlMailer(tmp_path)
    assert mailer.deliver(a_mail()).accepted


def test_a_mail_that_would_break_headers_is_refused_up_front() -> None:
    with pytest.raises(ValueError, match="one line"):
        a_mail(subject="Hello\r\nBcc: everyone@example.org")
    with pytest.raises(ValueError, match="at most 10 categories"):
        a_mail(categories=tuple(f"c{i}" for i in range(11)))
    with pytest.raises(ValueError, match="must be a string"):
        a_mail(custom_args={"message_id": 42})
