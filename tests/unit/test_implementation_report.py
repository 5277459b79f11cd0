"""A secretariat's information on implementation across its instruments, read back."""

from datetime import date
from io import BytesIO

from docx2python import docx2python

from accord.documents.implementation_report_docx import (
    Instrument,
    in_period,
    render_implementation_report,
)
from accord.services.commitments.rules import reporting_period
from tests.factories import make_numbered_item as make_tracked_item

H1 = (date(2027, 1, 1), date(2027, 6, 30))
SECRETARIAT = {"ru": "Межведомственная комиссия", "en": "Interagency Commission"}
OBJECTIVES = (
    ("o-1", {"ru": "Выявление жертв", "en": "Identification of victims"}),
    ("o-2", {"ru": "Помощь жертвам", "en": "Assistance"}),
)


def instruments() -> list[Instrument]:
    item = make_tracked_item
    plan = (
        item("c-01", status="done", due=date(2027, 3, 31)),
        item("c-02", status="in_progress", due=date(2027, 5, 31), latest_note="Нет помещения"),
        item("c-03", status="not_started", due=date(2027, 9, 30)),  # after the period
        item("c-04", status="overdue", due=date(2026, 12, 1), latest_note="Ждём бюджет"),
        item("c-05", status="done", due=date(2026, 11, 1)),  # closed before the period
    )
    mou = (item("c-01", agreement_id="kz-referral-mou", status="done", due=date(2027, 2, 1)),)
    return [
        Instrument("kz-jap-2027", {"ru": "План 2027", "en": "Plan 2027"}, OBJECTIVES, plan),
        Instrument("kz-referral-mou", {"ru": "Меморандум", "en": "MOU"}, (), mou),
    ]


def tables(data: bytes) -> list[list[list[str]]]:
    with docx2python(BytesIO(data)) as read:
        body = read.body
    found = []
    for table in body:
        rows = [["\n".join(paragraphs).strip() for paragraphs in row] for row in table]
        if rows and len(rows[0]) > 1:
            found.append(rows)
    return found


def render(language: str = "ru") -> bytes:
    return render_implementation_report(
        SECRETARIAT, instruments(), language=language, period=H1, period_name="2027-H1"
    )


def test_periods_are_half_years_quarters_or_years() -> None:
    assert reporting_period("2027-H1") == H1
    assert reporting_period("2027-h2") == (date(2027, 7, 1), date(2027, 12, 31))
    assert reporting_period("2027-Q3") == (date(2027, 7, 1), date(2027, 9, 30))
    assert reporting_period("2027") == (date(2027, 1, 1), date(2027, 12, 31))
    assert reporting_period("2027-H3") is None and reporting_period("H1") is None


def test_an_item_belongs_to_the_period_it_is_due_in_or_to_every_one_it_stays_open_in() -> None:
    [plan, _] = instruments()
    assert [i.commitment_id for i in plan.items if in_period(i, *H1)] == ["c-01", "c-02", "c-04"]


def test_each_instrument_rolls_up_by_its_objectives_with_a_total() -> None:
    [plan_table, plan_late, mou_table] = tables(render())

    assert plan_table[0] == ["Задача", "Мероприятий", "Исполнено", "Просрочено"]
    assert plan_table[1:] == [
        ["Выявление жертв", "3", "1", "2"],
        ["Помощь жертвам", "0", "0", "0"],
        ["Всего", "3", "1", "2"],
    ]
    assert [row[0] for row in plan_late[1:]] == ["1.4", "1.2"]
    assert [row[-1] for row in plan_late[1:]] == ["Ждём бюджет", "Нет помещения"]
    assert plan_late[1][-2] == "211"  # days late at the end of the period
    assert mou_table[1:] == [["Выявление жертв", "1", "1", "0"], ["Всего", "1", "1", "0"]]


def test_the_report_names_the_secretariat_the_period_and_each_instrument() -> None:
    with docx2python(BytesIO(render("en"))) as read:
        text = read.text

    assert "Interagency Commission" in text
    assert "Information on the implementation of agreements and plans" in text
    assert "for the period from 01.01.2027 to 30.06.2027" in text
    assert text.index("Plan 2027") < text.index("MOU")
    assert "No activities are late." in text  # the memorandum
