"""The sign-off page of an agreement: start it when every signatory approved the latest
version (else say who has not approved which), who signed with the evidence, who is
pending, and a signature given on paper at a ceremony recorded with its scan."""

from collections.abc import Callable
from datetime import date

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from sqlmodel import Session

from accord.adapters.events import announce_in_background
from accord.errors import Refusal
from accord.portal.uploads import (
    Malformed,
    TooLarge,
    chosen_file,
    file_bytes,
    read_form,
    text_field,
)
from accord.services.env import ServiceEnv
from accord.services.overview import titles
from accord.services.signing import rules
from accord.services.signing.board import signature_scan, signoff_board
from accord.services.signing.paper import Scan, record_paper_signature, scan_location
from accord.services.signing.rules import PaperSigning
from accord.services.signing.start import start_signoff
from accord.services.staff.accounts import actor_of
from accord.workspace.deps import (
    PREFIX,
    NotOurs,
    OfficerDep,
    Staff,
    StaffDep,
    Workspace,
    WorkspaceDep,
    our_agreement,
)
from accord.workspace.downloads import download
from accord.workspace.frame import FormExpired, OfficerPost, form_is_genuine, page, see_other
from models import StaffAccount

router = APIRouter(prefix=PREFIX)
PAPER_FIELDS = ("party", "name", "title", "signed_on", "place", "scan")


def signoff_path(slug: str) -> str:
    return f"{PREFIX}/agreements/{slug}/signoff"


@router.get("/agreements/{agreement}/signoff", response_class=HTMLResponse)
def signoff_page(
    agreement: str, request: Request, workspace: WorkspaceDep, staff: StaffDep
) -> HTMLResponse:
    return _page(workspace, request, staff, agreement)


def _page(
    workspace: Workspace,
    request: Request,
    staff: Staff,
    slug: str,
    *,
    error: Refusal | None = None,
    form: dict[str, str] | None = None,
    status: int = 200,
) -> HTMLResponse:
    with Session(workspace.portal.engine) as session:
        found = our_agreement(session, staff, slug)
        board = signoff_board(found, session=session)
        title = titles([found.id or 0], session=session)[0]
        session.expunge_all()
    return page(
        workspace,
        request,
        "signoff.html",
        lang=staff.lang,
        staff=staff,
        section="agreements",
        status=status,
        agreement=found,
        title=title,
        board=board,
        blocked=workspace.refusal_text(board.blocked, staff.lang) if board.blocked else "",
        error=workspace.refusal_text(error, staff.lang) if error else "",
        error_field=error.field if error else None,
        form={name: "" for name in PAPER_FIELDS} | (form or {}),
        today=workspace.portal.clock().date(),
        scan_limit=rules.SCAN_LIMIT // (1024 * 1024),
        done=request.query_params.get("done", ""),
    )


def _dry_run(workspace: Workspace, staff: Staff, work: Callable[[ServiceEnv], object]) -> None:
    """The service's own checks, rolled back: refusals show on the page, not in a run."""
    with Session(workspace.portal.engine) as session:
        account = session.get(StaffAccount, staff.id)
        assert account is not None
        try:
            work(workspace.service_env(session, account))
        finally:
            session.rollback()


@router.post("/agreements/{agreement}/signoff/start")
def start_post(
    agreement: str, request: Request, workspace: WorkspaceDep, staff: OfficerPost
) -> Response:
    with Session(workspace.portal.engine) as session:
        found = our_agreement(session, staff, agreement)
        agreement_id = found.id
    try:
        _dry_run(workspace, staff, lambda env: start_signoff(agreement, env=env))
    except Refusal as refusal:
        return _page(workspace, request, staff, agreement, error=refusal, status=422)
    run = workspace.launcher.launch(
        "signoff.start",
        {"agreement": agreement, "actor": actor_of(staff.account)},
        account_id=staff.id,
        secretariat_id=staff.secretariat.id or 0,
        agreement_id=agreement_id,
    )
    return see_other(f"{PREFIX}/runs/{run}")


@router.post("/agreements/{agreement}/signoff/paper")
async def paper_post(
    agreement: str, request: Request, workspace: WorkspaceDep, staff: OfficerDep
) -> Response:
    """A multipart form: read under the scan's ceiling, CSRF checked by hand."""
    with Session(workspace.portal.engine) as session:
        our_agreement(session, staff, agreement)
    try:
        posted = await read_form(request, file_limit=rules.SCAN_LIMIT)
    except TooLarge:
        return _page(workspace, request, staff, agreement, error=rules.scan_too_large(), status=413)
    except Malformed:
        raise FormExpired(staff.lang) from None
    if not form_is_genuine(workspace, request, text_field(posted, "csrf_token"), staff):
        raise FormExpired(staff.lang)
    form = {name: text_field(posted, name) for name in PAPER_FIELDS if name != "scan"}
    upload = chosen_file(posted, "scan")
    try:
        data = await file_bytes(upload, limit=rules.SCAN_LIMIT) if upload else b""
    except TooLarge:
        return _page(
            workspace,
            request,
            staff,
            agreement,
            error=rules.scan_too_large(),
            form=form,
            status=413,
        )
    given = PaperSigning(form["name"], form["title"], _day(form["signed_on"]), form["place"])
    scan = Scan(upload.filename or "" if upload else "", data)

    def work(session: Session) -> bool:
        account = session.get(StaffAccount, staff.id)
        assert account is not None
        env = workspace.service_env(session, account)
        return record_paper_signature(agreement, form["party"], given, scan, env=env).completed

    try:
        completed = workspace.portal.write(work)
    except Refusal as refusal:
        return _page(workspace, request, staff, agreement, error=refusal, form=form, status=422)
    if completed:  # after the commit: the deliver deployment sends the signed document
        announce_in_background("agreement.in_force", agreement)
    done = "in-force" if completed else "paper"
    return see_other(f"{signoff_path(agreement)}?done={done}")


def _day(text: str) -> date | None:
    """The date field as the browser sends it (YYYY-MM-DD); anything else counts as missing."""
    try:
        return date.fromisoformat(text.strip()) if len(text.strip()) == 10 else None
    except ValueError:
        return None


@router.get("/agreements/{agreement}/signoff/scans/{signature}")
def scan_download(
    agreement: str, signature: str, request: Request, workspace: WorkspaceDep, staff: StaffDep
) -> Response:
    with Session(workspace.portal.engine) as session:
        found = our_agreement(session, staff, agreement)
        number = int(signature) if signature.isascii() and signature.isdigit() else 0
        row = signature_scan(found, number, session=session) if number else None
    if row is None or row.scan_sha256 is None:
        raise NotOurs()
    suffix = {v: k for k, v in rules.SCAN_TYPES.items()}.get(row.scan_type or "", ".pdf")
    data = workspace.portal.store.read(scan_location(row.scan_sha256, suffix))
    return download(
        data,
        media_type=row.scan_type or "application/octet-stream",
        filename=row.scan_name or f"scan{suffix}",
    )
