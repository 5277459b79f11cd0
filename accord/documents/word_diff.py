"""Word-level diffs of two texts, as a reviewer's pen marks them.

Tokens are runs of whitespace or of anything else, so a diff's equal and delete segments
rejoin to the old text exactly, and its equal and insert segments to the new.
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Literal

SegmentKind = Literal["equal", "insert", "delete"]
_TOKEN = re.compile(r"\s+|\S+")


@dataclass(frozen=True)
class Segment:
    kind: SegmentKind
    text: str


def old_text(segments: Iterable[Segment]) -> str:
    """The text before the change."""
    return "".join(s.text for s in segments if s.kind != "insert")


def new_text(segments: Iterable[Segment]) -> str:
    """The text after the change."""
    return "".join(s.text for s in segments if s.kind != "delete")


def diff_words(old: str, new: str) -> tuple[Segment, ...]:
    """Word-level diff; a change run is one deletion then one insertion, like a reviewer's pen."""
    if old == new:
        return (Segment("equal", old),) if old else ()
    a, b = _TOKEN.findall(old), _TOKEN.findall(new)
    pieces: list[Segment] = []
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            pieces.append(Segment("equal", "".join(a[i1:i2])))
            continue
        if i2 > i1:
            pieces.append(Segment("delete", "".join(a[i1:i2])))
        if j2 > j1:
            pieces.append(Segment("insert", "".join(b[j1:j2])))
    return tuple(_tidy(pieces))


def _tidy(pieces: list[Segment]) -> list[Segment]:
    """Join changes separated by a mere space ("quick brown" → "slow red" is one change)."""
    out: list[Segment] = []
    deleted: list[str] = []
    inserted: list[str] = []
    last = len(pieces) - 1
    for index, piece in enumerate(pieces):
        if piece.kind == "delete":
            deleted.append(piece.text)
        elif piece.kind == "insert":
            inserted.append(piece.text)
        elif 0 < index < last and _bridge(piece.text):
            deleted.append(piece.text)
            inserted.append(piece.text)
        else:
            out += _change(deleted, inserted)
            out.append(piece)
    out += _change(deleted, inserted)
    return out


def _bridge(text: str) -> bool:
    """Spaces between two changes join them; a line break (a paragraph) never does."""
    return text.isspace() and "\n" not in text


def _change(deleted: list[str], inserted: list[str]) -> list[Segment]:
    """The pending change as one deletion then one insertion; the buffers are emptied."""
    change = [Segment("delete", "".join(deleted))] if deleted else []
    change += [Segment("insert", "".join(inserted))] if inserted else []
    deleted.clear()
    inserted.clear()
    return change
