"""Accord's background Prefect server, for real: started by the first flow command, reused by
the next, replaced when it crashed, and stopped by `accord server stop`."""

import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from accord.cli import command_servers
from accord.cli.prefect_server import stop_server
from accord.cli.server_state import read_record
from accord.settings import PROJECT_ROOT, Settings
from tests.conftest import free_ports

pytestmark = pytest.mark.prefect

MOU = PROJECT_ROOT / "agreements" / "kz-referral-mou.yaml"


@pytest.fixture
def home(tmp_path: Path) -> Iterator[dict[str, str]]:
    """A command environment of its own; its server is stopped even when the test fails."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PREFECT_", "ACCORD_"))}
    env.update(
        {
            "ACCORD_DATA_DIR": str(tmp_path / "data"),
            "ACCORD_OUTPUT_DIR": str(tmp_path / "output"),
            "ACCORD_PREFECT_PORT": str(free_ports(1)[0]),
            "ACCORD_PDF_DOCUMENTS": "false",
        }
    )
    yield env
    stop_server(Settings(data_dir=tmp_path / "data"))  # the session also checks none is left


def accord(env: dict[str, str], *args: str, ok: bool = True) -> subprocess.CompletedProcess[str]:
    """The command as a person runs it; it must succeed unless `ok` is False."""
    done = subprocess.run(
        [str(Path(sys.executable).with_name("accord")), *args],
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    assert (done.returncode == 0) is ok, done.stdout + done.stderr
    return done


def test_started_once_reused_replaced_when_crashed_and_stopped(
    home: dict[str, str], tmp_path: Path
) -> None:
    state = tmp_path / "data" / "prefect-server.json"
    assert "not running" in accord(home, "server", "status").stdout

    first = accord(home, "draft", str(MOU))
    assert "starting Accord's background Prefect server" in first.stderr
    assert "kz-referral-mou: new version 1" in first.stdout
    record = read_record(state)
    assert record is not None and record.port == int(home["ACCORD_PREFECT_PORT"])
    assert record.data_folder == str((tmp_path / "data" / "prefect-home").resolve())

    again = accord(home, "draft", str(MOU))
    assert "unchanged, still version 1" in again.stdout
    assert "Prefect server" not in again.stderr
    assert read_record(state) == record
    assert f"running: http://127.0.0.1:{record.port}" in accord(home, "server", "status").stdout

    os.killpg(record.pid, signal.SIGKILL)
    assert "stale (crashed)" in accord(home, "server", "status").stdout
    with ThreadPoolExecutor(2) as pool:  # two commands at once start one server
        both = list(pool.map(lambda _: accord(home, "server", "start"), range(2)))
    said = "".join(done.stderr for done in both)
    assert said.count("replacing the background Prefect server") == 1
    assert said.count("starting Accord's background Prefect server") == 1
    assert "it is no longer running" in said
    second = read_record(state)
    assert second is not None and second.pid != record.pid
    assert all(f"running: http://127.0.0.1:{second.port}" in done.stdout for done in both)

    assert f"stopped: http://127.0.0.1:{second.port}" in accord(home, "server", "stop").stdout
    assert read_record(state) is None
    assert "not running" in accord(home, "server", "status").stdout
    assert _gone(second.pid)


def _gone(pid: int) -> bool:
    """No such process, or only its exit status left for a parent to collect: a detached
    server's parent is the machine's init, which in a container may collect it late."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return True
    return stat.rsplit(")", 1)[1].split()[0] == "Z"


def test_flow_commands_run_in_a_command_server_that_stops_with_the_server(
    home: dict[str, str], tmp_path: Path
) -> None:
    """The first flow command leaves a command server; the next ones run in a child of it,
    with their own output, status and environment; `accord server stop` ends it."""
    records = tmp_path / "data" / "command-servers"
    first = accord(home, "draft", str(MOU))
    assert "kz-referral-mou: new version 1" in first.stdout
    (server,) = command_servers.running(Settings(data_dir=tmp_path / "data"))
    assert f"command server: pid {server.pid}" in accord(home, "server", "status").stdout

    again = accord(home, "draft", "--actor", "a.officer", str(MOU))
    assert "unchanged, still version 1" in again.stdout
    assert [p.name for p in records.glob("*.json")] == [f"{server.pid}.json"]

    broken = tmp_path / "broken.yaml"
    broken.write_text(MOU.read_text(encoding="utf-8").replace("kind: mou", "kind: treaty"))
    failed = accord(home, "draft", str(broken), ok=False)
    assert failed.returncode == 1, failed.stdout + failed.stderr
    assert f"{broken}:" in failed.stderr and "nothing was written" in failed.stderr

    elsewhere = {**home, "ACCORD_OUTPUT_DIR": str(tmp_path / "other-output")}
    moved = accord(elsewhere, "draft", str(MOU))  # another setting: another server
    assert str(tmp_path / "other-output") in moved.stdout
    assert len(command_servers.running(Settings(data_dir=tmp_path / "data"))) == 2

    alone = accord({**home, "ACCORD_COMMAND_SERVER": "off"}, "draft", str(MOU))
    assert "unchanged, still version 1" in alone.stdout
    assert len(command_servers.running(Settings(data_dir=tmp_path / "data"))) == 2

    stopped = accord(home, "server", "stop").stdout
    assert f"stopped: command server (pid {server.pid})" in stopped
    assert _gone(server.pid) and not Path(server.socket).exists()
    assert command_servers.running(Settings(data_dir=tmp_path / "data")) == []
