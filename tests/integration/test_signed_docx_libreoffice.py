"""LibreOffice lays out the signed agreement: the certificate page comes last, whole and legible."""

from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from accord.documents.signed_docx import SignatureEvidence, render_signed_agreement
from tests.factories import make_plan
from tests.integration.test_docx_libreoffice import office, pdf_text, to_pdf

SHA = "0123456789abcdef" * 4


@pytest.mark.libreoffice
def test_libreoffice_prints_the_certificate_on_the_last_page(tmp_path: Path) -> None:
    binary = office()
    evidence = SignatureEvidence(
        org_id="kz-mia",
        signer_name="Ержан Сейтқали",
        signer_title="Заместитель министра",
        contact_email="e.seitkali@mvd.gov.kz",
        signed_at=datetime(2025, 12, 1, 9, 30, 15, tzinfo=UTC),
        ip_address="203.0.113.42",
        user_agent="Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0",
        version_sha256=SHA,
    )
    docx = tmp_path / "signed.docx"
    docx.write_bytes(
        render_signed_agreement(
            make_plan(),
            number=2,
            sha256=SHA,
            created_at=datetime(2025, 11, 24, tzinfo=UTC),
            signatures=[evidence],
            effective_date=date(2026, 1, 1),
        )
    )

    pages = [page for page in pdf_text(to_pdf(binary, docx, tmp_path)).split("\f") if page.strip()]
    last = pages[-1]

    assert "Сертификат электронного подписания" in last
    assert SHA in last, "the full hash must fit on one line"
    assert "2025-12-01T09:30:15Z" in last, "the timestamp must fit on one line"
    assert "Ержан Сейтқали" in last
    assert "v2 · 0123456789ab · подписано" in last
    assert not any("Сертификат" in page for page in pages[:-1])
