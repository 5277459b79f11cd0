"""Append to and verify the hash-chained audit trail."""

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlmodel import Session, col, select

from models import AuditEvent
from models.columns import utcnow

GENESIS_HASH = "0" * 64


def entry_hash(
    *,
    prev_hash: str,
    seq: int,
    at: datetime,
    actor: str,
    action: str,
    subject: str,
    data: dict[str, Any],
) -> str:
    """Hash of an entry's canonical form chained to its predecessor's hash."""
    canonical = json.dumps(
        [prev_hash, seq, at.isoformat(timespec="microseconds"), actor, action, subject, data],
        sort_keys=True,
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def record(
    *, session: Session, actor: str, action: str, subject: str, data: dict[str, Any] | None = None
) -> AuditEvent:
    """Append one entry in the caller's transaction; a concurrent writer makes `seq` collide."""
    last = session.exec(select(AuditEvent).order_by(col(AuditEvent.seq).desc()).limit(1)).first()
    seq = last.seq + 1 if last else 1
    prev_hash = last.hash if last else GENESIS_HASH
    at = utcnow()
    payload = dict(data or {})
    event = AuditEvent(
        seq=seq,
        at=at,
        actor=actor,
        action=action,
        subject=subject,
        data=payload,
        prev_hash=prev_hash,
        hash=entry_hash(
            prev_hash=prev_hash,
            seq=seq,
            at=at,
            actor=actor,
            action=action,
            subject=subject,
            data=payload,
        ),
    )
    session.add(event)
    session.flush()
    return event


@dataclass(frozen=True)
class ChainCheck:
    entries: int
    broken_at: int | None = None
    reason: str = ""

    @property
    def ok(self) -> bool:
        return self.broken_at is None


def verify_chain(*, session: Session) -> ChainCheck:
    """Recompute every hash in order: an edited, removed or inserted entry breaks the chain."""
    prev_hash, expected_seq, count = GENESIS_HASH, 1, 0
    for event in session.exec(select(AuditEvent).order_by(col(AuditEvent.seq))):
        count += 1
        problem = _entry_problem(event, prev_hash=prev_hash, expected_seq=expected_seq)
        if problem:
            return ChainCheck(entries=count, broken_at=event.seq, reason=problem)
        prev_hash, expected_seq = event.hash, event.seq + 1
    return ChainCheck(entries=count)


def _entry_problem(event: AuditEvent, *, prev_hash: str, expected_seq: int) -> str:
    if event.seq != expected_seq:
        return f"entry {expected_seq} is missing"
    if event.prev_hash != prev_hash:
        return "does not point at the previous entry"
    recomputed = entry_hash(
        prev_hash=event.prev_hash,
        seq=event.seq,
        at=event.at,
        actor=event.actor,
        action=event.action,
        subject=event.subject,
        data=event.data,
    )
    return "" if recomputed == event.hash else "content does not match its hash"
