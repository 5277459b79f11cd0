"""The CSRF pair for the signing and focal pages: a cookie, and a field derived from it.

Same double submit as the reviewer page (see `csrf`), without its page cache: these pages are
opened a few times per agreement, so each response is rendered with its own values.
"""

from fastapi import Request
from fastapi.responses import HTMLResponse

from accord.portal import csrf
from accord.portal.deps import Portal
from accord.services.review_access import token_hash


def browser_cookie(request: Request) -> str:
    """The browser's CSRF cookie if it has a usable one, else a new value to set."""
    return csrf.usable_cookie(request.cookies.get(csrf.COOKIE)) or csrf.new_cookie_value()


def form_field(portal: Portal, cookie: str, token: str) -> str:
    """The CSRF field for forms of the link `token`, in the browser holding `cookie`."""
    return csrf.form_token(portal.secret, cookie, token_hash(token))


def with_cookie(portal: Portal, response: HTMLResponse, cookie: str) -> HTMLResponse:
    response.set_cookie(
        csrf.COOKIE,
        cookie,
        httponly=True,
        samesite="strict",
        secure=portal.secure_cookies,
        path="/",
    )
    return response


def post_is_genuine(portal: Portal, request: Request, token: str, field_value: str) -> bool:
    """True only for a form this link's page rendered in this browser."""
    return csrf.form_is_genuine(
        portal.secret,
        cookie_value=request.cookies.get(csrf.COOKIE),
        field_value=field_value,
        link_hash=token_hash(token),
    )
