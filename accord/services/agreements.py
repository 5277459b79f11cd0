"""Agreements and their versions: finding them, their parsed content, and the views shown."""

from dataclasses import dataclass
from functools import lru_cache

from sqlalchemy import func
from sqlalchemy.orm import defer
from sqlmodel import Session, col, select

from accord.errors import NotFound
from accord.source.spec import LangText, VersionContent
from models import (
    Agreement,
    AgreementPublic,
    AgreementStatus,
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


@dataclass(frozen=True)
class AgreementFilter:
    """Which agreements a listing shows; None means any."""

    status: AgreementStatus | None = None
    country: str | None = None
    secretariat: str | None = None
    """The secretariat organisation's id (slug)."""


@dataclass(frozen=True)
class AgreementPage:
    rows: list[AgreementPublic]
    total: int
    """How many agreements the filter matches, over all pages."""


def list_agreements(
    *,
    session: Session,
    where: AgreementFilter = AgreementFilter(),
    offset: int = 0,
    limit: int | None = None,
) -> AgreementPage:
    """One page in slug order: three indexed queries however many agreements there are."""
    query = select(Agreement, Organization).join(
        Organization, col(Organization.id) == Agreement.secretariat_id
    )
    if where.status is not None:
        query = query.where(Agreement.status == where.status)
    if where.country is not None:
        query = query.where(Agreement.country == where.country.upper())
    if where.secretariat is not None:
        query = query.where(Organization.slug == where.secretariat)
    total = session.exec(select(func.count()).select_from(query.subquery())).one()
    page = query.order_by(col(Agreement.slug)).offset(offset).limit(limit)
    rows = session.exec(page).all()
    latest = _latest_numbers([a.id for a, _ in rows if a.id is not None], session=session)
    return AgreementPage([_public(a, org.slug, latest.get(a.id or 0)) for a, org in rows], total)


def _latest_numbers(ids: list[int], *, session: Session) -> dict[int, tuple[int, str]]:
    """Number and hash of the latest version of each agreement, in one query."""
    if not ids:
        return {}
    newest = (
        select(col(AgreementVersion.agreement_id), func.max(AgreementVersion.number).label("n"))
        .where(col(AgreementVersion.agreement_id).in_(ids))
        .group_by(col(AgreementVersion.agreement_id))
        .subquery()
    )
    rows = session.exec(
        select(
            AgreementVersion.agreement_id, AgreementVersion.number, AgreementVersion.sha256
        ).join(
            newest,
            (col(AgreementVersion.agreement_id) == newest.c.agreement_id)
            & (col(AgreementVersion.number) == newest.c.n),
        )
    ).all()
    return {agreement_id: (number, sha) for agreement_id, number, sha in rows}


def _public(
    agreement: Agreement, secretariat: str, latest: tuple[int, str] | None
) -> AgreementPublic:
    return AgreementPublic.model_validate(
        agreement,
        update={
            "secretariat": secretariat,
            "latest_version": latest[0] if latest else None,
            "latest_sha256": latest[1] if latest else None,
        },
    )


@dataclass(frozen=True)
class VersionView:
    agreement: AgreementPublic
    version: AgreementVersionPublic
    versions: list[AgreementVersionPublic]
    content: VersionContent


def get_version(slug: str, number: int | None = None, *, session: Session) -> VersionView:
    """One version (the latest unless `number` is given) with the agreement's version history.

    Only the chosen version's content is read: the history is numbers, hashes and dates.
    """
    agreement = session.exec(select(Agreement).where(Agreement.slug == slug)).first()
    if agreement is None:
        raise NotFound(f"no agreement '{slug}' ({_known_like(slug, session=session)})")
    versions = [
        AgreementVersionPublic.model_validate(v)
        for v in session.exec(
            select(AgreementVersion)
            .options(defer(AgreementVersion.content))  # type: ignore[arg-type]
            .where(AgreementVersion.agreement_id == agreement.id)
            .order_by(col(AgreementVersion.number))
        )
    ]
    if not versions:
        raise NotFound(f"agreement '{slug}' has no version yet")
    chosen = (
        versions[-1] if number is None else next((v for v in versions if v.number == number), None)
    )
    if chosen is None:
        raise NotFound(f"agreement '{slug}' has no version {number} (it has 1 to {len(versions)})")
    content = session.exec(
        select(AgreementVersion.content).where(AgreementVersion.id == chosen.id)
    ).one()
    secretariat = session.get(Organization, agreement.secretariat_id)
    return VersionView(
        agreement=_public(
            agreement,
            secretariat.slug if secretariat else "?",
            (versions[-1].number, versions[-1].sha256),
        ),
        version=chosen,
        versions=versions,
        content=_parsed(chosen.sha256, content),
    )


def _known_like(slug: str, *, session: Session) -> str:
    """A few known ids that start like the one asked for (never the whole register)."""
    stem = slug.split("-")[0]
    similar = session.exec(
        select(Agreement.slug)
        .where(col(Agreement.slug).startswith(stem))
        .order_by(col(Agreement.slug))
        .limit(6)
    ).all()
    if similar:
        more = ", …" if len(similar) > 5 else ""
        return "similar: " + ", ".join(similar[:5]) + more
    anything = session.exec(select(Agreement.slug).order_by(col(Agreement.slug)).limit(1)).first()
    return "`accord agreements` lists them" if anything else "known: none yet"
