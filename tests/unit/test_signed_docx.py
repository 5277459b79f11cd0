"""The signed agreement DOCX, read back with docx2python, python-docx and the zip itself."""

import zipfile
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta, timezone
from io import BytesIO
from typing import Any

import pytest
from docx import Document
from docx.enum.section import WD_ORIENT
from docx2python import docx2python

from accord.documents.agreement_docx import render_agreement
from accord.documents.labels import labels_for
from accord.documents.signed_docx import (
    AGENT_LENGTH,
    COLUMNS,
    SignatureEvidence,
    render_signed_agreement,
    shorten,
)
from accord.source.spec import VersionContent
from tests.factories import make_agreement, make_content, make_plan

SHA = "0123456789abcdef" * 4
OTHER_SHA = "fedcba9876543210" * 4
CREATED = datetime(2025, 11, 24, 9, 30, tzinfo=UTC)
EFFECTIVE = date(2026, 1, 1)
AGENT = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0"
)
MIA = SignatureEvidence(
    org_id="kz-mia",
    signer_name="Ержан Сейтқали",
    signer_title="Заместитель министра внутренних дел",
    contact_email="e.seitkali@mvd.gov.kz",
    signed_at=datetime(2025, 12, 1, 9, 30, 15, tzinfo=UTC),
    ip_address="203.0.113.42",
    user_agent=AGENT,
    version_sha256=SHA,
)
SAFE_HOME = SignatureEvidence(
    org_id="ngo-safe-home",
    signer_name="Айгерим Нурланова",
    signer_title="Председатель правления",
    contact_email="a.nurlanova@safehome.kz",
    signed_at=datetime(2025, 12, 2, 14, 5, tzinfo=UTC),
    ip_address="2001:db8::7334",
    user_agent="curl/8.5.0",
    version_sha256=SHA,
)
SIGNATURES = (MIA, SAFE_HOME)
SIGNATURES_HEADING = "Подписи сторон / Тараптардың қолдары"
CERTIFICATE = "Сертификат электронного подписания"


def render(
    content: VersionContent | None = None,
    signatures: tuple[SignatureEvidence, ...] = SIGNATURES,
) -> bytes:
    return render_signed_agreement(
        content or make_content(),
        number=3,
        sha256=SHA,
        created_at=CREATED,
        signatures=signatures,
        effective_date=EFFECTIVE,
    )


def text_of(data: bytes) -> str:
    with docx2python(BytesIO(data)) as read:
        return str(read.text)


def signature_area(data: bytes) -> str:
    text = text_of(data)
    return text[text.index(SIGNATURES_HEADING) : text.index(CERTIFICATE)]


def certificate_table(data: bytes) -> Any:
    return Document(BytesIO(data)).tables[-1]


def row_texts(table: Any, index: int) -> list[str]:
    return [cell.text for cell in table.rows[index].cells]


# --- the same document, signed -----------------------------------------------------------


def part(data: bytes, name: str) -> str:
    with zipfile.ZipFile(BytesIO(data)) as package:
        return package.read(name).decode()


def body_text(data: bytes) -> str:
    with docx2python(BytesIO(data)) as read:
        return "\n".join(
            "".join(run.text for run in par.runs)
            for table in read.body_pars
            for row in table
            for cell in row
            for par in cell
        )


def test_body_is_the_agreement_document_up_to_the_signatures() -> None:
    content = make_plan()
    plain = body_text(render_agreement(content, number=3, sha256=SHA, created_at=CREATED))
    signed = body_text(render(content))

    cut = plain.index(SIGNATURES_HEADING)
    assert cut > 0
    assert signed[:cut] == plain[:cut]


def test_the_original_has_no_draft_mark_and_the_draft_has_one() -> None:
    content = make_plan()
    draft = render_agreement(content, number=3, sha256=SHA, created_at=CREATED)
    original = render(content)

    for data, marked in ((draft, True), (original, False)):
        with docx2python(BytesIO(data)) as read:
            header = str(read.header)
        assert ("ПРОЕКТ / ЖОБА" in header) is marked
        assert ("AccordDraftMark" in part(data, "word/header1.xml")) is marked


def test_rendering_is_deterministic() -> None:
    assert render() == render()


@pytest.mark.parametrize("content", [make_content(), make_plan()], ids=["mou", "plan"])
def test_certificate_is_a_portrait_page_of_its_own_at_the_end(content: VersionContent) -> None:
    document = Document(BytesIO(render(content)))
    texts = [p.text for p in document.paragraphs]
    title = texts.index(CERTIFICATE)

    assert texts.count(CERTIFICATE) == 1
    assert document.paragraphs[title].paragraph_format.page_break_before
    assert title > max(i for i, text in enumerate(texts) if text.startswith("Дата / Күні:"))
    assert document.sections[-1].orientation == WD_ORIENT.PORTRAIT


# --- signature blocks ---------------------------------------------------------------------


def test_each_signer_name_and_title_fill_their_signature_block() -> None:
    area = signature_area(render())

    for evidence in SIGNATURES:
        assert f"ФИО / Аты-жөні: {evidence.signer_name}" in area
        assert f"Должность / Лауазымы: {evidence.signer_title}" in area
    assert "Дата / Күні: 01.12.2025" in area
    assert "Дата / Күні: 02.12.2025" in area
    assert "Представительство МОМ" not in area


def test_the_signature_line_says_signed_electronically_in_utc() -> None:
    almaty = timezone(timedelta(hours=5))
    evening = replace(MIA, signed_at=datetime(2025, 12, 2, 1, 15, tzinfo=almaty))
    area = signature_area(render(signatures=(evening,)))

    assert (
        "Подпись / Қолы: подписано электронно 01.12.2025 20:15 UTC"
        " / 01.12.2025 20:15 UTC электрондық түрде қол қойылды"
    ) in area
    assert "Дата / Күні: 01.12.2025" in area


def test_a_party_that_has_not_signed_keeps_lines_to_fill_in() -> None:
    area = signature_area(render(signatures=(MIA,)))
    safe_home = area[area.index("ОО «Безопасный дом»") :]

    assert "ФИО / Аты-жөні:" in safe_home
    assert MIA.signer_name not in safe_home
    assert "подписано электронно" not in safe_home


def test_a_signature_on_another_version_does_not_fill_a_block() -> None:
    area = signature_area(render(signatures=(replace(MIA, version_sha256=OTHER_SHA),)))

    assert MIA.signer_name not in area
    assert "подписано электронно" not in area


def test_the_latest_signature_on_this_version_fills_the_block() -> None:
    earlier = replace(MIA, signer_name="Earlier", signed_at=datetime(2025, 11, 30, tzinfo=UTC))
    other = replace(MIA, signer_name="Other version", version_sha256=OTHER_SHA)
    area = signature_area(render(signatures=(MIA, earlier, other)))

    assert MIA.signer_name in area
    assert "Earlier" not in area
    assert "Other version" not in area


# --- certificate ------------------------------------------------------------------------


def test_certificate_states_the_full_hash_in_monospace_and_the_effective_date() -> None:
    data = render()
    document = Document(BytesIO(data))
    text = text_of(data)
    certificate = text[text.index(CERTIFICATE) :]
    styles = [p.style for p in document.paragraphs if p.text == SHA]

    assert "именно эту версию настоящего документа (версия 3)" in certificate
    assert "осы құжаттың дәл осы нұсқасына (3-нұсқа)" in certificate
    assert len(styles) == 1
    assert styles[0] is not None
    assert styles[0].font.name == "Courier New"
    assert "Дата вступления в силу / Күшіне ену күні: 01.01.2026" in certificate


def test_every_signature_has_an_evidence_row() -> None:
    table = certificate_table(render())

    assert len(table.rows) == 1 + len(SIGNATURES)
    assert row_texts(table, 1) == [
        "Министерство внутренних дел Республики Казахстан\n"
        "Қазақстан Республикасы Ішкі істер министрлігі",
        f"{MIA.signer_name}\n{MIA.signer_title}",
        MIA.contact_email,
        "2025-12-01T09:30:15Z",
        MIA.ip_address,
        shorten(AGENT, AGENT_LENGTH),
        f"{SHA[:12]} ✓",
    ]
    assert row_texts(table, 2)[:5] == [
        "ОО «Безопасный дом»\n«Қауіпсіз үй» ҚБ",
        f"{SAFE_HOME.signer_name}\n{SAFE_HOME.signer_title}",
        SAFE_HOME.contact_email,
        "2025-12-02T14:05:00Z",
        SAFE_HOME.ip_address,
    ]
    assert row_texts(table, 2)[5:] == ["curl/8.5.0", f"{SHA[:12]} ✓"]
    assert "w:tblHeader" in table.rows[0]._tr.xml


def test_evidence_rows_follow_the_party_order_then_time() -> None:
    later = replace(MIA, signer_name="Second signer", signed_at=datetime(2025, 12, 3, tzinfo=UTC))
    table = certificate_table(render(signatures=(SAFE_HOME, later, MIA)))
    signers = [row_texts(table, i)[1].split("\n")[0] for i in range(1, 4)]

    assert signers == [MIA.signer_name, "Second signer", SAFE_HOME.signer_name]


def test_a_mismatching_version_hash_is_flagged() -> None:
    data = render(signatures=(MIA, replace(SAFE_HOME, version_sha256=OTHER_SHA)))
    table = certificate_table(data)

    assert row_texts(table, 1)[-1] == f"{SHA[:12]} ✓"
    assert row_texts(table, 2)[-1] == f"{OTHER_SHA[:12]} ≠\nдругая версия\nбасқа нұсқа"
    assert 'w:fill="F4CCCC"' in table.rows[2].cells[-1]._tc.xml
    assert "w:fill" not in table.rows[1].cells[-1]._tc.xml
    assert "≠ — подпись относится к другой версии" in text_of(data)


def test_a_long_user_agent_is_shortened_with_an_ellipsis() -> None:
    printed = row_texts(certificate_table(render()), 1)[5]

    assert len(printed) == AGENT_LENGTH
    assert printed.endswith("…")
    assert AGENT.startswith(printed[:-1].rstrip())


def test_shorten_keeps_short_text_on_one_line() -> None:
    assert shorten("curl/8.5.0\n  extra", 80) == "curl/8.5.0 extra"
    assert shorten("abcdef", 4) == "abc…"


def test_a_naive_signing_time_is_taken_as_utc() -> None:
    naive = replace(MIA, signed_at=datetime(2025, 12, 1, 9, 30, 15))

    assert row_texts(certificate_table(render(signatures=(naive,))), 1)[3] == "2025-12-01T09:30:15Z"


def test_no_signatures_says_so_instead_of_an_empty_table() -> None:
    data = render(signatures=())

    assert row_texts(certificate_table(data), 1)[0].startswith("Подписи не зарегистрированы.")
    assert "подписано электронно" not in signature_area(data)


def test_hostile_evidence_cannot_break_the_document() -> None:
    hostile = replace(MIA, signer_name="<b>&\x00</b>", user_agent="]]>\x07<script>")
    table = certificate_table(render(signatures=(hostile,)))

    assert row_texts(table, 1)[1].startswith("<b>&</b>")
    assert row_texts(table, 1)[5] == "]]><script>"


# --- languages ----------------------------------------------------------------------------


def test_certificate_labels_in_every_document_language() -> None:
    content = make_content(make_agreement(languages=("ru", "kk", "en")))
    data = render(content)
    text = text_of(data)
    head = row_texts(certificate_table(data), 0)

    for language in ("ru", "kk", "en"):
        labels = labels_for(language)
        assert labels["certificate_title"] in text
        assert labels["certificate_statement"].format(number=3) in text
        assert labels["hash_legend"] in text
        for column, key in enumerate(COLUMNS):
            assert labels[key] in head[column].split("\n")
    assert "Signed at (UTC)" in head[3]
    assert "signed electronically on 01.12.2025 09:30 UTC" in signature_area(data)


def test_an_english_document_speaks_english_first() -> None:
    content = make_content(make_agreement(languages=("en",)))
    data = render(content)
    document = Document(BytesIO(data))

    assert "Certificate of electronic signature" in text_of(data)
    assert "Effective date: 01.01.2026" in text_of(data)
    assert row_texts(certificate_table(data), 0)[-1] == "Version hash"
    assert "v3 · 0123456789ab · signed" in document.sections[0].footer.paragraphs[0].text


# --- footers and properties ---------------------------------------------------------------


def test_every_footer_carries_version_hash_and_signed_marker() -> None:
    data = render(make_plan())
    sections = Document(BytesIO(data)).sections

    assert len(sections) == 3
    for section in sections:
        assert "v3 · 0123456789ab · подписано" in section.footer.paragraphs[0].text
        assert " NUMPAGES " in section.footer._element.xml


def test_core_properties_mark_the_document_signed_and_effective() -> None:
    props = Document(BytesIO(render(make_plan()))).core_properties

    assert props.keywords == "kz-jap-2027; signed"
    assert SHA in props.comments
    assert "effective:2026-01-01" in props.comments
    assert props.identifier == SHA
    assert props.revision == 3


def test_the_unsigned_document_is_unchanged() -> None:
    data = render_agreement(make_content(), number=3, sha256=SHA, created_at=CREATED)
    with zipfile.ZipFile(BytesIO(data)) as package:
        footer = package.read("word/footer1.xml").decode()

    assert "подписано" not in text_of(data)
    assert "подписано" not in footer
    assert Document(BytesIO(data)).core_properties.keywords == "kz-referral-mou"
