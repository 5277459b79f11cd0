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


PERCENT_DIGITS = 3
"""Digits a percentage from 0 to 100 needs (leading zeros aside); more is refused unread."""


def read_percent(text: str) -> int | None:
    """A whole number in ASCII digits, with or without a percent sign; empty is none given.

    `str.isdigit` also accepts `²`, `٣` and `１２`, which `int` then refuses or reads as a
    number nobody typed; so does an endless string of digits.
    """
    cleaned = text.strip().rstrip("%").strip()
    if not cleaned:
        return None
    significant = cleaned.lstrip("0") or "0"
    if not (cleaned.isascii() and cleaned.isdigit() and len(significant) <= PERCENT_DIGITS):
        raise Refusal(
            "focal.percent_not_a_number",
            "The percentage must be a whole number from 0 to 100.",
            field="percent",
        )
    return int(significant)
