"""The workspace's home: what needs the secretariat's attention today.

The page is the same for every member of a secretariat with the same role and language, so
it is rendered once and reused until something it shows changes (`page_cache`).
"""

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from sqlmodel import Session

from accord.services.overview import secretariat_overview
from accord.workspace.deps import PREFIX, StaffDep, WorkspaceDep
from accord.workspace.frame import page
from accord.workspace.page_cache import cached_page

router = APIRouter(prefix=PREFIX)


@router.get("/", response_class=HTMLResponse)
def home(request: Request, workspace: WorkspaceDep, staff: StaffDep) -> HTMLResponse:
    def context() -> dict[str, object]:
        with Session(workspace.portal.engine) as session:
            overview = secretariat_overview(
                staff.secretariat.id or 0, session=session, now=workspace.portal.clock()
            )
        return {"o": overview}

    found = cached_page(
        workspace, request, staff, "home.html", what=(), section="home", context=context
    )
    if found is not None:
        return found
    return page(
        workspace,
        request,
        "home.html",
        lang=staff.lang,
        staff=staff,
        section="home",
        o=context()["o"],
    )
