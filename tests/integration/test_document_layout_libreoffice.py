"""LibreOffice lays out the documents a ministry issues: the MOU with its plan annex, a plan,
and the signed original. Pages hold real text, signatures follow the final provisions, and
only drafts say DRAFT."""

import subprocess
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from accord.documents.agreement_docx import render_agreement
from accord.documents.signed_docx import SignatureEvidence, render_signed_agreement
from accord.source.clause_library import ClauseLibrary
from accord.source.loader import load_sources
from accord.source.spec import VersionContent, version_content
from tests.integration.test_docx_libreoffice import TIMEOUT, office, pdf_text

ROOT = Path(__file__).resolve().parents[2]
SHA = "0123456789abcdef" * 4
CREATED = datetime(2026, 11, 24, tzinfo=UTC)
SIGNED_AT = datetime(2027, 3, 1, 10, 0, tzinfo=UTC)
DRAFT_MARKS = ("ПРОЕКТ", "ЖОБА", "DRAFT")
FOOTER_WORD = "Страница"
SIGNATURES = "Подписи сторон"
MIN_LINES = 3
"""Fewer lines of body text than this on a page (other than the last) is an orphaned scrap."""


def examples() -> dict[str, VersionContent]:
    library = ClauseLibrary.from_directory(ROOT / "templates" / "clauses")
    files = [
        ROOT / "agreements" / name
        for name in ("organizations.yaml", "kz-referral-mou.yaml", "kg-nrm-action-plan.yaml")
    ]
    loaded = load_sources(files, clause_library=library)
    return {spec.id: version_content(spec, loaded.organizations) for _, spec in loaded.agreements}


def evidence(content: VersionContent) -> list[SignatureEvidence]:
    """Every signatory signed this version."""
    return [
        SignatureEvidence(
            org_id=org_id,
            signer_name=f"Signer {index}",
            signer_title="Director",
            contact_email=f"signer{index}@example.kz",
            signed_at=SIGNED_AT,
            ip_address="192.0.2.10",
            user_agent="Mozilla/5.0 (test)",
            version_sha256=SHA,
        )
        for index, org_id in enumerate(content.agreement.signatories(), start=1)
    ]


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[str]]:
    """Each document's pages as pdftotext lays them out, from one LibreOffice run."""
    binary = office()
    workdir = tmp_path_factory.mktemp("layout")
    found = examples()
    mou, plan = found["kz-referral-mou"], found["kg-nrm-action-plan"]
    documents = {
        "mou": render_agreement(mou, number=2, sha256=SHA, created_at=CREATED),
        "plan": render_agreement(plan, number=1, sha256=SHA, created_at=CREATED),
        "original": render_signed_agreement(
            mou,
            number=2,
            sha256=SHA,
            created_at=CREATED,
            signatures=evidence(mou),
            effective_date=date(2027, 3, 1),
        ),
    }
    paths = []
    for name, data in documents.items():
        paths.append(workdir / f"{name}.docx")
        paths[-1].write_bytes(data)
    subprocess.run(
        [
            binary,
            f"-env:UserInstallation={(workdir / 'profile').as_uri()}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(workdir),
            *map(str, paths),
        ],
        check=True,
        capture_output=True,
        timeout=TIMEOUT,
    )
    return {name: pdf_text(workdir / f"{name}.pdf").split("\f")[:-1] for name in documents}


def body_lines(page: str) -> list[str]:
    """The page's lines of text without the header (draft mark) and the footer (page X of Y)."""
    return [
        line
        for line in page.splitlines()
        if line.strip() and FOOTER_WORD not in line and not any(m in line for m in DRAFT_MARKS)
    ]


def page_of(pages: list[str], text: str) -> int:
    found = [index for index, page in enumerate(pages) if text in page]
    assert found, f"{text!r} is on no page"
    return found[0]


@pytest.mark.libreoffice
@pytest.mark.parametrize("name", ["mou", "plan", "original"])
def test_no_page_but_the_last_holds_fewer_than_three_lines(
    pages: dict[str, list[str]], name: str
) -> None:
    scraps = [
        (number, body_lines(page))
        for number, page in enumerate(pages[name][:-1], start=1)
        if len(body_lines(page)) < MIN_LINES
    ]

    assert len(pages[name]) > 2
    assert scraps == []


@pytest.mark.libreoffice
@pytest.mark.parametrize(("name", "signer"), [("mou", "Ерлан Касымов"), ("original", "Signer 1")])
def test_signature_blocks_follow_the_final_provisions(
    pages: dict[str, list[str]], name: str, signer: str
) -> None:
    closing = page_of(pages[name], "барлық мәтіндердің күші бірдей")
    signatures = page_of(pages[name], SIGNATURES)
    annex = page_of(pages[name], "Приложение 1 к Меморандуму о взаимопонимании")

    assert signatures - closing in (0, 1)
    assert annex > signatures
    assert page_of(pages[name], signer) in (signatures, signatures + 1)


@pytest.mark.libreoffice
def test_drafts_carry_the_draft_mark_on_every_page_and_the_original_on_none(
    pages: dict[str, list[str]],
) -> None:
    for name in ("mou", "plan"):
        assert all("ПРОЕКТ" in page for page in pages[name]), name
    assert "ЖОБА" in pages["mou"][0]
    assert not [page for page in pages["original"] if any(m in page for m in DRAFT_MARKS)]
    assert "қол қойылды / подписано" in pages["original"][-1]  # state language first


@pytest.mark.libreoffice
def test_the_plan_annex_is_landscape_with_its_header_on_every_page(
    pages: dict[str, list[str]],
) -> None:
    annex = page_of(pages["mou"], "Приложение 1 к Меморандуму о взаимопонимании")
    table_pages = pages["mou"][annex:]

    assert len(table_pages) >= 2
    assert all("Мероприятие" in page for page in table_pages)
    # landscape: a line of the table is wider than a portrait page could hold
    assert max(len(line) for line in table_pages[0].splitlines()) > 120
