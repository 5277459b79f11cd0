"""`accord serve` on one machine: portal up, prefect.yaml's cron schedules producing runs, the
workspace's long work run through prefect.yaml's deployments that `accord serve` itself
serves, and everything gone again after SIGTERM (as systemd stops it).

One `accord serve` per database for the module: starting it (a Prefect server, the flows
served) is what costs the time."""

import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from sqlmodel import Session, col, select

from accord.cli.serve import deployment_specs
from accord.db import get_engine, upgrade_schema
from accord.services.documents import agreement_document_name
from accord.settings import PROJECT_ROOT
from accord.workspace.runs import FLOWS
from models import Agreement, AgreementVersion, AuditEvent, RunState, WorkspaceRun
from tests.conftest import _truncate_all, processes_with_environ
from tests.deploy.live_prefect import free_port
from tests.review_world import MOU, World, make_world

pytestmark = pytest.mark.deployment

ACCORD = Path(sys.executable).with_name("accord")
OFFICER = "officer.serve@example.org"
PASSWORD = "a long walk by the river"
DEADLINE = 180
"""Seconds any one wait may take: a slow, shared machine, never a hang."""

CSRF = re.compile(r'name="csrf_token" value="([0-9a-f]{64})"')
BASE = re.compile(r'name="base" value="([0-9a-f]{64})"')
STATE = re.compile(r'class="state-(\w+)"')
PREFECT_LINK = re.compile(r'href="([^"]*/runs/flow-run/([0-9a-f-]{36}))"')


@dataclass(frozen=True)
class Served:
    """A running `accord serve` and what it was started on."""

    portal: str
    api: str
    world: World
    env: dict[str, str]
    log: Path

    def output(self) -> str:
        return self.log.read_text(errors="replace")[-6000:]


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def served(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Served]:
    """The examples drafted into a database of its own, then `accord serve` on free ports,
    ready once the portal answers (prefect.yaml's deployments are on its Prefect server by
    then); stopped with SIGTERM at the end, and checked to leave no process behind."""
    root = tmp_path_factory.mktemp(f"serve-{request.param}")
    data = root / "data"
    data.mkdir()
    if request.param == "sqlite":
        database_url = f"sqlite:///{data / 'accord.db'}"
    else:
        database_url = request.getfixturevalue("postgres_database")
        _truncate_all(database_url)
    upgrade_schema(database_url)
    world = make_world(root, get_engine(database_url))  # the examples' first versions
    portal, prefect = free_port(), free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PREFECT_", "ACCORD_"))}
    env.update(
        {
            "ACCORD_DATA_DIR": str(data),
            "ACCORD_DATABASE_URL": database_url,
            "ACCORD_OUTPUT_DIR": str(world.store.root),
            "ACCORD_AGREEMENTS_DIR": str(world.sources),
            "ACCORD_PORTAL_PORT": str(portal),
            "ACCORD_PREFECT_PORT": str(prefect),
            "ACCORD_PUBLIC_BASE_URL": f"http://127.0.0.1:{portal}",
            "ACCORD_PDF_DOCUMENTS": "false",  # no converter of the machine's is touched
            "PREFECT_HOME": str(root / "prefect-home"),
            "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        }
    )
    log = root / "serve.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [str(ACCORD), "serve"], cwd=PROJECT_ROOT, env=env, stdout=out, stderr=subprocess.STDOUT
        )
    served = Served(
        f"http://127.0.0.1:{portal}", f"http://127.0.0.1:{prefect}/api", world, env, log
    )
    try:
        _wait_until(lambda: _healthy(f"{served.portal}/healthz"), process, served, "the portal")
        registered = _deployments(served.api)
        assert registered == len(deployment_specs()), (
            f"the portal answered with {registered} deployments registered: a run started "
            "from the workspace now would not find its deployment"
        )
        yield served
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=60)
    assert not _healthy(f"{served.api}/health"), "the Prefect server outlived accord serve"
    left = processes_with_environ(f"ACCORD_DATA_DIR={data}")
    assert left == [], f"processes of accord serve outlived it: pids {left}"


def test_serve_runs_portal_and_schedules(served: Served) -> None:
    deadline = time.monotonic() + DEADLINE
    while time.monotonic() < deadline and _scheduled(served.api) == 0:
        time.sleep(1)
    assert _healthy(f"{served.portal}/healthz")
    assert _scheduled(served.api) > 0, "no scheduled runs: the schedules are not being served"


def test_a_source_saved_in_the_workspace_is_drafted_by_the_served_deployment(
    served: Served,
) -> None:
    """Account made with `accord staff add`, password set through its link, signed in, the
    example's source saved: the `draft` deployment runs it, the run page follows it to the
    end and links to it in Prefect, and the new version is there with its DOCX."""
    link = _staff_add(served)
    assert link.startswith(f"{served.portal}/workspace/password/"), link
    with httpx.Client(base_url=served.portal, timeout=30, follow_redirects=False) as client:
        _set_password(client, link)
        _sign_in(client)
        source = served.world.sources / f"{MOU}.yaml"
        changed = source.read_text(encoding="utf-8").replace(
            "shelter_places: 20", "shelter_places: 25"
        )
        run_page = _save_source(client, source, changed)
        page = _follow(client, run_page, served)
    state = STATE.search(page)
    assert state is not None and state.group(1) == RunState.completed.value, page[-3000:]
    prefect_link = PREFECT_LINK.search(page)
    assert prefect_link is not None, "the run page does not link to Prefect"
    ui, flow_run_id = prefect_link.groups()
    assert ui == f"{served.api.removesuffix('/api')}/runs/flow-run/{flow_run_id}"
    assert httpx.get(ui, headers={"accept": "text/html"}, timeout=10).status_code == 200

    flow_run = httpx.get(f"{served.api}/flow_runs/{flow_run_id}", timeout=10).json()
    assert flow_run["state"]["type"] == "COMPLETED", flow_run["state"]
    assert flow_run["deployment_id"], "the run did not come from a deployment"
    deployment = httpx.get(f"{served.api}/deployments/{flow_run['deployment_id']}", timeout=10)
    assert deployment.json()["name"] == FLOWS["draft"].deployment
    assert flow_run["parameters"] == {"paths": [str(source)], "actor": f"staff:{OFFICER}"}

    engine = served.world.engine
    with Session(engine) as session:
        run = session.exec(
            select(WorkspaceRun).where(WorkspaceRun.flow_run_id == flow_run_id)
        ).one()
        assert run.kind == "draft" and run.state is RunState.completed and run.finished_at
        numbers = session.exec(
            select(AgreementVersion.number)
            .join(Agreement, col(Agreement.id) == AgreementVersion.agreement_id)
            .where(Agreement.slug == MOU)
            .order_by(col(AgreementVersion.number))
        ).all()
        actor = session.exec(
            select(AuditEvent.actor)
            .where(AuditEvent.action == "version.created", AuditEvent.subject == f"agreement:{MOU}")
            .order_by(col(AuditEvent.id).desc())
        ).first()
    assert list(numbers) == [1, 2]
    assert actor == f"staff:{OFFICER}"
    assert served.world.store.exists(agreement_document_name(MOU, 2))


def _staff_add(served: Served) -> str:
    """`accord staff add` against the served database; the one-time link it prints."""
    done = subprocess.run(
        [str(ACCORD), "staff", "add", OFFICER, "--secretariat", "kz-iac", "--role", "officer"],
        cwd=PROJECT_ROOT,
        env=served.env,
        capture_output=True,
        text=True,
        timeout=DEADLINE,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    found = re.search(r"(http://\S+/workspace/password/\S+)", done.stdout)
    assert found is not None, done.stdout
    return found.group(1)


def _set_password(client: httpx.Client, link: str) -> None:
    page = client.get(link)
    assert page.status_code == 200, page.text[:500]
    answer = client.post(
        link,
        data={"csrf_token": _csrf(page.text), "password": PASSWORD, "repeated": PASSWORD},
    )
    assert answer.status_code == 303, answer.text[:500]


def _sign_in(client: httpx.Client) -> None:
    page = client.get("/workspace/sign-in")
    answer = client.post(
        "/workspace/sign-in",
        data={"csrf_token": _csrf(page.text), "email": OFFICER, "password": PASSWORD},
    )
    assert answer.status_code == 303, answer.text[:500]


def _save_source(client: httpx.Client, source: Path, changed: str) -> str:
    """The source editor's save; the run page it sends the officer to."""
    page = client.get(f"/workspace/agreements/{MOU}/source")
    base = BASE.search(page.text)
    assert page.status_code == 200 and base is not None, page.text[:500]
    answer = client.post(
        f"/workspace/agreements/{MOU}/source",
        data={
            "csrf_token": _csrf(page.text),
            "base": base.group(1),
            "original": source.read_text(encoding="utf-8"),
            "text": changed,
            "action": "save",
        },
    )
    assert answer.status_code == 303, answer.text[:800]
    location = answer.headers["location"]
    assert re.fullmatch(r"/workspace/runs/\d+", location), location
    return location


def _follow(client: httpx.Client, run_page: str, served: Served) -> str:
    """The run page, reloaded as the browser does while it says running, until it does not."""
    deadline = time.monotonic() + DEADLINE
    while True:
        page = client.get(run_page)
        assert page.status_code == 200, page.text[:500]
        state = STATE.search(page.text)
        if state is None or state.group(1) != RunState.running.value:
            return page.text
        assert time.monotonic() < deadline, f"still running after {DEADLINE}s:\n{served.output()}"
        time.sleep(2)


def _csrf(html: str) -> str:
    found = CSRF.search(html)
    assert found is not None, html[:500]
    return found.group(1)


def _wait_until(
    ready: Callable[[], bool], process: "subprocess.Popen[bytes]", served: Served, what: str
) -> None:
    deadline = time.monotonic() + DEADLINE
    while not ready():
        assert process.poll() is None, f"accord serve stopped:\n{served.output()}"
        assert time.monotonic() < deadline, f"{what} not ready in {DEADLINE}s:\n{served.output()}"
        time.sleep(1)


def _deployments(api: str) -> int:
    try:
        return len(httpx.post(f"{api}/deployments/filter", json={"limit": 50}, timeout=5).json())
    except (httpx.HTTPError, ValueError):
        return 0


def _scheduled(api: str) -> int:
    body = {"flow_runs": {"state": {"type": {"any_": ["SCHEDULED"]}}}, "limit": 50}
    try:
        return len(httpx.post(f"{api}/flow_runs/filter", json=body, timeout=5).json())
    except (httpx.HTTPError, ValueError):
        return 0


def _healthy(url: str) -> bool:
    try:
        return httpx.get(url, timeout=2).status_code == 200
    except httpx.HTTPError:
        return False
