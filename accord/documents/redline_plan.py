"""What changed in the plan between two versions: activity by activity, with the fields that
changed, so a redline can summarise it and print the plan with its changes tracked.

Activities are matched by id, like clauses. A field counts as changed when it differs in
any language, though the line printed is in the document's language.
"""

from dataclasses import dataclass
from typing import Any

from accord.documents.blocks import org_name, pick
from accord.documents.formatting import format_amount, format_deadline
from accord.documents.labels import Labels
from accord.source.spec import CommitmentSpec, VersionContent

FIELDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("col_activity", ("activity",)),
    ("col_responsible", ("responsible", "co_responsible")),
    ("col_partners", ("partners",)),
    ("col_deadline", ("due", "due_label", "repeat", "ongoing")),
    ("col_indicator_name", ("indicator", "baseline", "target")),
    ("col_budget", ("budget", "funding")),
    ("completion", ("completion",)),
    ("mechanism", ("mechanism",)),
    ("col_objective", ("objective",)),
)
"""A label naming each part of an activity, and the source fields it is made of."""


@dataclass(frozen=True)
class ActivityChange:
    """One activity of either version and what became of it."""

    commitment_id: str
    status: str
    """"added", "removed", "changed" or "unchanged"."""
    old_line: str
    new_line: str
    fields: tuple[str, ...]
    """Labels of the parts that changed (`FIELDS`), for a changed activity."""


def diff_plan(old: VersionContent, new: VersionContent, labels: Labels) -> list[ActivityChange]:
    """The new plan's activities in order, each removed one right after its old predecessor."""
    before = {c.id: c for c in old.agreement.commitments}
    after = {c.id: c for c in new.agreement.commitments}
    removed_after: dict[str | None, list[ActivityChange]] = {}
    anchor: str | None = None
    for commitment_id, commitment in before.items():
        if commitment_id in after:
            anchor = commitment_id
        else:
            line = activity_line(old, commitment, labels)
            removed_after.setdefault(anchor, []).append(
                ActivityChange(commitment_id, "removed", line, "", ())
            )
    out = list(removed_after.get(None, []))
    for commitment_id, commitment in after.items():
        line = activity_line(new, commitment, labels)
        if commitment_id not in before:
            out.append(ActivityChange(commitment_id, "added", "", line, ()))
        else:
            was = before[commitment_id]
            fields = _changed_fields(was, commitment)
            status = "changed" if fields else "unchanged"
            out.append(
                ActivityChange(commitment_id, status, activity_line(old, was, labels), line, fields)
            )
        out.extend(removed_after.get(commitment_id, []))
    return out


def _changed_fields(old: CommitmentSpec, new: CommitmentSpec) -> tuple[str, ...]:
    was, now = _values(old), _values(new)
    return tuple(label for label, names in FIELDS if any(was[name] != now[name] for name in names))


def _values(commitment: CommitmentSpec) -> dict[str, Any]:
    return commitment.model_dump(mode="json")


def activity_line(content: VersionContent, commitment: CommitmentSpec, labels: Labels) -> str:
    """ "c-03. Activity — Lead, Co-responsible — deadline — indicator — budget", as printed."""
    language = labels.language
    bodies = (commitment.responsible, *commitment.co_responsible)
    due = format_deadline(commitment, labels)
    budget = commitment.budget
    parts = (
        pick(commitment.activity, language),
        ", ".join(org_name(content, org, language) for org in bodies),
        due,
        pick(commitment.indicator, language) if commitment.indicator else "",
        format_amount(budget.amount, budget.currency, labels) if budget else "",
    )
    return f"{commitment.id}. " + " — ".join(part for part in parts if part)
