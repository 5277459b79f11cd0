"""Writes the three plan spreadsheets beside this file, shaped as plans are in each country.

Content is fictitious; the shapes are real: a title above the table, a header over two rows
with the budget merged over its years, a row of column numbers, objectives as heading rows
merged across the table, several bodies in one cell, recurring and range deadlines, and a
column the importer does not read. Run it again after changing a plan:

    .venv/bin/python tests/data/plans/build_plans.py
"""

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

HERE = Path(__file__).parent


@dataclass(frozen=True)
class Plan:
    file: str
    sheet: str
    title: tuple[str, ...]
    """Lines above the table, merged across it."""
    header: tuple[str, ...]
    """The first header row; the budget group's cell is merged over `years`."""
    budget_at: int | None
    """0-based position of the budget group in `header`, or None without years."""
    years: tuple[str, ...]
    rows: tuple[tuple[Any, ...], ...]
    """A one-item tuple is a heading row (an objective) merged across the table."""


KZ = Plan(
    file="kz-plan-2025-2027.xlsx",
    sheet="План мероприятий",
    title=(
        "Приложение к решению Межведомственной комиссии от 14 февраля 2025 года № 1",
        "План мероприятий по противодействию торговле людьми на 2025–2027 годы",
    ),
    header=(
        "№ п/п", "Наименование мероприятия", "Форма завершения", "Ответственные исполнители",
        "Срок исполнения", "Предполагаемые расходы (тыс. тенге)", "Источник финансирования",
        "Примечание",
    ),
    budget_at=5,
    years=("2025", "2026", "2027", "Всего"),
    rows=(
        ("Задача 1. Выявление случаев торговли людьми",),
        (1, "Проведение совместных профилактических мероприятий «Стоп трафик»",
         "информация в Межведомственную комиссию", "МВД, МТСЗН, ГП (по согласованию)",
         "ежегодно, до 25 декабря", 1500, 1600, 1700, 4800, "РБ", None),
        (2, "Обучение сотрудников полиции выявлению признаков торговли людьми",
         "информация в Правительство", "МВД", "IV квартал 2025 года", 3200, None, None, 3200,
         "РБ", "по плану обучения"),
        (3, "Мониторинг объявлений о работе за рубежом в сети Интернет",
         "информация в МВД", "МВД, МТСЗН", "ежеквартально, до 5 числа месяца, следующего "
         "за отчётным кварталом", None, None, None, None, "не требуется", None),
        ("Задача 2. Защита и помощь пострадавшим",),
        (4, "Оказание специальных социальных услуг пострадавшим в кризисных центрах",
         "отчёт", "МТСЗН, ОФ «Безопасный дом» (по согласованию)", "2025–2027 годы",
         12000, 12500, 13000, 37500, "МБ", None),
        (5, "Разработка методических рекомендаций для школ", "приказ", "МП, МВД",
         "декабрь 2026 года", None, 800, None, 800, "РБ", None),
    ),
)  # fmt: skip
"""Kazakhstan: Russian headers, thousands of tenge by year, sources РБ/МБ."""

KG = Plan(
    file="kg-plan-2025-2027.xlsx",
    sheet="Иш-чаралар планы",
    title=("Адам сатууга каршы аракеттенүү боюнча 2025–2027-жылдарга иш-чаралар планы",),
    header=(
        "№", "Иш-чаранын аталышы", "Жооптуу аткаруучулар", "Аткаруу мөөнөтү",
        "Аткаруунун формасы", "Күтүлгөн натыйжа", "Болжолдуу чыгымдар (миң сом)",
        "Каржылоо булагы",
    ),
    budget_at=None,
    years=(),
    rows=(
        ("1-милдет. Адам сатуунун алдын алуу",),
        (1, "Чет өлкөдө мыйзамдуу эмгек миграциясы боюнча маалымат кампанияларын өткөрүү",
         "ЭСКМ, ИИМ", "жыл сайын, 25-декабрга чейин", "Министрлер Кабинетине маалымат",
         "Жылына 20 иш-чара", 850, "республикалык бюджет"),
        (2, "Ишеним телефонунун ишин камсыз кылуу", "«Коопсуз жол» КФ (макулдашуу боюнча)",
         "чейрек сайын", "отчет", "Ишеним телефонуна кайрылуулар", None, "донорлор"),
        ("2-милдет. Жабырлануучуларды коргоо",),
        (3, "Жабырлануучуларды кайра интеграциялоо программасын иштеп чыгуу", "ЭСКМ",
         "2026-жыл", "Министрлер Кабинетинин токтому", "Программа кабыл алынды", 1200,
         "республикалык бюджет"),
        (4, "Соттук иштерди мониторинг кылуу", "Башкы прокуратура, ИИМ", "2025-2027-жылдар",
         "Координациялык кеңешке маалымат", None, None, None),
    ),
)  # fmt: skip
"""Kyrgyzstan: Kyrgyz headers, one budget column in thousands of som."""

UZ = Plan(
    file="uz-roadmap-2025-2026.xlsx",
    sheet="Yo'l xaritasi",
    title=(
        "Odam savdosiga qarshi kurashish bo'yicha 2025–2026 yillarga mo'ljallangan",
        "«Yo'l xaritasi»",
    ),
    header=(
        "T/r", "Chora-tadbirlar nomi", "Amalga oshirish mexanizmi", "Ijro muddati",
        "Mas'ul ijrochilar", "Moliyalashtirish hajmi (mln so'm)", "Moliyalashtirish manbai",
        "Izoh",
    ),
    budget_at=5,
    years=("2025 yil", "2026 yil"),
    rows=(
        ("I. Odam savdosining oldini olish",),
        (1, "Mahallalarda xorijda ishlash xavfsizligi bo'yicha tushuntirish ishlarini olib borish",
         "Hududiy dasturlar asosida", "har chorakda", "Mahalla va oila vazirligi, IIV",
         None, None, "Talab etilmaydi", None),
        (2, "Xorijiy ish beruvchilar to'g'risidagi ma'lumotlar bazasini yaratish",
         "Vazirlar Mahkamasi qarori loyihasini ishlab chiqish", "2025-yil 1-iyul", "KQBV",
         450.5, None, "Davlat budjeti", None),
        ("II. Jabrlanuvchilarni himoya qilish",),
        (3, "Jabrlanuvchilarga yuridik yordam ko'rsatish",
         "Idoralararo kelishuv asosida", "har yili, 25-dekabrgacha", "Bosh prokuratura, IIV",
         120, 130, "Davlat budjeti", "yillik hisobot"),
        (4, "Reabilitatsiya markazlari faoliyatini baholash", "Mustaqil baholash",
         "2025-2026 yillar", "KQBV, Mahalla va oila vazirligi", None, 75, "Davlat budjeti",
         None),
    ),
)  # fmt: skip
"""Uzbekistan: an Uzbek (Latin) roadmap with an implementation mechanism, millions of sum."""

PLANS = (KZ, KG, UZ)


def build(plan: Plan) -> Workbook:
    """The plan as a workbook: title lines, a two-row header, column numbers, the rows."""
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = plan.sheet
    width = len(plan.header) + max(len(plan.years) - 1, 0)
    for line in plan.title:
        sheet.append([line])
        row = sheet.max_row
        sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=width)
        sheet.cell(row, 1).font = Font(bold=True)
    top = sheet.max_row + 1
    _header(sheet, plan, top)
    sheet.append(list(range(1, width + 1)))
    for values in plan.rows:
        sheet.append(list(values))
        if len(values) == 1:
            row = sheet.max_row
            sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=width)
    for cells in sheet.iter_rows(min_row=top):
        for cell in cells:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    return workbook


def _header(sheet: Any, plan: Plan, top: int) -> None:
    """One row of names; with years, a second row under the budget and the rest merged down."""
    column = 1
    for position, name in enumerate(plan.header):
        sheet.cell(top, column, name).font = Font(bold=True)
        if position == plan.budget_at:
            last = column + len(plan.years) - 1
            sheet.merge_cells(start_row=top, start_column=column, end_row=top, end_column=last)
            for offset, year in enumerate(plan.years):
                sheet.cell(top + 1, column + offset, year).font = Font(bold=True)
            column = last + 1
            continue
        if plan.budget_at is not None:
            sheet.merge_cells(
                start_row=top, start_column=column, end_row=top + 1, end_column=column
            )
        column += 1


def main() -> None:
    for plan in PLANS:
        build(plan).save(HERE / plan.file)


if __name__ == "__main__":
    main()
