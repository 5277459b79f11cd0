"""Names of the documents a version has, and its DOCX produced once, wherever it is needed."""

from accord.documents.agreement_docx import render_agreement
from accord.services.agreements import version_content
from accord.services.pdf_documents import keep_pdf_beside
from accord.services.ports import DocumentStore
from models import Agreement, AgreementVersion


def agreement_document_name(slug: str, number: int) -> str:
    return f"{slug}/{slug}-v{number}.docx"


def signed_document_name(slug: str, number: int) -> str:
    """The signed text with its certificate page, as signing stores it and links offer it."""
    return f"{slug}/{slug}-v{number}-signed.docx"


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
