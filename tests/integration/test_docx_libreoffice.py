"""A real office suite lays the agreement out: pages, fields and Kazakh letters come through."""

import shutil
import subprocess
from datetime import UTC, datetime
from pathlib import Path

import pytest

from accord.documents.agreement_docx import render_agreement
from accord.source.spec import VersionContent
from tests.factories import make_clause, make_plan

KAZAKH_WORD = "Тараптардың"
TAJIK_TURKMEN = "ҷаҳонӣ Türkmenistanyň"
LETTERS = "Әә Ғғ Ққ Ңң Өө Ұұ Үү Һһ Іі Ҷҷ Ҳҳ Ӣӣ Ӯӯ Ňň Žž Ýý Şş Ää Öö Üü Çç oʻ gʻ"
TIMEOUT = 120


def office() -> str:
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if found is None:
        pytest.skip("LibreOffice not installed: neither soffice nor libreoffice is on PATH")
    return found


def plan_with_regional_letters() -> VersionContent:
    content = make_plan(commitments=60, objectives=3)
    clause = make_clause(
        "letters",
        title={"ru": "Языки", "kk": "Тілдер"},
        text={"ru": f"{TAJIK_TURKMEN} {LETTERS}", "kk": f"{KAZAKH_WORD} ынтымақтастығы"},
    )
    agreement = content.agreement.model_copy(
        update={"clauses": (*content.agreement.clauses, clause)}
    )
    return content.model_copy(update={"agreement": agreement})


def to_pdf(binary: str, docx: Path, workdir: Path) -> Path:
    profile = (workdir / "profile").as_uri()
    subprocess.run(
        [
            binary,
            f"-env:UserInstallation={profile}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(workdir),
            str(docx),
        ],
        check=True,
        capture_output=True,
        timeout=TIMEOUT,
    )
    return workdir / f"{docx.stem}.pdf"


def pdf_text(pdf: Path) -> str:
    if shutil.which("pdftotext") is None:
        pytest.skip("poppler-utils not installed: pdftotext is not on PATH")
    return subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"],
        check=True,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
    ).stdout


@pytest.mark.libreoffice
def test_libreoffice_lays_out_the_plan_with_kazakh_text(tmp_path: Path) -> None:
    binary = office()
    docx = tmp_path / "plan.docx"
    docx.write_bytes(
        render_agreement(
            plan_with_regional_letters(),
            number=2,
            sha256="ab" * 32,
            created_at=datetime(2025, 11, 24, tzinfo=UTC),
        )
    )

    pdf = to_pdf(binary, docx, tmp_path)
    text = pdf_text(pdf)
    pages = text.count("\f")

    assert pdf.exists()
    assert pages >= 2
    assert KAZAKH_WORD in text
    assert TAJIK_TURKMEN in text
    assert [letter for letter in LETTERS.split() if letter not in text] == []
    assert f"Страница {pages} из {pages}" in text, "PAGE / NUMPAGES fields were not computed"
    assert "v2 · abababababab" in text
