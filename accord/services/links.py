"""Personal links: one implementation for review, signing and focal-point links.

A link is a random token given once (in an e-mail) and stored only as its sha256, so a
database copy opens nothing. Whatever the table holding it, a link is usable only while
its contact is active and it is neither revoked nor expired; any failure looks the same.
"""

import hashlib
import secrets
from datetime import datetime

from accord.errors import AccordError
from models import Contact

TOKEN_BYTES = 24
"""192 bits of randomness: unguessable, and short enough for an e-mail link."""
MAX_TOKEN_LENGTH = 200


class LinkNotValid(AccordError):
    """Deliberately says nothing about why: a guesser learns nothing."""

    def __init__(self) -> None:
        super().__init__("this link is not valid")


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def new_token() -> tuple[str, str]:
    """(token for the e-mail, hash for the database)."""
    token = secrets.token_urlsafe(TOKEN_BYTES)
    return token, token_hash(token)


def looked_up_hash(token: str) -> str:
    """The hash to look a presented token up by; a token of no plausible shape fails at once."""
    if not token or len(token) > MAX_TOKEN_LENGTH:
        raise LinkNotValid()
    return token_hash(token)


def require_usable(
    contact: Contact | None,
    *,
    revoked_at: datetime | None = None,
    expires_at: datetime | None = None,
    now: datetime | None = None,
) -> Contact:
    """The single access rule: the contact is active, the link not revoked and not expired."""
    if contact is None or not contact.active or revoked_at is not None:
        raise LinkNotValid()
    if expires_at is not None and now is not None and now >= expires_at:
        raise LinkNotValid()
    return contact
