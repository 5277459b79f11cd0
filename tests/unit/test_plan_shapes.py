"""Plans shaped as the region writes them: the three spreadsheets of tests/data/plans (a
Kazakh plan with a two-row header and budget by year, a Kyrgyz plan in Kyrgyz, an Uzbek
roadmap in Latin script) import, load, and give the expected items and occurrences."""

from datetime import date
from decimal import Decimal
from io import BytesIO
from pathlib import Path

import pytest
import yaml
from openpyxl import Workbook, load_workbook

from accord.services.commitments.rules import occurrences
from accord.source.clause_library import ClauseLibrary
from accord.source.loader import load_sources
from accord.source.plan_import import ImportedPlan, PlanImportInvalid, import_plan
from accord.source.plan_import.deadlines import Deadline, read_deadline
from accord.source.spec import AgreementSpec, CommitmentSpec

PLANS = Path(__file__).parents[1] / "data" / "plans"
ORGANIZATIONS = (PLANS / "organizations.yaml").read_text(encoding="utf-8")
SHORT_NAMES = {
    "kz-mia": {"МВД"}, "kz-mlsp": {"МТСЗН"}, "kz-gp": {"ГП"}, "kz-mes": {"МП"},
    "ngo-safe-home": {"ОФ «Безопасный дом»"}, "kg-mia": {"ИИМ"}, "kg-mlssm": {"ЭСКМ"},
    "kg-gpo": {"Башкы прокуратура"}, "ngo-safe-path": {"«Коопсуз жол» КФ"}, "uz-mia": {"IIV"},
    "uz-mpre": {"KQBV"}, "uz-gpo": {"Bosh prokuratura"},
    "uz-mahalla": {"Mahalla va oila vazirligi"},
}  # fmt: skip
"""The abbreviations plans use, as a secretariat would list them for the import."""
KNOWN = {
    org["id"]: set(org["name"].values()) | SHORT_NAMES.get(org["id"], set())
    for org in yaml.safe_load(ORGANIZATIONS)["organizations"]
}
START = date(2025, 1, 1)
"""Entry into force of each plan, for counting occurrences."""


def imported(file: str, language: str, country: str, secretariat: str) -> ImportedPlan:
    return import_plan(
        (PLANS / file).read_bytes(),
        agreement_id=file.removesuffix(".xlsx"),
        kind="joint_action_plan",
        languages=[language],
        country=country,
        secretariat=secretariat,
        known_orgs=KNOWN,
        title={language: "План"},
        file_name=file,
    )


def loaded(tmp_path: Path, plan: ImportedPlan) -> AgreementSpec:
    """The import through the real loader, beside the organisations file."""
    (tmp_path / "organizations.yaml").write_text(ORGANIZATIONS, encoding="utf-8")
    (tmp_path / "plan.yaml").write_text(plan.text, encoding="utf-8")
    library = ClauseLibrary.from_directory(tmp_path / "clauses")
    [(_, agreement)] = load_sources([tmp_path / "plan.yaml"], clause_library=library).agreements
    return agreement


def occurrence_counts(agreement: AgreementSpec) -> list[int]:
    return [
        len(occurrences(c.repeat, START, c.due)) if c.repeat else 1 for c in agreement.commitments
    ]


def by_id(agreement: AgreementSpec, commitment_id: str) -> CommitmentSpec:
    return next(c for c in agreement.commitments if c.id == commitment_id)


@pytest.mark.parametrize(
    ("file", "language", "country", "secretariat", "counts", "objectives"),
    [
        # yearly by 25 Dec ×3; once; quarterly by the 5th after each quarter (the last one
        # falls after the plan) ×11; 2025–2027 yearly ×3; once
        ("kz-plan-2025-2027.xlsx", "ru", "KZ", "kz-iac", [3, 1, 11, 3, 1], 2),
        # yearly ×3; quarterly ×12; once; 2025–2027 ×3
        ("kg-plan-2025-2027.xlsx", "ky", "KG", "kg-cc", [3, 12, 1, 3], 2),
        # quarterly ×8; once; yearly ×2; 2025–2026 ×2
        ("uz-roadmap-2025-2026.xlsx", "uz-Latn", "UZ", "uz-nc", [8, 1, 2, 2], 2),
    ],
)
def test_each_countrys_plan_imports_with_its_items_and_occurrences(
    tmp_path: Path,
    file: str,
    language: str,
    country: str,
    secretariat: str,
    counts: list[int],
    objectives: int,
) -> None:
    agreement = loaded(tmp_path, imported(file, language, country, secretariat))

    assert len(agreement.commitments) == len(counts)
    assert occurrence_counts(agreement) == counts
    assert len(agreement.objectives) == objectives
    assert all(c.objective for c in agreement.commitments)  # headings, not "other activities"


def test_the_kazakh_plan_reads_bodies_forms_and_budget_by_year(tmp_path: Path) -> None:
    plan = imported("kz-plan-2025-2027.xlsx", "ru", "KZ", "kz-iac")
    agreement = loaded(tmp_path, plan)
    first, second = by_id(agreement, "c-01"), by_id(agreement, "c-02")

    assert (first.responsible, first.co_responsible) == ("kz-mia", ("kz-mlsp", "kz-gp"))
    assert first.completion == {"ru": "информация в Межведомственную комиссию"}
    assert first.repeat is not None and first.repeat.by == (12, 25)
    assert first.budget is not None
    assert (first.budget.currency, first.budget.scale) == ("KZT", 1000)
    assert [(y.year, y.source, y.amount) for y in first.budget.years] == [
        (2025, "РБ", Decimal(1500)),
        (2026, "РБ", Decimal(1600)),
        (2027, "РБ", Decimal(1700)),
    ]
    assert first.budget.amount == Decimal(4800000)  # «Всего» is read for nothing: summed
    assert (second.due_label, second.repeat) == ("2025-Q4", None)
    assert by_id(agreement, "c-03").budget is None  # «не требуется», no amounts
    assert agreement.term is not None and agreement.term.until == date(2027, 12, 31)
    roles = {party.org: party.role.value for party in agreement.parties}
    assert roles["kz-gp"] == roles["ngo-safe-home"] == "reviewer"  # «(по согласованию)»
    assert [o.title["ru"] for o in agreement.objectives] == [
        "Задача 1. Выявление случаев торговли людьми",
        "Задача 2. Защита и помощь пострадавшим",
    ]


def test_unknown_columns_are_reported_not_dropped_silently() -> None:
    kz = imported("kz-plan-2025-2027.xlsx", "ru", "KZ", "kz-iac")
    uz = imported("uz-roadmap-2025-2026.xlsx", "uz-Latn", "UZ", "uz-nc")

    note = (
        "kz-plan-2025-2027.xlsx: sheet 'План мероприятий', column K ('Примечание'): "
        "not a column Accord reads; left out"
    )
    assert kz.notes == (note,)
    assert f"# {note}\n" in kz.text
    assert [n.split(", ")[1] for n in uz.notes] == [
        "column I ('Izoh'): not a column Accord reads; left out"
    ]


def test_the_kyrgyz_and_uzbek_plans_keep_their_units_and_mechanisms(tmp_path: Path) -> None:
    kg = loaded(tmp_path, imported("kg-plan-2025-2027.xlsx", "ky", "KG", "kg-cc"))
    uz = loaded(tmp_path, imported("uz-roadmap-2025-2026.xlsx", "uz-Latn", "UZ", "uz-nc"))

    kg_first = by_id(kg, "c-01")
    assert kg_first.budget is not None and kg_first.budget.amount == Decimal(850000)  # миң сом
    assert kg_first.budget.currency == "KGS"
    assert by_id(kg, "c-02").responsible == "ngo-safe-path"
    assert {p.org: p.role.value for p in kg.parties}["ngo-safe-path"] == "reviewer"
    second = by_id(uz, "c-02")
    assert second.mechanism == {"uz-Latn": "Vazirlar Mahkamasi qarori loyihasini ishlab chiqish"}
    assert second.due == date(2025, 7, 1)  # «2025-yil 1-iyul»
    assert second.budget is not None and second.budget.amount == Decimal("450500000")


YEARLY_25_DEC = {"every": "year", "by": "12-25"}


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("2025–2027 годы", Deadline("2027-12-31", {"every": "year", "by": "12-31"})),
        ("2025-2027-жылдар", Deadline("2027-12-31", {"every": "year", "by": "12-31"})),
        ("ежегодно, до 25 декабря", Deadline("2026-12-31", YEARLY_25_DEC)),
        ("жыл сайын, 25 желтоқсанға дейін", Deadline("2026-12-31", YEARLY_25_DEC)),
        ("har yili 25-dekabrgacha", Deadline("2026-12-31", YEARLY_25_DEC)),
        ("ежеквартально", Deadline("2026-12-31", {"every": "quarter"})),
        ("ежеквартально, до 10 числа", Deadline("2026-12-31", {"every": "quarter", "day": 10})),
        ("ежемесячно", Deadline("2026-12-31", {"every": "month"})),
        ("раз в полугодие", Deadline("2026-12-31", {"every": "half_year"})),
        ("2026 год, ежегодно до 1 июля", Deadline("2026-12-31", {"every": "year", "by": "07-01"})),
        ("декабрь 2026 года", Deadline("2026-12-31")),
        ("25 декабря 2026 года", Deadline("2026-12-25")),
        ("в течение 2026 года", Deadline("2026-12-31")),
        ("I полугодие 2026 года", Deadline("2026-06-30")),
        ("IV квартал 2025 года", Deadline("2025-Q4")),
        ("30.06.2026", Deadline("2026-06-30")),
    ],
)  # fmt: skip
def test_deadlines_plans_write_become_a_due_date_and_a_repeat(
    written: str, expected: Deadline
) -> None:
    assert read_deadline(written, date(2026, 12, 31)) == expected


@pytest.mark.parametrize("written", ["31 февраля 2026 года", "2027–2025 годы", "иногда"])
def test_what_is_not_a_deadline_is_said_to_be_none(written: str) -> None:
    assert isinstance(read_deadline(written, date(2026, 12, 31)), str)


def test_a_recurring_deadline_without_the_plans_end_is_reported() -> None:
    assert "the plan does not say when" in str(read_deadline("ежегодно", None))


def test_a_row_with_several_sources_for_one_amount_is_reported() -> None:
    data = (PLANS / "kz-plan-2025-2027.xlsx").read_bytes()
    workbook = load_workbook(BytesIO(data))
    sheet = workbook.worksheets[0]
    row = next(
        r
        for r in range(1, sheet.max_row + 1)
        if sheet.cell(r, 2).value
        and sheet.cell(r, 1).value == 1
        and isinstance(sheet.cell(r, 2).value, str)
    )
    sheet.cell(row, 10).value = "РБ, МБ"
    buffer = BytesIO()
    workbook.save(buffer)
    with pytest.raises(PlanImportInvalid) as raised:
        import_plan(
            buffer.getvalue(),
            agreement_id="kz",
            kind="joint_action_plan",
            languages=["ru"],
            country="KZ",
            secretariat="kz-iac",
            known_orgs=KNOWN,
            title={"ru": "План"},
            file_name="kz.xlsx",
        )
    assert raised.value.problems == [
        f"kz.xlsx: sheet 'План мероприятий', row {row}, column J (Источник финансирования): "
        "several sources (РБ, МБ) for one amount a year (expected one source per row, or a "
        "column per source under each year)"
    ]


def three_row_header_plan() -> bytes:
    """Budget over years over sources: «Предполагаемые расходы» / 2026, 2027 / РБ, МБ."""
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "План"
    for column, name in enumerate(("№", "Мероприятие", "Ответственные", "Срок"), start=1):
        sheet.cell(1, column, name)
        sheet.merge_cells(start_row=1, start_column=column, end_row=3, end_column=column)
    sheet.cell(1, 5, "Предполагаемые расходы (млн тенге)")
    sheet.merge_cells("E1:H1")
    sheet.cell(2, 5, "2026")
    sheet.merge_cells("E2:F2")
    sheet.cell(2, 7, "2027")
    sheet.merge_cells("G2:H2")
    for column, source in zip(range(5, 9), ("РБ", "МБ", "РБ", "МБ"), strict=True):
        sheet.cell(3, column, source)
    sheet.append([1, "Приюты", "МТСЗН", "31.12.2027", 1.5, None, 2, "0,5"])
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_a_header_over_three_rows_gives_amounts_by_year_and_source(tmp_path: Path) -> None:
    plan = import_plan(
        three_row_header_plan(),
        agreement_id="kz-shelters",
        kind="joint_action_plan",
        languages=["ru"],
        country="KZ",
        secretariat="kz-iac",
        known_orgs=KNOWN,
        title={"ru": "План"},
    )
    [commitment] = loaded(tmp_path, plan).commitments

    assert commitment.budget is not None
    assert (commitment.budget.currency, commitment.budget.scale) == ("KZT", 1000000)
    assert [(y.year, y.source, y.amount) for y in commitment.budget.years] == [
        (2026, "РБ", Decimal("1.5")),
        (2027, "РБ", Decimal(2)),
        (2027, "МБ", Decimal("0.5")),
    ]
    assert commitment.budget.amount == Decimal(4000000)
    assert plan.notes == ()


def one_recurring_row(title: str) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append([title])
    sheet.append(["№", "Мероприятие", "Ответственные", "Срок"])
    sheet.append([1, "Отчёт в Правительство", "МВД", "ежегодно, до 10 января"])
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_a_recurring_deadline_runs_to_the_end_given_or_is_reported_without_one(
    tmp_path: Path,
) -> None:
    arguments = {
        "agreement_id": "kz-reports",
        "kind": "joint_action_plan",
        "languages": ["ru"],
        "country": "KZ",
        "secretariat": "kz-iac",
        "known_orgs": KNOWN,
        "title": {"ru": "План"},
        "file_name": "p.xlsx",
    }
    with pytest.raises(PlanImportInvalid) as raised:
        import_plan(one_recurring_row("План мероприятий"), **arguments)  # type: ignore[arg-type]
    given = import_plan(
        one_recurring_row("План мероприятий"),
        until=date(2028, 12, 31),
        **arguments,  # type: ignore[arg-type]
    )

    assert "row 3, column D (Срок): 'ежегодно, до 10 января' is not a deadline" in str(raised.value)
    assert "the plan does not say when" in str(raised.value)
    agreement = loaded(tmp_path, given)
    assert agreement.term is not None and agreement.term.until == date(2028, 12, 31)
    [commitment] = agreement.commitments
    assert commitment.repeat is not None and commitment.repeat.by == (1, 10)
    assert len(occurrences(commitment.repeat, START, commitment.due)) == 4  # 2025 … 2028


def test_a_source_column_under_the_budget_group_is_the_source_and_the_unit_is_the_groups(
    tmp_path: Path,
) -> None:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    for column, name in enumerate(("№", "Мероприятие", "Ответственные", "Срок"), start=1):
        sheet.cell(1, column, name)
        sheet.merge_cells(start_row=1, start_column=column, end_row=2, end_column=column)
    sheet.cell(1, 5, "Предполагаемые расходы (тыс. тенге)")
    sheet.merge_cells("E1:F1")
    sheet.cell(2, 5, "Сумма")
    sheet.cell(2, 6, "Источник финансирования")
    sheet.append([1, "Приюты", "МТСЗН", "31.12.2027", 1200, "Местный бюджет"])
    buffer = BytesIO()
    workbook.save(buffer)
    plan = import_plan(
        buffer.getvalue(),
        agreement_id="kz-shelters",
        kind="joint_action_plan",
        languages=["ru"],
        country="KZ",
        secretariat="kz-iac",
        known_orgs=KNOWN,
        title={"ru": "План"},
    )
    [commitment] = loaded(tmp_path, plan).commitments

    assert commitment.budget is not None
    assert (commitment.budget.amount, commitment.budget.currency) == (Decimal(1200000), "KZT")
    assert commitment.funding == {"ru": "Местный бюджет"}


def test_co_executors_in_their_own_column_are_co_responsible_and_partners_stay_partners(
    tmp_path: Path,
) -> None:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(
        ["№", "Мероприятие", "Ответственный исполнитель", "Соисполнители", "Партнёры", "Срок"]
    )
    sheet.append([1, "Приюты", "МТСЗН", "МВД; ГП", "ОФ «Безопасный дом»", "31.12.2027"])
    buffer = BytesIO()
    workbook.save(buffer)
    plan = import_plan(
        buffer.getvalue(),
        agreement_id="kz-shelters",
        kind="joint_action_plan",
        languages=["ru"],
        country="KZ",
        secretariat="kz-iac",
        known_orgs=KNOWN,
        title={"ru": "План на 2027 год"},
    )
    [commitment] = loaded(tmp_path, plan).commitments

    assert commitment.responsible == "kz-mlsp"
    assert commitment.co_responsible == ("kz-mia", "kz-gp")
    assert commitment.partners == ("ngo-safe-home",)
