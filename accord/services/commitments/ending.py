"""Ending an agreement in force before its term: the secretariat's `accord terminate`."""

from dataclasses import dataclass

from sqlalchemy import update
from sqlmodel import col

from accord.errors import Refusal
from accord.services import audit
from accord.services.agreements import find_agreement
from accord.services.commitments import rules
from accord.services.env import ServiceEnv
from accord.services.status import StatusAction, change_status
from models import ItemStatus, TrackedCommitment

REASON_LIMIT = 5000


@dataclass(frozen=True)
class Terminated:
    agreement: str
    cancelled: int
    """Open commitments cancelled with it."""


def terminate(slug: str, *, reason: str, env: ServiceEnv) -> Terminated:
    """Terminated is final: its open commitments are cancelled, so nobody is reminded of them."""
    text = reason.strip()
    if not text or len(text) > REASON_LIMIT:
        raise Refusal(
            "commitments.termination_reason",
            "give the reason for terminating (up to %(limit)s characters); it is kept in the "
            "audit trail",
            limit=REASON_LIMIT,
        )
    agreement = find_agreement(slug, session=env.session)
    change_status(agreement, StatusAction.terminate)
    env.session.add(agreement)
    keys = (
        env.session.execute(
            update(TrackedCommitment)
            .where(
                col(TrackedCommitment.agreement_id) == agreement.id,
                col(TrackedCommitment.status).in_(rules.OPEN),
            )
            .values(status=ItemStatus.cancelled)
            .returning(col(TrackedCommitment.key))
        )
        .scalars()
        .all()
    )
    audit.record(
        session=env.session,
        actor=env.actor,
        action="agreement.terminated",
        subject=f"agreement:{slug}",
        data={"reason": text, "cancelled": sorted(keys)},
    )
    return Terminated(slug, len(keys))
