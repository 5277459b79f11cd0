"""Turn checked sources into agreement versions: a new version only when the text changed."""

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, select

from accord.services import audit
from accord.services.agreements import latest_version
from accord.services.drafting.organizations import sync_organizations
from accord.source.spec import AgreementSpec, CommitmentSpec, LoadedSources, VersionContent
from accord.source.spec import version_content as make_version_content
from models import Agreement, AgreementParty, AgreementVersion, CommitmentDefinition


@dataclass(frozen=True)
class DraftResult:
    agreement: str
    number: int
    sha256: str
    created: bool
    """False when the source's content equals the latest version's: nothing was written."""
    source_path: str
    created_at: datetime
    content: VersionContent


def record_drafts(
    sources: LoadedSources, *, session: Session, actor: str, revoke_open_access: bool = False
) -> list[DraftResult]:
    """All or nothing in the caller's transaction: organisations, agreements, versions, audit.

    Deactivating a contact who holds a link of an open round needs `revoke_open_access`.
    """
    org_ids = sync_organizations(
        sources.organizations.values(),
        session=session,
        actor=actor,
        revoke_open_access=revoke_open_access,
    )
    return [
        _record_agreement(
            make_version_content(spec, sources.organizations),
            path,
            org_ids=org_ids,
            session=session,
            actor=actor,
        )
        for path, spec in sources.agreements
    ]


def _record_agreement(
    content: VersionContent, path: str, *, org_ids: dict[str, int], session: Session, actor: str
) -> DraftResult:
    spec = content.agreement
    agreement = _upsert_agreement(spec, org_ids=org_ids, session=session, actor=actor)
    latest = latest_version(agreement, session=session)
    sha = content.sha256()
    if latest is not None and latest.sha256 == sha:
        return DraftResult(
            spec.id, latest.number, sha, False, latest.source_path, latest.created_at, content
        )
    version = _insert_version(agreement, content, sha, path, latest, session=session)
    _insert_commitments(version, spec.commitments, org_ids=org_ids, session=session)
    audit.record(
        session=session,
        actor=actor,
        action="version.created",
        subject=f"agreement:{spec.id}",
        data={"number": version.number, "sha256": sha, "source": path},
    )
    return DraftResult(spec.id, version.number, sha, True, path, version.created_at, content)


def _upsert_agreement(
    spec: AgreementSpec, *, org_ids: dict[str, int], session: Session, actor: str
) -> Agreement:
    agreement = session.exec(select(Agreement).where(Agreement.slug == spec.id)).first()
    if agreement is None:
        agreement = Agreement(
            slug=spec.id,
            kind=spec.kind.value,
            country=spec.country,
            languages=list(spec.languages),
            secretariat_id=org_ids[spec.secretariat],
        )
        session.add(agreement)
        session.flush()
        audit.record(
            session=session,
            actor=actor,
            action="agreement.created",
            subject=f"agreement:{spec.id}",
            data={"kind": spec.kind.value},
        )
    agreement.kind, agreement.country = spec.kind.value, spec.country
    agreement.languages = list(spec.languages)
    agreement.secretariat_id = org_ids[spec.secretariat]
    _sync_parties(agreement, spec, org_ids=org_ids)
    session.add(agreement)
    session.flush()
    return agreement


def _sync_parties(agreement: Agreement, spec: AgreementSpec, *, org_ids: dict[str, int]) -> None:
    wanted = {org_ids[p.org]: p.role.value for p in spec.parties}
    for party in list(agreement.parties):
        if party.organization_id not in wanted:
            agreement.parties.remove(party)
        else:
            party.role = wanted.pop(party.organization_id)
    for org_id, role in wanted.items():
        agreement.parties.append(
            AgreementParty(agreement_id=agreement.id or 0, organization_id=org_id, role=role)
        )


def _insert_version(
    agreement: Agreement,
    content: VersionContent,
    sha: str,
    path: str,
    latest: AgreementVersion | None,
    *,
    session: Session,
) -> AgreementVersion:
    assert agreement.id is not None
    version = AgreementVersion(
        agreement_id=agreement.id,
        number=(latest.number + 1) if latest else 1,
        sha256=sha,
        source_path=path,
        content=content.canonical_json(),
    )
    session.add(version)
    session.flush()
    return version


def _insert_commitments(
    version: AgreementVersion,
    commitments: tuple[CommitmentSpec, ...],
    *,
    org_ids: dict[str, int],
    session: Session,
) -> None:
    assert version.id is not None
    for c in commitments:
        session.add(
            CommitmentDefinition(
                version_id=version.id,
                key=c.id,
                objective=c.objective,
                activity=dict(c.activity),
                responsible_id=org_ids[c.responsible],
                partners=list(c.partners),
                due=c.due,
                due_label=c.due_label,
                indicator=dict(c.indicator) if c.indicator else None,
                baseline=c.baseline,
                target=c.target,
                budget_amount=c.budget.amount if c.budget else None,
                budget_currency=c.budget.currency if c.budget else None,
                funding=dict(c.funding) if c.funding else None,
            )
        )
    session.flush()
