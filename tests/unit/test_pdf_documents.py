"""Where documents are written, their PDF lands beside them: once, sealed when signed."""

import logging
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import pytest

from accord.adapters.file_store import FileDocumentStore
from accord.adapters.pdf_converter import ConverterUnavailable, find_office
from accord.adapters.pdf_maker import OfficePdfMaker, say_once
from accord.documents.seal_values import SealStamp
from accord.services.documents import ensure_version_document
from accord.services.drafting.rendering import RenderedDocument, store_documents
from accord.services.pdf_documents import keep_pdf_beside, pdf_name, seal_stamp
from accord.settings import Settings
from models import Agreement, AgreementVersion
from tests.factories import make_content

STAMP = SealStamp(agreement="kz-mou", title="Меморандум", number=2, sha256="ab" * 32)


@dataclass
class FakePdfMaker:
    """Stands in for LibreOffice and the seal: marks what it was given, counts the work."""

    available: bool = True
    converted: list[bytes] = field(default_factory=list)
    sealed: list[SealStamp] = field(default_factory=list)

    def convert(self, docx: bytes) -> bytes | None:
        if not self.available:
            return None
        self.converted.append(docx)
        return b"%PDF-1.7 of " + docx

    def seal(self, pdf: bytes, stamp: SealStamp) -> bytes | None:
        self.sealed.append(stamp)
        return pdf + b" sealed as " + stamp.subject.encode()


def test_the_pdf_name_sits_beside_the_docx() -> None:
    assert pdf_name("kz-mou/kz-mou-v2.docx") == "kz-mou/kz-mou-v2.pdf"
    assert pdf_name("kz-mou/kz-mou-v2-signed.docx") == "kz-mou/kz-mou-v2-signed.pdf"


def test_drafted_documents_get_their_pdf_beside_them(tmp_path: Path) -> None:
    maker = FakePdfMaker()
    store = FileDocumentStore(tmp_path, pdfs=maker)
    documents = [
        RenderedDocument("kz-mou/kz-mou-v1.docx", b"DOCX one"),
        RenderedDocument("kg-plan/kg-plan-v4.docx", b"DOCX two"),
    ]

    locations = store_documents(documents, store=store)

    assert locations == [str(tmp_path / d.name) for d in documents]
    assert (tmp_path / "kz-mou/kz-mou-v1.pdf").read_bytes() == b"%PDF-1.7 of DOCX one"
    assert (tmp_path / "kg-plan/kg-plan-v4.pdf").read_bytes() == b"%PDF-1.7 of DOCX two"
    assert maker.sealed == []


def test_a_version_pdf_is_made_once(tmp_path: Path) -> None:
    maker = FakePdfMaker()
    store = FileDocumentStore(tmp_path, pdfs=maker)
    document = RenderedDocument("kz-mou/kz-mou-v1.docx", b"DOCX")

    store_documents([document], store=store)
    store_documents([document], store=store)

    assert maker.converted == [b"DOCX"]


def test_without_an_office_suite_the_docx_is_still_written(tmp_path: Path) -> None:
    store = FileDocumentStore(tmp_path, pdfs=FakePdfMaker(available=False))

    locations = store_documents([RenderedDocument("kz-mou/kz-mou-v1.docx", b"DOCX")], store=store)

    assert Path(locations[0]).read_bytes() == b"DOCX"
    assert sorted(p.name for p in (tmp_path / "kz-mou").iterdir()) == ["kz-mou-v1.docx"]


def test_a_store_that_keeps_no_pdfs_writes_none(tmp_path: Path) -> None:
    store_documents(
        [RenderedDocument("kz-mou/kz-mou-v1.docx", b"DOCX")], store=FileDocumentStore(tmp_path)
    )

    assert not (tmp_path / "kz-mou/kz-mou-v1.pdf").exists()


def test_a_signed_original_is_sealed_every_time_its_docx_is_written(tmp_path: Path) -> None:
    maker = FakePdfMaker()
    store = FileDocumentStore(tmp_path, pdfs=maker)
    name = "kz-mou/kz-mou-v2-signed.docx"

    for text in (b"signed DOCX", b"signed DOCX, certificate page redone"):
        store.write(name, text)
        location = keep_pdf_beside(name, store=store, seal=STAMP)

    assert location == str(tmp_path / "kz-mou/kz-mou-v2-signed.pdf")
    assert Path(location).read_bytes() == (
        b"%PDF-1.7 of signed DOCX, certificate page redone sealed as " + STAMP.subject.encode()
    )
    assert maker.sealed == [STAMP, STAMP]


def test_a_version_document_made_on_demand_gets_its_pdf_too(tmp_path: Path) -> None:
    content = make_content()
    agreement = Agreement(slug="kz-mou", kind="memorandum", country="KZ", languages=["ru", "kk"])
    version = AgreementVersion(
        number=2,
        sha256=content.sha256(),
        source_path="agreements/kz-mou.yaml",
        content=content.model_dump_json(),
        created_at=datetime(2027, 1, 11, tzinfo=UTC),
    )
    maker = FakePdfMaker()
    store = FileDocumentStore(tmp_path, pdfs=maker)

    name = ensure_version_document(agreement, version, store=store)
    ensure_version_document(agreement, version, store=store)

    assert maker.converted == [(tmp_path / name).read_bytes()]
    assert (tmp_path / "kz-mou/kz-mou-v2.pdf").read_bytes().startswith(b"%PDF-1.7 of PK")
    assert seal_stamp(agreement, version, content) == SealStamp(
        agreement="kz-mou",
        title=content.agreement.title["ru"],
        number=2,
        sha256=content.sha256(),
    )


class Said(logging.Handler):
    """What the PDF side told the user, whatever handlers the command line set up."""

    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(record.getMessage())


def test_without_libreoffice_the_docx_is_written_and_the_reason_given_once(
    settings: Settings, tmp_path: Path
) -> None:
    say_once.cache_clear()
    said = Said()
    logging.getLogger("accord.pdf").addHandler(said)
    missing = settings.model_copy(update={"office_program": "no-such-office-suite"})
    store = FileDocumentStore(tmp_path, pdfs=OfficePdfMaker(missing))
    documents = [RenderedDocument(f"kz-mou/kz-mou-v{n}.docx", b"DOCX") for n in (1, 2)]
    try:
        store_documents(documents, store=store)
    finally:
        logging.getLogger("accord.pdf").removeHandler(said)

    assert sorted(p.name for p in (tmp_path / "kz-mou").iterdir()) == [
        "kz-mou-v1.docx",
        "kz-mou-v2.docx",
    ]
    assert said.lines == [
        "PDFs skipped: LibreOffice is not installed (no `no-such-office-suite` on PATH; "
        "Debian: apt-get install libreoffice-writer python3-uno); "
        "documents are written as DOCX only"
    ]


def test_without_the_python_bridge_the_reason_says_what_to_install(settings: Settings) -> None:
    bridgeless = settings.model_copy(
        update={"office_program": "sh", "office_python": Path("/bin/false")}
    )

    with pytest.raises(ConverterUnavailable, match="apt-get install python3-uno"):
        find_office(bridgeless)
