"""Progress reports and register exports of one agreement, from its tracked items."""

from datetime import date

from sqlmodel import Session, col, select

from accord.documents.progress_report_docx import Executor, render_progress_report
from accord.errors import Refusal
from accord.services.agreements import (
    find_agreement,
    find_version,
    signed_version,
    version_content,
)
from accord.services.commitments.tracked import tracked_items
from accord.services.env import ServiceEnv
from accord.source.spec import VersionContent
from models import (
    Agreement,
    AgreementStatus,
    AgreementVersion,
    Contact,
    Organization,
    SignOff,
    SignOffStatus,
)


def write_progress_report(slug: str, as_of: date, *, env: ServiceEnv) -> list[str]:
    """The report in each of the agreement's document languages, the primary one first (its
    file name has no language; the others end in theirs)."""
    agreement = find_agreement(slug, session=env.session)
    items = tracked_items(session=env.session, agreement=slug)
    if not items:
        raise Refusal(
            "commitments.not_in_force",
            "agreement '%(agreement)s' has no tracked commitments (it is not in force)",
            agreement=slug,
        )
    version = signed_version(agreement, session=env.session) or find_version(
        agreement, None, session=env.session
    )
    content = version_content(version)
    start = _entry_into_force(version, session=env.session)
    executor = _executor(content, session=env.session)
    primary = content.agreement.primary_language
    locations: list[str] = []
    for language in (primary, *(lang for lang in content.agreement.languages if lang != primary)):
        data = render_progress_report(
            dict(content.agreement.title),
            items,
            language=language,
            as_of=as_of,
            version_number=version.number,
            sha256=version.sha256,
            start=start,
            objectives=[(o.id, dict(o.title)) for o in content.agreement.objectives],
            executor=executor,
        )
        suffix = "" if language == primary else f"-{language}"
        name = f"{slug}/{slug}-progress-{as_of.isoformat()}{suffix}.docx"
        locations.append(env.store.write(name, data))
    return locations


def _entry_into_force(version: AgreementVersion, *, session: Session) -> date | None:
    """When the version took effect, where the expected progress of its items starts."""
    signoff = session.exec(
        select(SignOff).where(
            SignOff.version_id == version.id, SignOff.status == SignOffStatus.completed
        )
    ).first()
    return signoff.effective_date if signoff else None


def _executor(content: VersionContent, *, session: Session) -> Executor | None:
    """The secretariat's first active contact with the secretariat role, who prepares reports."""
    slug = content.agreement.secretariat
    contacts = session.exec(
        select(Contact)
        .join(Organization, col(Organization.id) == Contact.organization_id)
        .where(Organization.slug == slug, col(Contact.active))
        .order_by(col(Contact.id))
    )
    contact = next((c for c in contacts if "secretariat" in c.roles), None)
    if contact is None:
        return None
    organisation = content.organizations.get(slug)
    return Executor(contact.name, dict(organisation.name) if organisation else {}, contact.email)


def agreements_in_force(*, session: Session) -> list[str]:
    return list(
        session.exec(
            select(Agreement.slug)
            .where(Agreement.status == AgreementStatus.in_force)
            .order_by(col(Agreement.slug))
        )
    )
