"""The rules of a review round, free of I/O: facts in, a decision or a Refusal out.

The steps around them (rounds, stages, actions, tick) load the facts, ask here, and write.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from accord.errors import Refusal
from accord.services.status import StatusAction
from accord.source.people import NotAnAddress, NotAName, check_address, check_name
from models import AnswerVerdict, Decision, RoundOutcome, StageKind

COMMENT_LIMIT = 5000
"""Characters per comment or reason: a page of text, enough for a redrafted clause."""
NAME_LIMIT = 200
"""`contact.name` holds 200 characters."""
EMAIL_LIMIT = 254


# --- what people write ----------------------------------------------------------------------


def comment_body(body: str) -> str:
    """A comment, trimmed: never empty, never over the limit."""
    text = body.strip()
    if not text:
        raise Refusal(
            "review.comment_empty",
            "Write a comment before sending it (up to %(limit)s characters).",
            field="body",
            limit=COMMENT_LIMIT,
        )
    if len(text) > COMMENT_LIMIT:
        raise Refusal(
            "review.comment_too_long",
            "The comment is %(length)s characters long; the limit is %(limit)s.",
            field="body",
            length=len(text),
            limit=COMMENT_LIMIT,
        )
    return text


def decision_reason(decision: Decision, reason: str | None) -> str | None:
    """The reason given with a decision: required when changes are requested."""
    text = (reason or "").strip()
    if len(text) > COMMENT_LIMIT:
        raise Refusal(
            "review.reason_too_long",
            "The reason is %(length)s characters long; the limit is %(limit)s.",
            field="reason",
            length=len(text),
            limit=COMMENT_LIMIT,
        )
    if decision is Decision.request_changes and not text:
        raise Refusal(
            "review.reason_required",
            "A request for changes needs its reason: say what must change and why "
            "(up to %(limit)s characters).",
            field="reason",
            limit=COMMENT_LIMIT,
        )
    return text or None


def in_time(now: datetime, closes_at: datetime, *, deadline: date, field: str) -> None:
    """A decision, comment or delegation counts only if it arrives before the stage's deadline
    has passed; `field` is the form field the refusal points at."""
    refusal = late(now, closes_at, deadline=deadline, field=field)
    if refusal is not None:
        raise refusal


def late(now: datetime, closes_at: datetime, *, deadline: date, field: str) -> Refusal | None:
    """Why nothing more is accepted in this stage, once its deadline has passed; else None.

    `closes_at` is the end of the deadline's working day in the agreement's country; the
    stage stays open until the next tick closes it, but what arrives meanwhile is late.
    """
    if now < closes_at:
        return None
    return Refusal(
        "review.deadline_passed",
        "The deadline of this review stage was %(deadline)s at %(time)s (UTC%(offset)s); "
        "decisions, comments and delegations are no longer accepted. If your answer is "
        "still needed, write to the secretariat.",
        field=field,
        **deadline_words(closes_at, deadline=deadline),
    )


def paper_in_time(
    now: datetime, closes_at: datetime, *, deadline: date, late_reason: str | None
) -> str | None:
    """A decision received on paper after the deadline is recorded only with the reason the
    secretariat accepts it late (kept in the audit trail); the reason, cleaned, or None."""
    reason = (late_reason or "").strip() or None
    if now >= closes_at and reason is None:
        raise Refusal(
            "review.paper_after_deadline",
            "The deadline of this review stage was %(deadline)s at %(time)s (UTC%(offset)s); "
            "a decision received on paper after it is recorded only with --late and the reason "
            "it is accepted late (for example, when the letter was sent).",
            field="late",
            **deadline_words(closes_at, deadline=deadline),
        )
    return reason


def deadline_words(closes_at: datetime, *, deadline: date) -> dict[str, object]:
    """The values a sentence about the deadline shows: its day, hour and UTC offset."""
    offset = closes_at.strftime("%z")
    return {
        "deadline": deadline,
        "time": closes_at.strftime("%H:%M"),
        "offset": f"{offset[:3]}:{offset[3:]}",
    }


def proposed_wording(proposed: str | None, *, on_part: bool, current: Sequence[str]) -> str | None:
    """New wording for the clause or activity commented on, trimmed; None when not given.
    It must name a clause or activity (`on_part`) and differ from every `current` text."""
    text = (proposed or "").strip()
    if not text:
        return None
    if not on_part:
        raise Refusal(
            "review.proposal_without_clause",
            "New wording replaces a clause or an activity: choose it in “Comment on”.",
            field="clause_id",
        )
    if len(text) > COMMENT_LIMIT:
        raise Refusal(
            "review.proposal_too_long",
            "The proposed wording is %(length)s characters long; the limit is %(limit)s.",
            field="proposed",
            length=len(text),
            limit=COMMENT_LIMIT,
        )
    if " ".join(text.split()) in {" ".join(t.split()) for t in current}:
        raise Refusal(
            "review.proposal_unchanged",
            "The proposed wording is the same as the current text: change it, or leave the "
            "field empty to send a remark only.",
            field="proposed",
        )
    return text


def clause_of_version(clause_id: str | None, clause_ids: Sequence[str], *, version: int) -> None:
    """A comment names a clause of the version under review, or none (the text as a whole)."""
    if clause_id is not None and clause_id not in clause_ids:
        raise Refusal(
            "review.unknown_clause",
            "Version %(version)s has no clause “%(clause)s”; choose a clause from the list.",
            field="clause_id",
            version=version,
            clause=clause_id[:80],
        )


def activity_of_version(
    activity_id: str | None, activity_numbers: Mapping[str, str], *, version: int
) -> None:
    """A comment on the plan names an activity of the version under review."""
    if activity_id is not None and activity_id not in activity_numbers:
        raise Refusal(
            "review.unknown_activity",
            "Version %(version)s has no activity “%(activity)s” in its plan; choose an "
            "activity from the list.",
            field="clause_id",
            version=version,
            activity=activity_id[:80],
        )


def colleague_address(email: str) -> str:
    """The colleague's e-mail address, trimmed, if it looks like one; someone must be named."""
    address = email.strip()
    if not address:
        raise Refusal(
            "review.colleague_missing",
            "Choose a colleague, or enter their name and e-mail address.",
            field="email",
        )
    try:
        looks_right = len(address) <= EMAIL_LIMIT and bool(check_address(address))
    except NotAnAddress:
        looks_right = False
    if not looks_right:
        raise Refusal(
            "review.not_an_address",
            "“%(email)s” is not an e-mail address.",
            field="email",
            email=address[:80],
        )
    return address


def colleague_name(name: str | None) -> str:
    """A new colleague needs a name (the one on the page and in the e-mail)."""
    text = (name or "").strip()
    if not text:
        raise Refusal(
            "review.colleague_missing",
            "Choose a colleague, or enter their name and e-mail address.",
            field="name",
        )
    if len(text) > NAME_LIMIT:
        raise Refusal(
            "review.name_too_long",
            "The name is %(length)s characters long; the limit is %(limit)s.",
            field="name",
            length=len(text),
            limit=NAME_LIMIT,
        )
    try:
        return check_name(text)
    except NotAName:
        raise Refusal(
            "review.name_not_one_line",
            "Write the name on one line, without control characters.",
            field="name",
        ) from None


def in_known_domains(address: str, domains: set[str]) -> bool:
    """Whether the address is in a domain the party's listed contacts use (any case)."""
    return address.rpartition("@")[2].lower() in domains


def not_oneself(address: str, own_address: str) -> None:
    """Delegating to one's own address (in any case) gives nobody new access."""
    if address.lower() == own_address.lower():
        raise Refusal(
            "review.delegate_to_self",
            "You cannot delegate to yourself; choose a colleague.",
            field="email",
        )


# --- starting a round -----------------------------------------------------------------------


def one_kind_of_deadline(deadline: date | None, working_days: int | None) -> None:
    if (deadline is None) == (working_days is None):
        raise Refusal(
            "review.deadline_choice",
            "give exactly one of a deadline date or a number of working days",
            field="deadline",
        )
    if working_days is not None and working_days < 1:
        raise Refusal(
            "review.working_days", "working days must be at least 1", field="working_days"
        )


def internal_stage_fits(internal_deadline: date, deadline: date) -> None:
    """The internal stage must end before the round's deadline, or external review has no time."""
    if internal_deadline >= deadline:
        raise Refusal(
            "review.internal_too_late",
            "the internal stage would end on %(internal)s, not before the deadline "
            "%(deadline)s; give a later deadline or fewer internal working days",
            field="internal",
            internal=internal_deadline,
            deadline=deadline,
        )


def day_given(text: str, *, field: str) -> date | None:
    """A date as a form sends it (YYYY-MM-DD); None when the field is left empty."""
    value = text.strip()
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise Refusal(
            "review.not_a_date",
            "“%(value)s” is not a date; write it as YYYY-MM-DD.",
            field=field,
            value=value[:40],
        ) from None


def number_given(text: str, *, field: str) -> int | None:
    """A whole number as a form sends it; None when the field is left empty."""
    value = text.strip()
    if not value:
        return None
    if not (value.isascii() and value.isdigit() and len(value) <= 4):
        raise Refusal(
            "review.not_a_number",
            "“%(value)s” is not a whole number.",
            field=field,
            value=value[:40],
        )
    return int(value)


def deadline_day(deadline: date, *, today: date, working: bool, next_working: date) -> None:
    """A deadline the secretariat picks is today or later, and a working day of the
    agreement's country (the form says which day would do)."""
    if deadline < today:
        raise Refusal(
            "review.deadline_past",
            "The deadline %(deadline)s is in the past; today is %(today)s.",
            field="deadline",
            deadline=deadline,
            today=today,
        )
    if not working:
        raise Refusal(
            "review.deadline_day_off",
            "%(deadline)s is a day off in the agreement's country; the next working day is "
            "%(next)s.",
            field="deadline",
            deadline=deadline,
            next=next_working,
        )


def internal_parties(chosen: Sequence[str], parties: Sequence[str]) -> tuple[str, ...]:
    """The organisations of an internal stage are parties of the agreement, each once."""
    for org in chosen:
        if org not in parties:
            raise Refusal(
                "review.internal_not_party",
                "“%(party)s” is not a party of this agreement; choose the internal stage's "
                "parties from the list.",
                field="internal",
                party=org[:80],
            )
    return tuple(dict.fromkeys(chosen))


# --- the secretariat's answers to comments ----------------------------------------------------


def answer_text(response: str) -> str:
    """The secretariat's answer to a comment, trimmed: never empty, never over the limit."""
    text = response.strip()
    if not text:
        raise Refusal(
            "review.answer_empty",
            "Write the secretariat's answer to the comment before saving it.",
            field="response",
        )
    if len(text) > COMMENT_LIMIT:
        raise Refusal(
            "review.answer_too_long",
            "The answer is %(length)s characters long; the limit is %(limit)s.",
            field="response",
            length=len(text),
            limit=COMMENT_LIMIT,
        )
    return text


def answer_verdict(value: str) -> AnswerVerdict:
    """Every answer says whether the comment is taken: the matrix prints it."""
    try:
        return AnswerVerdict(value)
    except ValueError:
        raise Refusal(
            "review.answer_verdict",
            "Choose whether the comment is accepted, partly accepted or not accepted.",
            field="verdict",
        ) from None


# --- the secretariat's actions on a running round ------------------------------------------

SCAN_LIMIT = 10 * 1024 * 1024
"""Bytes of a letter's scan: a few pages of PDF, or a photograph of each."""
LETTER_NUMBER_LIMIT = 64


def round_still_open(number: int, is_open: bool) -> None:
    if not is_open:
        raise Refusal(
            "review.round_not_open",
            "Round %(round)s is closed; nothing in it can be changed any more.",
            round=number,
        )


def paper_decision(value: str) -> Decision:
    """The decision a letter gives, chosen on the form."""
    try:
        return Decision(value)
    except ValueError:
        raise Refusal(
            "review.decision_missing",
            "Choose the decision the letter gives.",
            field="decision",
        ) from None


def undelivered_review_mail(found: bool) -> None:
    if not found:
        raise Refusal(
            "review.not_undelivered",
            "That e-mail is not a review e-mail of this round that failed to arrive; reload "
            "the board.",
        )


def colleague_of_party(found: bool) -> None:
    if not found:
        raise Refusal(
            "review.not_a_colleague",
            "Choose another active contact of the same party.",
            field="contact",
        )


def no_new_deadline() -> Refusal:
    return Refusal(
        "review.new_deadline_missing",
        "Choose the new deadline.",
        field="new_deadline",
    )


def later_deadline(deadline: date, *, current: date, next_stage: date | None) -> None:
    """An extension moves the deadline later, and an internal stage still ends before the
    review by the parties does."""
    if deadline <= current:
        raise Refusal(
            "review.deadline_not_later",
            "The new deadline must be after the current one, %(current)s.",
            field="new_deadline",
            current=current,
        )
    if next_stage is not None and deadline >= next_stage:
        raise Refusal(
            "review.deadline_after_next_stage",
            "The internal approval must end before the review by the parties, on %(next)s; "
            "choose an earlier day.",
            field="new_deadline",
            next=next_stage,
        )


def party_in_stage(found: bool, *, party: str) -> None:
    if not found:
        raise Refusal(
            "review.party_not_in_stage",
            "“%(party)s” is not asked in the open stage of this round; choose a party from the "
            "list.",
            field="party",
            party=party[:80],
        )


def replaced_is_reviewer(found: bool) -> None:
    if not found:
        raise Refusal(
            "review.not_a_reviewer",
            "The person to replace has no link in the open stage; choose them from the list.",
            field="replacing",
        )


def not_yet_reviewer(address: str, reviewers: set[str]) -> None:
    """Someone who already holds a link needs no second one."""
    if address.lower() in reviewers:
        raise Refusal(
            "review.already_reviewer",
            "%(email)s already has a review link for this party in the open stage.",
            field="email",
            email=address,
        )


def someone_reminded(sent: int) -> None:
    if sent == 0:
        raise Refusal(
            "review.nobody_to_remind",
            "Nobody is left to remind today: every party asked has answered, or its reviewers "
            "were reminded today already.",
        )


def paper_letter(incoming_number: str, incoming_date: date | None, outgoing_number: str) -> None:
    """A decision on paper names the letter it came in (its registration number and date)."""
    if not incoming_number.strip():
        raise Refusal(
            "review.letter_number_missing",
            "Give the registration number of the letter that brought the decision.",
            field="incoming_number",
        )
    if incoming_date is None:
        raise Refusal(
            "review.letter_date_missing",
            "Give the date of the letter that brought the decision.",
            field="incoming_date",
        )
    for name, value in (("incoming_number", incoming_number), ("outgoing_number", outgoing_number)):
        if len(value) > LETTER_NUMBER_LIMIT:
            raise Refusal(
                "review.letter_number_too_long",
                "A letter number has at most %(limit)s characters.",
                field=name,
                limit=LETTER_NUMBER_LIMIT,
            )


SCAN_KINDS = (
    (b"%PDF-", b"%%EOF", ".pdf"),
    (b"\x89PNG\r\n\x1a\n", b"IEND\xaeB`\x82", ".png"),
    (b"\xff\xd8\xff", b"\xff\xd9", ".jpg"),
)
"""(how the file starts, what it ends with near its end, its extension): read from the bytes,
never from the name the browser sends."""


def scan_kind(data: bytes) -> str:
    """The extension of a letter's scan judged by its content: a PDF, PNG or JPEG, whole."""
    if len(data) > SCAN_LIMIT:
        raise scan_too_large()
    tail = data[-1024:]
    for start, end, extension in SCAN_KINDS:
        if data.startswith(start) and end in tail:
            return extension
    raise Refusal(
        "review.scan_not_accepted",
        "The scan must be a PDF, PNG or JPEG file; this file is none of those, or is cut short.",
        field="scan",
    )


def scan_too_large() -> Refusal:
    return Refusal(
        "review.scan_too_large",
        "The scan is larger than %(limit)s MB; scan it at a lower resolution or as a PDF.",
        field="scan",
        limit=SCAN_LIMIT // (1024 * 1024),
    )


# --- how a stage ends -----------------------------------------------------------------------


@dataclass(frozen=True)
class StageResult:
    outcome: RoundOutcome
    """What the stage concluded if it ended now."""
    complete: bool
    """Every required party has answered."""


def stage_outcome(required: Sequence[int], latest: Mapping[int, Decision]) -> StageResult:
    """From the required assignments and each one's latest decision: a request for changes by
    anyone decides; otherwise approved once all answered, incomplete until then."""
    answered = [latest[a] for a in required if a in latest]
    complete = len(answered) == len(required)
    if any(d is Decision.request_changes for d in answered):
        return StageResult(RoundOutcome.changes_requested, complete)
    return StageResult(RoundOutcome.approved if complete else RoundOutcome.incomplete, complete)


class Settlement(StrEnum):
    wait = "wait"
    open_next = "open_next"
    close_round = "close_round"


def settlement(
    kind: StageKind, result: StageResult, *, deadline_passed: bool, has_next: bool
) -> Settlement:
    """A stage ends when all answered or its time is up; an approved internal stage opens the
    external one, any other ending closes the round."""
    if not (result.complete or deadline_passed):
        return Settlement.wait
    if kind is StageKind.internal and result.outcome is RoundOutcome.approved and has_next:
        return Settlement.open_next
    return Settlement.close_round


def closing_reason(result: StageResult) -> str:
    return "all required parties answered" if result.complete else "the deadline passed"


def status_action(outcome: RoundOutcome) -> StatusAction:
    """How a closed round moves the agreement: approved, or back to drafting."""
    if outcome is RoundOutcome.approved:
        return StatusAction.round_approved
    return StatusAction.round_not_approved


# --- reminders ------------------------------------------------------------------------------


def reminder_offset(reminder_days: Mapping[int, date], *, today: date) -> int | None:
    """The reminder due today, from offset (working days before the deadline) → its day: the
    smallest offset whose day has come; None before the first. Keyed by offset, each goes
    out once."""
    due = [offset for offset, day in reminder_days.items() if day <= today]
    return min(due) if due else None
