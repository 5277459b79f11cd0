"""The focal point's progress form, checked so a mistake is explained in the reader's language.

`progress.record_progress` checks the same rules (and that the item is the organisation's
own) and stays the authority.
"""

from dataclasses import dataclass
from pathlib import PurePath

from accord.portal.deps import Say, _
from accord.portal.forms import FormInvalid
from accord.services.progress import EVIDENCE_LIMIT, EVIDENCE_TYPES, Evidence
from accord.services.review_errors import COMMENT_LIMIT
from models import ItemStatus

REPORTABLE = (ItemStatus.not_started, ItemStatus.in_progress, ItemStatus.done, ItemStatus.cancelled)
""""Overdue" is what the deadline says, never what a report says."""
VALUE_LIMIT = 200
"""`tracked_commitment.latest_value` holds 200 characters."""
LIMIT_MB = EVIDENCE_LIMIT // (1024 * 1024)
ALLOWED_TYPES = ", ".join(suffix.lstrip(".").upper() for suffix in EVIDENCE_TYPES)
ACCEPT = ",".join(EVIDENCE_TYPES)
"""For the file input, so the browser offers only these."""
TOO_LARGE = _("An evidence file may be up to %(limit)s MB; the file you chose is larger.")
SIGNATURES = {
    ".pdf": (b"%PDF-",),
    ".docx": (b"PK\x03\x04",),
    ".xlsx": (b"PK\x03\x04",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
    ".png": (b"\x89PNG\r\n\x1a\n",),
}
"""How each allowed type begins: a renamed program is not a PDF."""


@dataclass(frozen=True)
class UpdateForm:
    status: ItemStatus
    value: str | None
    percent: int | None
    note: str | None


def read_update(status: str, value: str, percent: str, note: str, *, say: Say) -> UpdateForm:
    chosen = next((s for s in REPORTABLE if s.value == status), None)
    if chosen is None:
        raise FormInvalid(say("Choose the item's status."))
    text = value.strip()
    if len(text) > VALUE_LIMIT:
        raise FormInvalid(
            say(
                "The value is %(length)s characters long; the limit is %(limit)s.",
                length=len(text),
                limit=VALUE_LIMIT,
            )
        )
    remark = note.strip()
    if len(remark) > COMMENT_LIMIT:
        raise FormInvalid(
            say(
                "The note is %(length)s characters long; the limit is %(limit)s.",
                length=len(remark),
                limit=COMMENT_LIMIT,
            )
        )
    return UpdateForm(chosen, text or None, read_percent(percent, say=say), remark or None)


def read_percent(text: str, *, say: Say) -> int | None:
    cleaned = text.strip().rstrip("%").strip()
    if not cleaned:
        return None
    if not cleaned.isdigit() or int(cleaned) > 100:
        raise FormInvalid(say("The percentage must be a whole number from 0 to 100."))
    return int(cleaned)


def check_evidence_name(filename: str, *, say: Say) -> str:
    """The file's own name (no folders), if its type is one of the allowed ones."""
    name = PurePath(filename.replace("\\", "/")).name
    if PurePath(name).suffix.lower() not in EVIDENCE_TYPES:
        raise FormInvalid(
            say(
                "“%(name)s” cannot be attached: the allowed types are %(types)s.",
                name=name[:80],
                types=ALLOWED_TYPES,
            )
        )
    return name


def checked_evidence(filename: str, data: bytes, *, say: Say) -> Evidence:
    """An allowed type, within the limit, and its content really of that type."""
    name = check_evidence_name(filename, say=say)
    if len(data) > EVIDENCE_LIMIT:
        raise FormInvalid(say(TOO_LARGE, limit=LIMIT_MB))
    suffix = PurePath(name).suffix.lower()
    if not data.startswith(SIGNATURES.get(suffix, (b"",))):
        raise FormInvalid(
            say(
                "“%(name)s” is not really a %(type)s file; attach the document itself.",
                name=name[:80],
                type=suffix.lstrip(".").upper(),
            )
        )
    return Evidence(filename=name, data=data)
