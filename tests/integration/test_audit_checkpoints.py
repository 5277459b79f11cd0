"""Signed checkpoints outside the database catch what the hash chain alone cannot: a chain
recomputed behind dropped triggers, a cut tail, a removed checkpoint, a forged one."""

import base64
import json
from datetime import timedelta

import pytest
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from sqlalchemy import text
from sqlalchemy.engine import Connection, Engine
from sqlmodel import Session, col, select

from accord.adapters.audit_file import checkpoint_file
from accord.services import audit
from accord.services.audit_anchor import checkpoint_problems, next_checkpoint
from accord.settings import Settings
from models import AuditEvent
from models.columns import utcnow
from tests.cli_runner import CliResult, run_cli


@pytest.fixture
def trail(settings_on: Settings, engine: Engine) -> Engine:
    with engine.begin() as conn:
        if conn.dialect.name == "postgresql":  # the session's database: guards back on
            conn.execute(text("ALTER TABLE audit_event ENABLE TRIGGER USER"))
    _entries(engine, 3)
    return engine


def _entries(engine: Engine, count: int) -> None:
    with Session(engine) as session:
        for n in range(count):
            audit.record(session=session, actor="secretariat", action="test.step", subject=f"s{n}")
        session.commit()


def _audit(capsys: pytest.CaptureFixture[str], *args: str) -> CliResult:
    return run_cli(capsys, "audit", *args)


def _drop_guards(conn: Connection) -> None:
    if conn.dialect.name == "postgresql":
        conn.execute(text("ALTER TABLE audit_event DISABLE TRIGGER USER"))
    else:
        for trigger in ("audit_event_no_update", "audit_event_no_delete"):
            conn.execute(text(f"DROP TRIGGER {trigger}"))


def test_checkpoints_are_signed_and_the_trail_then_checks(
    trail: Engine, settings_on: Settings, capsys: pytest.CaptureFixture[str]
) -> None:
    unsigned = _audit(capsys)
    assert unsigned.code == 1 and "no checkpoint of the trail has been signed" in unsigned.err
    signed = _audit(capsys, "--checkpoint")
    assert signed.code == 0 and "checkpoint signed at entry 3" in signed.out
    _entries(trail, 2)
    assert _audit(capsys, "--checkpoint").code == 0
    assert _audit(capsys).out.strip().endswith("audit trail intact: 5 entries")
    lines = checkpoint_file(settings_on).read_text(encoding="utf-8").splitlines()
    assert [json.loads(line)["seq"] for line in lines] == [3, 5]


def test_a_chain_recomputed_behind_dropped_triggers_is_caught(
    trail: Engine, settings_on: Settings, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _audit(capsys, "--checkpoint").code == 0
    with trail.begin() as conn:
        _drop_guards(conn)
        conn.execute(text("UPDATE audit_event SET actor = 'mallory' WHERE seq = 2"))
    with Session(trail) as session:  # recompute every hash from entry 2 on
        previous = session.exec(select(AuditEvent).where(AuditEvent.seq == 1)).one().hash
        later = select(AuditEvent).where(col(AuditEvent.seq) >= 2).order_by(col(AuditEvent.seq))
        for event in session.exec(later):
            event.prev_hash = previous
            event.hash = audit.entry_hash(
                prev_hash=previous,
                seq=event.seq,
                at=event.at,
                actor=event.actor,
                action=event.action,
                subject=event.subject,
                data=event.data,
            )
            previous = event.hash
            session.add(event)
        session.commit()
        assert audit.verify_chain(session=session).ok  # the chain alone is fooled
    result = _audit(capsys)
    assert result.code == 1
    assert "the entry it signed was rewritten (the chain recomputed)" in result.err
    assert "trigger audit_event_" in result.err
    refused = _audit(capsys, "--checkpoint")  # never signs over a forgery
    assert refused.code == 1 and "no checkpoint signed" in refused.err


def test_a_cut_tail_and_a_removed_or_forged_checkpoint_are_caught(
    trail: Engine, settings_on: Settings, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _audit(capsys, "--checkpoint").code == 0
    _entries(trail, 1)
    assert _audit(capsys, "--checkpoint").code == 0
    _entries(trail, 1)
    assert _audit(capsys, "--checkpoint").code == 0
    path = checkpoint_file(settings_on)
    lines = path.read_text(encoding="utf-8").splitlines()
    path.write_text("\n".join([lines[0], lines[2]]) + "\n", encoding="utf-8")
    removed = _audit(capsys)
    assert "checkpoint 2 (entry 5" in removed.err and "before it is missing" in removed.err

    forged = json.loads(lines[1])
    other = ec.generate_private_key(ec.SECP256R1())
    signed = json.dumps([forged["seq"], forged["hash"], forged["at"], forged["previous"]])
    raw = other.sign(signed.replace(" ", "").encode(), ec.ECDSA(hashes.SHA256()))
    forged["signature"] = base64.b64encode(raw).decode()
    path.write_text("\n".join([lines[0], json.dumps(forged), lines[2]]) + "\n", encoding="utf-8")
    assert "signature is not the installation's" in _audit(capsys).err

    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with trail.begin() as conn:
        _drop_guards(conn)
        conn.execute(text("DELETE FROM audit_event WHERE seq >= 5"))
    cut = _audit(capsys)
    assert cut.code == 1 and "the entry it signed is gone (the trail was cut)" in cut.err


def test_entries_long_after_the_last_checkpoint_say_checkpoints_are_missing(trail: Engine) -> None:
    with Session(trail) as session:
        two_days_ago = utcnow() - timedelta(days=2)
        old = next_checkpoint(None, session=session, now=two_days_ago)
        assert old is not None
        assert checkpoint_problems([old], session=session, genuine=lambda _: True) == []
    _entries(trail, 1)
    with Session(trail) as session:
        (problem,) = checkpoint_problems([old], session=session, genuine=lambda _: True)
    assert problem.startswith(f"no checkpoint since {old.at} (entry 3)")
