"""A coordinator's spreadsheet of activities turned into an `accord/v1` agreement source.

Coordinators draft joint plans in Excel. This reads such a sheet (columns found by
their Russian or English names, texts per language in columns suffixed " (ru)",
" (kk)" …) and writes the YAML the secretariat then keeps under `agreements/`.
Every bad cell is reported at once, by sheet, row and column; nothing half-read
comes out.
"""

from collections.abc import Mapping, Sequence
from io import BytesIO

from openpyxl import load_workbook
from openpyxl.workbook.workbook import Workbook

from accord.i18n.languages import written_tag
from accord.source.field_readers import expected_language
from accord.source.plan_import.errors import PlanImportInvalid
from accord.source.plan_import.headers import find_table, sheet_title
from accord.source.plan_import.organisations import Organisations
from accord.source.plan_import.rows import read_rows
from accord.source.plan_import.yaml_writer import Source, source_text
from accord.source.spec import AgreementKind

__all__ = ["PlanImportInvalid", "import_plan"]


def import_plan(
    data: bytes,
    *,
    agreement_id: str,
    kind: str,
    languages: Sequence[str],
    country: str,
    secretariat: str,
    known_orgs: Mapping[str, set[str]],
    title: Mapping[str, str],
    file_name: str = "plan.xlsx",
) -> str:
    """The agreement source text for the plan in `data`, or PlanImportInvalid with every problem."""
    problems = _check_arguments(kind, languages, secretariat, known_orgs, title)
    languages = [tag for language in languages if (tag := written_tag(language))]  # uz: uz-Latn
    if not languages:  # which columns hold which language cannot be told
        raise PlanImportInvalid(problems)
    title = {written_tag(language) or language: text for language, text in title.items()}
    workbook = _open(data, file_name)
    table = find_table(workbook, file_name, tuple(languages))
    if isinstance(table, str):
        raise PlanImportInvalid([*problems, table])
    rows = read_rows(table, tuple(languages), Organisations.of(known_orgs), country)
    if not rows and not table.problems:
        expected = "expected one row per activity under it"
        table.problems.append(f"{table.where}: no activities below the header row ({expected})")
    problems += table.problems
    if problems:
        raise PlanImportInvalid(problems)
    source = Source(agreement_id, kind, tuple(languages), country, secretariat, dict(title))
    return source_text(source, sheet_title(table), rows, table)


def _check_arguments(
    kind: str,
    languages: Sequence[str],
    secretariat: str,
    known_orgs: Mapping[str, set[str]],
    title: Mapping[str, str],
) -> list[str]:
    """What the caller (not the sheet) got wrong, in the same words."""
    problems: list[str] = []
    kinds = [k.value for k in AgreementKind]
    if kind not in kinds:
        problems.append(
            f"kind: '{kind}' is not a kind of agreement (expected {' or '.join(kinds)})"
        )
    if not languages:
        problems.append("languages: none given (expected at least one, like ru)")
    problems += [
        f"languages: '{language}' is not a language Accord knows ({expected_language(language)})"
        for language in languages
        if written_tag(language) is None
    ]
    problems += [
        f"title: no text in '{language}' (expected a title in every language of the plan)"
        for language in languages
        if not title.get(language, "").strip()
    ]
    if secretariat not in known_orgs:
        problems.append(f"secretariat: unknown organisation '{secretariat}' (expected an id)")
    return problems


def _open(data: bytes, file_name: str) -> Workbook:
    """The workbook, or a message that the file is not one (openpyxl fails in many ways)."""
    try:
        return load_workbook(BytesIO(data), data_only=True)
    except Exception as error:  # any failure to parse means the same thing to the coordinator
        reason = f"{type(error).__name__}: {error}"
        raise PlanImportInvalid(
            [f"{file_name}: not an Excel workbook (expected an .xlsx file; {reason})"]
        ) from error
