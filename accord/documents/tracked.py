"""Word tracked changes: runs, paragraph marks and table rows marked inserted or deleted,
all by one author at one time, so Word can accept or reject each of them."""

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from itertools import count
from typing import Literal

from accord.documents.word_diff import Segment, SegmentKind
from accord.documents.wordml import paragraph, run, tracked_mark, tracked_row, tracked_run

_MARK: dict[SegmentKind, Literal["ins", "del"]] = {"insert": "ins", "delete": "del"}


@dataclass
class TrackedChanges:
    """Numbers every tracked change and stamps it with one author and one time."""

    date: str
    author: str
    ids: Iterator[int] = field(default_factory=lambda: count(1))

    def run(self, kind: SegmentKind, text: str, *, bold: bool = False) -> str:
        if kind == "equal":
            return run(text, bold=bold)
        return tracked_run(
            _MARK[kind],
            text,
            change_id=next(self.ids),
            author=self.author,
            date=self.date,
            bold=bold,
        )

    def runs(self, segments: Iterable[Segment], *, bold: bool = False) -> str:
        return "".join(self.run(s.kind, s.text, bold=bold) for s in segments if s.text)

    def row(self, kind: SegmentKind) -> str:
        """What marks a table row inserted or deleted ("" for a row both versions have)."""
        if kind == "equal":
            return ""
        return tracked_row(
            _MARK[kind], change_id=next(self.ids), author=self.author, date=self.date
        )

    def mark(self, kind: SegmentKind) -> str:
        if kind == "equal":
            return ""
        return tracked_mark(
            _MARK[kind], change_id=next(self.ids), author=self.author, date=self.date
        )


@dataclass
class TrackedParagraph:
    segments: list[Segment]
    mark: SegmentKind = "equal"
    """What happened to the paragraph mark: a deleted mark joins it with the next paragraph."""


def split_paragraphs(segments: Iterable[Segment], end: SegmentKind) -> list[TrackedParagraph]:
    """Split at line breaks; a break inside an insertion or deletion is a tracked paragraph mark."""
    paragraphs = [TrackedParagraph([])]
    for segment in segments:
        for index, line in enumerate(segment.text.split("\n")):
            if index:
                paragraphs[-1].mark = segment.kind
                paragraphs.append(TrackedParagraph([]))
            if line:
                paragraphs[-1].segments.append(Segment(segment.kind, line))
    paragraphs[-1].mark = end
    return paragraphs


def tracked_paragraph(item: TrackedParagraph, style: str, changes: TrackedChanges) -> str:
    """A paragraph; blank source lines (unchanged, empty) print nothing, as in the agreement."""
    if item.mark == "equal" and not any(s.text.strip() for s in item.segments):
        return ""
    return paragraph(changes.runs(item.segments), style, changes.mark(item.mark))
