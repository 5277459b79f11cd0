"""The progress report of an agreement's commitments as a .docx, for the commission and donors.

Portrait: counts by status, progress per objective and a bar chart of status per
organisation (every bar segment labelled with its count, in the document's typeface).
Landscape: a table per organisation with its indicators (items at risk marked), the items
at risk, the late items, and the budget per source of financing with a total per currency.
Pure: values in, bytes out.
"""

from collections import Counter, defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from functools import cache
from io import BytesIO
from pathlib import Path
from textwrap import fill, shorten
from typing import Any

from accord.documents.agreement_docx import page_footer
from accord.documents.blocks import pick
from accord.documents.docx_package import (
    CORE,
    DOCUMENT,
    Part,
    core_properties_xml,
    image_part,
    image_rel_id,
    skeleton,
    static_zip_with_images,
    write_package,
)
from accord.documents.docx_styles import (
    CELL,
    CELL_HEAD,
    CLAUSE_HEADING,
    CLAUSE_TEXT,
    FONT,
    HEADING,
    KIND,
    SECTION_END,
    TITLE,
    VERSION,
    styled,
)
from accord.documents.formatting import format_amount, format_date, format_due
from accord.documents.labels import DocumentLabels, Labels, labels_for
from accord.documents.progress_types import (
    RISK_DAYS,
    STATUSES,
    Status,
    TrackedItem,
    expected_percent,
    is_at_risk,
    is_late,
    progress_percent,
)
from accord.documents.wordml import cell, esc, paragraph, row, table, text_paragraph
from accord.source.spec import LangText

HEAD_FILL = "D9D9D9"
TOTAL_FILL = "EDEDED"
EMU_PER_INCH = 914400
TWIPS_PER_INCH = 1440
CHART_DPI = 150
STATUS_COLOURS: dict[Status, str] = {
    "done": "#70AD47",
    "in_progress": "#4472C4",
    "not_started": "#BFBFBF",
    "overdue": "#C00000",
    "cancelled": "#7F7F7F",
}
ORG_TABLE = (
    ("col_number", 7),
    ("col_activity", 25),
    ("col_deadline", 9),
    ("col_status", 10),
    ("col_indicator_name", 19),
    ("col_baseline", 9),
    ("col_target", 9),
    ("col_latest", 12),
)
LATE_TABLE = (
    ("col_number", 8),
    ("col_activity", 37),
    ("col_responsible", 25),
    ("col_deadline", 10),
    ("col_status", 10),
    ("col_days_late", 10),
)
RISK_TABLE = (
    ("col_number", 8),
    ("col_activity", 35),
    ("col_responsible", 23),
    ("col_deadline", 10),
    ("col_percent", 12),
    ("col_expected_percent", 12),
)
CHART_FONTS = (FONT, "Liberation Serif", "Tinos", "DejaVu Serif")
"""The document's typeface for the chart, else one with the same metrics, else one that is
always there."""
NOTES_TABLE = (("col_number", 10), ("col_responsible", 28), ("col_updated", 12), ("col_note", 50))
BUDGET_TABLE = (("col_funding", 55), ("col_currency", 10), ("col_amount", 20), ("col_items", 15))
COUNT_TABLE = (("col_status", 70), ("col_count", 30))
OBJECTIVE_TABLE = (
    ("col_objective", 52),
    ("col_items", 16),
    ("col_done_share", 16),
    ("col_mean_percent", 16),
)
Cell = str | Sequence[str]
"""A cell's text: one paragraph, or several."""


@dataclass(frozen=True)
class Executor:
    """Who prepared the report, as official documents name them at the end: the secretariat's
    contact person."""

    name: str
    organisation: LangText
    email: str


@dataclass(frozen=True)
class _Report:
    """What every part of the report needs, worked out once."""

    labels: Labels
    items: tuple[TrackedItem, ...]
    as_of: date
    start: date | None = None
    """Entry into force: where the expected progress of an item starts."""
    objectives: tuple[tuple[str, LangText], ...] = ()
    """The plan's objectives (id, title) in its order: the report rolls up by them."""
    executor: Executor | None = None

    def at_risk(self, item: TrackedItem) -> bool:
        return is_at_risk(item, self.as_of, self.start)

    def style(self, base: str) -> str:
        return styled(base, self.labels.language)

    def text(self, value: LangText | None) -> str:
        return pick(value, self.labels.language)

    def status(self, item: TrackedItem) -> str:
        return self.labels[f"status_{item.status}"]

    def marked_status(self, item: TrackedItem) -> Cell:
        """The status, and "at risk" under it for an item at risk."""
        if self.at_risk(item):
            return [self.status(item), f"⚠ {self.labels['at_risk']}"]
        return self.status(item)


@dataclass(frozen=True)
class _Chart:
    """The chart picture and its size on the page."""

    png: bytes
    cx: int
    """Width in EMU (English metric units, as DrawingML sizes pictures)."""
    cy: int


def render_progress_report(
    agreement_title: LangText,
    items: Sequence[TrackedItem],
    *,
    language: str,
    as_of: date,
    version_number: int,
    sha256: str,
    start: date | None = None,
    objectives: Sequence[tuple[str, LangText]] = (),
    executor: Executor | None = None,
) -> bytes:
    """The report on `items` of the in-force version `version_number` (hash `sha256`) on `as_of`;
    `start` (entry into force) sets the progress expected of each item by then; `objectives`
    (the plan's, in order) are the rows of the roll-up; `executor` signs off the end."""
    package = skeleton()
    report = _Report(labels_for(language), tuple(items), as_of, start, tuple(objectives), executor)
    opening, landscape, _ = package.sections
    chart = _chart_png(report, opening.text_width) if items else None
    body = [
        _title_block(report, agreement_title, version_number, sha256),
        *_portrait(report, chart, opening.text_width),
        paragraph("", SECTION_END, opening.sect_pr),
        *_landscape(report, landscape.text_width),
        _executor(report),
        landscape.sect_pr,
    ]
    stamp = f"v{version_number} · {sha256[:12]} · {format_date(as_of)}"
    footer_labels = DocumentLabels((language,))
    parts: list[Part] = [(DOCUMENT, package.document_xml(body))]
    parts += [(s.footer, page_footer(package, s, footer_labels, stamp)) for s in package.sections]
    parts.append((CORE, _core(report, agreement_title, version_number, sha256)))
    if chart is None:
        return write_package(package.static_zip, parts)
    parts.append((image_part(1), chart.png))
    return write_package(static_zip_with_images(1), parts)


def _title_block(report: _Report, title: LangText, version_number: int, sha256: str) -> str:
    labels = report.labels
    as_of = labels["report_as_of"].format(date=format_date(report.as_of))
    return (
        text_paragraph(labels["report_title"], report.style(KIND))
        + text_paragraph(report.text(title), report.style(TITLE))
        + text_paragraph(as_of, report.style(VERSION))
        + text_paragraph(f"{labels['version']} {version_number} · sha256 {sha256}", VERSION)
    )


def _portrait(report: _Report, chart: _Chart | None, width: int) -> Iterator[str]:
    """Counts by status, progress per objective, the chart."""
    labels = report.labels
    yield _heading(report, "report_counts")
    if not report.items:
        yield text_paragraph(labels["report_empty"], report.style(CLAUSE_TEXT))
        return
    yield from _grid(report, COUNT_TABLE, _count_rows(report), width=width, total=True)
    yield _heading(report, "report_objectives")
    yield from _grid(report, OBJECTIVE_TABLE, _objective_rows(report), width=width)
    if chart is not None:
        yield _heading(report, "report_chart")
        yield _chart_paragraph(chart, labels["report_chart"])


def _landscape(report: _Report, width: int) -> Iterator[str]:
    """A table per organisation, then the late items, then the budget."""
    yield _heading(report, "report_by_org")
    for name, items in _by_organisation(report):
        yield text_paragraph(name, report.style(CLAUSE_HEADING))
        yield from _grid(report, ORG_TABLE, [_org_row(report, i) for i in items], width=width)
    yield from _at_risk(report, width)
    yield _heading(report, "report_late")
    late = sorted((i for i in report.items if is_late(i, report.as_of)), key=_by_deadline)
    if late:
        yield from _grid(report, LATE_TABLE, [_late_row(report, i) for i in late], width=width)
    else:
        yield text_paragraph(report.labels["late_none"], report.style(CLAUSE_TEXT))
    yield from _notes(report, width)
    yield _heading(report, "report_budget")
    budget = _budget_rows(report)
    if budget:
        yield from _grid(report, BUDGET_TABLE, budget, width=width, total=True)
    else:
        yield text_paragraph(report.labels["budget_none"], report.style(CLAUSE_TEXT))


def _at_risk(report: _Report, width: int) -> Iterator[str]:
    """Items due soon and behind the steady pace, with the progress expected of them."""
    yield _heading(report, "report_at_risk")
    rule = report.labels["at_risk_rule"].format(days=RISK_DAYS)
    yield text_paragraph(rule, report.style(CLAUSE_TEXT))
    risky = sorted((i for i in report.items if report.at_risk(i)), key=_by_deadline)
    if not risky:
        yield text_paragraph(report.labels["at_risk_none"], report.style(CLAUSE_TEXT))
        return
    rows: list[list[Cell]] = [
        [
            item.number,
            report.text(item.activity),
            report.text(item.responsible_name) or item.responsible_org_id,
            _due(report, item),
            f"{progress_percent(item)} %",
            f"{expected_percent(item, report.as_of, report.start)} %",
        ]
        for item in risky
    ]
    yield from _grid(report, RISK_TABLE, rows, width=width)


def _notes(report: _Report, width: int) -> Iterator[str]:
    """What the focal points wrote with their latest updates, item by item."""
    yield _heading(report, "report_notes")
    noted = sorted((i for i in report.items if i.latest_note), key=_by_deadline)
    if not noted:
        yield text_paragraph(report.labels["notes_none"], report.style(CLAUSE_TEXT))
        return
    rows: list[list[Cell]] = [
        [
            item.number,
            report.text(item.responsible_name) or item.responsible_org_id,
            format_date(item.last_update_at) if item.last_update_at else "",
            (item.latest_note or "").splitlines(),
        ]
        for item in noted
    ]
    yield from _grid(report, NOTES_TABLE, rows, width=width)


def _executor(report: _Report) -> str:
    """ "Исполнитель: name, organisation, e-mail" in small print at the end, as ministries do."""
    executor = report.executor
    if executor is None:
        return ""
    who = ", ".join(
        part for part in (executor.name, report.text(executor.organisation), executor.email) if part
    )
    return text_paragraph(f"{report.labels['executor']}: {who}", VERSION)


def _heading(report: _Report, key: str) -> str:
    return text_paragraph(report.labels[key], report.style(HEADING))


# --- tables ---------------------------------------------------------------------------------


def _grid(
    report: _Report,
    columns: Sequence[tuple[str, int]],
    rows: Sequence[Sequence[Cell]],
    *,
    width: int,
    total: bool = False,
) -> Iterator[str]:
    """A bordered table with a repeating header row; `total` shades the last row."""
    widths = [width * share // 100 for _, share in columns]
    head = row(
        (
            cell(text_paragraph(report.labels[key], report.style(CELL_HEAD)), w, fill=HEAD_FILL)
            for (key, _), w in zip(columns, widths, strict=True)
        ),
        header=True,
    )
    last = len(rows) - 1
    body = (
        _row(report, values, widths, fill=TOTAL_FILL if total and n == last else None)
        for n, values in enumerate(rows)
    )
    yield from table([head, *body], widths, borders=True)


def _row(
    report: _Report, values: Sequence[Cell], widths: list[int], fill: str | None = None
) -> str:
    style = report.style(CELL)
    return row(
        cell(_cell_text(value, style), width, fill=fill)
        for value, width in zip(values, widths, strict=True)
    )


def _cell_text(value: Cell, style: str) -> str:
    texts = [value] if isinstance(value, str) else list(value) or [""]
    return "".join(text_paragraph(text, style) for text in texts)


def _count_rows(report: _Report) -> list[list[Cell]]:
    """Every status, even at zero, so reports compare period to period; then the total."""
    counts = Counter(item.status for item in report.items)
    rows: list[list[Cell]] = [
        [report.labels[f"status_{status}"], str(counts[status])] for status in STATUSES
    ]
    rows.append([report.labels["total"], str(len(report.items))])
    return rows


def _objective_rows(report: _Report) -> list[list[Cell]]:
    """Share done and mean progress per objective; cancelled items count for neither."""
    rows: list[list[Cell]] = []
    for title, items in _by_objective(report):
        active = [item for item in items if item.status != "cancelled"]
        done = sum(1 for item in active if item.status == "done")
        share = _percent(done * 100, len(active))
        mean = _percent(sum(progress_percent(item) for item in active), len(active))
        rows.append([title, str(len(active)), share, mean])
    return rows


def _percent(total: int, count: int) -> str:
    return str(round(total / count)) if count else "—"


def _by_objective(report: _Report) -> list[tuple[str, list[TrackedItem]]]:
    """The plan's objectives in its order, each even without items; then objectives only items
    name, in the order they first do; items without one last."""
    groups: dict[str | None, list[TrackedItem]] = defaultdict(list)
    titles: dict[str | None, str] = {None: report.labels["other_activities"]}
    for objective_id, title in report.objectives:
        groups[objective_id] = []
        titles[objective_id] = report.text(title)
    for item in report.items:
        groups[item.objective_id].append(item)
        if item.objective_id is not None:
            titles.setdefault(item.objective_id, report.text(item.objective_title))
    keys = [key for key in groups if key is not None] + ([None] if None in groups else [])
    return [(titles[key] or str(key), groups[key]) for key in keys]


def _by_organisation(report: _Report) -> list[tuple[str, list[TrackedItem]]]:
    """Organisations by name; each one's items by deadline."""
    groups: dict[str, list[TrackedItem]] = defaultdict(list)
    names: dict[str, str] = {}
    for item in report.items:
        groups[item.responsible_org_id].append(item)
        names.setdefault(
            item.responsible_org_id, report.text(item.responsible_name) or item.responsible_org_id
        )
    ordered = sorted(groups, key=lambda org: (names[org].casefold(), org))
    return [(names[org], sorted(groups[org], key=_by_deadline)) for org in ordered]


def _by_deadline(item: TrackedItem) -> tuple[date, str, str]:
    return item.due, item.agreement_id, item.commitment_id


def _org_row(report: _Report, item: TrackedItem) -> list[Cell]:
    return [
        item.number,
        report.text(item.activity),
        _due(report, item),
        report.marked_status(item),
        report.text(item.indicator),
        item.baseline or "",
        item.target or "",
        _latest(item),
    ]


def _latest(item: TrackedItem) -> list[str]:
    """The latest value and percentage reported, and the date of that update."""
    lines = [item.latest_value or ""]
    if item.latest_percent is not None:
        lines.append(f"{item.latest_percent} %")
    if item.last_update_at is not None:
        lines.append(format_date(item.last_update_at))
    return [line for line in lines if line]


def _due(report: _Report, item: TrackedItem) -> str:
    return format_due(item.due_label, item.due, report.labels)


def _late_row(report: _Report, item: TrackedItem) -> list[Cell]:
    days = max(0, (report.as_of - item.due).days)
    return [
        item.number,
        report.text(item.activity),
        report.text(item.responsible_name) or item.responsible_org_id,
        _due(report, item),
        report.status(item),
        str(days),
    ]


def _budget_rows(report: _Report) -> list[list[Cell]]:
    """Sum per source of financing and currency (amounts in different currencies never add up)."""
    sums: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
    counts: Counter[tuple[str, str]] = Counter()
    for item in report.items:
        if item.budget_amount is None or item.status == "cancelled":
            continue
        source = report.text(item.funding) or report.labels["funding_unspecified"]
        key = (source, item.budget_currency or "")
        sums[key] += item.budget_amount
        counts[key] += 1
    ordered = sorted(sums, key=lambda key: (key[0].casefold(), key[1]))
    rows: list[list[Cell]] = [
        [
            source,
            currency,
            format_amount(sums[source, currency], "", report.labels),
            str(counts[source, currency]),
        ]
        for source, currency in ordered
    ]
    for currency in sorted({currency for _, currency in sums}):
        keys = [key for key in sums if key[1] == currency]
        total = sum((sums[key] for key in keys), Decimal(0))
        count = sum(counts[key] for key in keys)
        amount = format_amount(total, "", report.labels)
        rows.append([report.labels["total"], currency, amount, str(count)])
    return rows


# --- the chart ------------------------------------------------------------------------------


def _chart_png(report: _Report, width_twips: int) -> _Chart:
    """A horizontal stacked bar per organisation, by status, as wide as the text."""
    import matplotlib

    matplotlib.use("Agg")  # no display on servers; set on first use, never at import
    from matplotlib.figure import Figure

    groups = _by_organisation(report)
    width_in = width_twips / TWIPS_PER_INCH
    height_in = 1.4 + 0.45 * len(groups)
    with matplotlib.rc_context({"font.family": _chart_font()}):
        figure = Figure(figsize=(width_in, height_in), dpi=CHART_DPI, layout="constrained")
        _draw(figure, report, groups)
        buffer = BytesIO()
        figure.savefig(buffer, format="png", metadata={"Software": None})
    size = (round(width_in * EMU_PER_INCH), round(height_in * EMU_PER_INCH))
    return _Chart(png=buffer.getvalue(), cx=size[0], cy=size[1])


@cache
def _chart_font() -> str:
    """The first of CHART_FONTS this machine has; fonts installed after matplotlib built its
    font list are looked up on disk (by file name, so only the few that may match are read)."""
    from matplotlib import font_manager

    manager = font_manager.fontManager
    if not {font.name for font in manager.ttflist} & set(CHART_FONTS[:-1]):
        stems = tuple(name.replace(" ", "").casefold() for name in CHART_FONTS[:-1])
        for path in font_manager.findSystemFonts():
            if Path(path).stem.replace(" ", "").casefold().startswith(stems):
                manager.addfont(path)
    installed = {font.name for font in manager.ttflist}
    return next((name for name in CHART_FONTS if name in installed), "DejaVu Sans")


def _draw(figure: Any, report: _Report, groups: list[tuple[str, list[TrackedItem]]]) -> None:
    """Stacked bars by status, each segment labelled with its count; names wrapped, not cut."""
    from matplotlib.ticker import MaxNLocator

    axes = figure.subplots()
    names = [fill(shorten(name, width=90, placeholder=" …"), 45) for name, _ in groups][::-1]
    left = [0] * len(groups)
    for status in STATUSES:
        counts = [sum(1 for i in items if i.status == status) for _, items in groups][::-1]
        label = report.labels[f"status_{status}"]
        bars = axes.barh(names, counts, left=left, color=STATUS_COLOURS[status], label=label)
        shown = [str(count) if count else "" for count in counts]
        axes.bar_label(bars, labels=shown, label_type="center", fontsize=7)
        left = [a + b for a, b in zip(left, counts, strict=True)]
    axes.xaxis.set_major_locator(MaxNLocator(integer=True))
    axes.set_xlabel(report.labels["chart_axis"])
    axes.tick_params(labelsize=8)
    figure.legend(loc="outside lower center", ncols=len(STATUSES), fontsize=7, frameon=False)


def _chart_paragraph(chart: _Chart, description: str) -> str:
    """The chart as an inline picture, centred in its own paragraph."""
    image = _inline_image(image_rel_id(1), chart.cx, chart.cy, description)
    return paragraph(image, CLAUSE_TEXT, _CENTRED)


_CENTRED = '<w:jc w:val="center"/>'
_A = "http://schemas.openxmlformats.org/drawingml/2006/main"
_PIC = "http://schemas.openxmlformats.org/drawingml/2006/picture"


def _inline_image(rel_id: str, cx: int, cy: int, description: str) -> str:
    """A run holding a DrawingML inline picture of the image related as `rel_id`."""
    alt = esc(description).replace('"', "&quot;")
    extent = f'cx="{cx}" cy="{cy}"'
    return (
        '<w:r><w:drawing><wp:inline distT="0" distB="0" distL="0" distR="0">'
        f'<wp:extent {extent}/><wp:docPr id="1" name="Chart 1" descr="{alt}"/>'
        f'<wp:cNvGraphicFramePr><a:graphicFrameLocks xmlns:a="{_A}" noChangeAspect="1"/>'
        f'</wp:cNvGraphicFramePr><a:graphic xmlns:a="{_A}"><a:graphicData uri="{_PIC}">'
        f'<pic:pic xmlns:pic="{_PIC}"><pic:nvPicPr><pic:cNvPr id="0" name="image1.png"/>'
        f'<pic:cNvPicPr/></pic:nvPicPr><pic:blipFill><a:blip r:embed="{rel_id}"/>'
        "<a:stretch><a:fillRect/></a:stretch></pic:blipFill><pic:spPr>"
        f'<a:xfrm><a:off x="0" y="0"/><a:ext {extent}/></a:xfrm>'
        '<a:prstGeom prst="rect"><a:avLst/></a:prstGeom></pic:spPr></pic:pic>'
        "</a:graphicData></a:graphic></wp:inline></w:drawing></w:r>"
    )


def _core(report: _Report, title: LangText, version_number: int, sha256: str) -> bytes:
    labels = report.labels
    return core_properties_xml(
        title=report.text(title),
        subject=labels["report_title"],
        keywords="progress report",
        revision=version_number,
        created=datetime.combine(report.as_of, datetime.min.time(), tzinfo=UTC),
        identifier=sha256,
        description=f"sha256:{sha256}",
        language=labels["locale"],
    )
