"""The one way a form post is carried out, whichever wing it belongs to.

CSRF pair → request key → the link resolved and the work done in one retried transaction →
303 to where the person goes next. A link no longer valid shows the post's receipt when it
was already carried out (a double click after the last answer), else the plain "not valid"
page; a refusal shows the page again (422) with the reason in the reader's language and
nothing changed.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, TypeVar

from fastapi import Depends, Form, Request
from fastapi.responses import Response
from pydantic import AfterValidator
from sqlmodel import Session

from accord.errors import Refusal
from accord.portal import csrf, frame
from accord.portal.deps import Portal
from accord.portal.i18n import known_language
from accord.portal.uploads import form_text
from accord.services.links import LinkNotValid

REQUEST_KEY = re.compile(r"[A-Za-z0-9_-]{16,64}")
R = TypeVar("R")


FormText = Annotated[str, Form(), AfterValidator(form_text)]
"""A text field of a portal form, as every wing reads it."""


@dataclass(frozen=True)
class Posted:
    """What every form carries besides its own fields."""

    token: str
    csrf_token: str
    ui: str | None
    """`?ui=` if it names a language the portal knows."""
    request_key: str | None = None
    """None for forms without one (signing takes a lock instead)."""
    lang: str = ""
    """The document language of the page the form was on, to show it again in."""

    @classmethod
    def of(
        cls,
        token: str,
        csrf_token: str,
        ui: str | None,
        request_key: str | None = None,
        lang: str = "",
    ) -> "Posted":
        return cls(token, csrf_token, known_language(ui), request_key, lang)

    @property
    def key(self) -> str:
        """The request key the work is recorded under ("" for a form without one)."""
        return self.request_key or ""


def keyed_post(
    token: str,
    csrf_token: FormText = "",
    request_key: FormText = "",
    lang: FormText = "",
    ui: FormText = "",
) -> Posted:
    """The envelope of a form that carries a request key, read once for every route."""
    return Posted.of(token, csrf_token, ui, request_key, lang)


def locked_post(
    token: str, csrf_token: FormText = "", lang: FormText = "", ui: FormText = ""
) -> Posted:
    """The envelope of a form without a request key: its work takes a lock instead."""
    return Posted.of(token, csrf_token, ui, None, lang)


KeyedPost = Annotated[Posted, Depends(keyed_post)]
LockedPost = Annotated[Posted, Depends(locked_post)]


def request_key_ok(value: str) -> bool:
    return bool(REQUEST_KEY.fullmatch(value))


def carry_out(
    portal: Portal,
    request: Request,
    posted: Posted,
    *,
    work: Callable[[Session], R],
    then: Callable[[R], str],
    again: Callable[[Refusal], Response],
    receipt: Callable[[], str | None] = lambda: None,
) -> Response:
    """Run `work` (resolve the link, act) and answer the post; see the module docstring."""
    genuine = csrf.post_is_genuine(portal, request, posted.token, posted.csrf_token)
    key_ok = posted.request_key is None or request_key_ok(posted.request_key)
    if not (genuine and key_ok):
        return frame.form_expired(portal, frame.reader_language(request, posted.ui))
    try:
        result = portal.write(work)
    except LinkNotValid:
        target = receipt()
        if target is not None:
            return frame.see_other(target)
        return frame.link_not_valid(portal, frame.reader_language(request, posted.ui))
    except Refusal as refusal:
        return again(refusal)
    return frame.see_other(then(result))


def with_ui(path: str, ui: str | None) -> str:
    return f"{path}?ui={ui}" if ui else path
