"""The real thing: a Prefect server, `prefect deploy --all`, a worker, the reminders deployment
run by `prefect deployment run`, and the cron schedule producing runs on the server."""

import re
import time
from datetime import UTC, date, datetime, timedelta
from email import policy
from email.parser import BytesParser
from pathlib import Path

import httpx
import pytest
from sqlmodel import Session, select

from accord.db import get_engine, upgrade_schema
from models import TrackedCommitment
from tests.conftest import POSTGRES_URL, REQUIRE_POSTGRES, _postgres_unavailable
from tests.deploy.live_prefect import LivePrefect, live_prefect
from tests.review_world import bring_into_force, make_world

pytestmark = pytest.mark.deployment
NOW = datetime(2027, 1, 11, 9, 0, tzinfo=UTC)


def _postgres() -> str:
    reason = _postgres_unavailable()
    if reason and REQUIRE_POSTGRES:
        pytest.fail(f"PostgreSQL is required here: {reason}")
    return "" if reason else POSTGRES_URL


def _wait_for(live: LivePrefect, flow_run_id: str, timeout: float = 240) -> str:
    deadline = time.monotonic() + timeout
    state = ""
    while time.monotonic() < deadline:
        state = httpx.get(f"{live.api_url}/flow_runs/{flow_run_id}").json()["state"]["type"]
        if state in {"COMPLETED", "FAILED", "CRASHED", "CANCELLED"}:
            return str(state)
        time.sleep(1)
    worker_log = (live.logs / "worker.log").read_text(errors="replace")[-4000:]
    raise AssertionError(f"flow run still {state} after {timeout}s; worker log:\n{worker_log}")


def _scheduled_runs(live: LivePrefect, deployment: str) -> int:
    found = httpx.post(
        f"{live.api_url}/deployments/filter",
        json={"deployments": {"name": {"any_": [deployment]}}, "limit": 5},
    ).json()
    body = {
        "deployments": {"id": {"any_": [d["id"] for d in found]}},
        "flow_runs": {"state": {"type": {"any_": ["SCHEDULED"]}}},
        "limit": 50,
    }
    return len(httpx.post(f"{live.api_url}/flow_runs/filter", json=body).json())


def test_reminders_deployment_runs_on_a_worker(tmp_path: Path, database_url: str) -> None:
    started = time.monotonic()
    world = make_world(tmp_path, get_engine(database_url))
    upgrade_schema(database_url)
    bring_into_force(world, NOW)
    with Session(world.engine) as session:
        first_due = min(t.due for t in session.exec(select(TrackedCommitment)))
    as_of: date = first_due - timedelta(days=1)
    accord_env = {
        "ACCORD_DATABASE_URL": database_url,
        "ACCORD_DATA_DIR": str(tmp_path / "data"),
        "ACCORD_OUTPUT_DIR": str(world.store.root),
    }
    with live_prefect(tmp_path, accord_env, postgres_url=_postgres()) as live:
        output = live.run(
            "deployment", "run", "send-reminders/daily", "--param", f"as_of={as_of.isoformat()}"
        )
        flow_run_id = re.search(r"UUID:\s*([0-9a-f-]{36})", output)
        assert flow_run_id, output
        assert _wait_for(live, flow_run_id.group(1)) == "COMPLETED"
        deadline = time.monotonic() + 90
        while _scheduled_runs(live, "daily") == 0 and time.monotonic() < deadline:
            time.sleep(2)
        assert _scheduled_runs(live, "daily") > 0, "the cron schedule produced no runs"
    digests = [
        BytesParser(policy=policy.default).parsebytes(f.read_bytes())
        for f in (tmp_path / "data" / "outbox").glob("*.eml")
    ]
    keys = [str(m["X-Accord-Idempotency-Key"]) for m in digests]
    assert any(k.startswith("focal_digest:") and k.endswith(as_of.isoformat()) for k in keys)
    print(f"deploy_run_wall_s: {time.monotonic() - started:.1f} s")
