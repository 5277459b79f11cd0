"""The page of a run started from the workspace: its state, what it did, and where Prefect
shows it. It refreshes itself while the run is going (no JavaScript)."""

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from sqlmodel import Session

from accord.workspace.deps import PREFIX, NotOurs, StaffDep, WorkspaceDep
from accord.workspace.frame import page
from accord.workspace.runs import prefect_ui_link, refresh_from_prefect
from models import Agreement, RunState, WorkspaceRun

router = APIRouter(prefix=PREFIX)


@router.get("/runs/{run}", response_class=HTMLResponse)
def run_page(run: str, request: Request, workspace: WorkspaceDep, staff: StaffDep) -> HTMLResponse:
    api_url = workspace.launcher.known_api_url()
    with Session(workspace.portal.engine) as session:
        row = session.get(WorkspaceRun, int(run)) if run.isascii() and run.isdigit() else None
        if row is None or row.secretariat_id != staff.secretariat.id:
            raise NotOurs()
        refresh_from_prefect(session, row, api_url)
        session.commit()
        agreement = session.get(Agreement, row.agreement_id) if row.agreement_id else None
        slug = agreement.slug if agreement else None
    return page(
        workspace,
        request,
        "run.html",
        lang=staff.lang,
        staff=staff,
        run=row,
        agreement=slug,
        running=row.state is RunState.running,
        prefect_link=prefect_ui_link(api_url, row.flow_run_id),
    )
