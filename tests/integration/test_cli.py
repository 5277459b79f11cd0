"""What a person sees from the `accord` command when something is wrong or empty."""

from pathlib import Path

import pytest

from accord.settings import Settings
from accord.source.source_files import display_path
from tests.cli_runner import run_cli
from tests.conftest import CLAUSES, EXAMPLES
from tests.unit.source_examples import AGREEMENT, ORGANIZATIONS, at, changed


def test_check_accepts_the_examples(settings: Settings, capsys: pytest.CaptureFixture[str]) -> None:
    result = run_cli(capsys, "check", str(EXAMPLES))
    assert result.code == 0, result.err
    agreements = len(list(EXAMPLES.glob("*-*.yaml")))  # all but organizations.yaml
    assert agreements >= 6 and f"{agreements} agreements checked" in result.out


def test_check_lists_every_problem_with_its_position(
    settings: Settings, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "organizations.yaml").write_text(
        "format: accord/v1\norganizations:\n  - id: Bad Id\n    kindd: ngo\n", encoding="utf-8"
    )
    result = run_cli(capsys, "check", str(tmp_path / "organizations.yaml"))
    assert result.code == 1
    lines = result.err.strip().splitlines()
    assert lines[-1] == f"{len(lines) - 1} problem(s); nothing was written"
    assert any(":3:" in line and "Bad Id" in line for line in lines)
    assert any(":4:5: unknown key 'kindd' (did you mean 'kind'?)" in line for line in lines)
    assert "Traceback" not in result.err


def test_check_prints_warnings_and_succeeds(
    settings: Settings, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    agreement = changed(
        AGREEMENT,
        "    use: confidentiality\n    with: {retention_years: 7}\n",
        "    use: definitions\n    variant: generic\n",
    )
    (tmp_path / "organizations.yaml").write_text(ORGANIZATIONS, encoding="utf-8")
    (tmp_path / "mou.yaml").write_text(agreement, encoding="utf-8")
    result = run_cli(capsys, "check", str(tmp_path))
    assert result.code == 0, result.err
    where = f"{display_path(tmp_path / 'mou.yaml')}:{at(agreement, 'definitions')}"
    assert result.err.splitlines() == [
        f"{where}: warning: clause 'conf' uses the generic library clause 'definitions' although "
        f"{display_path(CLAUSES / 'definitions.KZ.yaml')} is written for KZ (generic was asked for)"
    ]
    assert result.out.strip() == "ok: 4 organisations, 1 agreements checked, 1 warning(s)"


def test_check_of_a_missing_file_says_so(
    settings: Settings, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    result = run_cli(capsys, "check", str(tmp_path / "nowhere.yaml"))
    assert result.code == 1
    assert "nowhere.yaml" in result.err and "Traceback" not in result.err


def test_usage_errors_exit_with_two(settings: Settings, capsys: pytest.CaptureFixture[str]) -> None:
    assert run_cli(capsys, "show").code == 2
    assert run_cli(capsys, "show", "x", "--version", "zero").code == 2
    assert run_cli(capsys, "no-such-command").code == 2


def test_unknown_agreement_is_a_plain_message(
    settings_on: Settings, capsys: pytest.CaptureFixture[str]
) -> None:
    result = run_cli(capsys, "show", "no-such-mou")
    assert result.code == 1
    assert result.err.strip() == "accord: no agreement 'no-such-mou' (known: none yet)"


def test_empty_database_lists_no_agreements(
    settings_on: Settings, capsys: pytest.CaptureFixture[str]
) -> None:
    result = run_cli(capsys, "agreements")
    assert result.code == 0 and "no agreements yet" in result.out


def test_unreachable_database_is_one_line(
    settings: Settings, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from accord.settings import get_settings

    monkeypatch.setenv("ACCORD_DATABASE_URL", "postgresql+psycopg://nobody@127.0.0.1:9/none")
    get_settings.cache_clear()
    result = run_cli(capsys, "agreements")
    assert result.code == 1
    assert result.err.startswith("accord: cannot use the database at postgresql+psycopg://")
    assert len(result.err.strip().splitlines()) == 1


def test_audit_reports_an_intact_empty_trail(
    settings_on: Settings, capsys: pytest.CaptureFixture[str]
) -> None:
    result = run_cli(capsys, "audit")
    assert result.code == 0 and "audit trail intact: 0 entries" in result.out
