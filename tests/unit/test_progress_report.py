"""The progress report DOCX, read back with docx2python, python-docx and the zip itself."""

import zipfile
from datetime import date
from decimal import Decimal
from io import BytesIO
from pathlib import Path

import pytest
from docx import Document
from docx2python import docx2python

from accord.documents.progress_report_docx import Executor, render_progress_report
from accord.documents.progress_types import TrackedItem
from tests.factories import ORG_NAMES
from tests.factories import make_numbered_item as make_tracked_item

AS_OF = date(2027, 7, 15)
SHA = "0123456789abcdef" * 4
TITLE = {"ru": "Совместный план 2027", "en": "Joint plan 2027"}
NGO = ORG_NAMES["ngo-safe-home"][1]
MLSP = ORG_NAMES["kz-mlsp"][1]


def plan() -> list[TrackedItem]:
    """Eight items: every status, two of them late, budgets in two currencies and sources."""
    item = make_tracked_item
    return [
        item("c-01", status="done", latest_percent=100),
        item("c-02", status="in_progress", latest_percent=50, due=date(2027, 9, 30)),
        item("c-03", status="in_progress", latest_percent=20, due=date(2027, 6, 1)),  # late
        item("c-04", status="overdue", latest_percent=None, due=date(2027, 5, 15)),  # late
        item(
            "c-05",
            status="not_started",
            latest_value=None,
            latest_percent=None,
            last_update_at=None,
            responsible_org_id="ngo-safe-home",
            responsible_name=NGO,
            objective_id="o-2",
            objective_title={"ru": "Помощь жертвам", "en": "Assistance"},
            budget_amount=Decimal("250000"),
            budget_currency="USD",
            funding={"ru": "Донор", "en": "Donor"},
            due=date(2027, 12, 31),
        ),
        item(
            "c-06",
            status="done",
            responsible_org_id="ngo-safe-home",
            responsible_name=NGO,
            objective_id="o-2",
            objective_title={"ru": "Помощь жертвам", "en": "Assistance"},
            budget_amount=Decimal("100000"),
            budget_currency="USD",
            funding={"ru": "Донор", "en": "Donor"},
        ),
        item("c-07", status="cancelled", responsible_org_id="kz-mlsp", responsible_name=MLSP),
        item(
            "c-08",
            status="in_progress",
            responsible_org_id="kz-mlsp",
            responsible_name=MLSP,
            objective_id=None,
            objective_title=None,
            budget_amount=None,
            due=date(2027, 10, 1),
        ),
    ]


def render(items: list[TrackedItem], language: str = "ru") -> bytes:
    return render_progress_report(
        TITLE, items, language=language, as_of=AS_OF, version_number=4, sha256=SHA
    )


def tables(data: bytes) -> list[list[list[str]]]:
    """Every table with more than one column, as rows of cell texts."""
    with docx2python(BytesIO(data)) as read:
        body = read.body
    found = []
    for table in body:
        rows = [["\n".join(paragraphs).strip() for paragraphs in row] for row in table]
        if rows and len(rows[0]) > 1:
            found.append(rows)
    return found


def table_after(data: bytes, first_header: str, second_header: str) -> list[list[str]]:
    """The first table whose header row starts with these two columns."""
    return next(t for t in tables(data) if t[0][:2] == [first_header, second_header])


def text_of(data: bytes) -> str:
    with docx2python(BytesIO(data)) as read:
        return str(read.text)


def test_counts_by_status_include_zeros_and_the_total() -> None:
    counts = table_after(render(plan()), "Статус", "Количество")

    assert counts == [
        ["Статус", "Количество"],
        ["не начато", "1"],
        ["выполняется", "3"],
        ["выполнено", "2"],
        ["просрочено", "1"],
        ["отменено", "1"],
        ["Всего", "8"],
    ]


def test_progress_is_rolled_up_per_objective_without_cancelled_items() -> None:
    objectives = table_after(render(plan()), "Задача", "Мероприятий")

    # o-1: c-01 done (100), c-02 50, c-03 20, c-04 0 → 1 of 4 done, mean 42.5 → 42 (banker's)
    # o-2: c-05 0, c-06 done → 1 of 2, mean 50; c-07 (o-1) is cancelled and drops out;
    # c-08 has no objective: 40 % reported
    assert objectives[1:] == [
        ["Выявление жертв", "4", "25", "42"],
        ["Помощь жертвам", "2", "50", "50"],
        ["Прочие мероприятия", "1", "0", "40"],
    ]


def test_each_organisation_has_a_table_with_its_indicators() -> None:
    data = render(plan())
    per_org = [t for t in tables(data) if t[0][:2] == ["№", "Мероприятие"] and len(t[0]) == 8]

    assert [len(t) - 1 for t in per_org] == [4, 2, 2]  # МВД, Министерство труда, ОО (by name)
    first_of_mia = next(t for t in per_org if t[1][0] == "1.4")
    assert first_of_mia[0] == [
        "№",
        "Мероприятие",
        "Срок исполнения",
        "Статус",
        "Индикатор",
        "Базовое значение",
        "Целевое значение",
        "Последнее значение",
    ]
    assert first_of_mia[1][:7] == [
        "1.4",
        "Обучение полиции c-04",
        "15.05.2027",
        "просрочено",
        "Число обученных сотрудников",
        "0",
        "300",
    ]
    assert first_of_mia[2][7].split("\n") == ["120", "20 %", "01.03.2027"]
    text = text_of(data)
    assert text.index("Министерство внутренних дел") < text.index("Министерство труда")


def test_late_items_are_listed_with_days_late() -> None:
    late = next(t for t in tables(render(plan())) if "Дней просрочки" in t[0])

    assert [(row[0], row[-1]) for row in late[1:]] == [("1.4", "61"), ("1.3", "44")]
    assert late[1][2] == ORG_NAMES["kz-mia"][1]["ru"]


def test_no_late_items_says_so() -> None:
    on_time = [make_tracked_item("c-01", due=date(2027, 12, 31))]

    assert "Просроченных мероприятий нет." in text_of(render(on_time))


def test_budget_is_summed_per_source_and_currency() -> None:
    budget = table_after(render(plan()), "Источник финансирования", "Валюта")

    # c-01…c-04 KZT 1 500 000,50 each from the republican budget; c-07 is cancelled: not counted
    assert budget[1:] == [
        ["Донор", "USD", "350\u00a0000", "2"],
        ["Республиканский бюджет", "KZT", "6\u00a0000\u00a0002", "4"],
        ["Всего", "KZT", "6\u00a0000\u00a0002", "4"],  # a total per currency, never across
        ["Всего", "USD", "350\u00a0000", "2"],
    ]


def test_the_chart_is_an_embedded_png_with_its_relationship() -> None:
    data = render(plan())

    with zipfile.ZipFile(BytesIO(data)) as package:
        assert package.testzip() is None
        png = package.read("word/media/image1.png")
        rels = package.read("word/_rels/document.xml.rels").decode()
        types = package.read("[Content_Types].xml").decode()
        document = package.read("word/document.xml").decode()
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    assert 'Target="media/image1.png"' in rels
    assert '<Default Extension="png" ContentType="image/png"/>' in types
    assert 'r:embed="rIdAccordImage1"' in document
    [shape] = Document(BytesIO(data)).inline_shapes
    assert shape.width > 0 and shape.height > 0


def test_equal_input_gives_equal_bytes() -> None:
    assert render(plan()) == render(plan())


@pytest.mark.parametrize(
    ("language", "heading", "status"),
    [
        ("en", "Progress report", "overdue"),
        ("kk", "Орындалу барысы туралы есеп", "мерзімі өтіп кетті"),
    ],
)
def test_labels_follow_the_report_language(language: str, heading: str, status: str) -> None:
    data = render(plan(), language)

    text = text_of(data)
    assert heading.upper() in text.upper()
    assert status in text


def test_an_empty_plan_renders_without_a_chart() -> None:
    data = render([])

    with zipfile.ZipFile(BytesIO(data)) as package:
        assert not [n for n in package.namelist() if n.startswith("word/media/")]
        assert "rIdAccordImage1" not in package.read("word/_rels/document.xml.rels").decode()
    assert "В плане нет отслеживаемых мероприятий." in text_of(data)


def test_items_due_soon_and_behind_the_pace_are_at_risk_and_marked() -> None:
    soon = date(2027, 8, 1)  # 17 days after AS_OF
    items = [
        # from 01.01.2027 to 01.08.2027, 92 % of the way: 50 % is behind
        make_tracked_item("c-11", status="in_progress", latest_percent=50, due=soon),
        make_tracked_item("c-12", status="in_progress", latest_percent=95, due=soon),  # ahead
        make_tracked_item("c-13", status="not_started", latest_percent=None, due=date(2027, 12, 1)),
        make_tracked_item("c-14", status="done", latest_percent=100, due=soon),
    ]
    data = render_progress_report(
        TITLE,
        items,
        language="ru",
        as_of=AS_OF,
        version_number=4,
        sha256=SHA,
        start=date(2027, 1, 1),
    )

    risky = next(t for t in tables(data) if t[0][-1] == "Ожидаемое исполнение на дату, %")
    assert [row[0] for row in risky[1:]] == ["1.11"]
    assert risky[1][-2:] == ["50 %", "92 %"]  # 195 of 212 days
    assert "в ближайшие 30 дней" in text_of(data)
    by_org = next(t for t in tables(data) if t[0][-1] == "Последнее значение")
    marked = {row[0]: row[3] for row in by_org[1:]}
    assert marked["1.11"] == "выполняется\n⚠ под угрозой неисполнения"
    assert marked["1.12"] == "выполняется"


def test_without_items_at_risk_the_report_says_so() -> None:
    assert "Мероприятий под угрозой неисполнения нет." in text_of(render(plan()[:1]))


def test_the_focal_points_notes_are_listed_with_their_item_and_date() -> None:
    items = [
        make_tracked_item("c-21", latest_note="Обучено 2 группы\nТретья — в августе"),
        make_tracked_item("c-22", latest_note=None),
    ]
    notes = next(t for t in tables(render(items)) if t[0][-1] == "Пояснение")

    assert [row[0] for row in notes[1:]] == ["1.21"]
    assert notes[1][3] == "Обучено 2 группы\nТретья — в августе"
    assert "Контактные лица пояснений не представили." in text_of(render(plan()))


def test_the_roll_up_follows_the_plans_objectives_and_the_executor_closes_the_report() -> None:
    objectives = [
        ("o-0", {"ru": "Профилактика", "en": "Prevention"}),
        ("o-2", {"ru": "Помощь жертвам", "en": "Assistance"}),
        ("o-1", {"ru": "Выявление жертв", "en": "Identification of victims"}),
    ]
    executor = Executor("Айгерим Жаксылыкова", {"ru": "Секретариат МВК"}, "sec@example.kz")
    data = render_progress_report(
        TITLE,
        plan(),
        language="ru",
        as_of=AS_OF,
        version_number=4,
        sha256=SHA,
        objectives=objectives,
        executor=executor,
    )

    rollup = table_after(data, "Задача", "Мероприятий")
    assert [row[:2] for row in rollup[1:]] == [
        ["Профилактика", "0"],  # in the plan, no items yet: still a row
        ["Помощь жертвам", "2"],
        ["Выявление жертв", "4"],  # c-07 is cancelled
        ["Прочие мероприятия", "1"],
    ]
    paragraphs = [p.text for p in Document(BytesIO(data)).paragraphs if p.text.strip()]
    assert paragraphs[-1] == "Исполнитель: Айгерим Жаксылыкова, Секретариат МВК, sec@example.kz"


def test_the_chart_uses_the_documents_typeface_where_the_machine_has_it() -> None:
    from matplotlib import font_manager

    from accord.documents.progress_report_docx import _chart_font

    files = [
        path
        for path in font_manager.findSystemFonts()
        if Path(path).stem.replace(" ", "").startswith(("TimesNewRoman", "LiberationSerif"))
    ]
    if not files:
        pytest.skip("neither Times New Roman nor Liberation Serif is installed")
    assert _chart_font() in ("Times New Roman", "Liberation Serif")
