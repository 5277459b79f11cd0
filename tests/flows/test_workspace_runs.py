"""Work started from the workspace runs as a Prefect flow run: recorded, followed, linked."""

import shutil
from pathlib import Path

import pytest
from prefect.settings import PREFECT_API_URL
from sqlmodel import Session, select
from starlette.testclient import TestClient

from accord.db import get_engine
from accord.settings import Settings
from accord.workspace.app import create_app
from accord.workspace.runs import Launcher
from models import AgreementVersion, RunState, WorkspaceRun
from tests.conftest import EXAMPLES
from tests.review_world import make_world
from tests.workspace_world import OFFICER, sign_in, staff_world

pytestmark = [pytest.mark.prefect, pytest.mark.usefixtures("prefect_harness")]


def test_a_draft_started_from_the_workspace_is_a_flow_run_the_page_follows(
    settings_on: Settings, tmp_path: Path
) -> None:
    engine = get_engine(settings_on.database_url)
    world = make_world(tmp_path, engine)
    staff_world(world)
    url = str(PREFECT_API_URL.value())
    launcher = Launcher(engine, api_url=lambda: url, wait=True)
    app = create_app(settings_on, launcher=launcher)
    sources = tmp_path / "more"
    shutil.copytree(EXAMPLES, sources)
    with Session(engine) as session:
        before = len(session.exec(select(AgreementVersion)).all())
    with TestClient(app, follow_redirects=False) as client:
        sign_in(client, OFFICER)
        kz = app.state.workspace.portal  # the same engine the page reads
        run_id = launcher.launch(
            "draft",
            {"paths": [str(sources)], "actor": "staff:" + OFFICER},
            account_id=1,
            secretariat_id=_kz_id(kz.engine),
        )
        page = client.get(f"/workspace/runs/{run_id}")
    assert page.status_code == 200
    with Session(engine) as session:
        row = session.get(WorkspaceRun, run_id)
        assert row is not None
        assert row.state is RunState.completed, row.error
        assert row.flow_run_id
        assert len(session.exec(select(AgreementVersion)).all()) == before  # unchanged texts
    assert f"/runs/flow-run/{row.flow_run_id}" in page.text


def _kz_id(engine: object) -> int:
    from models import Organization

    with Session(engine) as session:  # type: ignore[arg-type]
        org = session.exec(select(Organization).where(Organization.slug == "kz-iac")).one()
        assert org.id is not None
        return org.id
