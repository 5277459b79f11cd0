"""The secretariat's agreements: the list, one agreement's page (versions, outline, audit
timeline, rounds and sign-offs), each version's DOCX, and the redline between any two
versions on the page and as a DOCX."""

from dataclasses import dataclass
from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response
from markupsafe import Markup
from sqlmodel import Session

from accord.documents.redline import diff_versions, render_redline_html
from accord.errors import NotFound, Refusal
from accord.portal.deps import _
from accord.portal.document import plan_changes, render_plan_changes
from accord.portal.frame import DOCX, version_docx
from accord.services.agreement_history import agreement_history
from accord.services.agreements import (
    AgreementFilter,
    find_version,
    list_agreements,
    version_content,
)
from accord.services.drafting.redlines import write_redline
from accord.services.overview import titles
from accord.source.spec import VersionContent
from accord.workspace.deps import (
    PREFIX,
    NotOurs,
    StaffDep,
    Workspace,
    WorkspaceDep,
    our_agreement,
)
from accord.workspace.frame import page
from models import Agreement, AgreementStatus, AgreementVersion

router = APIRouter(prefix=PREFIX)
PAGE_SIZE = 50

ROUND_STATE = {
    "open": _("answers being collected"),
    "approved": _("closed, approved"),
    "changes_requested": _("closed, changes requested"),
    "incomplete": _("closed, not every party answered"),
    "closed": _("closed, no outcome"),
}
"""A round's state as the page says it: open, or closed with its outcome."""
SIGNOFF_STATE = {
    "open": _("signatures being collected"),
    "completed": _("signed by every signatory"),
    "declined": _("signing declined"),
    "cancelled": _("sign-off cancelled"),
}


def _named(workspace: Workspace, lang: str, table: dict[str, str]) -> dict[str, str]:
    say = workspace.say(lang)
    return {key: say(text) for key, text in table.items()}


def _number(text: str) -> int:
    """A version number from the path; anything else is the same 404 as a foreign agreement."""
    if not (text.isascii() and text.isdigit()) or len(text) > 6:
        raise NotOurs()
    return int(text)


def _version(session: Session, agreement: Agreement, text: str) -> AgreementVersion:
    try:
        return find_version(agreement, _number(text), session=session)
    except NotFound:
        raise NotOurs() from None


@dataclass(frozen=True)
class Listing:
    status: str
    country: str
    page: int
    pages: int
    total: int

    def href(self, **change: object) -> str:
        values = {"status": self.status, "country": self.country, "page": self.page, **change}
        query = {k: str(v) for k, v in values.items() if v not in ("", None, 1)}
        return f"{PREFIX}/agreements" + (f"?{urlencode(query)}" if query else "")


@router.get("/agreements", response_class=HTMLResponse)
def agreements_page(
    request: Request,
    workspace: WorkspaceDep,
    staff: StaffDep,
    status: str = "",
    country: str = "",
    page_number: Annotated[int, Query(alias="page", ge=1, le=100_000)] = 1,
) -> HTMLResponse:
    chosen = status if status in {s.value for s in AgreementStatus} else ""
    country = country.strip().upper()[:2] if country.strip().isalpha() else ""
    where = AgreementFilter(
        status=AgreementStatus(chosen) if chosen else None,
        country=country or None,
        secretariat=staff.secretariat.slug,
    )
    with Session(workspace.portal.engine) as session:
        found = list_agreements(
            session=session,
            where=where,
            offset=(page_number - 1) * PAGE_SIZE,
            limit=PAGE_SIZE,
        )
        titles = _titles(session, [row.id for row in found.rows])
    pages = max((found.total + PAGE_SIZE - 1) // PAGE_SIZE, 1)
    return page(
        workspace,
        request,
        "agreements.html",
        lang=staff.lang,
        staff=staff,
        section="agreements",
        rows=found.rows,
        titles=titles,
        listing=Listing(chosen, country, page_number, pages, found.total),
        statuses=[s.value for s in AgreementStatus],
    )


def _titles(session: Session, ids: list[int]) -> dict[int, dict[str, str]]:
    return dict(zip(ids, titles(ids, session=session), strict=True))


@router.get("/agreements/{agreement}", response_class=HTMLResponse)
def agreement_page(
    agreement: str, request: Request, workspace: WorkspaceDep, staff: StaffDep
) -> HTMLResponse:
    with Session(workspace.portal.engine) as session:
        found = our_agreement(session, staff, agreement)
        history = agreement_history(found, session=session)
        session.expunge(found)
    return page(
        workspace,
        request,
        "agreement.html",
        lang=staff.lang,
        staff=staff,
        section="agreements",
        agreement=found,
        h=history,
        round_states=_named(workspace, staff.lang, ROUND_STATE),
        signoff_states=_named(workspace, staff.lang, SIGNOFF_STATE),
    )


@router.get("/agreements/{agreement}/versions/{number}.docx")
def version_download(
    agreement: str, number: str, workspace: WorkspaceDep, staff: StaffDep
) -> Response:
    with Session(workspace.portal.engine) as session:
        found = our_agreement(session, staff, agreement)
        version = _version(session, found, number)
        return version_docx(workspace.portal, found, version)


@router.get("/agreements/{agreement}/redline/{number}/{other}.docx")
def redline_download(
    agreement: str,
    number: str,
    other: str,
    workspace: WorkspaceDep,
    staff: StaffDep,
    lang: str = "",
) -> Response:
    with Session(workspace.portal.engine) as session:
        found = our_agreement(session, staff, agreement)
        old, new = _version(session, found, number), _version(session, found, other)
        languages = version_content(new).agreement.languages
        try:
            name = write_redline(
                found.slug,
                old.number,
                new.number,
                language=lang if lang in languages else None,
                session=session,
                store=workspace.portal.store,
            )
        except Refusal:
            raise NotOurs() from None
    return Response(
        workspace.portal.store.read(name),
        media_type=DOCX,
        headers={"Content-Disposition": f'attachment; filename="{name.rsplit("/", 1)[-1]}"'},
    )


@router.get("/agreements/{agreement}/redline/{number}/{other}", response_class=HTMLResponse)
def redline_page(
    agreement: str,
    number: str,
    other: str,
    request: Request,
    workspace: WorkspaceDep,
    staff: StaffDep,
    lang: str = "",
) -> HTMLResponse:
    with Session(workspace.portal.engine) as session:
        found = our_agreement(session, staff, agreement)
        old, new = _version(session, found, number), _version(session, found, other)
        numbers = [v.number for v in found.versions]
        session.expunge_all()
    before, after = version_content(old), version_content(new)
    languages = after.agreement.languages
    chosen = lang if lang in languages else after.agreement.primary_language
    html = workspace.portal.cache.get(
        ("workspace-redline", old.sha256, new.sha256, chosen),
        lambda: _redline(before, after, chosen),
    )
    return page(
        workspace,
        request,
        "redline.html",
        lang=staff.lang,
        staff=staff,
        section="agreements",
        agreement=found,
        old=old,
        new=new,
        numbers=numbers,
        doc_lang=chosen,
        languages=languages,
        redline=Markup(html),
        title=after.agreement.title,
    )


def _redline(before: VersionContent, after: VersionContent, lang: str) -> str:
    """Every changed clause, then the plan's changed activities, as the portal shows them."""
    diffs = [d for d in diff_versions(before, after, lang) if d.changed]
    clauses = render_redline_html(diffs) if diffs else ""
    plan = plan_changes(before, after, lang)
    return clauses + (render_plan_changes(plan) if plan else "")
