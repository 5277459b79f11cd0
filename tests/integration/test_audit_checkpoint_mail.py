"""Each signed checkpoint of the audit trail is also e-mailed to the secretariats, so a copy
of the trail's head lives outside the machine (on SQLite and PostgreSQL)."""

import json
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from accord.adapters.audit_file import checkpoint_file
from accord.settings import Settings
from models import Contact, OutgoingMessage
from tests.cli_runner import run_cli
from tests.review_world import make_world


def _checkpoint_mails(engine: Engine) -> list[OutgoingMessage]:
    with Session(engine) as session:
        query = select(OutgoingMessage).where(OutgoingMessage.kind == "audit_checkpoint")
        return list(session.exec(query.order_by(col(OutgoingMessage.id))))


def _secretariats(engine: Engine) -> set[str]:
    with Session(engine) as session:
        return {c.email for c in session.exec(select(Contact)) if "secretariat" in c.roles}


def test_the_signed_head_is_mailed_to_every_secretariat_contact(
    settings_on: Settings, engine: Engine, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    make_world(tmp_path / "world", engine)  # the examples drafted: audit entries, contacts
    result = run_cli(capsys, "audit", "--checkpoint")
    assert result.code == 0, result.err
    [line] = checkpoint_file(settings_on).read_text(encoding="utf-8").splitlines()
    signed = json.loads(line)
    mails = _checkpoint_mails(engine)
    keepers = _secretariats(engine)
    assert keepers and {m.to_email for m in mails} == keepers
    for mail in mails:
        assert signed["hash"] in mail.text and signed["signature"] in mail.text
        assert str(signed["seq"]) in mail.text
        assert mail.status.value == "sent"  # delivered by the command, not left for tomorrow
    assert f"({len(keepers)} e-mails sent)" in result.out
    kazakh = next(m for m in mails if m.to_email == "secretariat@example.kz")
    assert kazakh.language == "ru" and "журнала аудита" in kazakh.subject

    again = run_cli(capsys, "audit", "--checkpoint")  # nothing new: no checkpoint, no mail
    assert again.code == 0 and len(_checkpoint_mails(engine)) == len(mails)
