"""The reviewer's forms, read and checked so a mistake is explained in the reader's language.

The services check the same rules and stay the authority; checking here first only lets the
page say what is wrong in Russian or Kazakh rather than in the services' English.
"""

import re
from dataclasses import dataclass

from accord.portal.deps import Say, _
from accord.services.review_errors import COMMENT_LIMIT
from models import Decision

NAME_LIMIT = 200
"""`contact.name` holds 200 characters."""
EMAIL_LIMIT = 254
REQUEST_KEY = re.compile(r"[A-Za-z0-9_-]{16,64}")


class FormInvalid(Exception):
    """A form the page must show again, with this message, having changed nothing."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def request_key_ok(value: str) -> bool:
    return bool(REQUEST_KEY.fullmatch(value))


def _limited(text: str, say: Say, *, too_long: str) -> str:
    cleaned = text.strip()
    if len(cleaned) > COMMENT_LIMIT:
        raise FormInvalid(say(too_long, length=len(cleaned), limit=COMMENT_LIMIT))
    return cleaned


@dataclass(frozen=True)
class CommentForm:
    clause_id: str | None
    body: str


def read_comment(
    clause_id: str, body: str, *, clause_ids: set[str], version: int, say: Say
) -> CommentForm:
    text = _limited(
        body, say, too_long=_("The comment is %(length)s characters long; the limit is %(limit)s.")
    )
    if not text:
        raise FormInvalid(
            say(
                "Write a comment before sending it (up to %(limit)s characters).",
                limit=COMMENT_LIMIT,
            )
        )
    clause = clause_id.strip() or None
    if clause is not None and clause not in clause_ids:
        raise FormInvalid(
            say(
                "Version %(version)s has no clause “%(clause)s”; choose a clause from the list.",
                version=version,
                clause=clause[:80],
            )
        )
    return CommentForm(clause, text)


@dataclass(frozen=True)
class DecisionForm:
    decision: Decision
    reason: str | None


def read_decision(value: str, reason: str, *, say: Say) -> DecisionForm:
    try:
        decision = Decision(value)
    except ValueError:
        raise FormInvalid(say("Choose one of the three decisions.")) from None
    text = _limited(
        reason, say, too_long=_("The reason is %(length)s characters long; the limit is %(limit)s.")
    )
    if decision is Decision.request_changes and not text:
        raise FormInvalid(
            say(
                "A request for changes needs its reason: say what must change and why "
                "(up to %(limit)s characters).",
                limit=COMMENT_LIMIT,
            )
        )
    return DecisionForm(decision, text or None)


@dataclass(frozen=True)
class DelegateForm:
    email: str
    name: str | None


def read_delegate(
    colleague: str, name: str, email: str, *, own_email: str, say: Say
) -> DelegateForm:
    """A colleague from the list, or a new one with both a name and an e-mail address."""
    chosen = colleague.strip()
    address = chosen or email.strip()
    person = name.strip()
    if not address or (not chosen and not person):
        raise FormInvalid(say("Choose a colleague, or enter their name and e-mail address."))
    if len(address) > EMAIL_LIMIT or not _looks_like_address(address):
        raise FormInvalid(say("“%(email)s” is not an e-mail address.", email=address[:80]))
    if len(person) > NAME_LIMIT:
        raise FormInvalid(
            say(
                "The name is %(length)s characters long; the limit is %(limit)s.",
                length=len(person),
                limit=NAME_LIMIT,
            )
        )
    if address.casefold() == own_email.casefold():
        raise FormInvalid(say("You cannot delegate to yourself; choose a colleague."))
    return DelegateForm(address, None if chosen else person)


def _looks_like_address(address: str) -> bool:
    local, at, domain = address.rpartition("@")
    return bool(at and local and "." in domain.strip(".")) and not any(c.isspace() for c in address)
