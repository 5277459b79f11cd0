"""PDF/A through the long-lived converter, the sealed signed original, and `accord verify`."""

import re
import shutil
import subprocess
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from io import BytesIO
from pathlib import Path

import pytest
from pyhanko.pdf_utils.reader import PdfFileReader

from accord.adapters import office_profile, pdf_converter
from accord.adapters.file_store import FileDocumentStore
from accord.adapters.pdf_maker import OfficePdfMaker
from accord.db import make_engine
from accord.documents.agreement_docx import render_agreement
from accord.settings import Settings, get_settings
from tests.cli_runner import run_cli
from tests.conftest import free_ports, processes_using
from tests.integration.test_docx_libreoffice import (
    KAZAKH_WORD,
    pdf_text,
    plan_with_regional_letters,
)
from tests.review_world import MOU, World, bring_into_force, make_world

pytestmark = pytest.mark.libreoffice

DAY = datetime(2027, 1, 11, 9, 0, tzinfo=UTC)


def xmp(pdf: bytes) -> str:
    """The document's XMP metadata packet, as the newest revision has it."""
    reader = PdfFileReader(BytesIO(pdf), strict=False)
    return str(reader.root["/Metadata"].get_object().data.decode("utf-8"))


def pdfa_identification(pdf: bytes) -> tuple[str, str]:
    """(part, conformance) from the pdfaid schema, written as elements or as attributes."""
    packet = xmp(pdf)
    found = {}
    for key in ("part", "conformance"):
        match = re.search(rf'pdfaid:{key}(?:>|=")([^<"]+)', packet)
        assert match, f"no pdfaid:{key} in the XMP metadata"
        found[key] = match.group(1)
    return found["part"], found["conformance"]


@pytest.fixture
def on_office(
    settings: Settings, office: Settings, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Settings]:
    """This test's settings (own data and output), using the session's converter."""
    monkeypatch.setenv("ACCORD_PDF_DOCUMENTS", "true")
    monkeypatch.setenv("ACCORD_CONVERTER_PORT", str(office.converter_port))
    monkeypatch.setenv("ACCORD_CONVERTER_UNO_PORT", str(office.converter_uno_port))
    get_settings.cache_clear()
    yield get_settings()
    get_settings.cache_clear()


def test_a_docx_becomes_pdfa_2b_with_its_text(office: Settings) -> None:
    docx = render_agreement(
        plan_with_regional_letters(),
        number=2,
        sha256="ab" * 32,
        created_at=DAY,
    )

    pdf = pdf_converter.convert(office, docx)

    assert pdf.startswith(b"%PDF-")
    assert pdfa_identification(pdf) == ("2", "B")
    scratch = office.data_dir / "plan.pdf"
    scratch.write_bytes(pdf)
    assert KAZAKH_WORD in pdf_text(scratch)


def test_the_converter_starts_on_a_profile_naming_each_document_language(
    office: Settings,
) -> None:
    """Its forbidden line-break characters for every language (office_profile says why)."""
    profile = pdf_converter.Converter.of(office).profile_dir / office_profile.SETTINGS

    text = profile.read_text(encoding="utf-8")

    assert all(office_profile.has_entry(text, lang) for lang in office_profile.document_languages())
    assert pdf_converter.answers(pdf_converter.Converter.of(office))


def test_later_commands_find_the_running_converter(office: Settings) -> None:
    pdf_converter.ensure_running(office)  # it may have stopped itself in a long session
    pid = pdf_converter.running_pid(office)

    again = pdf_converter.ensure_running(office)

    assert pid is not None
    assert again.port == office.converter_port
    assert pdf_converter.running_pid(office) == pid


def assert_poppler_accepts(pdf: Path) -> None:
    """A second, independent reader: poppler's pdfsig sees a valid PAdES seal over it all."""
    if shutil.which("pdfsig") is None:
        return  # poppler-utils is optional; accord verify is checked below in any case
    report = subprocess.run(
        ["pdfsig", str(pdf)], capture_output=True, text=True, timeout=60, check=False
    ).stdout
    assert "Signature Type: ETSI.CAdES.detached" in report
    assert "Total document signed" in report
    assert "Signature Validation: Signature is Valid." in report


@pytest.fixture
def world(tmp_path: Path, sqlite_template: Path) -> World:
    """The example agreements drafted into a SQLite file of this test's own."""
    database = tmp_path / "accord.db"
    shutil.copy(sqlite_template, database)
    return make_world(tmp_path, make_engine(f"sqlite:///{database}"))


def test_the_signed_original_is_sealed_and_verify_checks_it(
    on_office: Settings, world: World, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    world.store = FileDocumentStore(tmp_path / "output", pdfs=OfficePdfMaker(on_office))

    bring_into_force(world, DAY)

    folder = tmp_path / "output" / MOU
    signed = folder / f"{MOU}-v1-signed.pdf"
    assert (folder / f"{MOU}-v1.pdf").exists(), "the version's PDF beside its DOCX"
    assert signed.exists(), "the signed original's PDF beside its DOCX"
    data = signed.read_bytes()
    assert pdfa_identification(data) == ("2", "B")
    reader = PdfFileReader(BytesIO(data), strict=False)
    subject = str(reader.trailer_view["/Info"]["/Subject"])
    assert subject.startswith(f"{MOU}, version 1, sha256 ")
    assert subject in xmp(data), "info dictionary and XMP must agree (PDF/A)"

    assert_poppler_accepts(signed)

    intact = run_cli(capsys, "verify", str(signed))
    assert intact.code == 0, intact.out + intact.err
    assert re.search(rf"intact: sealed by .+; {MOU} version 1, sha256 [0-9a-f]{{64}}$", intact.out)

    changed = bytearray(data)
    changed[len(changed) // 3] ^= 0x01
    tampered = tmp_path / "tampered.pdf"
    tampered.write_bytes(bytes(changed))
    altered = run_cli(capsys, "verify", str(tampered))
    assert altered.code == 1
    assert altered.out.startswith(f"{tampered}: altered: ")


def test_an_unused_converter_stops_itself_and_leaves_nothing(tmp_path: Path) -> None:
    port, uno_port = free_ports(2)
    settings = Settings(
        data_dir=tmp_path / "data",
        pdf_documents=True,
        converter_port=port,
        converter_uno_port=uno_port,
        converter_idle_minutes=0.25,
    )
    profile = str(pdf_converter.Converter.of(settings).profile_dir.resolve())
    try:
        pdf_converter.ensure_running(settings)
        assert processes_using(profile), "LibreOffice runs with the converter's own profile"
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline and processes_using(profile):
            time.sleep(1)
        assert processes_using(profile) == []
        assert not pdf_converter.answers(pdf_converter.Converter.of(settings))
    finally:
        pdf_converter.stop(settings)
