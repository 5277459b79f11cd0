"""The reviewer's forms, parsed into typed values; the rules they must meet are the services'.

A parse failure (a value no form of the page sends) is a Refusal like any other.
"""

from dataclasses import dataclass

from accord.errors import Refusal
from models import Decision

ACTIVITY = "activity:"
"""The comment form's one list names clauses by id and activities by this prefix and id
(source ids are slugs, so no clause id holds a colon)."""


@dataclass(frozen=True)
class CommentForm:
    clause_id: str | None
    body: str
    activity_id: str | None = None
    proposed: str | None = None


def read_comment(target: str, body: str, proposed: str = "") -> CommentForm:
    """`target` is a clause id, `activity:<id>`, or empty (the text as a whole)."""
    chosen = target.strip()
    wording = proposed or None
    if chosen.startswith(ACTIVITY):
        return CommentForm(None, body, chosen.removeprefix(ACTIVITY).strip() or None, wording)
    return CommentForm(chosen or None, body, None, wording)


@dataclass(frozen=True)
class DecisionForm:
    decision: Decision
    reason: str | None


def read_decision(value: str, reason: str) -> DecisionForm:
    try:
        decision = Decision(value)
    except ValueError:
        raise Refusal(
            "review.decision_unknown", "Choose one of the three decisions.", field="decision"
        ) from None
    return DecisionForm(decision, reason)


@dataclass(frozen=True)
class DelegateForm:
    email: str
    name: str | None
    """None when a colleague was chosen from the list (they have a name already)."""


def read_delegate(colleague: str, name: str, email: str) -> DelegateForm:
    """A colleague from the list, or a new one's name and e-mail address."""
    chosen = colleague.strip()
    return DelegateForm(chosen or email, None if chosen else name)
