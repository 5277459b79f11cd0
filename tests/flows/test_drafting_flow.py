"""Drafting end to end through the CLI and the Prefect flow, on SQLite and PostgreSQL."""

import json
import re
import shutil
from pathlib import Path

import pytest
from docx import Document
from sqlalchemy import func
from sqlmodel import Session, select

from accord.db import get_engine
from accord.services import audit
from accord.settings import Settings
from accord.source.source_files import display_path
from models import Agreement, AgreementVersion, AuditEvent, CommitmentDefinition, Organization
from tests.cli_runner import run_cli
from tests.conftest import CLAUSES, EXAMPLES

pytestmark = [pytest.mark.prefect, pytest.mark.usefixtures("prefect_harness")]

MOU = "kz-referral-mou"
PLAN = "kg-nrm-action-plan"


@pytest.fixture
def sources(tmp_path: Path) -> Path:
    """A private copy of the examples, so tests can edit them."""
    folder = tmp_path / "agreements"
    shutil.copytree(EXAMPLES, folder)
    return folder


def _warnings(err: str) -> list[str]:
    """The `file:line:column: warning: …` lines among what the command wrote to stderr."""
    return [line for line in err.splitlines() if re.match(r"\S+:\d+:\d+: warning: ", line)]


def _count(settings: Settings, model: type) -> int:
    with Session(get_engine(settings.database_url)) as session:
        return session.exec(select(func.count()).select_from(model)).one()


def test_drafting_twice_makes_one_version_each(
    settings_on: Settings, sources: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    first = run_cli(capsys, "draft", str(sources))
    assert first.code == 0, first.err
    assert f"{MOU}: new version 1" in first.out and f"{PLAN}: new version 1" in first.out
    second = run_cli(capsys, "draft", str(sources))
    assert second.code == 0, second.err
    assert f"{MOU}: unchanged, still version 1" in second.out
    assert _count(settings_on, AgreementVersion) == len(list(sources.glob("*-*.yaml")))
    document = settings_on.output_dir / MOU / f"{MOU}-v1.docx"
    assert Document(str(document)).core_properties.revision == 1
    with Session(get_engine(settings_on.database_url)) as session:
        assert audit.verify_chain(session=session).ok


def test_a_changed_clause_makes_version_two_with_a_new_hash(
    settings_on: Settings, sources: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run_cli(capsys, "draft", str(sources)).code == 0
    source = sources / f"{MOU}.yaml"
    text = source.read_text(encoding="utf-8")
    source.write_text(text.replace("city: Астана", "city: Алматы", 1), encoding="utf-8")
    result = run_cli(capsys, "draft", str(source))
    assert result.code == 0, result.err
    assert f"{MOU}: new version 2" in result.out
    with Session(get_engine(settings_on.database_url)) as session:
        versions = session.exec(
            select(AgreementVersion)
            .join(Agreement)
            .where(Agreement.slug == MOU)
            .order_by(AgreementVersion.number)
        ).all()
        assert [v.number for v in versions] == [1, 2]
        assert versions[0].sha256 != versions[1].sha256
        assert "Алматы" in versions[1].content and "Алматы" not in versions[0].content
    assert (settings_on.output_dir / MOU / f"{MOU}-v2.docx").is_file()
    shown = run_cli(capsys, "show", MOU, "--version", "1")
    assert shown.code == 0 and "* 1" in shown.out


def test_invalid_source_is_refused_and_writes_nothing(
    settings_on: Settings, sources: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = sources / f"{MOU}.yaml"
    source.write_text(
        source.read_text(encoding="utf-8").replace("clauses:", "clauess:", 1), encoding="utf-8"
    )
    result = run_cli(capsys, "draft", str(sources))
    assert result.code == 1
    assert "unknown key 'clauess' (did you mean 'clauses'?)" in result.err
    assert "nothing was written" in result.err
    assert "Traceback" not in result.err + result.out
    assert _count(settings_on, Organization) == 0


def test_a_failure_inside_the_transaction_leaves_no_rows(
    settings_on: Settings, sources: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from flows import drafting

    def broken_renderer(results: object) -> object:
        raise RuntimeError("disk of the printer caught fire")

    monkeypatch.setattr(drafting, "render_drafts", broken_renderer)
    with pytest.raises(RuntimeError, match="caught fire"):
        drafting.draft_agreements(paths=[str(sources)], actor="test")
    for model in (Organization, Agreement, AgreementVersion, CommitmentDefinition, AuditEvent):
        assert _count(settings_on, model) == 0, model.__name__
    assert not settings_on.output_dir.exists() or not any(settings_on.output_dir.rglob("*.docx"))


def test_draft_prints_warnings_and_records_the_library_file_of_each_clause(
    settings_on: Settings, sources: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = sources / f"{MOU}.yaml"
    text = source.read_text(encoding="utf-8")
    generic = text.replace(
        "    use: definitions\n", "    use: definitions\n    variant: generic\n", 1
    )
    source.write_text(generic, encoding="utf-8")
    result = run_cli(capsys, "draft", str(source))
    assert result.code == 0, result.err
    assert [line.split(": warning: ")[1] for line in _warnings(result.err)] == [
        "clause 'definitions' uses the generic library clause 'definitions' although "
        f"{display_path(CLAUSES / 'definitions.KZ.yaml')} is written for KZ (generic was asked for)"
    ]
    assert f"{MOU}: new version 1" in result.out
    source.write_text(text, encoding="utf-8")  # back to the country's variant
    assert _warnings(run_cli(capsys, "draft", str(source)).err) == []
    with Session(get_engine(settings_on.database_url)) as session:
        versions = session.exec(select(AgreementVersion).order_by(AgreementVersion.number)).all()
    libraries = [
        {c["id"]: c["library"] for c in json.loads(v.content)["agreement"]["clauses"]}
        for v in versions
    ]
    assert [(lib["definitions"], lib["referral-procedure"]) for lib in libraries] == [
        ("definitions", "referral-procedure.KZ"),
        ("definitions.KZ", "referral-procedure.KZ"),
    ]
