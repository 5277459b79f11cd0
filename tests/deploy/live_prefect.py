"""A real Prefect server, work pool, worker and `prefect deploy` of the project's prefect.yaml,
started for a test or benchmark on 127.0.0.1 with their own PREFECT_HOME."""

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import httpx
from sqlalchemy import text
from sqlalchemy.engine import make_url

from accord.db import make_engine
from accord.settings import PROJECT_ROOT

BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class LivePrefect:
    env: dict[str, str]
    api_url: str
    processes: list[subprocess.Popen[bytes]] = field(default_factory=list)
    logs: Path = Path()

    def run(self, *args: str, timeout: float = 180) -> str:
        """A `prefect` command against this server; fails loudly with its output."""
        done = subprocess.run(
            [str(BIN / "prefect"), *args],
            cwd=PROJECT_ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
        if done.returncode != 0:
            raise AssertionError(f"prefect {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
        return done.stdout

    def start(self, name: str, *args: str) -> subprocess.Popen[bytes]:
        log = (self.logs / f"{name}.log").open("wb")
        process = subprocess.Popen(
            [str(BIN / "prefect"), *args],
            cwd=PROJECT_ROOT,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.processes.append(process)
        return process


def _create_database(admin_url: str, prefix: str) -> str:
    name = f"{prefix}_{uuid.uuid4().hex[:8]}"
    admin = make_engine(admin_url).execution_options(isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return name


def _drop_database(admin_url: str, name: str) -> None:
    admin = make_engine(admin_url).execution_options(isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@contextmanager
def live_prefect(
    workdir: Path, accord_env: dict[str, str], postgres_url: str = ""
) -> Iterator[LivePrefect]:
    """Server (PostgreSQL-backed when a URL is given), pool `accord`, deploy --all, one worker."""
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")}
    env.update(accord_env)
    env.update(
        {
            "PREFECT_HOME": str(workdir / "prefect-home"),
            "PREFECT_API_URL": f"http://127.0.0.1:{port}/api",
            "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
            "PREFECT_WORKER_QUERY_SECONDS": "1",
            "PREFECT_WORKER_PREFETCH_SECONDS": "1",
            "PREFECT_SERVER_SERVICES_SCHEDULER_LOOP_SECONDS": "5",
            "ACCORD_HOME": str(PROJECT_ROOT),
        }
    )
    database = ""
    if postgres_url:
        database = _create_database(postgres_url, "prefect_test")
        url = make_url(postgres_url).set(drivername="postgresql+asyncpg", database=database)
        env["PREFECT_API_DATABASE_CONNECTION_URL"] = url.render_as_string(hide_password=False)
    live = LivePrefect(env=env, api_url=env["PREFECT_API_URL"], logs=workdir)
    try:
        live.start("server", "server", "start", "--host", "127.0.0.1", "--port", str(port))
        _wait_healthy(live)
        live.run("work-pool", "create", "accord", "--type", "process")
        live.run("--no-prompt", "deploy", "--all")
        live.start("worker", "worker", "start", "--pool", "accord", "--limit", "2")
        yield live
    finally:
        for process in reversed(live.processes):
            _stop(process)
        if database:
            _drop_database(postgres_url, database)
        shutil.rmtree(workdir / "prefect-home", ignore_errors=True)


def _wait_healthy(live: LivePrefect, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{live.api_url}/health", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        if live.processes[0].poll() is not None:
            break
        time.sleep(0.5)
    log = (live.logs / "server.log").read_text(errors="replace")[-3000:]
    raise AssertionError(f"the Prefect server did not become healthy:\n{log}")


def _stop(process: subprocess.Popen[bytes]) -> None:
    """SIGINT, then SIGKILL: workers sometimes ignore the first for half a minute."""
    if process.poll() is not None:
        return
    os.killpg(process.pid, signal.SIGINT)
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)
