"""Ongoing activities («постоянно», «на постоянной основе», «тұрақты», «туруктуу», «doimiy»):
carried out throughout the plan until `due`, read from spreadsheets, the source (`ongoing:
true`) and printed so in the plan."""

from datetime import date
from io import BytesIO
from pathlib import Path

import pytest
from docx import Document

from accord.documents.agreement_docx import render_agreement
from accord.source.plan_import.deadlines import Deadline, read_deadline
from accord.source.spec import version_content
from tests.factories import make_plan
from tests.unit.source_examples import AGREEMENT, ORGANIZATIONS, at, load, problems, write
from tests.unit.test_agreement_closing import CREATED
from tests.unit.test_plan_import import GOOD_ROWS, row_with, run_import, xlsx
from tests.unit.test_plan_import import load as load_imported

MOU = "agreements/mou.yaml"
ORGS = "agreements/organizations.yaml"
END = date(2027, 12, 31)
ONGOING = AGREEMENT.replace('    due: "2028-01-15"\n', '    due: "2028-01-15"\n    ongoing: true\n')


@pytest.fixture(autouse=True)
def in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)


@pytest.mark.parametrize(
    "written",
    [
        "постоянно",
        "Постоянно",
        "на постоянной основе",
        "тұрақты",
        "тұрақты түрде",
        "туруктуу",
        "doimiy",
        "doimiy ravishda",
        "доимий",
    ],
)
def test_ongoing_words_run_until_the_plans_end(written: str) -> None:
    assert read_deadline(written, END) == Deadline("2027-12-31", ongoing=True)


def test_an_ongoing_activity_for_named_years_runs_until_their_end() -> None:
    assert read_deadline("постоянно, 2025–2026 годы", END) == Deadline("2026-12-31", ongoing=True)


def test_an_ongoing_activity_without_the_plans_end_is_reported() -> None:
    assert "the plan does not say when" in str(read_deadline("постоянно", None))


def test_an_imported_ongoing_row_loads_as_an_ongoing_commitment(tmp_path: Path) -> None:
    rows = [row_with(deadline="на постоянной основе"), *GOOD_ROWS[1:]]
    text = run_import(xlsx(rows))
    agreement = load_imported(tmp_path, text)

    first = agreement.commitments[0]
    assert first.ongoing and first.repeat is None
    assert first.due == date(2027, 12, 31)  # the year the plan's title names
    assert agreement.term is not None and agreement.term.until == date(2027, 12, 31)


def test_the_source_reads_ongoing(tmp_path: Path) -> None:
    write(tmp_path, {ORGS: ORGANIZATIONS, MOU: ONGOING})
    [(_, mou)] = load(tmp_path, MOU).agreements

    assert [c.ongoing for c in mou.commitments] == [False, False, True]


def test_an_old_source_keeps_its_hash(tmp_path: Path) -> None:
    write(tmp_path, {ORGS: ORGANIZATIONS, MOU: AGREEMENT})
    sources = load(tmp_path, MOU)
    [(_, mou)] = sources.agreements

    assert '"ongoing"' not in version_content(mou, sources.organizations).canonical_json()


def test_ongoing_is_true_or_false(tmp_path: Path) -> None:
    text = ONGOING.replace("ongoing: true", "ongoing: always")
    write(tmp_path, {ORGS: ORGANIZATIONS, MOU: text})

    assert problems(tmp_path, MOU) == [
        f"{MOU}:{at(text, 'always')}: invalid commitment 'c-03' ongoing: 'always' "
        "(expected true or false)"
    ]


def test_an_ongoing_commitment_does_not_repeat(tmp_path: Path) -> None:
    text = ONGOING.replace("ongoing: true", "ongoing: true\n    repeat: {every: year}")
    write(tmp_path, {ORGS: ORGANIZATIONS, MOU: text})

    assert problems(tmp_path, MOU) == [
        f"{MOU}:{at(text, 'ongoing: true', 9)}: commitment 'c-03' is ongoing and repeats "
        "(expected ongoing: true or a repeat, not both)"
    ]


def test_the_plan_prints_an_ongoing_deadline_in_each_language() -> None:
    content = make_plan()
    [first, *rest] = content.agreement.commitments
    ongoing = first.model_copy(update={"ongoing": True, "due": END, "due_label": "2027-12-31"})
    plan = content.agreement.model_copy(update={"commitments": (ongoing, *rest)})
    content = content.model_copy(update={"agreement": plan})
    data = render_agreement(content, number=1, sha256="0" * 64, created_at=CREATED)
    cells = {c.text for t in Document(BytesIO(data)).tables for r in t.rows for c in r.cells}

    assert "постоянно; до 31.12.2027\nтұрақты; соңғы мерзімі — 31.12.2027" in cells
