"""The commitments of a plan as one table, grouped by objective, for a landscape page.

Its columns are narrow: long words get soft hyphens where their language's dictionary
allows a break (`hyphenation`), so no word runs over a border or leaves a gap.
"""

from collections.abc import Iterator
from dataclasses import dataclass

from accord.documents.blocks import LanguageTexts, org_name, paragraph_texts, pick, stacked
from accord.documents.docx_styles import (
    ANNEX,
    CELL,
    CELL_ALT,
    CELL_HEAD,
    CELL_HEAD_ALT,
    HEADING,
    OBJECTIVE,
    OBJECTIVE_ALT,
)
from accord.documents.formatting import (
    budget_by_year,
    format_amount,
    format_deadline,
)
from accord.documents.hyphenation import hyphenated
from accord.documents.labels import DocumentLabels, Labels, labels_for
from accord.documents.wordml import cell, row, table, text_paragraph
from accord.source.spec import (
    BudgetSpec,
    CommitmentSpec,
    LangText,
    ObjectiveSpec,
    VersionContent,
    numbered_plan,
)

COLUMNS = (
    "col_number",
    "col_activity",
    "col_responsible",
    "col_partners",
    "col_deadline",
    "col_indicator",
    "col_budget",
)
SHARES = (5, 24, 14, 15, 9, 18, 15)
"""Percent of the text width per column."""
HEAD_FILL = "D9D9D9"
BULLET = "• "
OBJECTIVE_FILL = "EDEDED"


@dataclass(frozen=True)
class _Table:
    """What every row needs, worked out once per document."""

    content: VersionContent
    languages: tuple[str, ...]
    labels: tuple[Labels, ...]
    committed: frozenset[str]
    """Who is named without "by agreement": the signatories and the coordinating body."""
    widths: tuple[int, ...]

    def each(self, texts: list[str]) -> LanguageTexts:
        pairs = zip(self.languages, texts, strict=True)
        return [(lang, (hyphenated(text, lang),) if text else ()) for lang, text in pairs]

    def translated(self, text: LangText | None) -> LanguageTexts:
        """Each language's paragraphs, long words hyphenated: the columns are narrow."""
        return [
            (lang, tuple(hyphenated(t, lang) for t in paragraph_texts(pick(text, lang))))
            for lang in self.languages
        ]


def commitments_section(
    content: VersionContent, labels: DocumentLabels, width: int, *, annex: bool = False
) -> Iterator[str]:
    """Heading and table, streamed by rows; the header row repeats on every page, and no
    row splits across pages. As an `annex`, "Annex 1 to the Memorandum" above the heading."""
    languages = labels.languages
    context = _Table(
        content=content,
        languages=languages,
        labels=tuple(labels_for(lang) for lang in languages),
        committed=_committed(content),
        widths=tuple(width * share // 100 for share in SHARES),
    )
    if annex:
        kind = content.agreement.kind.value
        for text in dict.fromkeys(lb[f"annex_{kind}"].format(number=1) for lb in context.labels):
            yield text_paragraph(text, ANNEX)
    yield text_paragraph(labels.joined("commitments"), HEADING)
    yield from table(_rows(context), context.widths, borders=True)


def _rows(context: _Table) -> Iterator[str]:
    yield _header_row(context)
    agreement = context.content.agreement
    for group in numbered_plan(agreement.objectives, agreement.commitments):
        if group.number is not None:
            yield _objective_row(context, f"{group.number}. ", group.objective)
        for item in group.activities:
            yield _commitment_row(context, item.number, item.commitment)


def _header_row(context: _Table) -> str:
    cells = (
        cell(
            stacked(context.each([lb[key] for lb in context.labels]), CELL_HEAD, CELL_HEAD_ALT),
            width,
            fill=HEAD_FILL,
        )
        for key, width in zip(COLUMNS, context.widths, strict=True)
    )
    return row(cells, header=True)


def _objective_row(context: _Table, number: str, objective: ObjectiveSpec | None) -> str:
    if objective is None:
        titles = [lb["other_activities"] for lb in context.labels]
    else:
        titles = [pick(objective.title, lang) for lang in context.languages]
    content = stacked(context.each([number + t for t in titles]), OBJECTIVE, OBJECTIVE_ALT)
    wide = cell(content, sum(context.widths), span=len(COLUMNS), fill=OBJECTIVE_FILL)
    return row([wide], whole=True)


def _commitment_row(context: _Table, number: str, commitment: CommitmentSpec) -> str:
    contents = (
        text_paragraph(number, CELL),
        _activity(context, commitment),
        _organizations(context, (commitment.responsible, *commitment.co_responsible)),
        _organizations(context, commitment.partners),
        stacked(context.each(_deadlines(context, commitment)), CELL, CELL_ALT),
        _indicator(context, commitment),
        _budget(context, commitment),
    )
    cells = (cell(xml, width) for xml, width in zip(contents, context.widths, strict=True))
    return row(cells, whole=True)


def _organizations(context: _Table, org_ids: tuple[str, ...]) -> str:
    """Each organisation's names in every language kept together, so several partners in
    two languages stay readable; a bullet starts each when there are several."""
    if not org_ids:
        return stacked(context.each([""] * len(context.languages)), CELL, CELL_ALT)
    bullet = BULLET if len(org_ids) > 1 else ""
    return "".join(
        stacked(
            [
                (lang, (hyphenated(f"{bullet}{_name(context, org_id, lang, lb)}", lang),))
                for lang, lb in zip(context.languages, context.labels, strict=True)
            ],
            CELL,
            CELL_ALT,
        )
        for org_id in org_ids
    )


def _name(context: _Table, org_id: str, language: str, labels: Labels) -> str:
    name = org_name(context.content, org_id, language)
    return name if org_id in context.committed else f"{name} ({labels['by_agreement']})"


def _committed(content: VersionContent) -> frozenset[str]:
    """The bodies a plan names plainly: the signatories and the coordinating body; every
    other one takes part "by agreement"."""
    agreement = content.agreement
    return frozenset((*agreement.signatories(), agreement.coordinating_body() or ""))


def _deadlines(context: _Table, commitment: CommitmentSpec) -> list[str]:
    return [format_deadline(commitment, lb) for lb in context.labels]


def _activity(context: _Table, commitment: CommitmentSpec) -> str:
    """The activity, then its form of completion and implementation mechanism, if given."""
    out = stacked(context.translated(commitment.activity), CELL, CELL_ALT)
    for key, text in (("completion", commitment.completion), ("mechanism", commitment.mechanism)):
        if text:
            lines = [
                (lang, (hyphenated(f"{lb[key]}: {pick(text, lang)}", lang),))
                for lang, lb in zip(context.languages, context.labels, strict=True)
            ]
            out += stacked(lines, CELL, CELL_ALT)
    return out


def _indicator(context: _Table, commitment: CommitmentSpec) -> str:
    texts = stacked(context.translated(commitment.indicator), CELL, CELL_ALT)
    if commitment.baseline is None and commitment.target is None:
        return texts
    values = f"{commitment.baseline or '—'} → {commitment.target or '—'}"
    return (texts if commitment.indicator else "") + text_paragraph(values, CELL)


def _budget(context: _Table, commitment: CommitmentSpec) -> str:
    funding = stacked(context.translated(commitment.funding), CELL, CELL_ALT)
    if commitment.budget is None:
        return funding
    budget = commitment.budget
    if budget.years:
        return _budget_by_year(context, budget) + (funding if commitment.funding else "")
    amount = text_paragraph(format_amount(budget.amount, budget.currency, context.labels[0]), CELL)
    return amount + (funding if commitment.funding else "")


def _budget_by_year(context: _Table, budget: BudgetSpec) -> str:
    lines, unit = budget_by_year(budget, context.labels[0])
    return "".join(text_paragraph(line, CELL) for line in lines) + text_paragraph(unit, CELL_ALT)


def activity_cells(
    content: VersionContent, number: str, commitment: CommitmentSpec, labels: Labels
) -> tuple[str, ...]:
    """One activity's cells of the table in one language, as text (a line per paragraph), in
    `COLUMNS` order: what a redline compares cell by cell."""
    language = labels.language
    committed = _committed(content)

    def names(org_ids: tuple[str, ...]) -> str:
        bullet = BULLET if len(org_ids) > 1 else ""
        return "\n".join(
            f"{bullet}{org_name(content, org, language)}"
            + ("" if org in committed else f" ({labels['by_agreement']})")
            for org in org_ids
        )

    def texts(text: LangText | None) -> list[str]:
        return list(paragraph_texts(pick(text, language))) if text else []

    activity = texts(commitment.activity) + [
        f"{labels[key]}: {pick(text, language)}"
        for key, text in (
            ("completion", commitment.completion),
            ("mechanism", commitment.mechanism),
        )
        if text
    ]
    indicator = texts(commitment.indicator)
    if commitment.baseline is not None or commitment.target is not None:
        indicator.append(f"{commitment.baseline or '—'} → {commitment.target or '—'}")
    return (
        number,
        "\n".join(activity),
        names((commitment.responsible, *commitment.co_responsible)),
        names(commitment.partners),
        format_deadline(commitment, labels),
        "\n".join(indicator),
        "\n".join(_budget_lines(commitment, labels) + texts(commitment.funding)),
    )


def _budget_lines(commitment: CommitmentSpec, labels: Labels) -> list[str]:
    budget = commitment.budget
    if budget is None:
        return []
    if budget.years:
        lines, unit = budget_by_year(budget, labels)
        return [*lines, unit]
    return [format_amount(budget.amount, budget.currency, labels)]
