"""The commitment register workbook: round trip, localized headers, real dates, formulas refused."""

import zipfile
from datetime import UTC, date, datetime
from decimal import Decimal
from io import BytesIO

import pytest
from openpyxl import load_workbook

from accord.documents.progress_types import TrackedItem
from accord.documents.register_xlsx import (
    COLUMNS,
    export_register,
    read_register,
    register_row,
)
from tests.factories import ORG_NAMES, make_tracked_item

LETTERS = "Әә Ғғ Ққ Ңң Өө Ұұ Үү Һһ Іі"


def items() -> list[TrackedItem]:
    """Three items in register order (agreement, deadline, id); one has almost nothing filled in."""
    return [
        make_tracked_item("c-01", due=date(2027, 3, 31), status="done", number="1.1"),
        make_tracked_item(
            "c-02",
            responsible_org_id="ngo-safe-home",
            responsible_name=ORG_NAMES["ngo-safe-home"][1],
            partners=(),
            objective_id=None,
            objective_title=None,
            indicator=None,
            baseline=None,
            target=None,
            latest_value=None,
            latest_percent=None,
            last_update_at=None,
            budget_amount=None,
            budget_currency=None,
            funding=None,
            status="not_started",
        ),
        make_tracked_item(
            "c-03",
            due=date(2027, 9, 30),
            activity={"ru": f'=HYPERLINK("http://x") {LETTERS}'},
            last_update_at=datetime(2027, 3, 1, 9, 30, 15, 987654, tzinfo=UTC),
            budget_amount=Decimal("1234567.89"),
        ),
    ]


def test_the_register_reads_back_to_the_same_values() -> None:
    data = export_register(items(), language="ru")

    assert read_register(data) == [register_row(item, "ru") for item in items()]


def test_a_row_holds_texts_in_the_language_and_typed_values() -> None:
    [first, second, _] = read_register(export_register(items(), language="ru"))

    assert first == {
        "agreement_id": "kz-jap-2027",
        "commitment_id": "c-01",
        "number": "1.1",  # as the plan prints it
        "objective": "Выявление жертв",
        "activity": "Обучение полиции c-01",
        "responsible_org_id": "kz-mia",
        "responsible": "Министерство внутренних дел Республики Казахстан",
        "partners": "ОО «Безопасный дом»",
        "due": date(2027, 3, 31),
        "status": "done",
        "indicator": "Число обученных сотрудников",
        "baseline": "0",
        "target": "300",
        "latest_value": "120",
        "latest_percent": 40,
        "last_update_at": datetime(2027, 3, 1, 9, 30, tzinfo=UTC),
        "budget_amount": Decimal("1500000.5"),
        "budget_currency": "KZT",
        "funding": "Республиканский бюджет",
    }
    assert second["objective"] is None and second["budget_amount"] is None
    assert second["partners"] is None and second["last_update_at"] is None
    assert second["number"] is None  # an item without a plan number leaves the cell empty


def test_times_keep_whole_seconds_in_utc() -> None:
    [*_, third] = read_register(export_register(items(), language="ru"))

    assert third["last_update_at"] == datetime(2027, 3, 1, 9, 30, 15, tzinfo=UTC)
    assert third["budget_amount"] == Decimal("1234567.89")


@pytest.mark.parametrize(
    ("language", "first", "status"),
    [
        ("ru", "Соглашение", "выполнено"),
        ("en", "Agreement", "done"),
        ("kk", "Келісім", "орындалды"),
    ],
)
def test_headers_and_statuses_are_in_the_readers_language(
    language: str, first: str, status: str
) -> None:
    data = export_register(items(), language=language)
    register = load_workbook(BytesIO(data)).worksheets[0]

    assert register["A1"].value == first
    status_column = [key for key, _ in COLUMNS].index("status") + 1
    assert register.cell(row=2, column=status_column).value == status
    assert read_register(data)[0]["status"] == "done"  # read back whatever the language


def test_the_sheet_is_ready_to_filter_with_real_dates() -> None:
    register = load_workbook(BytesIO(export_register(items(), language="ru"))).worksheets[0]

    assert register.freeze_panes == "A2"
    assert register.auto_filter.ref == "A1:S4"  # every column, the plan number included
    due = register.cell(row=2, column=[k for k, _ in COLUMNS].index("due") + 1)
    assert isinstance(due.value, datetime) and due.number_format == "DD.MM.YYYY"
    amount = register.cell(row=2, column=[k for k, _ in COLUMNS].index("budget_amount") + 1)
    assert amount.data_type == "n"
    widths = [register.column_dimensions[letter].width for letter in "ABCDEF"]
    assert all(4 < width <= 50 for width in widths)


def test_text_that_looks_like_a_formula_stays_text() -> None:
    data = export_register(items(), language="ru")

    with zipfile.ZipFile(BytesIO(data)) as package:
        sheet_xml = package.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet_xml
    assert read_register(data)[2]["activity"] == f'=HYPERLINK("http://x") {LETTERS}'


def test_the_second_sheet_counts_items_per_organisation_and_status() -> None:
    by_org = load_workbook(BytesIO(export_register(items(), language="ru"))).worksheets[1]

    rows = [list(row) for row in by_org.iter_rows(values_only=True)]
    assert rows[0] == [
        "Код организации",
        "Ответственный исполнитель",
        "не начато",
        "выполняется",
        "выполнено",
        "просрочено",
        "отменено",
        "Всего",
    ]
    assert rows[1:] == [
        ["kz-mia", "Министерство внутренних дел Республики Казахстан", 0, 1, 1, 0, 0, 2],
        ["ngo-safe-home", "ОО «Безопасный дом»", 1, 0, 0, 0, 0, 1],
    ]
    assert by_org.freeze_panes == "A2"


def test_an_empty_register_has_its_header_only() -> None:
    data = export_register([], language="en")

    assert read_register(data) == []
    assert load_workbook(BytesIO(data)).worksheets[0]["B1"].value == "Id"


@pytest.mark.parametrize(
    ("language", "names"),
    [
        ("ru", ["Реестр", "По организациям"]),
        ("kk", ["Тізілім", "Ұйымдар бойынша"]),
        ("uz-Latn", ["Reyestr", "Tashkilotlar boʻyicha"]),
        ("en", ["Register", "By organisation"]),
    ],
)
def test_sheet_names_are_in_the_documents_language(language: str, names: list[str]) -> None:
    data = export_register(items(), language=language)

    assert load_workbook(BytesIO(data)).sheetnames == names
    assert [row["commitment_id"] for row in read_register(data)] == ["c-01", "c-02", "c-03"]


def test_each_sheet_prints_landscape_one_page_wide_with_its_header_on_every_page() -> None:
    workbook = load_workbook(BytesIO(export_register(items(), language="ru")))

    for sheet in workbook.worksheets:
        assert sheet.page_setup.orientation == "landscape"
        assert (sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight) == (1, 0)
        assert sheet.sheet_properties.pageSetUpPr is not None
        assert sheet.sheet_properties.pageSetUpPr.fitToPage is True
        assert sheet.print_title_rows == "$1:$1"


def test_baselines_targets_and_values_that_are_numbers_are_stored_as_numbers() -> None:
    odd = make_tracked_item("c-04", baseline="12,5", target="не менее 300", latest_value="7")
    data = export_register([*items(), odd], language="ru")
    sheet = load_workbook(BytesIO(data)).worksheets[0]
    keys = [key for key, _ in COLUMNS]

    def cell(row: int, key: str) -> object:
        return sheet.cell(row=row, column=keys.index(key) + 1).value

    rows = {cell(row, "commitment_id"): row for row in range(2, 6)}
    first, fourth = rows["c-01"], rows["c-04"]
    assert [cell(first, key) for key in ("baseline", "target", "latest_value")] == [0, 300, 120]
    assert [cell(fourth, key) for key in ("baseline", "target", "latest_value")] == [
        12.5,
        "не менее 300",
        7,
    ]
    assert isinstance(cell(first, "budget_amount"), float)
    back = {row["commitment_id"]: row for row in read_register(data)}
    assert back["c-04"]["baseline"] == "12.5"  # read back as text
