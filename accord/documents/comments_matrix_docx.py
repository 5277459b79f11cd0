"""The comments matrix of a review round as a .docx, the table secretariats consolidate from.

One landscape table: № · clause · party · comment (with the wording the party proposes, if
any; author, date) · the secretariat's response · its verdict, as answered on the round board
(left empty for them to fill in where there is no answer yet). Rows follow the clauses of the
version (general comments first), then the parties in the agreement's order, then time.
"""

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from accord.documents.agreement_docx import page_footer
from accord.documents.blocks import org_name, paragraph_texts, pick
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
    CELL_ALT,
    CELL_HEAD,
    HEADING,
    KIND,
    SECTION_END,
    TITLE,
    VERSION,
    styled,
)
from accord.documents.formatting import format_date
from accord.documents.labels import DocumentLabels, Labels, labels_for
from accord.documents.wordml import cell, paragraph, row, table, text_paragraph
from accord.source.spec import VersionContent, numbered, numbered_plan

COLUMNS = ("col_number", "col_clause", "col_party", "col_comment", "col_response", "col_verdict")
SHARES = (5, 16, 15, 30, 23, 11)
"""Percent of the landscape text width per column; the response column is roomy on purpose."""
HEAD_FILL = "D9D9D9"
SNIPPET = 60
"""Characters of an untitled clause's text that stand in for its title."""


@dataclass(frozen=True)
class MatrixRow:
    """One comment of the round, as the matrix prints it."""

    clause_id: str | None
    """None for a general comment on the whole text."""
    party_org_id: str
    author_name: str
    comment: str
    decision: str | None
    """The party's latest decision (`approve`, `approve_with_comments`, `request_changes`)."""
    created_at: datetime
    activity_id: str | None = None
    """The plan's activity commented on (then `clause_id` is None)."""
    proposed_text: str | None = None
    """The wording the party proposes for the clause instead of the current one."""
    response: str | None = None
    """The secretariat's answer; None while it has not answered."""
    verdict: str | None = None
    """`accepted`, `partly_accepted` or `not_accepted`, with the answer."""


@dataclass(frozen=True)
class _Matrix:
    """What every row needs, worked out once per document."""

    content: VersionContent
    labels: Labels
    clauses: dict[str, tuple[int, str]]
    """Clause id → (document position, "2.1. Title") in the matrix language."""
    activities: dict[str, tuple[int, str]]
    """Commitment id → (position after every clause, "Activity 2.3. Opening words …")."""
    parties: dict[str, int]
    widths: tuple[int, ...]

    def style(self, base: str) -> str:
        return styled(base, self.labels.language)


def render_comments_matrix(
    content: VersionContent,
    rows: Sequence[MatrixRow],
    *,
    round_number: int,
    version_number: int,
    sha256: str,
    created_at: datetime,
    language: str,
) -> bytes:
    """The matrix of review round `round_number` on version `version_number` (hash `sha256`)."""
    package = skeleton()
    labels = labels_for(language)
    landscape = package.sections[1]
    matrix = _Matrix(
        content=content,
        labels=labels,
        clauses=(clauses := _clause_labels(content, language)),
        activities=_activity_labels(content, labels, start=len(clauses)),
        parties={p.org: i for i, p in enumerate(content.agreement.parties)},
        widths=tuple(landscape.text_width * share // 100 for share in SHARES),
    )
    heading = labels["matrix_title"].format(
        round=round_number, version=version_number, sha=sha256[:12]
    )
    body = [
        _title_block(content, labels, heading, sha256),
        *table(_rows(matrix, rows), matrix.widths, borders=True),
        paragraph("", SECTION_END),
        landscape.sect_pr,
    ]
    stamp = f"v{version_number} · {sha256[:12]} · R{round_number}"
    document_labels = DocumentLabels((language,))
    parts: list[Part] = [(DOCUMENT, package.document_xml(body))]
    parts += [(s.footer, page_footer(package, s, document_labels, stamp)) for s in package.sections]
    parts.append((CORE, _core(content, labels, heading, version_number, sha256, created_at)))
    return write_package(package.static_zip, parts)


def _clause_labels(content: VersionContent, language: str) -> dict[str, tuple[int, str]]:
    """ "2.1. Title" (or just "2.1.") for every clause, with its position in the text."""
    out: dict[str, tuple[int, str]] = {}
    for position, item in enumerate(numbered(content.agreement.clauses)):
        title = " ".join(pick(item.clause.title, language).split())
        name = title or _opening(pick(item.clause.text, language))
        out[item.clause.id] = (position, f"{item.number}. {name}".strip())
    return out


def _activity_labels(
    content: VersionContent, labels: Labels, *, start: int
) -> dict[str, tuple[int, str]]:
    """ "Activity 2.3. Opening words …" for every activity of the plan, after the clauses."""
    agreement = content.agreement
    items = (
        item
        for group in numbered_plan(agreement.objectives, agreement.commitments)
        for item in group.activities
    )
    return {
        item.commitment.id: (
            position,
            f"{labels['col_activity']} {item.number}. "
            f"{_opening(pick(item.commitment.activity, labels.language))}".strip(),
        )
        for position, item in enumerate(items, start=start)
    }


def _opening(text: str) -> str:
    """The first words of an untitled clause, so the reader knows which one is meant."""
    words = " ".join(text.split())
    if len(words) <= SNIPPET:
        return words
    return words[:SNIPPET].rsplit(" ", 1)[0] + " …"


def _title_block(content: VersionContent, labels: Labels, heading: str, sha256: str) -> str:
    agreement = content.agreement
    language = labels.language
    return (
        text_paragraph(labels[f"kind_{agreement.kind.value}"], styled(KIND, language))
        + text_paragraph(pick(agreement.title, language), styled(TITLE, language))
        + text_paragraph(heading, styled(HEADING, language))
        + text_paragraph(f"sha256: {sha256}", VERSION)
    )


def _rows(matrix: _Matrix, rows: Sequence[MatrixRow]) -> Iterator[str]:
    """Header row (repeated on every page), then one row per comment in reading order."""
    head = matrix.style(CELL_HEAD)
    yield row(
        (
            cell(text_paragraph(matrix.labels[key], head), width, fill=HEAD_FILL)
            for key, width in zip(COLUMNS, matrix.widths, strict=True)
        ),
        header=True,
    )
    if not rows:
        empty = text_paragraph(matrix.labels["matrix_empty"], matrix.style(CELL))
        yield row([cell(empty, sum(matrix.widths), span=len(COLUMNS))])
        return
    ordered = sorted(rows, key=lambda r: _order(matrix, r))
    for number, item in enumerate(ordered, start=1):
        yield _comment_row(matrix, number, item)


def _order(matrix: _Matrix, item: MatrixRow) -> tuple[int, str, int, str, datetime]:
    """General first, then clause order, then the plan's activities (unknown ids after), party
    order, then time."""
    unknown = len(matrix.clauses) + len(matrix.activities)
    if item.activity_id is not None:
        known = matrix.activities.get(item.activity_id)
        clause = (known[0], "") if known else (unknown, item.activity_id)
    elif item.clause_id is None:
        clause = (-1, "")
    elif item.clause_id in matrix.clauses:
        clause = (matrix.clauses[item.clause_id][0], "")
    else:
        clause = (unknown, item.clause_id)
    party = matrix.parties.get(item.party_org_id, len(matrix.parties))
    name = org_name(matrix.content, item.party_org_id, matrix.labels.language)
    return (clause[0], clause[1], party, name, _as_utc(item.created_at))


def _as_utc(moment: datetime) -> datetime:
    """Aware and naive times compare (naive ones are UTC, as the database stores them)."""
    return moment.astimezone(UTC) if moment.tzinfo else moment.replace(tzinfo=UTC)


def _comment_row(matrix: _Matrix, number: int, item: MatrixRow) -> str:
    text, alt = matrix.style(CELL), matrix.style(CELL_ALT)
    contents = (
        text_paragraph(str(number), text),
        text_paragraph(_clause_cell(matrix, item), text),
        _party_cell(matrix, item, text, alt),
        _comment_cell(matrix.labels, item, text, alt),
        "".join(text_paragraph(t, text) for t in paragraph_texts(item.response or "") or ("",)),
        text_paragraph(
            matrix.labels.entries.get(f"verdict_{item.verdict}", item.verdict)
            if item.verdict
            else "",
            text,
        ),
    )
    return row(cell(xml, width) for xml, width in zip(contents, matrix.widths, strict=True))


def _clause_cell(matrix: _Matrix, item: MatrixRow) -> str:
    """The clause's or activity's number and name; "General comment" for the text as a whole."""
    if item.activity_id is not None:
        known = matrix.activities.get(item.activity_id)
        return known[1] if known else item.activity_id
    if item.clause_id is None:
        return matrix.labels["general_comment"]
    found = matrix.clauses.get(item.clause_id)
    return found[1] if found else item.clause_id


def _party_cell(matrix: _Matrix, item: MatrixRow, style: str, alt_style: str) -> str:
    """The organisation's name, and under it the decision it gave in this round."""
    name = org_name(matrix.content, item.party_org_id, matrix.labels.language)
    out = text_paragraph(name, style)
    if item.decision:
        words = matrix.labels.entries.get(f"decision_{item.decision}", item.decision)
        out += text_paragraph(words, alt_style)
    return out


def _comment_cell(labels: Labels, item: MatrixRow, style: str, alt_style: str) -> str:
    """The comment, a paragraph per line; "Proposed wording:" and the party's wording, so the
    secretariat can take it over as written; then "(author, date)"."""
    texts = paragraph_texts(item.comment) or ("",)
    out = "".join(text_paragraph(t, style) for t in texts)
    proposed = paragraph_texts(item.proposed_text or "")
    if proposed:
        out += text_paragraph(labels["proposed_wording"], alt_style)
        out += "".join(text_paragraph(t, style) for t in proposed)
    signed = f"({item.author_name}, {format_date(item.created_at)})"
    return out + text_paragraph(signed, alt_style)


def _core(
    content: VersionContent,
    labels: Labels,
    heading: str,
    version_number: int,
    sha256: str,
    created_at: datetime,
) -> bytes:
    agreement = content.agreement
    return core_properties_xml(
        title=pick(agreement.title, labels.language),
        subject=heading,
        keywords=agreement.id,
        revision=version_number,
        created=created_at,
        identifier=sha256,
        description=f"sha256:{sha256}",
        language=labels["locale"],
    )
