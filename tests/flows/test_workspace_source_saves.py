"""A source saved from the workspace is drafted as `accord draft` drafts it: a new version
when the content changed, none when it did not, recorded under the officer's name."""

import re
from pathlib import Path

import pytest
from prefect.settings import PREFECT_API_URL
from sqlmodel import Session, col, select
from starlette.testclient import TestClient

from accord.db import get_engine
from accord.settings import Settings, get_settings
from accord.workspace.app import create_app
from accord.workspace.runs import Launcher
from models import Agreement, AgreementVersion, AuditEvent, RunState, WorkspaceRun
from tests.review_world import MOU, make_world
from tests.workspace_world import OFFICER, csrf_of, sign_in, staff_world

pytestmark = [pytest.mark.prefect, pytest.mark.usefixtures("prefect_harness")]
BASE = re.compile(r'name="base" value="([0-9a-f]{64})"')


def save(client: TestClient, path: Path, text: str) -> int:
    """Opens the source page, saves `text` from it; the id of the run it started."""
    page = client.get(f"/workspace/agreements/{MOU}/source")
    base = BASE.search(page.text)
    assert page.status_code == 200 and base is not None
    answer = client.post(
        f"/workspace/agreements/{MOU}/source",
        data={
            "csrf_token": csrf_of(page.text),
            "base": base.group(1),
            "original": path.read_text(encoding="utf-8"),
            "text": text,
            "action": "save",
        },
    )
    assert answer.status_code == 303, answer.text[:800]
    return int(answer.headers["location"].rsplit("/", 1)[-1])


def test_a_save_records_a_version_only_when_the_content_changed(
    settings_on: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    engine = get_engine(settings_on.database_url)
    world = make_world(tmp_path, engine)
    staff_world(world)
    monkeypatch.setenv("ACCORD_AGREEMENTS_DIR", str(world.sources))
    get_settings.cache_clear()
    settings = get_settings()
    url = str(PREFECT_API_URL.value())
    app = create_app(settings, launcher=Launcher(engine, api_url=lambda: url, wait=True))
    path = world.sources / f"{MOU}.yaml"
    changed = path.read_text(encoding="utf-8").replace("shelter_places: 20", "shelter_places: 25")
    with TestClient(app, follow_redirects=False) as client:
        sign_in(client, OFFICER)
        first = save(client, path, changed)
        second = save(client, path, changed)  # the same text again: nothing to record
        page = client.get(f"/workspace/agreements/{MOU}")
    assert path.read_text(encoding="utf-8") == changed
    with Session(engine) as session:
        for run_id in (first, second):
            run = session.get(WorkspaceRun, run_id)
            assert run is not None and run.state is RunState.completed, run and run.error
        numbers = session.exec(
            select(AgreementVersion.number)
            .join(Agreement, col(Agreement.id) == AgreementVersion.agreement_id)
            .where(Agreement.slug == MOU)
            .order_by(col(AgreementVersion.number))
        ).all()
        created = session.exec(
            select(AuditEvent.actor, AuditEvent.data).where(
                AuditEvent.action == "version.created", AuditEvent.subject == f"agreement:{MOU}"
            )
        ).all()
    assert [data["number"] for _actor, data in created] == [1, 2]
    assert created[-1][0] == f"staff:{OFFICER}"
    assert list(numbers) == [1, 2]
    assert f"staff:{OFFICER}" in page.text
