"""Documents a review round hands out: the version's DOCX and the comments matrix."""

from functools import lru_cache

from sqlmodel import Session

from accord.documents.agreement_docx import render_agreement
from accord.services.documents import agreement_document_name
from accord.services.pdf_documents import keep_pdf_beside
from accord.services.ports import DocumentStore
from accord.source.spec import VersionContent
from models import Agreement, AgreementVersion


def version_content(version: AgreementVersion) -> VersionContent:
    """Parsed once per process: a version never changes and its hash names its content."""
    return _parsed(version.sha256, version.content)


@lru_cache(maxsize=32)
def _parsed(sha256: str, content: str) -> VersionContent:
    return VersionContent.model_validate_json(content)


def ensure_version_document(
    agreement: Agreement, version: AgreementVersion, *, store: DocumentStore
) -> str:
    """The version's DOCX, rendered now if drafting's copy is missing (e.g. another machine)."""
    name = agreement_document_name(agreement.slug, version.number)
    if not store.exists(name):
        store.write(
            name,
            render_agreement(
                version_content(version),
                number=version.number,
                sha256=version.sha256,
                created_at=version.created_at,
            ),
        )
    keep_pdf_beside(name, store=store)
    return name


def comments_matrix_name(slug: str, round_number: int) -> str:
    return f"{slug}/{slug}-round-{round_number}-comments.docx"


def load_version(session: Session, version_id: int) -> AgreementVersion:
    version = session.get(AgreementVersion, version_id)
    assert version is not None, f"version {version_id} vanished"
    return version
