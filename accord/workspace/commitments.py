"""The commitments the secretariat tracks: the register of all its items (filtered, paged),
one agreement's register with progress per objective, each item's history and evidence,
the XLSX export, the progress report DOCX, and report requests sent now."""

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from sqlmodel import Session

from accord.documents.register_xlsx import export_register
from accord.errors import Refusal
from accord.services.agreements import find_version, signed_version, version_content
from accord.services.commitments.periodic import request_reports_now
from accord.services.commitments.register import (
    PAGE_LIMIT,
    RegisterFilter,
    RegisterPage,
    evidence_of_item,
    item_detail,
    objective_progress,
    register_page,
    responsible_organizations,
)
from accord.services.commitments.report import write_progress_report
from accord.services.commitments.rules import evidence_location
from accord.services.commitments.tracked import tracked_items
from accord.services.env import ServiceEnv
from accord.services.overview import titles
from accord.services.staff.accounts import actor_of
from accord.workspace.deps import (
    PREFIX,
    NotOurs,
    Staff,
    StaffDep,
    Workspace,
    WorkspaceDep,
    our_agreement,
)
from accord.workspace.downloads import download
from accord.workspace.frame import OfficerPost, page, see_other
from models import Agreement, ItemStatus, Organization, StaffAccount

router = APIRouter(prefix=PREFIX)
Check = Callable[[ServiceEnv], object]
"""A service call run and rolled back before a flow is started: its refusals show at once."""
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@dataclass(frozen=True)
class Filters:
    """The register's query string, read leniently: what does not parse is left out."""

    wanted: RegisterFilter
    page: int
    shown: dict[str, str]
    """The values the filter form shows again (and the pager's links carry)."""

    def link(self, page: int) -> str:
        return "?" + urlencode({**{k: v for k, v in self.shown.items() if v}, "page": page})


def _day(text: str) -> date | None:
    try:
        return date.fromisoformat(text) if len(text) == 10 else None
    except ValueError:
        return None


def read_filters(query: Mapping[str, str], *, agreement: str | None = None) -> Filters:
    status = query.get("status", "")
    wanted = RegisterFilter(
        agreement=agreement,
        organization=query.get("org", "")[:64] or None,
        status=ItemStatus(status) if status in ItemStatus.__members__ else None,
        due_from=_day(query.get("from", "")),
        due_to=_day(query.get("to", "")),
        overdue=query.get("overdue", "") == "1",
    )
    number = query.get("page", "1")
    page_number = int(number) if number.isascii() and number.isdigit() and len(number) < 6 else 1
    shown = {
        "org": wanted.organization or "",
        "status": wanted.status.value if wanted.status else "",
        "from": wanted.due_from.isoformat() if wanted.due_from else "",
        "to": wanted.due_to.isoformat() if wanted.due_to else "",
        "overdue": "1" if wanted.overdue else "",
    }
    return Filters(wanted, min(page_number, PAGE_LIMIT), shown)


@router.get("/commitments", response_class=HTMLResponse)
def all_commitments(request: Request, workspace: WorkspaceDep, staff: StaffDep) -> HTMLResponse:
    filters = read_filters(request.query_params)
    with Session(workspace.portal.engine) as session:
        found = _register(workspace, staff, filters, session=session)
    return page(
        workspace,
        request,
        "commitments.html",
        lang=staff.lang,
        staff=staff,
        section="commitments",
        agreement=None,
        title=None,
        objectives=[],
        error="",
        v=found,
    )


@dataclass(frozen=True)
class RegisterView:
    """`v` in the register's template."""

    register: RegisterPage
    organisations: list[Organization]
    filters: Filters
    statuses: list[str]
    today: date


def _register(
    workspace: Workspace, staff: Staff, filters: Filters, *, session: Session
) -> RegisterView:
    secretariat = staff.secretariat.id or 0
    today = workspace.portal.clock().date()
    return RegisterView(
        register=register_page(
            secretariat, filters.wanted, page=filters.page, today=today, session=session
        ),
        organisations=responsible_organizations(secretariat, session=session),
        filters=filters,
        statuses=[s.value for s in ItemStatus],
        today=today,
    )


@router.get("/agreements/{agreement}/commitments", response_class=HTMLResponse)
def agreement_commitments(
    agreement: str, request: Request, workspace: WorkspaceDep, staff: StaffDep
) -> HTMLResponse:
    return _agreement_page(workspace, request, staff, agreement)


def _agreement_page(
    workspace: Workspace,
    request: Request,
    staff: Staff,
    agreement: str,
    *,
    error: str = "",
    status: int = 200,
) -> HTMLResponse:
    filters = read_filters(request.query_params, agreement=agreement)
    today = workspace.portal.clock().date()
    with Session(workspace.portal.engine) as session:
        found = our_agreement(session, staff, agreement)
        register = _register(workspace, staff, filters, session=session)
        objectives = objective_progress(
            tracked_items(session=session, agreement=agreement), today=today
        )
        title = titles([found.id or 0], session=session)[0]
        session.expunge_all()
    return page(
        workspace,
        request,
        "commitments.html",
        lang=staff.lang,
        staff=staff,
        section="commitments",
        agreement=found,
        title=title,
        objectives=objectives,
        report_ready=workspace.portal.store.exists(_report_name(agreement, today)),
        done=request.query_params.get("done", ""),
        error=error,
        status=status,
        v=register,
    )


def _report_name(slug: str, day: date) -> str:
    """The progress report `write_progress_report` keeps for `day`, in the primary language."""
    return f"{slug}/{slug}-progress-{day.isoformat()}.docx"


@router.get("/agreements/{agreement}/commitments/register.xlsx")
def register_xlsx(
    agreement: str, request: Request, workspace: WorkspaceDep, staff: StaffDep
) -> Response:
    """The same workbook as `accord export --xlsx`, in the agreement's primary language."""
    with Session(workspace.portal.engine) as session:
        found = our_agreement(session, staff, agreement)
        items = tracked_items(session=session, agreement=agreement)
        language = _language(found, session=session)
    return download(
        export_register(items, language=language),
        media_type=XLSX,
        filename=f"{agreement}-register.xlsx",
    )


def _language(agreement: Agreement, *, session: Session) -> str:
    version = signed_version(agreement, session=session) or find_version(
        agreement, None, session=session
    )
    return version_content(version).agreement.primary_language


@router.post("/agreements/{agreement}/commitments/report")
def report_post(
    agreement: str, request: Request, workspace: WorkspaceDep, staff: OfficerPost
) -> Response:
    """The progress report as of today, written by the flow `accord report` runs."""
    today = workspace.portal.clock().date()
    return _launch(
        workspace,
        request,
        staff,
        agreement,
        kind="report",
        parameters={"agreement": agreement, "as_of": today, "actor": actor_of(staff.account)},
        check=lambda env: write_progress_report(agreement, today, env=env),
    )


@router.post("/agreements/{agreement}/commitments/request-reports")
def request_reports_post(
    agreement: str, request: Request, workspace: WorkspaceDep, staff: OfficerPost
) -> Response:
    """Every focal point asked for a report now; the e-mails go out in the run."""
    return _launch(
        workspace,
        request,
        staff,
        agreement,
        kind="report.request",
        parameters={"agreement": agreement, "actor": actor_of(staff.account)},
        check=lambda env: request_reports_now(agreement, env=env),
    )


def _launch(
    workspace: Workspace,
    request: Request,
    staff: Staff,
    agreement: str,
    *,
    kind: str,
    parameters: dict[str, object],
    check: Check,
) -> Response:
    with Session(workspace.portal.engine) as session:
        agreement_id = our_agreement(session, staff, agreement).id
        account = session.get(StaffAccount, staff.id)
        assert account is not None
        try:
            check(workspace.service_env(session, account))  # refusals show on the page
        except Refusal as refusal:
            session.rollback()
            error = workspace.refusal_text(refusal, staff.lang)
            return _agreement_page(workspace, request, staff, agreement, error=error, status=422)
        session.rollback()
    run = workspace.launcher.launch(
        kind,
        parameters,
        account_id=staff.id,
        secretariat_id=staff.secretariat.id or 0,
        agreement_id=agreement_id,
    )
    return see_other(f"{PREFIX}/runs/{run}")


@router.get("/agreements/{agreement}/commitments/reports/{day}")
def report_docx(
    agreement: str, day: str, request: Request, workspace: WorkspaceDep, staff: StaffDep
) -> Response:
    with Session(workspace.portal.engine) as session:
        our_agreement(session, staff, agreement)
    as_of = _day(day)
    name = _report_name(agreement, as_of) if as_of else ""
    if not name or not workspace.portal.store.exists(name):
        raise NotOurs()
    return download(
        workspace.portal.store.read(name), media_type=DOCX, filename=name.rsplit("/", 1)[-1]
    )


@router.get("/agreements/{agreement}/commitments/{item}", response_class=HTMLResponse)
def item_page(
    agreement: str, item: str, request: Request, workspace: WorkspaceDep, staff: StaffDep
) -> HTMLResponse:
    with Session(workspace.portal.engine) as session:
        found = our_agreement(session, staff, agreement)
        detail = item_detail(found, _number(item), session=session)
        if detail is None:
            raise NotOurs()
        title = titles([found.id or 0], session=session)[0]
        session.expunge_all()
    return page(
        workspace,
        request,
        "commitment.html",
        lang=staff.lang,
        staff=staff,
        section="commitments",
        agreement=found,
        title=title,
        d=detail,
        today=workspace.portal.clock().date(),
    )


def _number(text: str) -> int:
    return int(text) if text.isascii() and text.isdigit() and len(text) < 12 else 0


@router.get("/agreements/{agreement}/commitments/{item}/evidence/{file}")
def evidence_download(
    agreement: str,
    item: str,
    file: str,
    request: Request,
    workspace: WorkspaceDep,
    staff: StaffDep,
) -> Response:
    with Session(workspace.portal.engine) as session:
        found = our_agreement(session, staff, agreement)
        evidence = evidence_of_item(found, _number(item), _number(file), session=session)
    if evidence is None:
        raise NotOurs()
    stored = evidence_location(evidence.sha256, evidence.filename)
    return download(
        workspace.portal.store.read(stored),
        media_type=evidence.content_type,
        filename=evidence.filename,
    )
