"""Starting a review round from the workspace runs the same flow as `accord review start`:
checked first on the form, then a flow run the run page follows."""

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
from models import AuditEvent, ReviewRound, RunState, WorkspaceRun
from tests.review_world import MOU, make_world
from tests.workspace_world import OFFICER, sign_in, staff_world

pytestmark = [pytest.mark.prefect, pytest.mark.usefixtures("prefect_harness")]


def test_start_launches_the_round_as_a_flow_run(settings_on: Settings, tmp_path: Path) -> None:
    engine = get_engine(settings_on.database_url)
    world = make_world(tmp_path, engine)
    staff_world(world)
    url = str(PREFECT_API_URL.value())
    launcher = Launcher(engine, api_url=lambda: url, wait=True)
    app = create_app(settings_on, launcher=launcher, clock=lambda: datetime.now(UTC))
    with TestClient(app, follow_redirects=False) as client:
        csrf = sign_in(client, OFFICER)
        answer = client.post(
            f"/workspace/agreements/{MOU}/rounds/new",
            data={"csrf_token": csrf, "working_days": "10", "action": "start"},
        )
        assert answer.status_code == 303, answer.text[:800]
        assert answer.headers["location"].startswith("/workspace/runs/")
        run_page = client.get(answer.headers["location"])
        board = client.get(f"/workspace/agreements/{MOU}/rounds/1")
    assert run_page.status_code == 200 and board.status_code == 200
    with Session(engine) as session:
        run = session.exec(select(WorkspaceRun)).one()
        assert (run.kind, run.state) == ("review.start", RunState.completed), run.error
        assert len(session.exec(select(ReviewRound)).all()) == 1
        opened = session.exec(select(AuditEvent).where(AuditEvent.action == "round.opened")).one()
        assert opened.actor == f"staff:{OFFICER}"
    assert {m.to_email for m in world.messages("review_request")}
