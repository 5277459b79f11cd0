"""A deployed reminders run against Prefect's own floor, and what importing the flows costs.

Prints
- `deploy_run_wall_s`: server start → `prefect deploy --all` → worker → first reminders run done;
- `reminders_deployment_run_s` and `floor_deployment_run_s`: trigger (the run created) to
  completed, from the server's own timestamps, the median of RUNS runs of each, alternated on
  the same pool and the same worker: Accord's `send-reminders/daily` and a flow that does
  nothing (`bench/floor.yaml`);
- `deployment_overhead_vs_prefect_floor`: the first over the second (goal ≤ 1.5);
- `import_s[...]`: each flow entry module (`flows/*.py`) imported in a fresh interpreter
  (`python -X importtime`, median of three), and `prefect` alone for comparison.
"""

import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import httpx
from sqlmodel import Session, select

from accord.db import get_engine, upgrade_schema
from accord.settings import PROJECT_ROOT
from models import TrackedCommitment
from tests.deploy.live_prefect import LivePrefect, live_prefect
from tests.deploy.test_live_deployment import _wait_for
from tests.review_world import bring_into_force, make_world

# The reminders are measured, not PDF conversion: no LibreOffice converter (as in the tests).
os.environ.setdefault("ACCORD_PDF_DOCUMENTS", "false")
NOW = datetime(2027, 1, 11, 9, 0, tzinfo=UTC)
RUNS = 3
GOAL = 1.5
ENTRY_MODULES = sorted(
    f"flows.{p.stem}" for p in (PROJECT_ROOT / "flows").glob("*.py") if p.stem != "__init__"
)


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
            live.run("--no-prompt", "deploy", "--all", "--prefect-file", "bench/floor.yaml")
            reminders: list[float] = []
            floor: list[float] = []
            for number in range(1, RUNS + 1):
                # Each run a day earlier: new digests every time, as on a real morning.
                as_of = first_due - timedelta(days=number)
                reminders.append(_deployed_run(live, "send-reminders/daily", as_of=as_of))
                if number == 1:
                    wall = time.monotonic() - started
                floor.append(_deployed_run(live, "prefect-floor/floor"))
    reminders_s, floor_s = statistics.median(reminders), statistics.median(floor)
    print(f"deploy_run_wall_s: {wall:.1f} s")
    print(f"reminders_deployment_run_s: {reminders_s:.2f} s")
    print(f"floor_deployment_run_s: {floor_s:.2f} s")
    print(f"deployment_overhead_vs_prefect_floor: {reminders_s / floor_s:.2f} x (goal ≤ {GOAL})")
    for module in ["prefect", *ENTRY_MODULES]:
        print(f"import_s[{module}]: {_import_seconds(module):.2f} s")


def _deployed_run(live: LivePrefect, deployment: str, as_of: date | None = None) -> float:
    """Seconds from the run's creation to its end, as the server recorded them."""
    params = ["--param", f"as_of={as_of.isoformat()}"] if as_of else []
    out = live.run("deployment", "run", deployment, *params)
    match = re.search(r"UUID:\s*([0-9a-f-]{36})", out)
    assert match, out
    assert _wait_for(live, match.group(1)) == "COMPLETED"
    run = httpx.get(f"{live.api_url}/flow_runs/{match.group(1)}", timeout=10).json()
    created = datetime.fromisoformat(run["created"])
    ended = datetime.fromisoformat(run["end_time"])
    return (ended - created).total_seconds()


def _import_seconds(module: str, repeat: int = 3) -> float:
    """Cumulative import time of `module` in a fresh interpreter (median of `repeat`)."""
    times = []
    for _ in range(repeat):
        done = subprocess.run(
            [sys.executable, "-X", "importtime", "-c", f"import {module}"],
            cwd=PROJECT_ROOT,
            capture_output=True,
            text=True,
            check=True,
        )
        line = next(
            ln for ln in done.stderr.splitlines() if re.search(rf"\|\s+{re.escape(module)}$", ln)
        )
        times.append(int(line.split("|")[1]) / 1e6)
    return statistics.median(times)


if __name__ == "__main__":
    main()
