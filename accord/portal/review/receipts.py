"""Whether a form post was already carried out, for when its link has expired since."""

from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from accord.services.links import token_hash
from models import ReviewAccess, ReviewDecision


def decision_recorded_for(token: str, request_key: str, *, engine: Engine) -> bool:
    """True when this link's holder already made the decision posted under `request_key`.

    A reviewer whose decision closed the round and who clicked twice gets their thanks page,
    not "link not valid"; anyone else learns nothing, as both the link and the key are needed.
    """
    with Session(engine) as session:
        found = session.exec(
            select(ReviewDecision.id)
            .join(ReviewAccess, col(ReviewAccess.id) == ReviewDecision.access_id)
            .where(
                ReviewDecision.request_key == request_key,
                ReviewAccess.token_hash == token_hash(token),
            )
        ).first()
    return found is not None
