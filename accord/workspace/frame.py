"""What every workspace page shares: the layout's context (who is signed in, navigation,
languages), the CSRF pair bound to the session, and the plain message pages.

A workspace form is genuine when its `csrf_token` field is the HMAC of the browser's CSRF
cookie and the session token's hash: good only for this session in this browser. The sign-in
and password forms, before any session, are bound to their own page instead.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated
from urllib.parse import urlencode

from fastapi import Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from accord.i18n.languages import workspace_tags
from accord.portal import csrf
from accord.portal.deps import _
from accord.portal.frame import LanguageChoice, language_bar
from accord.portal.posts import FormText
from accord.services.links import token_hash
from accord.services.staff.rules import Action
from accord.workspace.deps import PREFIX, Staff, Workspace, WorkspaceDep, requiring

NAVIGATION: tuple[tuple[str, str, str], ...] = (
    ("home", "", _("Home")),
    ("agreements", "/agreements", _("Agreements")),
    ("commitments", "/commitments", _("Commitments")),
    ("organisations", "/organisations", _("Organisations")),
    ("staff", "/staff", _("Staff")),
)
"""(key, path under the workspace, label): the bar on every signed-in page."""


@dataclass(frozen=True)
class NavItem:
    key: str
    href: str
    label: str
    current: bool


@dataclass(frozen=True)
class Frame:
    """The layout's values: `f` in every workspace template."""

    lang: str
    csrf: str
    staff: Staff | None
    navigation: list[NavItem]
    languages: list[LanguageChoice]
    can_run: bool
    can_manage: bool
    prefix: str = PREFIX


def bound_to(staff: Staff | None, page: str = "") -> str:
    """What a form's CSRF field is bound to: the session, or the public page before one."""
    return token_hash(staff.token) if staff is not None else f"workspace:{page}"


def frame(
    workspace: Workspace,
    request: Request,
    cookie: str,
    *,
    lang: str,
    staff: Staff | None,
    section: str = "",
    public_page: str = "",
    languages_at: str | None = None,
) -> Frame:
    """`languages_at`: where the language links lead instead of this page (a 404 page must
    not repeat the address it refuses)."""
    say = workspace.say(lang)
    field = csrf.form_token(workspace.portal.secret, cookie, bound_to(staff, public_page))
    navigation = [
        NavItem(key, f"{PREFIX}{path}", say(label), key == section)
        for key, path, label in NAVIGATION
        if staff is not None and (key != "staff" or staff.can(Action.manage))
    ]
    here = languages_at if languages_at is not None else request.url.path

    def href(code: str) -> str:
        params = dict(request.query_params) if languages_at is None else {}
        params["ui"] = code
        return f"{here}?{urlencode(params)}"

    return Frame(
        lang=lang,
        csrf=field,
        staff=staff,
        navigation=navigation,
        languages=language_bar(lang, href, workspace_tags()),
        can_run=staff is not None and staff.can(Action.run),
        can_manage=staff is not None and staff.can(Action.manage),
    )


def page(
    workspace: Workspace,
    request: Request,
    template: str,
    *,
    lang: str,
    staff: Staff | None,
    section: str = "",
    public_page: str = "",
    status: int = 200,
    languages_at: str | None = None,
    **context: object,
) -> HTMLResponse:
    """A workspace page with its layout, and the CSRF cookie its forms need; its language
    links lead to `languages_at` (default: the page itself)."""
    cookie = csrf.browser_cookie(request)
    f = frame(
        workspace,
        request,
        cookie,
        lang=lang,
        staff=staff,
        section=section,
        public_page=public_page,
        languages_at=languages_at,
    )
    html = workspace.render(lang, f"workspace/{template}", f=f, **context)
    return csrf.with_cookie(workspace.portal, HTMLResponse(html, status_code=status), cookie)


def message(
    workspace: Workspace,
    request: Request,
    *,
    lang: str,
    staff: Staff | None,
    status: int,
    heading: str,
    lines: list[str],
    languages_at: str | None = None,
) -> HTMLResponse:
    say = workspace.say(lang)
    return page(
        workspace,
        request,
        "message.html",
        lang=lang,
        staff=staff,
        status=status,
        heading=say(heading),
        lines=[say(line) for line in lines],
        languages_at=languages_at,
    )


def form_is_genuine(
    workspace: Workspace, request: Request, field: str, staff: Staff | None, page: str = ""
) -> bool:
    return csrf.form_is_genuine(
        workspace.portal.secret,
        cookie_value=request.cookies.get(csrf.COOKIE),
        field_value=field,
        link_hash=bound_to(staff, page),
    )


class FormExpired(Exception):
    """The CSRF pair did not match: nothing is done; the page says to reload."""

    def __init__(self, lang: str) -> None:
        super().__init__("form expired")
        self.lang = lang


def _posting(action: str) -> Callable[..., Staff]:
    def posted(
        request: Request,
        workspace: WorkspaceDep,
        staff: Annotated[Staff, Depends(requiring(action))],
        csrf_token: FormText = "",
    ) -> Staff:
        if not form_is_genuine(workspace, request, csrf_token, staff):
            raise FormExpired(staff.lang)
        return staff

    return posted


StaffPost = Annotated[Staff, Depends(_posting(Action.read))]
"""A form any signed-in member may send (their own account), CSRF checked."""
OfficerPost = Annotated[Staff, Depends(_posting(Action.run))]
"""A form that changes agreements or organisations, CSRF checked: officers and admins."""
AdminPost = Annotated[Staff, Depends(_posting(Action.manage))]
"""A form that manages staff accounts, CSRF checked: admins."""


def see_other(path: str) -> RedirectResponse:
    return RedirectResponse(path, status_code=303)


NOT_FOUND = (
    _("Not found"),
    [_("There is nothing here, or it belongs to another secretariat.")],
)
FORM_EXPIRED = (
    _("This form has expired"),
    [_("Nothing was saved. Reload the page and send the form again.")],
)
NOT_ALLOWED = _("Not allowed")
