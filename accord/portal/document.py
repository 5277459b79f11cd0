"""The plan of a version as pages show it: every activity with its number and fields, in one
document language, worded exactly as the DOCX words them.

Reviewers and signatories approve the whole document, so the review and signing pages show
the plan beside the clauses. The words (column names, "by agreement", deadlines, amounts)
are the document's own labels of that language, so page and DOCX never disagree.
"""

from dataclasses import dataclass

from markupsafe import escape

from accord.documents.blocks import org_name, paragraph_texts, pick
from accord.documents.formatting import budget_by_year, format_amount, format_deadline
from accord.documents.labels import Labels, labels_for
from accord.source.spec import BudgetSpec, CommitmentSpec, VersionContent, numbered_plan


@dataclass(frozen=True)
class ActivityField:
    label: str
    lines: tuple[str, ...]


@dataclass(frozen=True)
class ActivityRow:
    id: str
    number: str
    text: tuple[str, ...]
    """The activity's paragraphs."""
    fields: tuple[ActivityField, ...]
    """Only the fields the activity has, in the DOCX's column order."""


@dataclass(frozen=True)
class ObjectiveRow:
    number: str | None
    title: str | None
    """None with `number` None: a plan without objectives."""
    activities: tuple[ActivityRow, ...]


@dataclass(frozen=True)
class PlanView:
    heading: str
    objectives: tuple[ObjectiveRow, ...]


def plan_view(content: VersionContent, lang: str) -> PlanView | None:
    """The plan in `lang`; None when the version has no activities."""
    agreement = content.agreement
    if not agreement.commitments:
        return None
    labels = labels_for(lang)
    signatories = frozenset(agreement.signatories())
    groups = numbered_plan(agreement.objectives, agreement.commitments)
    titled = bool(agreement.objectives)
    return PlanView(
        heading=labels["commitments"],
        objectives=tuple(
            ObjectiveRow(
                number=group.number,
                title=(
                    pick(group.objective.title, lang)
                    if group.objective is not None
                    else (labels["other_activities"] if titled else None)
                ),
                activities=tuple(
                    _activity(content, item.number, item.commitment, lang, labels, signatories)
                    for item in group.activities
                ),
            )
            for group in groups
        ),
    )


def _activity(
    content: VersionContent,
    number: str,
    commitment: CommitmentSpec,
    lang: str,
    labels: Labels,
    signatories: frozenset[str],
) -> ActivityRow:
    def names(org_ids: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(
            name if org_id in signatories else f"{name} ({labels['by_agreement']})"
            for org_id in org_ids
            for name in [org_name(content, org_id, lang)]
        )

    def text(value: dict[str, str] | None) -> tuple[str, ...]:
        return paragraph_texts(pick(value, lang)) if value else ()

    deadline = format_deadline(commitment, labels)
    indicator = text(commitment.indicator)
    if commitment.baseline is not None or commitment.target is not None:
        indicator += (f"{commitment.baseline or '—'} → {commitment.target or '—'}",)
    candidates = (
        ("completion", text(commitment.completion)),
        ("mechanism", text(commitment.mechanism)),
        ("col_responsible", names((commitment.responsible, *commitment.co_responsible))),
        ("col_partners", names(commitment.partners)),
        ("col_deadline", (deadline,)),
        ("col_indicator", indicator),
        ("col_budget", _budget(commitment.budget, labels) + text(commitment.funding)),
    )
    return ActivityRow(
        id=commitment.id,
        number=number,
        text=text(commitment.activity),
        fields=tuple(ActivityField(labels[key], lines) for key, lines in candidates if lines),
    )


def _budget(budget: BudgetSpec | None, labels: Labels) -> tuple[str, ...]:
    """The amount; by year "2027: РБ 1 500; МБ 300", the total and the unit, as in the DOCX."""
    if budget is None:
        return ()
    if not budget.years:
        return (format_amount(budget.amount, budget.currency, labels),)
    lines, unit = budget_by_year(budget, labels)
    return (*lines, unit)


@dataclass(frozen=True)
class FieldChange:
    label: str
    before: tuple[str, ...]
    after: tuple[str, ...]


@dataclass(frozen=True)
class ActivityChange:
    status: str
    """"added", "removed" or "changed"."""
    number: str
    """The number in the newer version; in the older one for a removed activity."""
    text: tuple[str, ...]
    fields: tuple[FieldChange, ...] = ()
    """Of a changed activity: only the fields (and the text) that differ."""


def plan_changes(old: VersionContent, new: VersionContent, lang: str) -> list[ActivityChange]:
    """What changed in the plan between two versions, activity by activity (matched by their
    source id) and field by field, in the words and numbers each version prints."""
    before = _rows(plan_view(old, lang))
    after = _rows(plan_view(new, lang))
    labels = labels_for(lang)
    out: list[ActivityChange] = []
    for key, row in after.items():
        earlier = before.get(key)
        if earlier is None:
            out.append(ActivityChange("added", row.number, row.text))
            continue
        changes = _field_changes(earlier, row, labels["col_activity"], labels["col_number"])
        if changes:
            out.append(ActivityChange("changed", row.number, row.text, changes))
    out.extend(
        ActivityChange("removed", row.number, row.text)
        for key, row in before.items()
        if key not in after
    )
    return out


def _rows(plan: PlanView | None) -> dict[str, ActivityRow]:
    if plan is None:
        return {}
    return {row.id: row for group in plan.objectives for row in group.activities}


def _field_changes(
    old: ActivityRow, new: ActivityRow, text_label: str, number_label: str
) -> tuple[FieldChange, ...]:
    changes: list[FieldChange] = []
    if old.number != new.number:
        changes.append(FieldChange(number_label, (old.number,), (new.number,)))
    if old.text != new.text:
        changes.append(FieldChange(text_label, old.text, new.text))
    earlier = {f.label: f.lines for f in old.fields}
    later = {f.label: f.lines for f in new.fields}
    for label in dict.fromkeys([*earlier, *later]):
        if earlier.get(label, ()) != later.get(label, ()):
            changes.append(FieldChange(label, earlier.get(label, ()), later.get(label, ())))
    return tuple(changes)


def render_plan_changes(changes: list[ActivityChange]) -> str:
    """The plan's changes as HTML for the redline box: added and removed activities whole, a
    changed one as its fields, each with the old value struck and the new one inserted."""
    parts: list[str] = []
    for change in changes:
        text = " ".join(change.text)
        head = f'<span class="num">{escape(change.number)}.</span> '
        if change.status == "added":
            body = f"<p>{head}<ins>{escape(text)}</ins></p>"
        elif change.status == "removed":
            body = f"<p>{head}<del>{escape(text)}</del></p>"
        else:
            rows = "".join(
                f"<div><dt>{escape(f.label)}</dt><dd>"
                + (f"<del>{escape(' '.join(f.before))}</del> " if f.before else "")
                + (f"<ins>{escape(' '.join(f.after))}</ins>" if f.after else "")
                + "</dd></div>"
                for f in change.fields
            )
            body = f'<p>{head}{escape(text)}</p><dl class="activity-fields">{rows}</dl>'
        parts.append(
            f'<section class="activity-change" data-status="{change.status}">{body}</section>'
        )
    return "".join(parts)
