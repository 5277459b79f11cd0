"""What a secretariat's home page shows: counts and short lists over all its agreements,
each one indexed query, so the page stays fast with thousands of agreements."""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func
from sqlmodel import Session, col, select

from accord.source.spec import VersionContent
from models import Agreement, AgreementStatus, AgreementVersion


@dataclass(frozen=True)
class StatusCount:
    status: AgreementStatus
    count: int


@dataclass(frozen=True)
class AgreementLine:
    slug: str
    kind: str
    country: str
    status: AgreementStatus
    title: dict[str, str]


@dataclass(frozen=True)
class Overview:
    by_status: list[StatusCount]
    total: int
    recent: list[AgreementLine]


def secretariat_overview(secretariat_id: int, *, session: Session, now: datetime) -> Overview:
    """Agreements by status and the latest ones of one secretariat."""
    rows = session.exec(
        select(Agreement.status, func.count())
        .where(Agreement.secretariat_id == secretariat_id)
        .group_by(Agreement.status)
    ).all()
    counts = {status: count for status, count in rows}
    by_status = [StatusCount(s, counts[s]) for s in AgreementStatus if counts.get(s)]
    recent = session.exec(
        select(Agreement)
        .where(Agreement.secretariat_id == secretariat_id)
        .order_by(col(Agreement.id).desc())
        .limit(20)
    ).all()
    return Overview(
        by_status=by_status,
        total=sum(counts.values()),
        recent=[
            AgreementLine(a.slug, a.kind, a.country, a.status, t)
            for a, t in zip(
                recent, titles([a.id or 0 for a in recent], session=session), strict=True
            )
        ],
    )


def titles(agreement_ids: list[int], *, session: Session) -> list[dict[str, str]]:
    """The current title of each agreement, in order; read from the text only once per hash."""
    latest = (
        select(AgreementVersion.agreement_id, func.max(AgreementVersion.number).label("n"))
        .where(col(AgreementVersion.agreement_id).in_(agreement_ids))
        .group_by(col(AgreementVersion.agreement_id))
        .subquery()
    )
    hashes = dict(
        session.exec(
            select(AgreementVersion.agreement_id, AgreementVersion.sha256).join(
                latest,
                (col(AgreementVersion.agreement_id) == latest.c.agreement_id)
                & (col(AgreementVersion.number) == latest.c.n),
            )
        ).all()
    )
    missing = [sha for sha in hashes.values() if sha not in _TITLES]
    if missing:
        for sha, content in session.exec(
            select(AgreementVersion.sha256, AgreementVersion.content).where(
                col(AgreementVersion.sha256).in_(missing)
            )
        ):
            _remember(sha, dict(VersionContent.model_validate_json(content).agreement.title))
    return [dict(_TITLES.get(hashes.get(i, ""), {})) for i in agreement_ids]


_TITLES: dict[str, dict[str, str]] = {}
_MAX_TITLES = 20_000


def _remember(sha256: str, title: dict[str, str]) -> None:
    if len(_TITLES) >= _MAX_TITLES:
        _TITLES.clear()
    _TITLES[sha256] = title
