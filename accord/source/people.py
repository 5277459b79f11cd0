"""People's names and e-mail addresses, checked where they enter Accord.

A name goes into mail headers, pages and documents; an address is where links are sent.
Both are checked once, where a person types them (`organizations.yaml`, the delegation
form), so that nothing downstream meets a name that breaks a header or an address that
is really two.
"""

import unicodedata

from email_validator import EmailNotValidError, validate_email

INVISIBLE_DIRECTION = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
"""Bidirectional embeddings, overrides and isolates: they reorder what is shown after them."""
LINE_BREAKS = frozenset(("Zl", "Zp"))


class NotAnAddress(ValueError):
    """The text is not one e-mail address; the message says what is wrong with it."""


class NotAName(ValueError):
    """The text cannot be a person's name as written in a header or on a page."""


def check_address(text: str) -> str:
    """One address of valid syntax (no DNS look-up), returned as written.

    Not normalised: contacts are matched by the address as the source writes it.
    """
    try:
        validate_email(text, check_deliverability=False)
    except EmailNotValidError as error:
        raise NotAnAddress(str(error)) from None
    return text


def check_name(text: str) -> str:
    """A name on one line: no control characters, line breaks or direction overrides."""
    for char in text:
        category = unicodedata.category(char)
        if category == "Cc" or category in LINE_BREAKS:
            raise NotAName(
                f"a name is one line without control characters (found U+{ord(char):04X})"
            )
        if char in INVISIBLE_DIRECTION:
            raise NotAName(f"a name cannot contain the invisible direction mark U+{ord(char):04X}")
    return text


def one_line(text: str) -> str:
    """A name or address as it can be shown in a notice about it: breaks and controls as spaces,
    direction marks dropped (the notice must not break for the reason the message did)."""
    shown = (
        " " if unicodedata.category(c) == "Cc" or unicodedata.category(c) in LINE_BREAKS else c
        for c in text
        if c not in INVISIBLE_DIRECTION
    )
    return " ".join("".join(shown).split())
