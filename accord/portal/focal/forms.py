"""The focal point's progress form, parsed into typed values; the rules are commitments' own."""

from accord.errors import Refusal
from accord.services.commitments.focal import Evidence, Progress
from accord.services.commitments.rules import EVIDENCE_TYPES
from models import ItemStatus

ACCEPT = ",".join(EVIDENCE_TYPES)
"""For the file input, so the browser offers only these."""


def read_update(
    status: str, value: str, percent: str, note: str, evidence: Evidence | None
) -> Progress:
    try:
        chosen = ItemStatus(status)
    except ValueError:
        raise Refusal("focal.status_unknown", "Choose the item's status.", field="status") from None
    return Progress(chosen, value, read_percent(percent), note, evidence)


def read_percent(text: str) -> int | None:
    """A whole number, with or without a percent sign; empty is none given."""
    cleaned = text.strip().rstrip("%").strip()
    if not cleaned:
        return None
    if not cleaned.isdigit():
        raise Refusal(
            "focal.percent_not_a_number",
            "The percentage must be a whole number from 0 to 100.",
            field="percent",
        )
    return int(cleaned)
