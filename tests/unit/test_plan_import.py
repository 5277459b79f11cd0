"""Plan import: a coordinator's spreadsheet becomes an agreement source that the loader accepts;
every bad cell is reported by sheet, row and column, all at once."""

from collections.abc import Sequence
from datetime import date, datetime
from decimal import Decimal
from io import BytesIO
from pathlib import Path
from typing import Any

import pytest
import yaml
from openpyxl import Workbook

from accord.errors import AccordError
from accord.source.clause_library import ClauseLibrary
from accord.source.loader import load_sources
from accord.source.plan_import import PlanImportInvalid, import_plan
from accord.source.spec import AgreementSpec, PartyRole

ORGANIZATIONS = """\
format: accord/v1
organizations:
  - id: kz-iac
    kind: commission
    country: KZ
    name: {ru: Межведомственная комиссия, kk: Ведомствоаралық комиссия}
  - id: kz-mia
    kind: ministry
    country: KZ
    name: {ru: МВД, kk: ІІМ, en: Ministry of Internal Affairs}
  - id: kz-mlsp
    kind: ministry
    country: KZ
    name: {ru: Министерство труда и социальной защиты населения, en: Ministry of Labour}
  - id: ngo-safe-home
    kind: ngo
    country: KZ
    name: {ru: ОО «Безопасный дом», en: NGO Safe Home}
  - id: iom-kz
    kind: international
    country: KZ
    name: {ru: Представительство МОМ, en: IOM Kazakhstan}
"""
KNOWN: dict[str, set[str]] = {
    org["id"]: set(org["name"].values()) for org in yaml.safe_load(ORGANIZATIONS)["organizations"]
}
TITLE = {"ru": "План действий на 2027 год", "kk": "2027 жылға арналған іс-қимыл жоспары"}
SHEET = "План"
HEADER = [
    "№",
    "Задача (ru)",
    "Задача (kk)",
    "Мероприятие (ru)",
    "Мероприятие (kk)",
    "Ответственный",
    "Партнёры",
    "Срок",
    "Индикатор (ru)",
    "Индикатор (kk)",
    "Базовое значение",
    "Целевое значение",
    "Бюджет",
    "Валюта",
    "Источник финансирования (ru)",
    "Источник финансирования (kk)",
]
PLAN_TITLE = "План мероприятий по противодействию торговле людьми на 2027 год"
GOOD_ROWS: list[list[Any]] = [
    # 1: objective 1; names matched loosely, a partner "by agreement", a real Excel date
    [1, "Выявление", "Анықтау", "Обучение полиции", "Полицияны оқыту", "мвд",
     "ОО «Безопасный дом» (по согласованию); iom-kz", datetime(2027, 6, 30),
     "Обучено сотрудников", "Оқытылған қызметкерлер", 0, 300, 1500000.5, "KZT",
     "Республиканский бюджет", "Республикалық бюджет"],
    # 2: objective carried down from the row above; a quarter in Russian
    [2, None, None, "Горячая линия", "Сенім телефоны", "kz-mlsp", None, "II кв. 2027",
     None, None, None, None, None, None, None, None],
    # 3: an objective heading row: the objective alone
    [None, "Помощь", "Көмек", None, None, None, None, None, None, None, None, None, None, None,
     None, None],
    # 4: two organisations in one cell: the first one leads; amount as text, currency as a word
    [3, None, None, "Приюты", "Баспаналар", "МВД, Министерство труда и социальной защиты населения",
     None, "до 31.12.2027", None, None, None, None, "2 000 000", "тенге",
     "Донор", "Донор"],
]  # fmt: skip


def xlsx(
    rows: Sequence[Sequence[Any]],
    *,
    header: Sequence[str] = HEADER,
    title: str | None = PLAN_TITLE,
    merge: Sequence[str] = (),
    sheet: str = SHEET,
) -> bytes:
    """A workbook: an optional merged title row, the header row, then `rows`."""
    workbook = Workbook()
    worksheet = workbook.active
    assert worksheet is not None
    worksheet.title = sheet
    if title is not None:
        worksheet.append([title])
        worksheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(header))
    worksheet.append(list(header))
    for row in rows:
        worksheet.append(list(row))
    for cells in merge:
        worksheet.merge_cells(cells)
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def run_import(data: bytes, *, languages: Sequence[str] = ("ru", "kk"), **overrides: Any) -> str:
    arguments: dict[str, Any] = {
        "agreement_id": "kz-jap-2027",
        "kind": "joint_action_plan",
        "languages": languages,
        "country": "KZ",
        "secretariat": "kz-iac",
        "known_orgs": KNOWN,
        "title": TITLE,
        "file_name": "Plan.xlsx",
    }
    return import_plan(data, **(arguments | overrides)).text


def problems_of(data: bytes, **overrides: Any) -> list[str]:
    with pytest.raises(PlanImportInvalid) as raised:
        run_import(data, **overrides)
    return raised.value.problems


def load(tmp_path: Path, text: str) -> AgreementSpec:
    """The imported text through the real source loader, beside an organisations file."""
    (tmp_path / "organizations.yaml").write_text(ORGANIZATIONS, encoding="utf-8")
    (tmp_path / "plan.yaml").write_text(text, encoding="utf-8")
    library = ClauseLibrary.from_directory(tmp_path / "clauses")
    loaded = load_sources([tmp_path / "plan.yaml"], clause_library=library)
    [(_, agreement)] = loaded.agreements
    return agreement


def row_with(**cells: Any) -> list[Any]:
    """A valid single-activity row of HEADER with some cells replaced (by header name)."""
    values = dict(zip(HEADER, GOOD_ROWS[0], strict=True))
    return [cells.get(_key(name), values[name]) for name in HEADER]


def _key(header: str) -> str:
    return {
        "Мероприятие (ru)": "activity_ru",
        "Мероприятие (kk)": "activity_kk",
        "Ответственный": "responsible",
        "Партнёры": "partners",
        "Срок": "deadline",
        "Бюджет": "budget",
        "Валюта": "currency",
    }.get(header, header)


# --- a good plan ----------------------------------------------------------------------------


def test_a_good_plan_loads_with_the_source_loader(tmp_path: Path) -> None:
    agreement = load(tmp_path, run_import(xlsx(GOOD_ROWS)))

    assert (agreement.id, agreement.kind.value, agreement.languages) == (
        "kz-jap-2027",
        "joint_action_plan",
        ("ru", "kk"),
    )
    assert agreement.title == TITLE
    assert [(o.id, o.title["ru"], o.title["kk"]) for o in agreement.objectives] == [
        ("o-01", "Выявление", "Анықтау"),
        ("o-02", "Помощь", "Көмек"),
    ]
    first, second, third = agreement.commitments
    assert [c.id for c in agreement.commitments] == ["c-01", "c-02", "c-03"]
    assert first.activity == {"ru": "Обучение полиции", "kk": "Полицияны оқыту"}
    assert (first.responsible, first.partners) == ("kz-mia", ("ngo-safe-home", "iom-kz"))
    assert (first.due, first.due_label) == (date(2027, 6, 30), "2027-06-30")
    assert (first.baseline, first.target) == ("0", "300")
    assert first.budget is not None and first.budget.amount == Decimal("1500000.5")
    assert first.funding == {"ru": "Республиканский бюджет", "kk": "Республикалық бюджет"}
    assert first.indicator == {"ru": "Обучено сотрудников", "kk": "Оқытылған қызметкерлер"}
    assert (second.objective, second.responsible, second.due_label) == (
        "o-01",
        "kz-mlsp",
        "2027-Q2",
    )
    assert second.budget is None and second.indicator is None
    assert (third.objective, third.responsible, third.partners) == ("o-02", "kz-mia", ())
    assert third.co_responsible == ("kz-mlsp",)  # the second body of the responsible cell
    assert third.due == date(2027, 12, 31)
    assert third.budget is not None
    assert (third.budget.amount, third.budget.currency) == (Decimal("2000000"), "KZT")


def test_columns_and_languages_take_the_registrys_tags(tmp_path: Path) -> None:
    """`uz` is Uzbek in Latin script; its words the catalog lacks come from Russian."""
    header = ["№", "Мероприятие (ru)", "Мероприятие (uz)", "Ответственный", "Срок"]
    data = xlsx([[1, "Обучение", "Oʻqitish", "мвд", "2027-06-30"]], header=header, title=None)
    title = {"ru": "План", "uz": "Reja"}
    agreement = load(tmp_path, run_import(data, languages=("ru", "uz"), title=title))
    assert agreement.languages == ("ru", "uz-Latn")
    assert agreement.title == {"ru": "План", "uz-Latn": "Reja"}
    assert agreement.commitments[0].activity == {"ru": "Обучение", "uz-Latn": "Oʻqitish"}
    assert agreement.clauses[0].title == {"ru": "Цель", "uz-Latn": "Maqsad"}


def test_a_language_accord_does_not_know_is_refused() -> None:
    """Said once, with the tag meant; the sheet is read in the languages that are known."""
    title = TITLE | {"kaz": "Жоспар"}
    assert problems_of(xlsx(GOOD_ROWS), languages=("ru", "kaz"), title=title) == [
        "languages: 'kaz' is not a language Accord knows (expected a language Accord knows: "
        "en, ru, kk, ky, tg, uz-Latn, uz-Cyrl, tk; did you mean 'kk'?)"
    ]
    assert problems_of(xlsx(GOOD_ROWS), languages=(), title={}) == [
        "languages: none given (expected at least one, like ru)"
    ]


def test_organisations_become_parties_and_only_responsible_ones_sign(tmp_path: Path) -> None:
    agreement = load(tmp_path, run_import(xlsx(GOOD_ROWS)))

    assert [(p.org, p.role) for p in agreement.parties] == [
        ("kz-mia", PartyRole.signatory),
        ("ngo-safe-home", PartyRole.reviewer),  # "(по согласованию)": takes part, does not sign
        ("iom-kz", PartyRole.reviewer),
        ("kz-mlsp", PartyRole.signatory),
    ]


def test_the_purpose_clause_is_the_sheets_title_or_a_standard_line(tmp_path: Path) -> None:
    agreement = load(tmp_path, run_import(xlsx(GOOD_ROWS)))
    [purpose] = agreement.clauses

    assert purpose.text["ru"] == PLAN_TITLE
    assert (
        purpose.text["kk"]
        == f"Тараптар «{TITLE['kk']}» жоспарының іс-шараларын бірлесіп орындайды."
    )

    untitled = load(tmp_path, run_import(xlsx(GOOD_ROWS, title=None)))
    assert untitled.clauses[0].text["ru"] == (
        f"Стороны совместно выполняют мероприятия плана «{TITLE['ru']}»."
    )


def test_template_braces_and_quotes_in_cells_survive_as_written(tmp_path: Path) -> None:
    odd = 'Отчёт {{ city }} {% if x %} "кавычки": #1 — ә ғ қ ң ө ұ ү һ і'
    rows = [row_with(activity_ru=odd, activity_kk=odd)]
    agreement = load(tmp_path, run_import(xlsx(rows, title=f"План {{{{ x }}}} {odd}")))

    assert agreement.commitments[0].activity == {"ru": odd, "kk": odd}
    assert agreement.clauses[0].text["ru"] == f"План {{{{ x }}}} {odd}"


@pytest.mark.parametrize(
    ("written", "due"),
    [
        ("30.06.2027", "2027-06-30"),
        ("2027-06-30", "2027-06-30"),
        (datetime(2027, 6, 30), "2027-06-30"),
        ("2027-Q2", "2027-Q2"),
        ("II кв. 2027", "2027-Q2"),
        ("IV квартал 2027 г.", "2027-Q4"),
        ("3 кв. 2027", "2027-Q3"),
        ("Q1 2028", "2028-Q1"),
        ("2027 ж. III тоқсан", "2027-Q3"),
        ("до 31.12.2027", "2027-12-31"),
    ],
)
def test_deadlines_are_read_in_the_ways_plans_write_them(written: Any, due: str) -> None:
    source = yaml.safe_load(run_import(xlsx([row_with(deadline=written)])))

    assert str(source["commitments"][0]["due"]) == due


def test_english_headers_one_language_and_the_national_currency(tmp_path: Path) -> None:
    header = ["No.", "Activity", "Responsible", "Partners", "Deadline", "Budget"]
    rows = [[1, "Training", "Ministry of Internal Affairs", "NGO Safe Home", "2027-Q3", 5000]]
    text = run_import(
        xlsx(rows, header=header, title=None),
        languages=("en",),
        title={"en": "Action plan 2027"},
    )
    agreement = load(tmp_path, text)

    [commitment] = agreement.commitments
    assert commitment.activity == {"en": "Training"}
    assert (commitment.responsible, commitment.partners) == ("kz-mia", ("ngo-safe-home",))
    assert commitment.budget is not None and commitment.budget.currency == "KZT"
    assert agreement.objectives == ()


# --- bad spreadsheets -----------------------------------------------------------------------


def test_a_bad_date_is_reported_by_sheet_row_and_column() -> None:
    header = ["№", "Мероприятие", "Срок", "Ответственный"]
    rows = [[n, f"Мероприятие {n}", "30.06.2027", "kz-mia"] for n in range(1, 5)]
    rows.append([5, "Мероприятие 5", "31.13.2027", "kz-mia"])

    problems = problems_of(xlsx(rows, header=header), languages=("ru",), title={"ru": "План"})

    assert problems == [
        "Plan.xlsx: sheet 'План', row 7, column C (Срок): '31.13.2027' is not a deadline "
        '(expected DD.MM.YYYY, a quarter like "II кв. 2027", a year or years like "2025–2027 '
        'годы", a recurring deadline like "ежегодно, до 25 декабря" or "ежеквартально", or '
        '"постоянно")'
    ]


def test_merged_cells_in_the_table_are_refused_by_range() -> None:
    rows = [row_with(), row_with()]

    problems = problems_of(xlsx(rows, merge=["F3:F4"]))

    assert problems == [
        "Plan.xlsx: sheet 'План', cells F3:F4: merged "
        "(unmerge them and put the value in every row it applies to)"
    ]


def test_empty_required_cells_are_all_reported_at_once() -> None:
    rows = [
        row_with(activity_ru=None, activity_kk=None),
        row_with(responsible=" ", deadline=None),
        row_with(activity_kk=None),
    ]

    problems = problems_of(xlsx(rows))

    assert problems == [
        "Plan.xlsx: sheet 'План', row 3, column D (Мероприятие (ru)): "
        "empty (the activity is required)",
        "Plan.xlsx: sheet 'План', row 3, column E (Мероприятие (kk)): "
        "empty (the activity is required)",
        "Plan.xlsx: sheet 'План', row 4, column F (Ответственный): "
        "empty (the responsible organisation is required)",
        "Plan.xlsx: sheet 'План', row 4, column H (Срок): empty (the deadline is required)",
        "Plan.xlsx: sheet 'План', row 5, column E (Мероприятие (kk)): "
        "empty (every language of the plan needs the activity: ru, kk)",
    ]


def test_unknown_organisations_are_reported_with_close_matches() -> None:
    rows = [row_with(responsible="МВД РК", partners="Безопасный дом; Acme Corporation")]

    problems = problems_of(xlsx(rows))

    assert problems == [
        "Plan.xlsx: sheet 'План', row 3, column F (Ответственный): unknown organisation "
        "'МВД РК' (did you mean 'МВД' (kz-mia)?)",
        "Plan.xlsx: sheet 'План', row 3, column G (Партнёры): unknown organisation "
        "'Безопасный дом' (did you mean 'ОО «Безопасный дом»' (ngo-safe-home)?)",
        "Plan.xlsx: sheet 'План', row 3, column G (Партнёры): unknown organisation "
        "'Acme Corporation' (expected an organisation id or name from the organisations file)",
    ]


def test_a_sheet_without_a_header_row_is_refused() -> None:
    data = xlsx([["что-то", "ещё"], [1, 2]], header=["Примечание", "Комментарий"], title=None)

    problems = problems_of(data)

    assert problems == [
        "Plan.xlsx: no header row in the first 20 rows of sheet 'План' (expected a row of "
        "column names such as '№', 'Мероприятие' / 'Activity', 'Ответственный' / "
        "'Responsible', 'Срок' / 'Deadline')"
    ]


def test_missing_columns_are_named_with_the_header_row() -> None:
    header = ["№", "Мероприятие", "Ответственный"]
    data = xlsx([[1, "Обучение", "kz-mia"]], header=header)

    problems = problems_of(data)

    assert problems == [
        "Plan.xlsx: sheet 'План', row 2: no column for 'Срок' / 'Deadline' (it is required; "
        "expected a header such as 'Срок' / 'Deadline')",
        "Plan.xlsx: sheet 'План', row 2: no column for 'Мероприятие' / 'Activity' in 'kk' "
        "(every language of the plan needs one: a header like 'Мероприятие (kk)')",
    ]


def test_amounts_and_currencies_are_checked() -> None:
    rows = [
        row_with(budget="в пределах выделенных средств"),
        row_with(currency="доллары"),
        row_with(currency=None),
    ]

    problems = problems_of(xlsx(rows))

    assert problems == [
        "Plan.xlsx: sheet 'План', row 3, column M (Бюджет): 'в пределах выделенных средств' is "
        "not an amount (expected a number like 1500000 or 1 500 000,50)",
        "Plan.xlsx: sheet 'План', row 4, column N (Валюта): 'доллары' is not a currency "
        "(expected an ISO 4217 code like KZT)",
        "Plan.xlsx: sheet 'План', row 5, column N (Валюта): empty (a budget needs its currency) "
        "(expected an ISO 4217 code like KZT)",
    ]


def test_a_file_that_is_not_a_workbook_gets_a_message_not_a_traceback() -> None:
    problems = problems_of(b"%PDF-1.7 not a spreadsheet")

    assert len(problems) == 1
    assert problems[0].startswith("Plan.xlsx: not an Excel workbook (expected an .xlsx file; ")


def test_a_sheet_with_a_header_but_no_activities_is_refused() -> None:
    assert problems_of(xlsx([])) == [
        "Plan.xlsx: sheet 'План': no activities below the header row "
        "(expected one row per activity under it)"
    ]


def test_wrong_arguments_are_problems_too() -> None:
    problems = problems_of(
        xlsx(GOOD_ROWS), kind="treaty", secretariat="nobody", title={"ru": "План"}
    )

    assert problems == [
        "kind: 'treaty' is not a kind of agreement (expected mou or joint_action_plan)",
        "title: no text in 'kk' (expected a title in every language of the plan)",
        "secretariat: unknown organisation 'nobody' (expected an id)",
    ]


def test_the_error_is_a_domain_error_with_every_problem_in_its_message() -> None:
    with pytest.raises(AccordError) as raised:
        run_import(xlsx([row_with(deadline="вчера", responsible="Acme")]))

    assert str(raised.value).count("\n") == 1
