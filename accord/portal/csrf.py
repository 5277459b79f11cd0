"""Double-submit CSRF: a random cookie, and a form field that only our secret can derive from it.

The field is an HMAC of the cookie value and the link's token hash, so a form is good only
for the link it was rendered for and only in the browser holding the cookie. Every wing's
forms use it; the reviewer page fills the field into its cached page per response.
"""

import hashlib
import hmac
import re
import secrets
from typing import TYPE_CHECKING

from fastapi import Request
from fastapi.responses import HTMLResponse

from accord.services.links import token_hash

if TYPE_CHECKING:
    from accord.portal.deps import Portal

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
    """True only when both halves are present and the field was derived from this cookie.

    Compared as bytes: `compare_digest` raises on a str that is not ASCII, and a form can
    send anything.
    """
    cookie = usable_cookie(cookie_value)
    if cookie is None or not field_value:
        return False
    expected = form_token(secret, cookie, link_hash).encode("ascii")
    return hmac.compare_digest(expected, field_value.encode("utf-8", "surrogateescape"))


def browser_cookie(request: Request) -> str:
    """The browser's CSRF cookie if it has a usable one, else a new value to set."""
    return usable_cookie(request.cookies.get(COOKIE)) or new_cookie_value()


def form_field(portal: "Portal", cookie: str, token: str) -> str:
    """The CSRF field for forms of the link `token`, in the browser holding `cookie`."""
    return form_token(portal.secret, cookie, token_hash(token))


def with_cookie(portal: "Portal", response: HTMLResponse, cookie: str) -> HTMLResponse:
    response.set_cookie(
        COOKIE,
        cookie,
        httponly=True,
        samesite="strict",
        secure=portal.secure_cookies,
        path="/",
    )
    return response


def post_is_genuine(portal: "Portal", request: Request, token: str, field_value: str) -> bool:
    """True only for a form this link's page rendered in this browser."""
    return form_is_genuine(
        portal.secret,
        cookie_value=request.cookies.get(COOKIE),
        field_value=field_value,
        link_hash=token_hash(token),
    )
