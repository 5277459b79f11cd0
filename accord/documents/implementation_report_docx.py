"""Information on implementation: a secretariat's half-yearly or annual report across all its
agreements and plans in force, as commissions receive it.

Per instrument, its objectives with the activities due in the period (and those still open
from before), how many are done and how many late; then every late activity with the reason
its focal point gave. Pure: values in, bytes out.
"""

from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime

from accord.documents.agreement_docx import page_footer
from accord.documents.blocks import pick
from accord.documents.docx_package import (
    CORE,
    DOCUMENT,
    Part,
    core_properties_xml,
    skeleton,
    write_package,
)
from accord.documents.docx_styles import (
    CELL,
    CELL_HEAD,
    CLAUSE_HEADING,
    CLAUSE_TEXT,
    HEADING,
    KIND,
    TITLE,
    VERSION,
    styled,
)
from accord.documents.formatting import format_date, format_due
from accord.documents.labels import DocumentLabels, Labels, labels_for
from accord.documents.progress_types import CLOSED, TrackedItem, is_late
from accord.documents.wordml import cell, row, table, text_paragraph
from accord.source.spec import LangText

HEAD_FILL = "D9D9D9"
OBJECTIVE_TABLE = (
    ("col_objective", 55),
    ("col_items", 15),
    ("col_done_count", 15),
    ("col_late_count", 15),
)
LATE_TABLE = (
    ("col_number", 9),
    ("col_activity", 30),
    ("col_responsible", 20),
    ("col_deadline", 11),
    ("col_days_late", 8),
    ("col_reason", 22),
)


@dataclass(frozen=True)
class Instrument:
    """One agreement or plan in force, with its objectives in order and its tracked items."""

    agreement_id: str
    title: LangText
    objectives: tuple[tuple[str, LangText], ...]
    items: tuple[TrackedItem, ...]


def in_period(item: TrackedItem, first: date, last: date) -> bool:
    """Due within the period, or due before it and still open (carried over)."""
    return first <= item.due <= last or (item.due < first and item.status not in CLOSED)


def render_implementation_report(
    secretariat: LangText,
    instruments: Sequence[Instrument],
    *,
    language: str,
    period: tuple[date, date],
    period_name: str,
) -> bytes:
    """The report in `language` on `instruments` for `period` (named like 2027-H1)."""
    package = skeleton()
    labels = labels_for(language)
    landscape = package.sections[1]  # one landscape section: the tables are wide
    width = landscape.text_width
    body = [
        _title(labels, secretariat, period),
        *(part for i in instruments for part in _instrument(labels, i, period, width)),
        landscape.sect_pr,
    ]
    footer = DocumentLabels((language,))
    stamp = f"{period_name} · {format_date(period[1])}"
    parts: list[Part] = [(DOCUMENT, package.document_xml(body))]
    parts += [(s.footer, page_footer(package, s, footer, stamp)) for s in package.sections]
    parts.append(
        (
            CORE,
            core_properties_xml(
                title=labels["impl_title"],
                subject=period_name,
                keywords=" ".join(i.agreement_id for i in instruments),
                revision=1,
                created=datetime.combine(period[1], datetime.min.time(), tzinfo=UTC),
                identifier=period_name,
                description=labels["impl_period"].format(
                    start=format_date(period[0]), end=format_date(period[1])
                ),
                language=labels["locale"],
                creator=pick(secretariat, language),
            ),
        )
    )
    return write_package(package.static_zip, parts)


def _title(labels: Labels, secretariat: LangText, period: tuple[date, date]) -> str:
    language = labels.language
    when = labels["impl_period"].format(start=format_date(period[0]), end=format_date(period[1]))
    return (
        text_paragraph(pick(secretariat, language), styled(KIND, language))
        + text_paragraph(labels["impl_title"], styled(TITLE, language))
        + text_paragraph(when, styled(VERSION, language))
    )


def _instrument(
    labels: Labels, instrument: Instrument, period: tuple[date, date], width: int
) -> Iterator[str]:
    language = labels.language
    items = [i for i in instrument.items if in_period(i, *period)]
    yield text_paragraph(pick(instrument.title, language), styled(HEADING, language))
    yield from _grid(
        labels, OBJECTIVE_TABLE, _objective_rows(labels, instrument, items, period[1]), width
    )
    late = sorted(
        (i for i in items if is_late(i, period[1])), key=lambda i: (i.due, i.commitment_id)
    )
    yield text_paragraph(labels["report_late"], styled(CLAUSE_HEADING, language))
    if not late:
        yield text_paragraph(labels["late_none"], styled(CLAUSE_TEXT, language))
        return
    yield from _grid(labels, LATE_TABLE, [_late_row(labels, i, period[1]) for i in late], width)


def _objective_rows(
    labels: Labels, instrument: Instrument, items: list[TrackedItem], last: date
) -> list[list[str]]:
    """The plan's objectives in order, then activities without one; a total at the end."""
    groups: dict[str | None, list[TrackedItem]] = defaultdict(list)
    titles: dict[str | None, str] = {None: labels["other_activities"]}
    for objective_id, title in instrument.objectives:
        groups[objective_id] = []
        titles[objective_id] = pick(title, labels.language)
    for item in items:
        groups[item.objective_id].append(item)
        titles.setdefault(item.objective_id, pick(item.objective_title, labels.language))
    order = [key for key in groups if key is not None] + ([None] if groups.get(None) else [])
    rows = [_counts(titles[key] or str(key), groups[key], last) for key in order]
    rows.append(_counts(labels["total"], items, last))
    return rows


def _counts(title: str, items: list[TrackedItem], last: date) -> list[str]:
    done = sum(1 for i in items if i.status == "done")
    late = sum(1 for i in items if is_late(i, last))
    return [title, str(len(items)), str(done), str(late)]


def _late_row(labels: Labels, item: TrackedItem, last: date) -> list[str]:
    return [
        item.number,
        pick(item.activity, labels.language),
        pick(item.responsible_name, labels.language) or item.responsible_org_id,
        format_due(item.due_label, item.due, labels),
        str(max(0, (last - item.due).days)),
        item.latest_note or "",
    ]


def _grid(
    labels: Labels, columns: Sequence[tuple[str, int]], rows: Sequence[Sequence[str]], width: int
) -> Iterator[str]:
    widths = [width * share // 100 for _, share in columns]
    language = labels.language
    head = row(
        (
            cell(text_paragraph(labels[key], styled(CELL_HEAD, language)), w, fill=HEAD_FILL)
            for (key, _), w in zip(columns, widths, strict=True)
        ),
        header=True,
    )
    body = (
        row(
            cell(_lines(value, styled(CELL, language)), w)
            for value, w in zip(values, widths, strict=True)
        )
        for values in rows
    )
    yield from table([head, *body], widths, borders=True)


def _lines(value: str, style: str) -> str:
    return "".join(text_paragraph(line, style) for line in value.splitlines() or [""])
