"""The signatory's two forms, checked first so a mistake is explained in the reader's language.

`signing.sign` and `signing.decline` check the same rules and stay the authority.
"""

from dataclasses import dataclass

from accord.portal.deps import Say
from accord.portal.forms import NAME_LIMIT, FormInvalid
from accord.services.review_errors import COMMENT_LIMIT

CONFIRMED = "yes"


@dataclass(frozen=True)
class SignatureForm:
    name: str
    title: str


def read_signature(name: str, title: str, confirm: str, *, say: Say) -> SignatureForm:
    """Both the name and the title, within their columns, and the confirmation ticked."""
    person, position = name.strip(), title.strip()
    if not person or not position:
        raise FormInvalid(say("Enter both your full name and your title to sign."))
    for text in (person, position):
        if len(text) > NAME_LIMIT:
            raise FormInvalid(
                say(
                    "The name or title is %(length)s characters long; the limit is %(limit)s.",
                    length=len(text),
                    limit=NAME_LIMIT,
                )
            )
    if confirm != CONFIRMED:
        raise FormInvalid(
            say("Tick the confirmation: it states which exact text you sign, and for whom.")
        )
    return SignatureForm(person, position)


def read_decline(reason: str, *, say: Say) -> str:
    text = reason.strip()
    if not text:
        raise FormInvalid(
            say(
                "Say why your organisation declines to sign (up to %(limit)s characters): "
                "the secretariat receives it at once.",
                limit=COMMENT_LIMIT,
            )
        )
    if len(text) > COMMENT_LIMIT:
        raise FormInvalid(
            say(
                "The reason is %(length)s characters long; the limit is %(limit)s.",
                length=len(text),
                limit=COMMENT_LIMIT,
            )
        )
    return text
