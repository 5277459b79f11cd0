"""Turn checked sources into agreement versions: a new version only when the text changed."""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func
from sqlmodel import Session, col, select

from accord.errors import AccordError
from accord.services import audit
from accord.services.agreements import latest_version
from accord.services.drafting.organizations import sync_organizations
from accord.source.spec import AgreementSpec, CommitmentSpec, LoadedSources, VersionContent
from accord.source.spec import version_content as make_version_content
from models import Agreement, AgreementParty, AgreementVersion, CommitmentDefinition
from models.columns import utcnow


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


class DraftedMeanwhile(AccordError):
    """Another drafter recorded a version of the agreement between our reading and writing."""


def plan_drafts(sources: LoadedSources, *, session: Session, now: datetime) -> list[DraftResult]:
    """What drafting will record, read without writing: the version each agreement becomes.

    Planned first so documents can be rendered (in parallel) before anything is committed:
    a text that cannot be printed must not become a version.
    """
    latest = _latest_versions([spec.id for _, spec in sources.agreements], session=session)
    plans = []
    for path, spec in sources.agreements:
        content = make_version_content(spec, sources.organizations)
        sha, last = content.sha256(), latest.get(spec.id)
        if last is not None and last.sha256 == sha:
            plans.append(
                DraftResult(
                    spec.id, last.number, sha, False, last.source_path, last.created_at, content
                )
            )
        else:
            number = last.number + 1 if last else 1
            plans.append(DraftResult(spec.id, number, sha, True, path, now, content))
    return plans


def record_draft(
    plan: DraftResult, *, org_ids: dict[str, int], session: Session, actor: str
) -> DraftResult:
    """One agreement as planned, in the caller's transaction: the agreement, its version, audit."""
    spec = plan.content.agreement
    agreement = _upsert_agreement(spec, org_ids=org_ids, session=session, actor=actor)
    latest = latest_version(agreement, session=session)
    expected = plan.number if not plan.created else plan.number - 1
    if (latest.number if latest else 0) != expected or (
        not plan.created and latest is not None and latest.sha256 != plan.sha256
    ):
        raise DraftedMeanwhile(
            f"{spec.id}: another version was recorded while this one was drafted; draft again"
        )
    if not plan.created:
        return plan
    version = _insert_version(agreement, plan, session=session)
    _insert_commitments(version, spec.commitments, org_ids=org_ids, session=session)
    audit.record(
        session=session,
        actor=actor,
        action="version.created",
        subject=f"agreement:{spec.id}",
        data={"number": version.number, "sha256": plan.sha256, "source": plan.source_path},
    )
    return plan


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
    plans = plan_drafts(sources, session=session, now=utcnow())
    return [record_draft(p, org_ids=org_ids, session=session, actor=actor) for p in plans]


def _latest_versions(slugs: list[str], *, session: Session) -> dict[str, AgreementVersion]:
    """The latest version of each agreement named, in one query (a folder holds thousands)."""
    found: dict[str, AgreementVersion] = {}
    for chunk in (slugs[i : i + 500] for i in range(0, len(slugs), 500)):
        newest = (
            select(
                col(AgreementVersion.agreement_id),
                func.max(AgreementVersion.number).label("number"),
            )
            .join(Agreement, col(Agreement.id) == AgreementVersion.agreement_id)
            .where(col(Agreement.slug).in_(chunk))
            .group_by(col(AgreementVersion.agreement_id))
            .subquery()
        )
        rows = session.exec(
            select(Agreement.slug, AgreementVersion)
            .join(
                newest,
                (col(AgreementVersion.agreement_id) == newest.c.agreement_id)
                & (col(AgreementVersion.number) == newest.c.number),
            )
            .join(Agreement, col(Agreement.id) == AgreementVersion.agreement_id)
        ).all()
        found.update({slug: version for slug, version in rows})
    return found


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
    agreement: Agreement, plan: DraftResult, *, session: Session
) -> AgreementVersion:
    assert agreement.id is not None
    version = AgreementVersion(
        agreement_id=agreement.id,
        number=plan.number,
        sha256=plan.sha256,
        source_path=plan.source_path,
        content=plan.content.canonical_json(),
        created_at=plan.created_at,
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
