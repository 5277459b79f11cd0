"""The secretariat's staff, managed by its administrators: the list, invitations by e-mail,
roles and deactivation. Each account is found within the administrator's own secretariat
first, so another secretariat's account is the same 404 as none."""

from collections.abc import Callable

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from sqlmodel import Session, col, select

from accord.errors import Refusal
from accord.i18n.languages import LANGUAGES
from accord.portal.posts import FormText
from accord.services.staff import administration
from accord.services.staff.accounts import NewAccount
from accord.services.staff.rules import Action, require_allowed, role_named
from accord.workspace.deps import (
    PREFIX,
    AdminDep,
    NotAllowed,
    NotOurs,
    Staff,
    Workspace,
    WorkspaceDep,
)
from accord.workspace.frame import AdminPost, StaffPost, page, see_other
from models import StaffAccount, StaffRole

router = APIRouter(prefix=PREFIX)
LANGUAGE_CHOICES = tuple((language.tag, language.name) for language in LANGUAGES)
"""Invitations are written in any language Accord's e-mails know."""


@router.get("/staff", response_class=HTMLResponse)
def staff_page(
    request: Request, workspace: WorkspaceDep, staff: AdminDep, done: str = ""
) -> HTMLResponse:
    return _staff_page(workspace, request, staff, done=done[:32])


def _staff_page(
    workspace: Workspace,
    request: Request,
    staff: Staff,
    *,
    done: str = "",
    error: str = "",
    error_field: str | None = None,
    form: dict[str, str] | None = None,
    status: int = 200,
) -> HTMLResponse:
    with Session(workspace.portal.engine) as session:
        accounts = session.exec(
            select(StaffAccount)
            .where(StaffAccount.secretariat_id == staff.secretariat.id)
            .order_by(col(StaffAccount.active).desc(), col(StaffAccount.email))
        ).all()
    return page(
        workspace,
        request,
        "staff.html",
        lang=staff.lang,
        staff=staff,
        section="staff",
        status=status,
        accounts=accounts,
        roles=[role.value for role in StaffRole],
        languages=LANGUAGE_CHOICES,
        done=done,
        error=error,
        error_field=error_field,
        form=form or {"email": "", "name": "", "role": "officer", "language": staff.lang},
    )


@router.post("/staff/invite")
def invite(
    request: Request,
    workspace: WorkspaceDep,
    staff: AdminPost,
    email: FormText = "",
    name: FormText = "",
    role: FormText = "",
    language: FormText = "",
) -> Response:
    form = {"email": email[:254], "name": name[:200], "role": role, "language": language}

    def work(session: Session) -> None:
        by = _account(session, staff.id)
        env = workspace.service_env(session, by)
        administration.invite(
            NewAccount(email, name, staff.secretariat.slug, role_named(role), language[:8] or "ru"),
            by=by,
            env=env,
        )

    try:
        workspace.portal.write(work)
    except Refusal as refusal:
        return _refused(workspace, request, staff, refusal, form)
    return see_other(f"{PREFIX}/staff?done=invited")


@router.post("/staff/{account}/role")
def change_role(
    account: str, request: Request, workspace: WorkspaceDep, staff: StaffPost, role: FormText = ""
) -> Response:
    def work(session: Session, member: StaffAccount, by: StaffAccount) -> None:
        administration.change_role(
            member, role_named(role), by=by, env=workspace.service_env(session, by)
        )

    return _on_member(workspace, request, staff, account, work, done="role")


@router.post("/staff/{account}/deactivate")
def deactivate(
    account: str, request: Request, workspace: WorkspaceDep, staff: StaffPost
) -> Response:
    def work(session: Session, member: StaffAccount, by: StaffAccount) -> None:
        administration.deactivate(member, by=by, env=workspace.service_env(session, by))

    return _on_member(workspace, request, staff, account, work, done="deactivated")


def _on_member(
    workspace: Workspace,
    request: Request,
    staff: Staff,
    account: str,
    work: Callable[[Session, StaffAccount, StaffAccount], None],
    *,
    done: str,
) -> Response:
    """Another secretariat's account is not found (404) before any role is checked (403)."""

    def change(session: Session) -> None:
        member = _our_member(session, staff, account)
        try:
            require_allowed(staff.account.role, Action.manage)
        except Refusal as refusal:
            raise NotAllowed(refusal, staff.lang) from None
        work(session, member, _account(session, staff.id))

    try:
        workspace.portal.write(change)
    except Refusal as refusal:
        return _refused(workspace, request, staff, refusal, None)
    return see_other(f"{PREFIX}/staff?done={done}")


def _refused(
    workspace: Workspace,
    request: Request,
    staff: Staff,
    refusal: Refusal,
    form: dict[str, str] | None,
) -> HTMLResponse:
    return _staff_page(
        workspace,
        request,
        staff,
        error=workspace.refusal_text(refusal, staff.lang),
        error_field=refusal.field if form is not None else None,
        form=form,
        status=422,
    )


def _our_member(session: Session, staff: Staff, account: str) -> StaffAccount:
    found = (
        session.get(StaffAccount, int(account)) if account.isascii() and account.isdigit() else None
    )
    if found is None or found.secretariat_id != staff.secretariat.id:
        raise NotOurs()
    return found


def _account(session: Session, account_id: int) -> StaffAccount:
    found = session.get(StaffAccount, account_id)
    assert found is not None
    return found
