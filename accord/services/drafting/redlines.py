"""Redlines between two versions of one agreement, as the secretariat hands them out."""

from sqlmodel import Session

from accord.documents.redline import diff_versions, render_redline_docx
from accord.errors import Refusal
from accord.services.agreements import find_agreement, find_version, version_content
from accord.services.ports import DocumentStore
from models.columns import utcnow


def redline_name(slug: str, old: int, new: int, language: str) -> str:
    return f"{slug}/{slug}-v{old}-to-v{new}-redline-{language}.docx"


def write_redline(
    slug: str,
    old: int,
    new: int,
    *,
    language: str | None,
    session: Session,
    store: DocumentStore,
) -> str:
    """Word shows each change between the versions as a tracked insertion or deletion."""
    if old == new:
        raise Refusal("drafting.same_versions", "give two different versions to compare")
    agreement = find_agreement(slug, session=session)
    before, after = (find_version(agreement, n, session=session) for n in (old, new))
    old_content, new_content = version_content(before), version_content(after)
    languages = new_content.agreement.languages
    chosen = language or new_content.agreement.primary_language
    if chosen not in languages:
        raise Refusal(
            "drafting.not_a_language",
            "'%(language)s' is not a language of %(agreement)s (%(languages)s)",
            language=chosen,
            agreement=slug,
            languages=", ".join(languages),
        )
    data = render_redline_docx(
        old_content,
        new_content,
        diff_versions(old_content, new_content, chosen),
        language=chosen,
        old_number=before.number,
        new_number=after.number,
        old_sha256=before.sha256,
        new_sha256=after.sha256,
        created_at=utcnow(),
    )
    return store.write(redline_name(slug, old, new, chosen), data)
