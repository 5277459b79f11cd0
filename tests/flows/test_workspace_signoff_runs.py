"""Sign-off and report requests started from the workspace run as Prefect flow runs, the same
flows `accord sign start` and the daily sweep use, and the page follows them."""

import re
from datetime import UTC, datetime
from pathlib import Path

import pytest
from prefect.settings import PREFECT_API_URL
from sqlmodel import Session, select
from starlette.testclient import TestClient

from accord.db import get_engine
from accord.settings import Settings
from accord.workspace.app import create_app
from accord.workspace.runs import Launcher
from models import Agreement, AgreementStatus, RunState, WorkspaceRun
from tests.review_world import MOU, approve_all, bring_into_force, make_world
from tests.workspace_world import OFFICER, sign_in, staff_world

pytestmark = [pytest.mark.prefect, pytest.mark.usefixtures("prefect_harness")]
DAY = datetime(2027, 1, 11, 9, 0, tzinfo=UTC)


def finished(engine: object, location: str) -> WorkspaceRun:
    run_id = int(location.rsplit("/", 1)[-1])
    with Session(engine) as session:  # type: ignore[arg-type]
        row = session.get(WorkspaceRun, run_id)
        assert row is not None
        return row


def test_sign_off_started_from_the_page_sends_the_links(
    settings_on: Settings, tmp_path: Path
) -> None:
    engine = get_engine(settings_on.database_url)
    world = make_world(tmp_path, engine)
    staff_world(world)
    approve_all(world, DAY)
    url = str(PREFECT_API_URL.value())
    app = create_app(settings_on, launcher=Launcher(engine, api_url=lambda: url, wait=True))
    with TestClient(app, follow_redirects=False) as client:
        csrf = sign_in(client, OFFICER)
        answer = client.post(
            f"/workspace/agreements/{MOU}/signoff/start", data={"csrf_token": csrf}
        )
        assert answer.status_code == 303 and answer.headers["location"].startswith(
            "/workspace/runs/"
        )
        row = finished(engine, answer.headers["location"])
        assert row.state is RunState.completed, row.error
        assert row.kind == "signoff.start" and row.flow_run_id
        page = client.get(f"/workspace/agreements/{MOU}/signoff")
    with Session(engine) as session:
        agreement = session.exec(select(Agreement).where(Agreement.slug == MOU)).one()
    assert agreement.status is AgreementStatus.signing
    assert len(world.messages("sign_request")) == 3  # kz-iac coordinates, does not sign
    assert "Not signed yet:" in page.text


def test_report_requests_sent_now_from_the_page(settings_on: Settings, tmp_path: Path) -> None:
    engine = get_engine(settings_on.database_url)
    world = make_world(tmp_path, engine)
    staff_world(world)
    bring_into_force(world, DAY)
    url = str(PREFECT_API_URL.value())
    app = create_app(settings_on, launcher=Launcher(engine, api_url=lambda: url, wait=True))
    with TestClient(app, follow_redirects=False) as client:
        csrf = sign_in(client, OFFICER)
        answer = client.post(
            f"/workspace/agreements/{MOU}/commitments/request-reports", data={"csrf_token": csrf}
        )
        assert answer.status_code == 303
        row = finished(engine, answer.headers["location"])
        assert row.state is RunState.completed, row.error
        assert row.kind == "report.request"
        assert len(world.messages("report_request")) >= 3
        report = client.post(
            f"/workspace/agreements/{MOU}/commitments/report", data={"csrf_token": csrf}
        )
        assert finished(engine, report.headers["location"]).state is RunState.completed
        page = client.get(f"/workspace/agreements/{MOU}/commitments")
        link = re.search(r'href="([^"]+/commitments/reports/[0-9-]+)"', page.text)
        assert link is not None, "the page offers today's report"
        docx = client.get(link.group(1))
    assert docx.status_code == 200 and docx.content.startswith(b"PK")
