"""Deploy-and-run wall time, and a deployment run's overhead against the same flow in-process.

Prints `deploy_run_wall_s` (server start → deploy --all → worker → reminders run completed) and
`deployment_overhead_ratio` (that run's trigger-to-completion time / the in-process call).
"""

import os
import re
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlmodel import Session, select

from accord.db import get_engine, upgrade_schema
from models import TrackedCommitment
from tests.deploy.live_prefect import live_prefect
from tests.deploy.test_live_deployment import _wait_for
from tests.review_world import bring_into_force, make_world

NOW = datetime(2027, 1, 11, 9, 0, tzinfo=UTC)


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        url = f"sqlite:///{work / 'accord.db'}"
        upgrade_schema(url)
        world = make_world(work, get_engine(url))
        bring_into_force(world, NOW)
        with Session(world.engine) as session:
            first_due = min(t.due for t in session.exec(select(TrackedCommitment)))
        env = {
            "ACCORD_DATABASE_URL": url,
            "ACCORD_DATA_DIR": str(work / "data"),
            "ACCORD_OUTPUT_DIR": str(world.store.root),
        }
        started = time.monotonic()
        with live_prefect(work, env) as live:
            triggered = time.monotonic()
            out = live.run(
                "deployment",
                "run",
                "send-reminders/daily",
                "--param",
                f"as_of={(first_due - timedelta(days=1)).isoformat()}",
            )
            match = re.search(r"UUID:\s*([0-9a-f-]{36})", out)
            assert match, out
            assert _wait_for(live, match.group(1)) == "COMPLETED"
            deployed_run = time.monotonic() - triggered
            wall = time.monotonic() - started
            in_process = _in_process(live.env, env, first_due - timedelta(days=2))
    print(f"deploy_run_wall_s: {wall:.1f} s")
    print(f"deployment_run_s: {deployed_run:.2f} s")
    print(f"in_process_run_s: {in_process:.2f} s")
    print(f"deployment_overhead_ratio: {deployed_run / in_process:.1f} x")


def _in_process(prefect_env: dict[str, str], accord_env: dict[str, str], as_of: object) -> float:
    """The same flow called directly, against the same server, heartbeats off as the CLI runs."""
    os.environ.update({k: v for k, v in prefect_env.items() if k.startswith("PREFECT_")})
    os.environ.update(accord_env)
    os.environ["PREFECT_LOGGING_TO_API_ENABLED"] = "false"  # the server stops right after
    from prefect.settings import PREFECT_FLOWS_HEARTBEAT_FREQUENCY, temporary_settings

    from accord.settings import get_settings
    from flows.commitments import send_reminders_flow

    get_settings.cache_clear()
    with temporary_settings(updates={PREFECT_FLOWS_HEARTBEAT_FREQUENCY: None}):
        started = time.monotonic()
        send_reminders_flow(as_of=as_of, actor="bench")  # type: ignore[arg-type]
        return time.monotonic() - started


if __name__ == "__main__":
    main()
