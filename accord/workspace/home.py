"""The workspace's home: what needs the secretariat's attention today."""

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from sqlmodel import Session

from accord.services.overview import secretariat_overview
from accord.workspace.deps import PREFIX, StaffDep, WorkspaceDep
from accord.workspace.frame import page

router = APIRouter(prefix=PREFIX)


@router.get("/", response_class=HTMLResponse)
def home(request: Request, workspace: WorkspaceDep, staff: StaffDep) -> HTMLResponse:
    with Session(workspace.portal.engine) as session:
        overview = secretariat_overview(
            staff.secretariat.id or 0, session=session, now=workspace.portal.clock()
        )
    return page(
        workspace, request, "home.html", lang=staff.lang, staff=staff, section="home", o=overview
    )
