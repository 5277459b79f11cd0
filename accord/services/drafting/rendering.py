"""Printing new versions: rendered before the commit, stored after it."""

from dataclasses import dataclass

from accord.services.documents import agreement_document_name
from accord.services.drafting.drafting import DraftResult
from accord.services.pdf_documents import keep_pdf_beside
from accord.services.ports import DocumentStore


@dataclass(frozen=True)
class RenderedDocument:
    name: str
    data: bytes | None
    """None: the version's document is already in the store and was not rendered again."""


def document_name(plan: DraftResult) -> str:
    return agreement_document_name(plan.agreement, plan.number)


def needs_rendering(plan: DraftResult, *, store: DocumentStore) -> bool:
    """A new version always; an unchanged one only when its document went missing."""
    return plan.created or not store.exists(document_name(plan))


def render_draft(plan: DraftResult) -> bytes:
    """The version's DOCX; pure, so it can run in another process."""
    from accord.documents.agreement_docx import render_agreement

    return render_agreement(
        plan.content, number=plan.number, sha256=plan.sha256, created_at=plan.created_at
    )


def store_document(document: RenderedDocument, *, store: DocumentStore) -> str:
    """A version's document never changes, so an existing file is kept as it is."""
    if store.exists(document.name) or document.data is None:
        location = store.location(document.name)
    else:
        location = store.write(document.name, document.data)
    keep_pdf_beside(document.name, docx=document.data, store=store)
    return location


def store_documents(documents: list[RenderedDocument], *, store: DocumentStore) -> list[str]:
    return [store_document(doc, store=store) for doc in documents]
