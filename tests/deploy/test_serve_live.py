"""`accord serve` on one machine: portal up, prefect.yaml's cron schedules producing runs, and
everything gone again after SIGTERM (as systemd stops it)."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from accord.settings import PROJECT_ROOT
from tests.deploy.live_prefect import free_port

pytestmark = pytest.mark.deployment


def _scheduled(api: str) -> int:
    body = {"flow_runs": {"state": {"type": {"any_": ["SCHEDULED"]}}}, "limit": 50}
    try:
        return len(httpx.post(f"{api}/flow_runs/filter", json=body, timeout=5).json())
    except (httpx.HTTPError, ValueError):
        return 0


def test_serve_runs_portal_and_schedules_then_stops_cleanly(tmp_path: Path) -> None:
    portal, prefect = free_port(), free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PREFECT_", "ACCORD_"))}
    env.update(
        {
            "ACCORD_DATA_DIR": str(tmp_path / "data"),
            "ACCORD_OUTPUT_DIR": str(tmp_path / "output"),
            "ACCORD_PORTAL_PORT": str(portal),
            "ACCORD_PREFECT_PORT": str(prefect),
            "PREFECT_HOME": str(tmp_path / "prefect-home"),
        }
    )
    log = (tmp_path / "serve.log").open("wb")
    process = subprocess.Popen(
        [str(Path(sys.executable).with_name("accord")), "serve"],
        cwd=PROJECT_ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    api = f"http://127.0.0.1:{prefect}/api"
    try:
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline and not (
            _healthy(f"http://127.0.0.1:{portal}/healthz") and _scheduled(api) > 0
        ):
            assert process.poll() is None, (tmp_path / "serve.log").read_text(errors="replace")
            time.sleep(1)
        assert _healthy(f"http://127.0.0.1:{portal}/healthz")
        assert _scheduled(api) > 0, "no scheduled runs: the schedules are not being served"
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=60)
    assert not _healthy(f"{api}/health"), "the Prefect server outlived accord serve"


def _healthy(url: str) -> bool:
    try:
        return httpx.get(url, timeout=2).status_code == 200
    except httpx.HTTPError:
        return False
