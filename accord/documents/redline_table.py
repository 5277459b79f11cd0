"""The plan of a redline: the annex's table, with each change a Word tracked change.

An activity added is an inserted row, one removed a deleted row where it stood (after the
activity that preceded it under its objective); in an activity both versions have, each cell
is diffed word by word, so only what changed is marked (its number too, when it moved).
Objectives are rows as in the annex, their titles' changes tracked the same way.
"""

from collections.abc import Iterator
from dataclasses import dataclass

from accord.documents.blocks import pick
from accord.documents.commitments_table import (
    COLUMNS,
    HEAD_FILL,
    OBJECTIVE_FILL,
    SHARES,
    activity_cells,
)
from accord.documents.docx_styles import ANNEX, CELL, CELL_HEAD, HEADING, OBJECTIVE, styled
from accord.documents.labels import Labels
from accord.documents.tracked import TrackedChanges, split_paragraphs
from accord.documents.word_diff import Segment, SegmentKind, diff_words
from accord.documents.wordml import cell, paragraph, row, table, text_paragraph
from accord.source.spec import (
    CommitmentSpec,
    ObjectiveSpec,
    PlanGroup,
    VersionContent,
    numbered_plan,
)

Numbered = tuple[str, CommitmentSpec]
"""An activity with the number its plan prints."""
Heading = tuple[str, ObjectiveSpec | None]
"""An objective row: its number and objective (None: the activities naming none)."""
Anchor = tuple[str, str | None]
"""Where removed rows go: ("start", objective id) or ("after", activity id)."""


@dataclass(frozen=True)
class _Side:
    """One version's plan, numbered as its annex prints it."""

    content: VersionContent
    groups: tuple[PlanGroup, ...]

    @classmethod
    def of(cls, content: VersionContent) -> "_Side":
        agreement = content.agreement
        return cls(content, numbered_plan(agreement.objectives, agreement.commitments))

    def activities(self) -> dict[str, Numbered]:
        return {
            item.commitment.id: (item.number, item.commitment)
            for group in self.groups
            for item in group.activities
        }


@dataclass(frozen=True)
class _Table:
    old: _Side
    new: _Side
    labels: Labels
    changes: TrackedChanges
    widths: tuple[int, ...]


def redline_plan_table(
    old: VersionContent, new: VersionContent, labels: Labels, changes: TrackedChanges, width: int
) -> Iterator[str]:
    """The annex caption, the plan's heading and its table with every change from `old`
    tracked; nothing when neither version has a plan."""
    if not (old.agreement.commitments or new.agreement.commitments):
        return
    widths = tuple(width * share // 100 for share in SHARES)
    context = _Table(_Side.of(old), _Side.of(new), labels, changes, widths)
    if new.agreement.approval is None:
        yield text_paragraph(labels[f"annex_{new.agreement.kind.value}"].format(number=1), ANNEX)
    yield text_paragraph(labels["commitments"], HEADING)
    yield from table(_rows(context), widths, borders=True)


def _rows(context: _Table) -> Iterator[str]:
    yield _header(context)
    removed = _removed_by_anchor(context.old, context.new)
    old_headings = {_key(g): (g.number, g.objective) for g in context.old.groups if g.number}
    old_activities = context.old.activities()
    for group in context.new.groups:
        if group.number is not None:
            yield _objective_row(
                context, old_headings.pop(_key(group), None), (group.number, group.objective)
            )
        yield from _removed_rows(context, removed.pop(("start", _key(group)), []))
        for item in group.activities:
            now = (item.number, item.commitment)
            yield _activity_row(context, old_activities.get(item.commitment.id), now)
            yield from _removed_rows(context, removed.pop(("after", item.commitment.id), []))
    for key, (number, objective) in old_headings.items():  # objectives no longer in the plan
        yield _objective_row(context, (number, objective), None)
        yield from _removed_rows(context, removed.pop(("start", key), []))
    for rest in removed.values():
        yield from _removed_rows(context, rest)


def _key(group: PlanGroup) -> str | None:
    return group.objective.id if group.objective is not None else None


def _removed_by_anchor(old: _Side, new: _Side) -> dict[Anchor, list[Numbered]]:
    """Removed activities by where their rows go: after the nearest activity before them under
    their objective that the new version still has, else at the start of their objective."""
    kept = new.activities()
    out: dict[Anchor, list[Numbered]] = {}
    for group in old.groups:
        anchor: Anchor = ("start", _key(group))
        for item in group.activities:
            if item.commitment.id in kept:
                anchor = ("after", item.commitment.id)
            else:
                out.setdefault(anchor, []).append((item.number, item.commitment))
    return out


def _removed_rows(context: _Table, items: list[Numbered]) -> Iterator[str]:
    return (_activity_row(context, item, None) for item in items)


def _header(context: _Table) -> str:
    style = styled(CELL_HEAD, context.labels.language)
    cells = (
        cell(text_paragraph(context.labels[key], style), width, fill=HEAD_FILL)
        for key, width in zip(COLUMNS, context.widths, strict=True)
    )
    return row(cells, header=True)


def _objective_row(context: _Table, was: Heading | None, now: Heading | None) -> str:
    """ "1. Objective", its title's change tracked; a whole row added or removed."""
    texts = [_heading_text(context.labels, h) if h else None for h in (was, now)]
    kind, segments = _change(texts[0], texts[1])
    style = styled(OBJECTIVE, context.labels.language)
    content = _cell_paragraphs(context.changes, segments, kind, style)
    wide = cell(content, sum(context.widths), span=len(COLUMNS), fill=OBJECTIVE_FILL)
    return row([wide], whole=True, change=context.changes.row(kind))


def _heading_text(labels: Labels, heading: Heading) -> str:
    number, objective = heading
    title = pick(objective.title, labels.language) if objective else labels["other_activities"]
    return f"{number}. {title}"


def _activity_row(context: _Table, was: Numbered | None, now: Numbered | None) -> str:
    """One activity: inserted, deleted, or both versions' cells diffed one by one."""
    labels = context.labels
    old = activity_cells(context.old.content, *was, labels) if was else None
    new = activity_cells(context.new.content, *now, labels) if now else None
    style = styled(CELL, labels.language)
    kind: SegmentKind = "equal"
    cells: list[str] = []
    for index, width in enumerate(context.widths):
        kind, segments = _change(old[index] if old else None, new[index] if new else None)
        cells.append(cell(_cell_paragraphs(context.changes, segments, kind, style), width))
    return row(cells, whole=True, change=context.changes.row(kind))


def _change(old: str | None, new: str | None) -> tuple[SegmentKind, tuple[Segment, ...]]:
    """What became of a text: inserted (no old one), deleted (no new one) or diffed."""
    if old is None:
        return "insert", ((Segment("insert", new),) if new else ())
    if new is None:
        return "delete", ((Segment("delete", old),) if old else ())
    return "equal", diff_words(old, new)


def _cell_paragraphs(
    changes: TrackedChanges, segments: tuple[Segment, ...], end: SegmentKind, style: str
) -> str:
    """A cell's lines as paragraphs, their runs and marks tracked; at least one paragraph."""
    return "".join(
        paragraph(changes.runs(p.segments), style, changes.mark(p.mark))
        for p in split_paragraphs(segments, end)
    )
