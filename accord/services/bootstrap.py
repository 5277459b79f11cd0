"""The one module above the capabilities: it wires who reacts to which event.

Review, signing and commitments never import each other; what one does that concerns
another travels as an event (`accord.services.events`) handled here, synchronously, in the
publisher's transaction.
"""

from datetime import datetime

from sqlmodel import Session

from accord.services.commitments.in_force import on_agreement_signed
from accord.services.env import Handlers, ServiceEnv
from accord.services.events import AgreementSigned, ReviewRoundStarting
from accord.services.ports import DocumentStore
from accord.services.signing.start import cancel_open_signoff

HANDLERS: Handlers = {
    ReviewRoundStarting: (cancel_open_signoff,),
    AgreementSigned: (on_agreement_signed,),
}


def service_env(
    *, session: Session, store: DocumentStore, base_url: str, actor: str, now: datetime
) -> ServiceEnv:
    """The environment every entry point (flows, CLI, portal) builds its steps with."""
    return ServiceEnv(
        session=session,
        store=store,
        base_url=base_url,
        actor=actor,
        now=now,
        handlers=HANDLERS,
    )
