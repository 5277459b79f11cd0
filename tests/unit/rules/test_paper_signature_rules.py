"""A signature on paper: who, when, where, and a scan that is what its name says."""

from datetime import UTC, date, datetime

import pytest

from accord.errors import Refusal
from accord.services.signing import rules, scan_content
from accord.services.signing.rules import PaperSigning
from tests.scans import scan_pdf, tiny_jpeg, tiny_png

OPENED = date(2027, 3, 1)
TODAY = date(2027, 3, 10)


def given(**changes: object) -> PaperSigning:
    values: dict[str, object] = {
        "name": "Aigerim Zhaksylykova",
        "title": "Chair",
        "signed_on": date(2027, 3, 5),
        "place": "Astana, Akorda",
    }
    values.update(changes)
    return PaperSigning(**values)  # type: ignore[arg-type]


def refused(**changes: object) -> Refusal:
    with pytest.raises(Refusal) as caught:
        rules.paper_signing(given(**changes), opened_on=OPENED, today=TODAY)
    return caught.value


def test_a_complete_record_is_kept_trimmed() -> None:
    kept = rules.paper_signing(given(place="  Astana  "), opened_on=OPENED, today=TODAY)
    assert kept.place == "Astana" and kept.signed_on == date(2027, 3, 5)


@pytest.mark.parametrize(
    ("changes", "code", "field"),
    [
        ({"name": " "}, "signing.paper_signer", "name"),
        ({"title": ""}, "signing.paper_signer", "title"),
        ({"place": ""}, "signing.paper_place", "place"),
        ({"place": "Astana\nAkorda"}, "signing.paper_not_one_line", "place"),
        ({"place": "A" * 201}, "signing.text_too_long", "place"),
        ({"signed_on": None}, "signing.paper_date", "signed_on"),
        ({"signed_on": date(2027, 3, 11)}, "signing.paper_date_range", "signed_on"),
        ({"signed_on": date(2027, 2, 28)}, "signing.paper_date_range", "signed_on"),
    ],
)
def test_what_is_missing_or_wrong_is_refused_at_its_field(
    changes: dict[str, object], code: str, field: str
) -> None:
    refusal = refused(**changes)
    assert (refusal.code, refusal.field) == (code, field)


def test_the_first_and_last_days_are_allowed() -> None:
    for day in (OPENED, TODAY):
        rules.paper_signing(given(signed_on=day), opened_on=OPENED, today=TODAY)


@pytest.mark.parametrize(
    ("name", "data", "suffix"),
    [
        ("page.pdf", scan_pdf(), ".pdf"),
        ("page.PNG", tiny_png(), ".png"),
        ("page.jpeg", tiny_jpeg(), ".jpg"),
    ],
)
def test_real_scans_pass(name: str, data: bytes, suffix: str) -> None:
    assert rules.scan_file(name, data) == (name, suffix)


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("page.pdf", b"%PDF-1.7\nnot really"),
        ("page.png", tiny_png()[:-4] + b"\x00\x00\x00\x00"),  # IEND's checksum broken
        ("page.png", scan_pdf()),
        ("page.jpg", b"\xff\xd8\xff\xe0\x00\x10JFIF"),  # cut off before its image
        ("page.docx", scan_pdf()),
        ("page.exe", b"MZ\x90\x00"),
    ],
)
def test_renamed_or_broken_files_are_refused(name: str, data: bytes) -> None:
    with pytest.raises(Refusal) as caught:
        rules.scan_file(name, data)
    assert (caught.value.code, caught.value.field) == ("signing.scan_content", "scan")


def test_an_empty_or_oversized_scan_is_refused() -> None:
    with pytest.raises(Refusal) as empty:
        rules.scan_file("page.pdf", b"")
    assert empty.value.code == "signing.scan_missing"
    with pytest.raises(Refusal) as large:
        rules.scan_file("page.pdf", b"%PDF-" + b"0" * rules.SCAN_LIMIT)
    assert large.value.code == "signing.scan_too_large"


def test_the_content_check_knows_only_its_types() -> None:
    assert not scan_content.matches(".gif", b"GIF89a")
    assert scan_content.matches(".png", tiny_png())


def test_in_force_from_the_day_of_the_last_signature() -> None:
    online = datetime(2027, 3, 8, 15, 0, tzinfo=UTC)
    assert rules.last_signature_day([(online, None)], today=TODAY) == date(2027, 3, 8)
    on_paper = (datetime(2027, 3, 10, 9, 0, tzinfo=UTC), date(2027, 3, 9))
    assert rules.last_signature_day([(online, None), on_paper], today=TODAY) == date(2027, 3, 9)
    early_paper = (datetime(2027, 3, 10, 9, 0, tzinfo=UTC), date(2027, 3, 2))
    assert rules.last_signature_day([(online, None), early_paper], today=TODAY) == date(2027, 3, 8)
