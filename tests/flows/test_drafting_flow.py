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
from accord.services.drafting.drafting import DraftResult
from accord.settings import Settings
from accord.source.source_files import display_path
from models import Agreement, AgreementVersion, AuditEvent, Organization
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


def test_an_agreement_that_cannot_be_printed_gets_no_rows_and_stops_no_other(
    settings_on: Settings, sources: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from flows import drafting

    real = drafting.render_draft

    def renderer_failing_the_mou(plan: DraftResult) -> bytes:
        if plan.agreement == MOU:
            raise RuntimeError("disk of the printer caught fire")
        return real(plan)

    monkeypatch.setattr(drafting, "render_draft", renderer_failing_the_mou)
    summary = drafting.draft_agreements(paths=[str(sources)], actor="test")
    order = [item["agreement"] for item in summary]
    assert order == sorted(order) and PLAN in order and MOU in order  # the sources' order
    failed = [item for item in summary if "error" in item]
    assert [item["agreement"] for item in failed] == [MOU]
    assert "caught fire" in failed[0]["error"] and "no version was made" in failed[0]["error"]
    assert all(item["created"] for item in summary if item["agreement"] != MOU)
    others = set(order) - {MOU}
    with Session(get_engine(settings_on.database_url)) as session:
        slugs = session.exec(select(Agreement.slug)).all()
        assert set(slugs) == others
        versions = session.exec(select(func.count()).select_from(AgreementVersion)).one()
        assert versions == len(others)
        subjects = session.exec(select(AuditEvent.subject)).all()
        assert f"agreement:{MOU}" not in subjects
    assert not (settings_on.output_dir / MOU).exists()
    assert (settings_on.output_dir / PLAN / f"{PLAN}-v1.docx").is_file()


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


def _many(folder: Path, count: int) -> list[str]:
    """`count` MOUs (copies of the example under their own ids) and the organisations."""
    folder.mkdir()
    shutil.copy(EXAMPLES / "organizations.yaml", folder)
    text = (EXAMPLES / f"{MOU}.yaml").read_text(encoding="utf-8")
    ids = [f"{MOU}-{n:02d}" for n in range(count)]
    for slug in ids:
        (folder / f"{slug}.yaml").write_text(
            text.replace(f"id: {MOU}\n", f"id: {slug}\n", 1), encoding="utf-8"
        )
    return ids


def test_a_folder_is_drafted_in_parallel_and_a_failing_agreement_is_listed_at_the_end(
    settings_on: Settings, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ids = _many(tmp_path / "many", 12)
    broken = ids[5]
    settings_on.output_dir.mkdir(parents=True)
    (settings_on.output_dir / broken).write_text("a file where its folder should be")

    result = run_cli(capsys, "draft", str(tmp_path / "many"))

    assert result.code == 1
    printed = [line.split(":")[0] for line in result.out.splitlines()]
    assert printed == ids  # the sources' order, the failed one too (its version was recorded)
    assert f"{broken}: new version 1 (sha256" in result.out and "(no document)" in result.out
    failures = result.err.splitlines()[-2:]
    assert failures[0] == "1 of 12 agreement(s) failed:"
    assert failures[1].startswith(f"  {broken}: version 1 recorded, but its document was not")
    for slug in ids:
        if slug != broken:
            assert (settings_on.output_dir / slug / f"{slug}-v1.docx").is_file()
    assert _count(settings_on, AgreementVersion) == 12

    (settings_on.output_dir / broken).unlink()
    again = run_cli(capsys, "draft", str(tmp_path / "many"))
    assert again.code == 0, again.err
    assert again.out.count("unchanged, still version 1") == 12
    assert (settings_on.output_dir / broken / f"{broken}-v1.docx").is_file()
    with Session(get_engine(settings_on.database_url)) as session:
        assert audit.verify_chain(session=session).ok
