"""Printing new versions: rendered before the commit, stored after it."""

from dataclasses import dataclass

from accord.documents.agreement_docx import render_agreement
from accord.services.documents import agreement_document_name
from accord.services.drafting.drafting import DraftResult
from accord.services.pdf_documents import keep_pdf_beside
from accord.services.ports import DocumentStore


@dataclass(frozen=True)
class RenderedDocument:
    name: str
    data: bytes


def render_drafts(results: list[DraftResult]) -> list[RenderedDocument]:
    """Render before committing: a text that cannot be printed must not become a version."""
    return [
        RenderedDocument(
            name=agreement_document_name(r.agreement, r.number),
            data=render_agreement(
                r.content, number=r.number, sha256=r.sha256, created_at=r.created_at
            ),
        )
        for r in results
    ]


def store_documents(documents: list[RenderedDocument], *, store: DocumentStore) -> list[str]:
    """A version's document never changes, so an existing file is kept as it is."""
    locations = [
        store.location(doc.name) if store.exists(doc.name) else store.write(doc.name, doc.data)
        for doc in documents
    ]
    for doc in documents:
        keep_pdf_beside(doc.name, docx=doc.data, store=store)
    return locations
