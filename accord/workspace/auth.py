"""Signing in and out, the second factor, and setting a password through a one-time link.

These are the workspace's only pages without a session; each answers a wrong address,
password or link the same way whatever the reason.
"""

from collections.abc import Callable
from typing import TypeVar
from urllib.parse import unquote

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from sqlmodel import Session

from accord.errors import Refusal
from accord.i18n.languages import workspace_language
from accord.portal import frame as portal_frame
from accord.portal.client_ip import client_ip
from accord.portal.deps import _
from accord.portal.posts import FormText
from accord.services.links import LinkNotValid
from accord.services.staff import accounts, administration, rules, sign_in
from accord.workspace.deps import (
    PREFIX,
    SESSION_COOKIE,
    Workspace,
    WorkspaceDep,
)
from accord.workspace.frame import (
    FormExpired,
    StaffPost,
    form_is_genuine,
    message,
    page,
    see_other,
)
from models import StaffAccount

router = APIRouter(prefix=PREFIX)
PUBLIC_PATHS = frozenset(
    {
        f"{PREFIX}/sign-in",
        f"{PREFIX}/sign-in/code",
        f"{PREFIX}/password/{{token}}",
        f"{PREFIX}/second-factor/setup",
        f"{PREFIX}/reset",
    }
)
"""Routes reachable without a complete session; every other workspace route needs one."""


T = TypeVar("T")


def _client(workspace: Workspace, request: Request) -> str:
    return client_ip(request, trust_proxy_headers=workspace.portal.settings.trust_proxy_headers)


def page_language(request: Request, ui: str | None) -> str:
    """Before sign-in: `?ui=`, else the browser's preference, among the workspace's languages."""
    return workspace_language(portal_frame.reader_language(request, ui))


def safe_next(value: str | None) -> str:
    """Back to where the person was going, only within the workspace (no open redirect)."""
    target = unquote(value or "")
    if target.startswith(PREFIX + "/") and "//" not in target and "\\" not in target:
        return target
    return PREFIX + "/"


@router.get("/sign-in", response_class=HTMLResponse)
def sign_in_page(
    request: Request, workspace: WorkspaceDep, ui: str | None = None, next: str | None = None
) -> HTMLResponse:
    lang = page_language(request, ui)
    return _sign_in_form(workspace, request, lang, next_path=safe_next(next))


def _sign_in_form(
    workspace: Workspace,
    request: Request,
    lang: str,
    *,
    next_path: str,
    email: str = "",
    error: str = "",
    status: int = 200,
) -> HTMLResponse:
    return page(
        workspace,
        request,
        "sign_in.html",
        lang=lang,
        staff=None,
        public_page="sign-in",
        status=status,
        next_path=next_path,
        email=email,
        error=error,
    )


@router.post("/sign-in")
def sign_in_post(
    request: Request,
    workspace: WorkspaceDep,
    email: FormText = "",
    password: FormText = "",
    csrf_token: FormText = "",
    next: FormText = "",
    ui: FormText = "",
) -> Response:
    lang = page_language(request, ui or None)
    if not form_is_genuine(workspace, request, csrf_token, None, "sign-in"):
        raise FormExpired(lang)
    client = _client(workspace, request)

    def work(session: Session) -> sign_in.SignedIn:
        return sign_in.sign_in(
            email, password, client=client, env=workspace.portal.service_env(session, actor="")
        )

    try:
        signed = _write_keeping_failures(workspace, work)
    except Refusal as refusal:
        return _sign_in_form(
            workspace,
            request,
            lang,
            next_path=safe_next(next),
            email=email[:254],
            error=workspace.refusal_text(refusal, lang),
            status=422 if refusal.code != "staff.sign_in_throttled" else 429,
        )
    target = (
        f"{PREFIX}/sign-in/code?next={safe_next(next)}"
        if signed.needs_second_factor
        else (safe_next(next))
    )
    return _with_session(workspace, see_other(target), signed.token)


def _write_keeping_failures(workspace: Workspace, work: Callable[[Session], T]) -> T:
    """A refused sign-in still records its failure (for throttling): commit, then refuse."""
    outcome: list[Refusal] = []

    def attempt(session: Session) -> T | None:
        try:
            return work(session)
        except Refusal as refusal:
            outcome.append(refusal)
            return None

    signed = workspace.portal.write(attempt)
    if signed is None:
        raise outcome[-1]
    return signed


def _with_session(workspace: Workspace, response: Response, token: str) -> Response:
    response.set_cookie(
        SESSION_COOKIE,
        token,
        httponly=True,
        samesite="lax",
        secure=workspace.portal.secure_cookies,
        path=PREFIX,
    )
    return response


@router.get("/sign-in/code", response_class=HTMLResponse)
def code_page(
    request: Request, workspace: WorkspaceDep, ui: str | None = None, next: str | None = None
) -> HTMLResponse:
    lang = page_language(request, ui)
    return page(
        workspace,
        request,
        "code.html",
        lang=lang,
        staff=None,
        public_page="code",
        next_path=safe_next(next),
        error="",
    )


@router.post("/sign-in/code")
def code_post(
    request: Request,
    workspace: WorkspaceDep,
    code: FormText = "",
    csrf_token: FormText = "",
    next: FormText = "",
    ui: FormText = "",
) -> Response:
    lang = page_language(request, ui or None)
    if not form_is_genuine(workspace, request, csrf_token, None, "code"):
        raise FormExpired(lang)
    token = request.cookies.get(SESSION_COOKIE, "")
    client = _client(workspace, request)

    def work(session: Session) -> bool:
        env = workspace.portal.service_env(session, actor="")
        sign_in.second_factor(token, code, client=client, env=env)
        return True

    try:
        _write_keeping_failures(workspace, work)
    except Refusal as refusal:
        return page(
            workspace,
            request,
            "code.html",
            lang=lang,
            staff=None,
            public_page="code",
            status=422,
            next_path=safe_next(next),
            error=workspace.refusal_text(refusal, lang),
        )
    return see_other(safe_next(next))


@router.post("/sign-out")
def sign_out(request: Request, workspace: WorkspaceDep, staff: StaffPost) -> Response:
    token = request.cookies.get(SESSION_COOKIE)
    workspace.portal.write(
        lambda session: sign_in.sign_out(token, env=workspace.service_env(session, staff.account)),
    )
    response = see_other(f"{PREFIX}/sign-in?ui={staff.lang}")
    response.delete_cookie(SESSION_COOKIE, path=PREFIX)
    return response


@router.post("/sign-out-everywhere")
def sign_out_everywhere(request: Request, workspace: WorkspaceDep, staff: StaffPost) -> Response:
    def work(session: Session) -> int:
        account = session.get(StaffAccount, staff.id)
        assert account is not None
        env = workspace.service_env(session, account)
        ended = accounts.end_sessions(account, env=env)
        accounts.record_staff_action(account, "staff.signed_out_everywhere", env=env)
        return ended

    workspace.portal.write(work)
    response = see_other(f"{PREFIX}/sign-in?ui={staff.lang}")
    response.delete_cookie(SESSION_COOKIE, path=PREFIX)
    return response


@router.get("/password/{token}", response_class=HTMLResponse)
def password_page(
    token: str, request: Request, workspace: WorkspaceDep, ui: str | None = None
) -> HTMLResponse:
    def look_up(session: Session) -> StaffAccount:
        account, _link = accounts.link_account(
            token, env=workspace.portal.service_env(session, actor="")
        )
        session.expunge(account)
        return account

    try:
        account = workspace.portal.write(look_up)
    except LinkNotValid:
        return _link_not_valid(workspace, request, page_language(request, ui))
    lang = workspace_language(ui or account.language)
    return _password_form(workspace, request, lang, token, account.email)


def _password_form(
    workspace: Workspace,
    request: Request,
    lang: str,
    token: str,
    email: str,
    *,
    error: str = "",
    status: int = 200,
) -> HTMLResponse:
    return page(
        workspace,
        request,
        "password.html",
        lang=lang,
        staff=None,
        public_page=f"password:{token[:16]}",
        status=status,
        token=token,
        email=email,
        error=error,
    )


@router.post("/password/{token}")
def password_post(
    token: str,
    request: Request,
    workspace: WorkspaceDep,
    password: FormText = "",
    repeated: FormText = "",
    csrf_token: FormText = "",
    ui: FormText = "",
) -> Response:
    lang = page_language(request, ui or None)
    if not form_is_genuine(workspace, request, csrf_token, None, f"password:{token[:16]}"):
        raise FormExpired(lang)

    def work(session: Session) -> str:
        env = workspace.portal.service_env(session, actor="")
        accounts.link_account(token, env=env)  # a dead link says so before any rule
        rules.require_same(password, repeated)
        return accounts.set_password(token, password, env=env).email

    try:
        email = workspace.portal.write(work)
    except LinkNotValid:
        return _link_not_valid(workspace, request, lang)
    except Refusal as refusal:
        return _password_form(
            workspace,
            request,
            lang,
            token,
            "",
            error=workspace.refusal_text(refusal, lang),
            status=422,
        )
    return see_other(f"{PREFIX}/sign-in?ui={lang}&set={email}")


def _link_not_valid(workspace: Workspace, request: Request, lang: str) -> HTMLResponse:
    return message(
        workspace,
        request,
        lang=lang,
        staff=None,
        status=404,
        heading=_("This link is not valid"),
        lines=[
            _(
                "A link to set a password works once and for a limited time. Ask an "
                "administrator of your secretariat for a new one, or ask for a password "
                "reset on the sign-in page."
            )
        ],
    )


@router.get("/reset", response_class=HTMLResponse)
def reset_page(request: Request, workspace: WorkspaceDep, ui: str | None = None) -> HTMLResponse:
    return _reset_form(workspace, request, page_language(request, ui))


def _reset_form(
    workspace: Workspace,
    request: Request,
    lang: str,
    *,
    sent: bool = False,
    email: str = "",
    error: str = "",
    status: int = 200,
) -> HTMLResponse:
    return page(
        workspace,
        request,
        "reset.html",
        lang=lang,
        staff=None,
        public_page="reset",
        status=status,
        sent=sent,
        email=email,
        error=error,
    )


@router.post("/reset")
def reset_post(
    request: Request,
    workspace: WorkspaceDep,
    email: FormText = "",
    csrf_token: FormText = "",
    ui: FormText = "",
) -> Response:
    """The same answer, after the same work, whether or not an account has the address.

    Only the request is recorded before answering (throttled per address and per client,
    counting addresses with and without accounts alike); looking for the account, issuing its
    link and queueing the e-mail happen after the answer, in the courier's thread, which then
    delivers the e-mail. Doing that work for unknown addresses too would still differ (no
    link, no audit entry) and cost every request; doing it later costs nothing. A request
    whose link the process did not live to send is asked again by the person.
    """
    lang = page_language(request, ui or None)
    if not form_is_genuine(workspace, request, csrf_token, None, "reset"):
        raise FormExpired(lang)
    client = _client(workspace, request)
    portal = workspace.portal

    def work(session: Session) -> administration.ResetRequested:
        env = portal.service_env(session, actor="")
        return administration.record_reset_request(email, client=client, env=env)

    try:
        asked = portal.write(work)
    except Refusal as refusal:
        return _reset_form(
            workspace,
            request,
            lang,
            email=email[:254],
            error=workspace.refusal_text(refusal, lang),
            status=429,
        )

    def send_link(session: Session) -> None:
        administration.send_reset_link(asked, env=portal.service_env(session, actor=""))

    portal.courier.after(lambda: portal.write(send_link))
    return _reset_form(workspace, request, lang, sent=True)
