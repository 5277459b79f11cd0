"""`accord draft` writes a PDF/A beside each DOCX, or says once why it cannot."""

import shutil
from pathlib import Path

import pytest

from accord.adapters.pdf_maker import say_once
from accord.settings import Settings, get_settings
from tests.cli_runner import run_cli
from tests.conftest import EXAMPLES

pytestmark = [pytest.mark.prefect, pytest.mark.usefixtures("prefect_harness")]

MOU = "kz-referral-mou"
PLAN = "kg-nrm-action-plan"


@pytest.fixture
def sources(tmp_path: Path) -> Path:
    folder = tmp_path / "agreements"
    shutil.copytree(EXAMPLES, folder)
    return folder


def test_without_libreoffice_draft_writes_docx_and_says_so_once(
    settings: Settings,
    sources: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    say_once.cache_clear()
    monkeypatch.setenv("ACCORD_PDF_DOCUMENTS", "true")
    monkeypatch.setenv("ACCORD_OFFICE_PROGRAM", "no-such-office-suite")
    get_settings.cache_clear()

    result = run_cli(capsys, "draft", str(sources))

    assert result.code == 0, result.err
    for slug in (MOU, PLAN):
        assert (settings.output_dir / slug / f"{slug}-v1.docx").exists()
        assert not (settings.output_dir / slug / f"{slug}-v1.pdf").exists()
    assert result.err.count("PDFs skipped") == 1
    assert "accord: PDFs skipped: LibreOffice is not installed" in result.err


@pytest.mark.libreoffice
def test_draft_writes_a_pdfa_beside_each_docx(
    settings: Settings,
    office: Settings,
    sources: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("ACCORD_PDF_DOCUMENTS", "true")
    monkeypatch.setenv("ACCORD_CONVERTER_PORT", str(office.converter_port))
    monkeypatch.setenv("ACCORD_CONVERTER_UNO_PORT", str(office.converter_uno_port))
    get_settings.cache_clear()

    result = run_cli(capsys, "draft", str(sources))

    assert result.code == 0, result.err
    assert "PDFs skipped" not in result.err
    for slug in (MOU, PLAN):
        pdf = (settings.output_dir / slug / f"{slug}-v1.pdf").read_bytes()
        assert pdf.startswith(b"%PDF-")
        assert b"pdfaid:part" in pdf
