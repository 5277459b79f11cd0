"""What changed between two versions, clause by clause and word by word: data, HTML and DOCX.

Clauses are matched by id, so renumbering is never a text change. Word diffs tokenise
on whitespace boundaries and keep the whitespace, so a diff's equal and delete
segments rejoin to the old text exactly, and its equal and insert segments to the new.
The DOCX opens with a summary of what changed (clauses, then the plan's activities), then
carries real tracked changes, so Word can accept or reject each of them, in the clauses
and in the plan after them, printed in the annex's table (`redline_table`); the changes are
the secretariat's, which hands the redline out.
"""

import html
from bisect import bisect_left
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from accord.documents.agreement_docx import page_footer
from accord.documents.blocks import org_name, pick
from accord.documents.docx_package import (
    CORE,
    DOCUMENT,
    Part,
    Skeleton,
    core_properties_xml,
    skeleton,
    w3cdtf,
    write_package,
)
from accord.documents.docx_styles import (
    CLAUSE_HEADING,
    CLAUSE_TEXT,
    KIND,
    SECTION_END,
    SUBCLAUSE_HEADING,
    TITLE,
    VERSION,
    styled,
)
from accord.documents.formatting import format_date
from accord.documents.labels import DocumentLabels, Labels, labels_for
from accord.documents.redline_plan import ActivityChange, diff_plan
from accord.documents.redline_table import redline_plan_table
from accord.documents.tracked import TrackedChanges, split_paragraphs, tracked_paragraph
from accord.documents.word_diff import (
    Segment,
    SegmentKind,
    diff_words,
    new_text,
    old_text,
)
from accord.documents.wordml import (
    clean,
    paragraph,
    text_paragraph,
)
from accord.source.spec import NumberedClause, VersionContent, numbered


class ClauseStatus(StrEnum):
    unchanged = "unchanged"
    changed = "changed"
    """Title or text differ (the clause may also have moved: see `ClauseDiff.moved`)."""
    added = "added"
    removed = "removed"
    moved = "moved"
    """Same title and text, but its place among the other clauses changed."""


@dataclass(frozen=True)
class ClauseDiff:
    """One clause of either version: what became of it, with word diffs of title and text."""

    clause_id: str
    number: str
    """Number in the new version; in the old one for a removed clause."""
    status: ClauseStatus
    title: tuple[Segment, ...]
    text: tuple[Segment, ...]
    old_number: str | None
    new_number: str | None
    depth: int
    moved: bool = False
    """Its place among the clauses both versions share changed (renumbering alone is not a move)."""

    @property
    def changed(self) -> bool:
        """Anything for a reader to see: edited, added, removed or moved (not just renumbered)."""
        return self.status is not ClauseStatus.unchanged

    @property
    def renumbered(self) -> bool:
        return None not in (self.old_number, self.new_number) and self.old_number != self.new_number


# --- clause matching ---------------------------------------------------------------------


@dataclass(frozen=True)
class _Place:
    item: NumberedClause
    index: int
    parent: str | None


def _places(content: VersionContent) -> dict[str, _Place]:
    """Clause id → number, document position and parent id (ids are unique per agreement)."""
    by_number: dict[str, str] = {}
    places: dict[str, _Place] = {}
    for index, item in enumerate(numbered(content.agreement.clauses)):
        by_number[item.number] = item.clause.id
        parent = by_number.get(item.number.rpartition(".")[0])
        places[item.clause.id] = _Place(item, index, parent)
    return places


def diff_versions(old: VersionContent, new: VersionContent, language: str) -> list[ClauseDiff]:
    """Every clause of `new` in order, each removed clause right after its old predecessor."""
    before, after = _places(old), _places(new)
    moved = _moved(before, after)
    removed_after: dict[str | None, list[ClauseDiff]] = {}
    anchor: str | None = None
    for clause_id, place in before.items():
        if clause_id in after:
            anchor = clause_id
        else:
            removed_after.setdefault(anchor, []).append(_removed(place, language))
    out = list(removed_after.get(None, []))
    for clause_id, place in after.items():
        out.append(
            _kept(before[clause_id], place, clause_id in moved, language)
            if clause_id in before
            else _added(place, language)
        )
        out.extend(removed_after.get(clause_id, []))
    return out


def _moved(before: dict[str, _Place], after: dict[str, _Place]) -> set[str]:
    """Shared clauses outside the longest run kept in order, or now under another parent."""
    common = [clause_id for clause_id in after if clause_id in before]
    stayed = _increasing_subsequence([before[clause_id].index for clause_id in common])
    return {
        clause_id
        for position, clause_id in enumerate(common)
        if position not in stayed or before[clause_id].parent != after[clause_id].parent
    }


def _increasing_subsequence(values: Sequence[int]) -> set[int]:
    """Positions of a longest increasing subsequence of distinct values (patience sorting)."""
    tails: list[int] = []
    tail_positions: list[int] = []
    previous: list[int] = []
    for position, value in enumerate(values):
        k = bisect_left(tails, value)
        if k == len(tails):
            tails.append(value)
            tail_positions.append(position)
        else:
            tails[k], tail_positions[k] = value, position
        previous.append(tail_positions[k - 1] if k else -1)
    chain: set[int] = set()
    position = tail_positions[-1] if tail_positions else -1
    while position >= 0:
        chain.add(position)
        position = previous[position]
    return chain


def _title_and_text(place: _Place, language: str) -> tuple[str, str]:
    clause = place.item.clause
    return pick(clause.title, language), pick(clause.text, language)


def _kept(before: _Place, after: _Place, moved: bool, language: str) -> ClauseDiff:
    (old_title, old_body), (new_title, new_body) = (
        _title_and_text(before, language),
        _title_and_text(after, language),
    )
    title, text = diff_words(old_title, new_title), diff_words(old_body, new_body)
    edited = any(s.kind != "equal" for s in (*title, *text))
    status = (
        ClauseStatus.changed
        if edited
        else (ClauseStatus.moved if moved else ClauseStatus.unchanged)
    )
    return ClauseDiff(
        clause_id=after.item.clause.id,
        number=after.item.number,
        status=status,
        title=title,
        text=text,
        old_number=before.item.number,
        new_number=after.item.number,
        depth=after.item.depth,
        moved=moved,
    )


def _added(place: _Place, language: str) -> ClauseDiff:
    title, text = _title_and_text(place, language)
    return ClauseDiff(
        clause_id=place.item.clause.id,
        number=place.item.number,
        status=ClauseStatus.added,
        title=_whole("insert", title),
        text=_whole("insert", text),
        old_number=None,
        new_number=place.item.number,
        depth=place.item.depth,
    )


def _removed(place: _Place, language: str) -> ClauseDiff:
    title, text = _title_and_text(place, language)
    return ClauseDiff(
        clause_id=place.item.clause.id,
        number=place.item.number,
        status=ClauseStatus.removed,
        title=_whole("delete", title),
        text=_whole("delete", text),
        old_number=place.item.number,
        new_number=None,
        depth=place.item.depth,
    )


def _whole(kind: SegmentKind, text: str) -> tuple[Segment, ...]:
    return (Segment(kind, text),) if text else ()


def _number_segments(diff: ClauseDiff) -> tuple[Segment, ...]:
    """ "2. ", or the old number struck out and the new one inserted when it changed."""
    if diff.status is ClauseStatus.added:
        return (Segment("insert", f"{diff.number}. "),)
    if diff.status is ClauseStatus.removed:
        return (Segment("delete", f"{diff.number}. "),)
    if diff.renumbered:
        return (Segment("delete", f"{diff.old_number}. "), Segment("insert", f"{diff.number}. "))
    return (Segment("equal", f"{diff.number}. "),)


# --- HTML --------------------------------------------------------------------------------

_HTML_TAG = {"insert": "ins", "delete": "del"}


def render_redline_html(diffs: Sequence[ClauseDiff], *, changed_only: bool = False) -> str:
    """A fragment for the portal and e-mails: <ins>/<del> inline, every piece of text escaped."""
    shown = (d for d in diffs if d.changed or not changed_only)
    return '<div class="redline">' + "".join(_html_clause(d) for d in shown) + "</div>"


def _html_clause(diff: ClauseDiff) -> str:
    tag = "h3" if diff.depth == 0 else "h4"
    number = f'<span class="clause-number">{_html_segments(_number_segments(diff))}</span>'
    return (
        f'<section class="clause clause-{diff.status.value}" '
        f'data-clause="{_html_text(diff.clause_id)}" data-status="{diff.status.value}">'
        f'<{tag} class="clause-heading">{number}{_html_segments(diff.title)}</{tag}>'
        f'<p class="clause-text">{_html_segments(diff.text)}</p></section>'
    )


def _html_segments(segments: Iterable[Segment]) -> str:
    out: list[str] = []
    for segment in segments:
        text = _html_text(segment.text).replace("\n", "<br>\n")
        tag = _HTML_TAG.get(segment.kind)
        out.append(f"<{tag}>{text}</{tag}>" if tag else text)
    return "".join(out)


def _html_text(text: str) -> str:
    return html.escape(clean(text), quote=True)


# --- DOCX --------------------------------------------------------------------------------


def render_redline_docx(
    old: VersionContent,
    new: VersionContent,
    diffs: Sequence[ClauseDiff],
    *,
    language: str,
    old_number: int,
    new_number: int,
    old_sha256: str,
    new_sha256: str,
    created_at: datetime,
) -> bytes:
    """The new version in `language` with every change from the old one as a Word tracked change."""
    package = skeleton()
    labels = labels_for(language)
    author = org_name(new, new.agreement.secretariat, language)
    changes = TrackedChanges(date=w3cdtf(created_at), author=author)
    activities = diff_plan(old, new, labels)
    body = [
        _redline_title(old, new, labels, changes, (old_number, new_number)),
        text_paragraph(
            f"v{old_number} · {old_sha256[:12]} → v{new_number} · {new_sha256[:12]} · "
            f"{format_date(created_at)}",
            VERSION,
        ),
        _summary(diffs, activities, labels),
        *(_docx_clause(diff, changes, language) for diff in diffs),
        *_plan(old, new, labels, changes, package),
    ]
    stamp = f"v{old_number} → v{new_number} · {new_sha256[:12]}"
    document_labels = DocumentLabels((language,))
    parts: list[Part] = [(DOCUMENT, package.document_xml(body))]
    parts += [(s.footer, page_footer(package, s, document_labels, stamp)) for s in package.sections]
    heading = labels["redline_title"].format(old=old_number, new=new_number)
    parts.append(
        (
            CORE,
            core_properties_xml(
                title=pick(new.agreement.title, language),
                subject=heading,
                keywords=new.agreement.id,
                revision=new_number,
                created=created_at,
                identifier=new_sha256,
                description=f"sha256:{old_sha256} → sha256:{new_sha256}",
                creator=author,
                language=labels["locale"],
            ),
        )
    )
    return write_package(package.static_zip, parts)


def _redline_title(
    old: VersionContent,
    new: VersionContent,
    labels: Labels,
    changes: TrackedChanges,
    numbers: tuple[int, int],
) -> str:
    """Kind, the agreement's title (its own change tracked too), "Changes from version N to M"."""
    language = labels.language
    agreement = new.agreement
    title = diff_words(pick(old.agreement.title, language), pick(agreement.title, language))
    heading = labels["redline_title"].format(old=numbers[0], new=numbers[1])
    return (
        text_paragraph(labels[f"kind_{agreement.kind.value}"], styled(KIND, language))
        + paragraph(changes.runs(title), styled(TITLE, language))
        + text_paragraph(heading, styled(TITLE, language))
        + text_paragraph(labels["redline_note"], VERSION)
    )


def _docx_clause(diff: ClauseDiff, changes: TrackedChanges, language: str) -> str:
    """Heading "N. Title" then the text; an untitled clause starts its text with its number."""
    end = _END_MARK.get(diff.status, "equal")
    paragraphs = split_paragraphs(diff.text, end)
    text_style = styled(CLAUSE_TEXT, language)
    number = _number_segments(diff)
    if any(s.text.strip() for s in diff.title):
        style = styled(CLAUSE_HEADING if diff.depth == 0 else SUBCLAUSE_HEADING, language)
        head = paragraph(changes.runs((*number, *diff.title)), style, changes.mark(end))
        return head + "".join(tracked_paragraph(p, text_style, changes) for p in paragraphs)
    first, *rest = paragraphs
    lead = changes.runs(number, bold=True) + changes.runs(first.segments)
    return paragraph(lead, text_style, changes.mark(first.mark)) + "".join(
        tracked_paragraph(p, text_style, changes) for p in rest
    )


_END_MARK: dict[ClauseStatus, SegmentKind] = {
    ClauseStatus.added: "insert",
    ClauseStatus.removed: "delete",
}


def _plan(
    old: VersionContent,
    new: VersionContent,
    labels: Labels,
    changes: TrackedChanges,
    package: Skeleton,
) -> Iterator[str]:
    """The plan after the clauses, in the annex's table on a landscape page, as in the
    agreement; a document without a plan ends on its portrait page."""
    portrait, landscape, _ = package.sections
    plan = list(redline_plan_table(old, new, labels, changes, landscape.text_width))
    if not plan:
        yield portrait.sect_pr
        return
    yield paragraph("", SECTION_END, portrait.sect_pr)
    yield from plan
    yield paragraph("", SECTION_END)
    yield landscape.sect_pr


# --- summary and plan ----------------------------------------------------------------------

_STATUS_LABEL = {
    ClauseStatus.changed: "change_changed",
    ClauseStatus.added: "change_added",
    ClauseStatus.removed: "change_removed",
    ClauseStatus.moved: "change_moved",
}


def summary_lines(
    diffs: Sequence[ClauseDiff], activities: Sequence[ActivityChange], labels: Labels
) -> tuple[list[str], list[str]]:
    """What a reader sees first: each clause and each activity that changed, and how."""
    clauses = [
        f"{diff.number}. {new_text(diff.title) or old_text(diff.title)}".strip()
        + f" — {labels[_STATUS_LABEL[diff.status]]}"
        for diff in diffs
        if diff.changed
    ]
    plan = [
        f"{change.commitment_id} — {labels[f'change_{change.status}']}"
        + (": " + ", ".join(labels[field] for field in change.fields) if change.fields else "")
        for change in activities
        if change.status != "unchanged"
    ]
    return clauses, plan


def _summary(
    diffs: Sequence[ClauseDiff], activities: Sequence[ActivityChange], labels: Labels
) -> str:
    language = labels.language
    clauses, plan = summary_lines(diffs, activities, labels)
    heading = styled(CLAUSE_HEADING, language)
    text = styled(CLAUSE_TEXT, language)
    out = [text_paragraph(labels["redline_summary"], heading)]
    groups = [("redline_clauses", clauses)]
    if activities:
        groups.append(("redline_activities", plan))
    for title, lines in groups:
        out.append(text_paragraph(labels[title], styled(SUBCLAUSE_HEADING, language)))
        out += [text_paragraph(line, text) for line in lines or [labels["redline_no_changes"]]]
    return "".join(out)
