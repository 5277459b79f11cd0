"""Agreements and their versions: finding them, their parsed content, and the views shown."""

from dataclasses import dataclass
from functools import lru_cache

from sqlmodel import Session, col, select

from accord.errors import NotFound
from accord.source.spec import LangText, VersionContent
from models import (
    Agreement,
    AgreementPublic,
    AgreementVersion,
    AgreementVersionPublic,
    Organization,
    SignOff,
    SignOffStatus,
)


def find_agreement(slug: str, *, session: Session) -> Agreement:
    agreement = session.exec(select(Agreement).where(Agreement.slug == slug)).first()
    if agreement is None:
        raise NotFound(f"no agreement '{slug}'")
    return agreement


def latest_version(agreement: Agreement, *, session: Session) -> AgreementVersion | None:
    return session.exec(
        select(AgreementVersion)
        .where(AgreementVersion.agreement_id == agreement.id)
        .order_by(col(AgreementVersion.number).desc())
        .limit(1)
    ).first()


def signed_version(agreement: Agreement, *, session: Session) -> AgreementVersion | None:
    """The version the agreement is in force under: that of its latest completed sign-off.

    An amendment under review or being signed is a later version; until it is signed, this
    one holds.
    """
    return session.exec(
        select(AgreementVersion)
        .join(SignOff, col(SignOff.version_id) == AgreementVersion.id)
        .where(SignOff.agreement_id == agreement.id, SignOff.status == SignOffStatus.completed)
        .order_by(col(SignOff.id).desc())
        .limit(1)
    ).first()


def find_version(agreement: Agreement, number: int | None, *, session: Session) -> AgreementVersion:
    """Version `number`, or the latest when None; NotFound names what is missing."""
    if number is None:
        version = latest_version(agreement, session=session)
    else:
        version = session.exec(
            select(AgreementVersion).where(
                AgreementVersion.agreement_id == agreement.id, AgreementVersion.number == number
            )
        ).first()
    if version is None:
        wanted = "a version" if number is None else f"version {number}"
        raise NotFound(f"agreement '{agreement.slug}' has no {wanted}")
    return version


def load_version(version_id: int, *, session: Session) -> AgreementVersion:
    version = session.get(AgreementVersion, version_id)
    assert version is not None, f"version {version_id} vanished"
    return version


def version_content(version: AgreementVersion) -> VersionContent:
    """Parsed once per process: a version never changes and its hash names its content."""
    return _parsed(version.sha256, version.content)


@lru_cache(maxsize=32)
def _parsed(sha256: str, content: str) -> VersionContent:
    return VersionContent.model_validate_json(content)


def title_in_force(agreement: Agreement, *, session: Session) -> LangText:
    """The title of the agreement's current text (its latest version)."""
    return dict(version_content(find_version(agreement, None, session=session)).agreement.title)


def list_agreements(*, session: Session) -> list[AgreementPublic]:
    rows = session.exec(
        select(Agreement, Organization)
        .join(Organization, col(Organization.id) == Agreement.secretariat_id)
        .order_by(col(Agreement.slug))
    ).all()
    return [_public(agreement, org.slug, session=session) for agreement, org in rows]


def _public(agreement: Agreement, secretariat: str, *, session: Session) -> AgreementPublic:
    latest = latest_version(agreement, session=session)
    return AgreementPublic.model_validate(
        agreement,
        update={
            "secretariat": secretariat,
            "latest_version": latest.number if latest else None,
            "latest_sha256": latest.sha256 if latest else None,
        },
    )


@dataclass(frozen=True)
class VersionView:
    agreement: AgreementPublic
    version: AgreementVersionPublic
    versions: list[AgreementVersionPublic]
    content: VersionContent


def get_version(slug: str, number: int | None = None, *, session: Session) -> VersionView:
    """One version (the latest unless `number` is given) with the agreement's version history."""
    agreement = session.exec(select(Agreement).where(Agreement.slug == slug)).first()
    if agreement is None:
        known = ", ".join(a.slug for a in list_agreements(session=session)) or "none yet"
        raise NotFound(f"no agreement '{slug}' (known: {known})")
    versions = list(
        session.exec(
            select(AgreementVersion)
            .where(AgreementVersion.agreement_id == agreement.id)
            .order_by(col(AgreementVersion.number))
        )
    )
    if not versions:
        raise NotFound(f"agreement '{slug}' has no version yet")
    chosen = (
        versions[-1] if number is None else next((v for v in versions if v.number == number), None)
    )
    if chosen is None:
        raise NotFound(f"agreement '{slug}' has no version {number} (it has 1 to {len(versions)})")
    secretariat = session.get(Organization, agreement.secretariat_id)
    return VersionView(
        agreement=_public(agreement, secretariat.slug if secretariat else "?", session=session),
        version=AgreementVersionPublic.model_validate(chosen),
        versions=[AgreementVersionPublic.model_validate(v) for v in versions],
        content=VersionContent.model_validate_json(chosen.content),
    )
