"""Checkpoints of the audit chain's head, signed with the installation's key and kept
outside the database: whoever can write the table (and drop its triggers) can recompute
the chain or cut its tail, but cannot sign a checkpoint that agrees with the result.

The signing and the checkpoint file are the adapters' (`accord.adapters.audit_file`); each
signed checkpoint is also e-mailed to the secretariats (through the outbox), so a copy lives
outside the machine.
"""

import hashlib
import json
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta

from sqlalchemy import text
from sqlmodel import Session, col, select

from accord.mail.messages import AuditCheckpointMail
from accord.services.mail_queue import enqueue
from accord.services.recipients import secretariat_keepers
from models import AuditEvent

FIRST = "0" * 64
"""What the first checkpoint follows."""
MAX_GAP = timedelta(hours=36)
"""Checkpoints are daily: entries newer than the last checkpoint by more than this mean
that checkpoints are missing (or the file lost its tail)."""
TRIGGERS = {
    "sqlite": {
        "audit_event_no_update",
        "audit_event_no_delete",
        "agreement_version_no_update",
        "agreement_version_no_delete",
    },
    "postgresql": {"audit_event_append_only", "agreement_version_append_only"},
}
"""The triggers that make the database refuse to rewrite audit entries and versions."""


OVERDUE = "no checkpoint"
"""How the problems begin that only say a checkpoint is due (signing one cures them)."""


@dataclass(frozen=True)
class Checkpoint:
    """The chain's head at `at`, chained to the checkpoint before it, and its signature."""

    seq: int
    hash: str
    at: str
    previous: str
    signature: str = ""

    def signed_bytes(self) -> bytes:
        fields = [self.seq, self.hash, self.at, self.previous]
        return json.dumps(fields, separators=(",", ":")).encode("utf-8")

    def digest(self) -> str:
        """What the next checkpoint names as its `previous`."""
        return hashlib.sha256(json.dumps(asdict(self), sort_keys=True).encode()).hexdigest()


def next_checkpoint(
    last: Checkpoint | None, *, session: Session, now: datetime
) -> Checkpoint | None:
    """The unsigned checkpoint of the chain's head now; None when the chain is empty."""
    head = session.exec(select(AuditEvent).order_by(col(AuditEvent.seq).desc()).limit(1)).first()
    if head is None:
        return None
    previous = last.digest() if last else FIRST
    return Checkpoint(head.seq, head.hash, now.isoformat(timespec="seconds"), previous)


def checkpoint_problems(
    checkpoints: Sequence[Checkpoint],
    *,
    session: Session,
    genuine: Callable[[Checkpoint], bool],
) -> list[str]:
    """What the checkpoints say is wrong with the chain (or with themselves)."""
    problems: list[str] = []
    previous = FIRST
    for number, checkpoint in enumerate(checkpoints, start=1):
        where = f"checkpoint {number} (entry {checkpoint.seq}, {checkpoint.at})"
        if not genuine(checkpoint):
            problems.append(f"{where}: its signature is not the installation's")
        if checkpoint.previous != previous:
            problems.append(f"{where}: the checkpoint before it is missing or changed")
        entry = session.exec(select(AuditEvent).where(AuditEvent.seq == checkpoint.seq)).first()
        if entry is None:
            problems.append(f"{where}: the entry it signed is gone (the trail was cut)")
        elif entry.hash != checkpoint.hash:
            problems.append(f"{where}: the entry it signed was rewritten (the chain recomputed)")
        previous = checkpoint.digest()
    return problems + _gap(checkpoints, session=session)


def _gap(checkpoints: Sequence[Checkpoint], *, session: Session) -> list[str]:
    newest = session.exec(select(AuditEvent).order_by(col(AuditEvent.seq).desc()).limit(1)).first()
    if newest is None:
        return []
    if not checkpoints:
        return [f"{OVERDUE} of the trail has been signed (run `accord audit --checkpoint`)"]
    last = checkpoints[-1]
    since = datetime.fromisoformat(last.at)
    if newest.seq > last.seq and newest.at - since > MAX_GAP:
        return [
            f"{OVERDUE} since {last.at} (entry {last.seq}), though entries go on to "
            f"{newest.seq}: checkpoints are missing"
        ]
    return []


def mail_checkpoint(checkpoint: Checkpoint, *, session: Session) -> int:
    """Queue the signed checkpoint to every secretariat contact; how many were queued."""
    keepers = secretariat_keepers(session=session)
    for contact in keepers:
        enqueue(
            AuditCheckpointMail(
                seq=checkpoint.seq,
                hash=checkpoint.hash,
                at=datetime.fromisoformat(checkpoint.at),
                previous=checkpoint.previous,
                signature=checkpoint.signature,
            ),
            session=session,
            key=f"audit_checkpoint:{checkpoint.seq}:{checkpoint.digest()[:16]}:{contact.id}",
            contact=contact,
        )
    return len(keepers)


def missing_triggers(*, session: Session) -> list[str]:
    """The append-only triggers the database lacks."""
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        query = text("SELECT tgname FROM pg_trigger WHERE NOT tgisinternal AND tgenabled <> 'D'")
    else:
        query = text("SELECT name FROM sqlite_master WHERE type = 'trigger'")
    present = {row[0] for row in session.execute(query)}
    return sorted(TRIGGERS.get(dialect, set()) - present)
