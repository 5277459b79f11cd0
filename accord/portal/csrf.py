"""Double-submit CSRF: a random cookie, and a form field that only our secret can derive from it.

The field is an HMAC of the cookie value and the link's token hash, so a form is good only
for the link it was rendered for and only in the browser holding the cookie.
"""

import hashlib
import hmac
import re
import secrets

COOKIE = "accord_csrf"
FIELD = "csrf_token"
_COOKIE_VALUE = re.compile(r"[A-Za-z0-9_-]{32,64}")


def new_cookie_value() -> str:
    return secrets.token_urlsafe(32)


def usable_cookie(value: str | None) -> str | None:
    """The browser's cookie if it looks like one we issued (anything else is replaced)."""
    return value if value and _COOKIE_VALUE.fullmatch(value) else None


def form_token(secret: str, cookie_value: str, link_hash: str) -> str:
    message = f"{cookie_value}:{link_hash}".encode()
    return hmac.new(secret.encode("utf-8"), message, hashlib.sha256).hexdigest()


def form_is_genuine(
    secret: str, *, cookie_value: str | None, field_value: str | None, link_hash: str
) -> bool:
    """True only when both halves are present and the field was derived from this cookie."""
    cookie = usable_cookie(cookie_value)
    if cookie is None or not field_value:
        return False
    return hmac.compare_digest(form_token(secret, cookie, link_hash), field_value)
