"""`accord import-plan` on a plan as ministries print it: short names from a file, the columns
it does not read said on the error stream, the source written and loadable."""

import shutil
from pathlib import Path

import pytest
import yaml

from accord.settings import Settings
from accord.source.clause_library import ClauseLibrary
from accord.source.loader import load_sources
from tests.cli_runner import run_cli

PLANS = Path(__file__).parents[1] / "data" / "plans"
NAMES = {"МВД": "kz-mia", "МТСЗН": "kz-mlsp", "ГП": "kz-gp", "МП": "kz-mes"}
NAMES_TEXT = yaml.safe_dump(NAMES, allow_unicode=True) + "ОФ «Безопасный дом»: ngo-safe-home\n"


@pytest.fixture
def agreements(settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An agreements folder holding the plans' organisations, as the settings' own."""
    folder = tmp_path / "agreements"
    folder.mkdir()
    shutil.copy(PLANS / "organizations.yaml", folder / "organizations.yaml")
    monkeypatch.setattr(settings, "agreements_dir", folder)
    return folder


def test_a_kazakh_plan_imports_with_the_short_names_its_secretariat_lists(
    agreements: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    names = tmp_path / "names.yaml"
    names.write_text(NAMES_TEXT, encoding="utf-8")
    plan = PLANS / "kz-plan-2025-2027.xlsx"
    args = ["import-plan", str(plan), "--id", "kz-plan", "--secretariat", "kz-iac"]
    args += ["--country", "KZ", "--languages", "ru", "--title", "План мероприятий"]

    without = run_cli(capsys, *args)
    done = run_cli(capsys, *args, "--names", str(names))

    assert without.code != 0 and "unknown organisation 'МВД'" in without.err
    assert done.code == 0, done.err
    assert "column K ('Примечание'): not a column Accord reads" in done.err
    written = agreements / "kz-plan.yaml"
    library = ClauseLibrary.from_directory(tmp_path / "clauses")
    [(_, agreement)] = load_sources([written], clause_library=library).agreements
    assert len(agreement.commitments) == 5
    assert agreement.commitments[0].co_responsible == ("kz-mlsp", "kz-gp")


def test_a_names_file_naming_an_unknown_organisation_is_refused(
    agreements: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    names = tmp_path / "names.yaml"
    names.write_text("МВД: kz-police\n", encoding="utf-8")
    result = run_cli(
        capsys, "import-plan", str(PLANS / "kz-plan-2025-2027.xlsx"), "--id", "kz-plan",
        "--secretariat", "kz-iac", "--country", "KZ", "--languages", "ru",
        "--names", str(names),
    )  # fmt: skip

    assert result.code != 0
    assert "not organisation ids of organizations.yaml: kz-police" in result.err
    assert not (agreements / "kz-plan.yaml").exists()


SHORT_NAMES = {
    "kz-mia": "{ru: МВД}",
    "kz-mlsp": "{ru: МТСЗН}",
    "kz-gp": "{ru: ГП}",
    "kz-mes": "{ru: МП}",
    "ngo-safe-home": "{ru: ОФ «Безопасный дом»}",
}


def with_short_names(folder: Path) -> None:
    """The plans' organisations file, each Kazakh body with the short name its plan uses."""
    path = folder / "organizations.yaml"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    out: list[str] = []
    current = ""
    for line in lines:
        if line.startswith("  - id: "):
            current = line.removeprefix("  - id: ").strip()
        out.append(line)
        if line.startswith("    country: ") and current in SHORT_NAMES:
            out.append(f"    short_name: {SHORT_NAMES[current]}\n")
    path.write_text("".join(out), encoding="utf-8")


def test_a_kazakh_plan_imports_by_the_short_names_of_the_organisations_file(
    agreements: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with_short_names(agreements)
    plan = PLANS / "kz-plan-2025-2027.xlsx"
    args = ["import-plan", str(plan), "--id", "kz-plan", "--secretariat", "kz-iac"]
    args += ["--country", "KZ", "--languages", "ru", "--title", "План мероприятий"]

    done = run_cli(capsys, *args)

    assert done.code == 0, done.err
    library = ClauseLibrary.from_directory(tmp_path / "clauses")
    [(_, agreement)] = load_sources(
        [agreements / "kz-plan.yaml"], clause_library=library
    ).agreements
    assert len(agreement.commitments) == 5
    assert agreement.commitments[0].co_responsible == ("kz-mlsp", "kz-gp")


def test_the_names_file_wins_over_the_short_names(
    agreements: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with_short_names(agreements)
    names = tmp_path / "names.yaml"
    names.write_text("ГП: kz-mes\n", encoding="utf-8")
    plan = PLANS / "kz-plan-2025-2027.xlsx"
    args = ["import-plan", str(plan), "--id", "kz-plan", "--secretariat", "kz-iac"]
    args += ["--country", "KZ", "--languages", "ru", "--names", str(names)]

    done = run_cli(capsys, *args)

    assert done.code == 0, done.err
    library = ClauseLibrary.from_directory(tmp_path / "clauses")
    [(_, agreement)] = load_sources(
        [agreements / "kz-plan.yaml"], clause_library=library
    ).agreements
    assert agreement.commitments[0].co_responsible == ("kz-mlsp", "kz-mes")
