"""One's own account: the second factor (set up, or switched off) and signing out everywhere."""

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from sqlmodel import Session

from accord.errors import Refusal
from accord.portal.posts import FormText
from accord.services.staff import accounts, second_factor
from accord.workspace.deps import PREFIX, AccountHolderDep, Staff, Workspace, WorkspaceDep
from accord.workspace.frame import FormExpired, form_is_genuine, page, see_other
from models import StaffAccount

router = APIRouter(prefix=PREFIX)


@router.get("/account", response_class=HTMLResponse)
def account_page(
    request: Request, workspace: WorkspaceDep, staff: AccountHolderDep
) -> HTMLResponse:
    return _account_page(workspace, request, staff, secret=second_factor.new_secret())


def _account_page(
    workspace: Workspace,
    request: Request,
    staff: Staff,
    *,
    secret: str,
    error: str = "",
    status: int = 200,
) -> HTMLResponse:
    grouped = " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))
    return page(
        workspace,
        request,
        "account.html",
        lang=staff.lang,
        staff=staff,
        status=status,
        has_factor=staff.account.totp_secret is not None,
        required=workspace.session_rules.admins_need_second_factor
        and staff.account.role.value == "admin",
        secret=secret,
        grouped_secret=grouped,
        setup_uri=second_factor.setup_uri(secret, staff.account.email),
        error=error,
    )


@router.post("/account/second-factor")
def second_factor_post(
    request: Request,
    workspace: WorkspaceDep,
    staff: AccountHolderDep,
    csrf_token: FormText = "",
    secret: FormText = "",
    code: FormText = "",
    action: FormText = "on",
) -> Response:
    if not form_is_genuine(workspace, request, csrf_token, staff):
        raise FormExpired(staff.lang)
    required = (
        workspace.session_rules.admins_need_second_factor and staff.account.role.value == "admin"
    )

    def work(session: Session) -> None:
        account = session.get(StaffAccount, staff.id)
        assert account is not None
        env = workspace.service_env(session, account)
        if action == "off":
            if required:
                raise Refusal(
                    "staff.second_factor_required",
                    "Administrators must keep a second factor on this installation.",
                    field="code",
                )
            accounts.disable_second_factor(account, code, env=env)
        else:
            accounts.enable_second_factor(account, secret[:64], code, env=env)

    try:
        workspace.portal.write(work)
    except Refusal as refusal:
        return _account_page(
            workspace,
            request,
            staff,
            secret=secret[:64] or second_factor.new_secret(),
            error=workspace.refusal_text(refusal, staff.lang),
            status=422,
        )
    return see_other(f"{PREFIX}/account?done={action}")
