"""Evidence files are read past their first bytes: a zip bomb or a broken PDF is refused."""

import zipfile
from io import BytesIO

import pytest
from openpyxl import Workbook

from accord.errors import Refusal
from accord.services.commitments import rules
from accord.services.commitments.evidence_content import UNPACKED_LIMIT
from tests.factories import minimal_docx, minimal_pdf


def _zip(members: dict[str, bytes]) -> bytes:
    out = BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as package:
        for name, data in members.items():
            package.writestr(name, data)
    return out.getvalue()


def _xlsx() -> bytes:
    book = Workbook()
    book.active["A1"] = "Показатель"
    out = BytesIO()
    book.save(out)
    return out.getvalue()


def _refused(name: str, data: bytes) -> str:
    with pytest.raises(Refusal) as refused:
        rules.evidence_file(name, data)
    return refused.value.code


def test_real_documents_are_accepted() -> None:
    assert rules.evidence_file("протокол.docx", minimal_docx()) == ("протокол.docx", ".docx")
    assert rules.evidence_file("таблица.xlsx", _xlsx()) == ("таблица.xlsx", ".xlsx")
    assert rules.evidence_file("отчёт.pdf", minimal_pdf()) == ("отчёт.pdf", ".pdf")


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("a.docx", _zip({"readme.txt": b"not a document"})),
        ("a.docx", _zip({"[Content_Types].xml": b"<Types/>"})),  # no word/document.xml
        ("a.xlsx", minimal_docx()),  # a Word file renamed
        ("a.docx", b"PK\x03\x04" + b"\x00" * 100),  # the signature and nothing after
        ("a.pdf", b"%PDF-1.7 and nothing a reader can use"),
        ("a.pdf", minimal_pdf()[:-60]),  # cut short: no cross-reference table
    ],
)
def test_a_file_that_only_begins_like_its_type_is_refused(name: str, data: bytes) -> None:
    assert _refused(name, data) == "commitments.evidence_content"


def test_a_zip_bomb_named_docx_is_refused_without_unpacking_it() -> None:
    bomb = _zip(
        {
            "[Content_Types].xml": b"<Types/>",
            "word/document.xml": b"<w:document/>",
            "word/media/zeros.bin": bytes(UNPACKED_LIMIT + 1),
        }
    )
    assert len(bomb) < rules.EVIDENCE_LIMIT  # small to upload, huge to open
    assert _refused("bomb.docx", bomb) == "commitments.evidence_content"
