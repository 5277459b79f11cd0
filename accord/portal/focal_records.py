"""Whether an item named by a form is the focal point's own, asked before the service is.

`progress.record_progress` refuses another organisation's item too, in English; asking first
lets the page say so in the reader's language, with one indexed look-up.
"""

from sqlmodel import Session, col, select

from accord.services.progress import FocalScope
from models import Agreement, TrackedCommitment


def is_own_item(scope: FocalScope, agreement: str, commitment: str, *, session: Session) -> bool:
    found = session.exec(
        select(TrackedCommitment.id)
        .join(Agreement, col(Agreement.id) == TrackedCommitment.agreement_id)
        .where(
            Agreement.slug == agreement,
            TrackedCommitment.key == commitment,
            TrackedCommitment.responsible_id == scope.organization.id,
        )
    ).first()
    return found is not None
