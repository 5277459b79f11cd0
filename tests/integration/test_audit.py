"""The audit trail is append-only and any tampering is detected."""

import pytest
from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DatabaseError
from sqlmodel import Session

from accord.services import audit


def _three_entries(session: Session) -> None:
    for n in range(3):
        audit.record(
            session=session,
            actor="tester",
            action="thing.done",
            subject=f"thing:{n}",
            data={"n": n, "text": "Қазақ тілі"},
        )
    session.commit()


def test_chain_links_each_entry_to_the_previous(session: Session) -> None:
    _three_entries(session)
    check = audit.verify_chain(session=session)
    assert check.ok and check.entries == 3


def test_database_refuses_updates_and_deletes(engine: Engine, session: Session) -> None:
    _three_entries(session)
    for statement in (
        "UPDATE audit_event SET actor = 'mallory' WHERE seq = 2",
        "DELETE FROM audit_event WHERE seq = 2",
    ):
        with pytest.raises(DatabaseError, match="append-only"), engine.begin() as conn:
            conn.execute(text(statement))


def test_tampering_behind_the_triggers_is_detected(engine: Engine, session: Session) -> None:
    _three_entries(session)
    with engine.begin() as conn:
        _disable_guards(conn)
        conn.execute(text("UPDATE audit_event SET actor = 'mallory' WHERE seq = 2"))
        _restore_guards(conn)
    check = audit.verify_chain(session=session)
    assert (check.ok, check.broken_at, check.reason) == (
        False,
        2,
        "content does not match its hash",
    )


def test_a_removed_entry_is_detected(engine: Engine, session: Session) -> None:
    _three_entries(session)
    with engine.begin() as conn:
        _disable_guards(conn)
        conn.execute(text("DELETE FROM audit_event WHERE seq = 2"))
        _restore_guards(conn)
    check = audit.verify_chain(session=session)
    assert (check.broken_at, check.reason) == (3, "entry 2 is missing")


def _disable_guards(conn: object) -> None:
    """What an attacker with database access could do; the hash chain must still tell."""
    dialect = conn.dialect.name  # type: ignore[attr-defined]
    if dialect == "postgresql":
        conn.execute(text("ALTER TABLE audit_event DISABLE TRIGGER USER"))  # type: ignore[attr-defined]
    else:
        for trigger in ("audit_event_no_update", "audit_event_no_delete"):
            conn.execute(text(f"DROP TRIGGER {trigger}"))  # type: ignore[attr-defined]


def _restore_guards(conn: object) -> None:
    """PostgreSQL's database lasts the whole session: the next test gets its triggers back."""
    if conn.dialect.name == "postgresql":  # type: ignore[attr-defined]
        conn.execute(text("ALTER TABLE audit_event ENABLE TRIGGER USER"))  # type: ignore[attr-defined]
