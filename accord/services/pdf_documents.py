"""The PDF/A beside an agreement's DOCX: every version's, and the signed original, sealed."""

from accord.documents.blocks import pick
from accord.documents.seal_values import SealStamp
from accord.services.ports import DocumentStore, KeepsPdfs
from accord.source.spec import VersionContent
from models import Agreement, AgreementVersion


def pdf_name(docx_name: str) -> str:
    return f"{docx_name.removesuffix('.docx')}.pdf"


def keep_pdf_beside(
    docx_name: str,
    *,
    store: DocumentStore,
    docx: bytes | None = None,
    seal: SealStamp | None = None,
) -> str | None:
    """The PDF next to the DOCX, made once (a sealed one each time its DOCX is written).

    Returns where it is, or None when this store keeps no PDFs or none could be made here.
    """
    maker = store.pdfs if isinstance(store, KeepsPdfs) else None
    if maker is None:
        return None
    name = pdf_name(docx_name)
    if seal is None and store.exists(name):
        return store.location(name)
    pdf = maker.convert(docx if docx is not None else store.read(docx_name))
    if pdf is not None and seal is not None:
        pdf = maker.seal(pdf, seal)
    return None if pdf is None else store.write(name, pdf)


def seal_stamp(
    agreement: Agreement, version: AgreementVersion, content: VersionContent
) -> SealStamp:
    """What the sealed PDF says it is: the agreement, its title, the version and its hash."""
    return SealStamp(
        agreement=agreement.slug,
        title=pick(content.agreement.title, content.agreement.primary_language),
        number=version.number,
        sha256=version.sha256,
    )
