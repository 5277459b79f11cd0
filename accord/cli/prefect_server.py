"""Accord's background Prefect server: started by the first command that runs a flow, left
running for the next ones (like a build daemon), replaced when it went stale.

Without it every such command would pay for a temporary Prefect server of its own (seconds
on a loaded machine). It runs detached, with its own data folder in the data directory, and
is recorded in `<data_dir>/prefect-server.json` (see `server_state`).
"""

import fcntl
import importlib.metadata
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

import typer

from accord.cli import command_servers
from accord.cli.server_state import (
    STATE_FILE,
    Answer,
    Observation,
    ServerRecord,
    Verdict,
    judge,
    read_record,
    stale_line,
    write_record,
)
from accord.errors import AccordError
from accord.settings import Settings

START_TIMEOUT_S = 600.0
"""A first start migrates Prefect's database; on a loaded 2-core machine that takes minutes."""


def installed_version() -> str:
    return importlib.metadata.version("prefect")


def state_path(settings: Settings) -> Path:
    return settings.data_dir.resolve() / STATE_FILE


def prefect_home(settings: Settings) -> Path:
    """The server's own data folder (its SQLite database and profile)."""
    return settings.data_dir.resolve() / "prefect-home"


def log_path(settings: Settings) -> Path:
    return settings.data_dir.resolve() / "prefect-server.log"


def ensure_server(settings: Settings, *, timeout: float = START_TIMEOUT_S) -> str:
    """The API URL of a healthy background server: the recorded one, or a new one."""
    with _lock(settings):
        record = read_record(state_path(settings))
        if record is not None:
            verdict = judge(record, observe(record), installed_version=installed_version())
            if verdict is Verdict.USE:
                return record.api_url
            if verdict is Verdict.WAIT:
                _wait_until_healthy(record, settings, timeout=timeout)
                return record.api_url
            typer.echo(stale_line(record, verdict, installed_version=installed_version()), err=True)
            _discard(record, settings)
        return _start(settings, timeout=timeout).api_url


def server_status(settings: Settings) -> tuple[ServerRecord | None, Verdict | None]:
    """The recorded server and what it is now (None, None when nothing is recorded)."""
    record = read_record(state_path(settings))
    if record is None:
        return None, None
    return record, judge(record, observe(record), installed_version=installed_version())


def stop_server(settings: Settings) -> ServerRecord | None:
    """Stop the background server (if any) and forget it; `accord serve`'s stops with it.

    The data folder's command servers stop first: they settled on this server."""
    command_servers.stop_all(settings)
    with _lock(settings):
        record = read_record(state_path(settings))
        if record is None:
            return None
        if record.owner == "serve" and _alive(record.pid):
            raise AccordError(
                f"the Prefect server at {record.api_url} belongs to `accord serve` "
                f"(pid {record.pid}); it stops when `accord serve` stops"
            )
        _discard(record, settings)
        return record


@contextmanager
def recorded_for_serve(settings: Settings, pid: int, port: int) -> Iterator[None]:
    """While `accord serve` runs its own server, commands use that one; forgotten after."""
    record = ServerRecord(
        pid=pid,
        port=port,
        prefect_version=installed_version(),
        data_folder=os.environ.get("PREFECT_HOME", ""),
        owner="serve",
    )
    write_record(state_path(settings), record)
    try:
        yield
    finally:
        if read_record(state_path(settings)) == record:
            state_path(settings).unlink(missing_ok=True)


def observe(record: ServerRecord) -> Observation:
    import httpx

    alive = _alive(record.pid)
    try:
        response = httpx.get(f"{record.api_url}/admin/version", timeout=3)
    except httpx.HTTPError:
        return Observation(alive, Answer.NOTHING)
    if response.status_code != 200:
        return Observation(alive, Answer.OTHER)
    try:
        version = response.json()
    except ValueError:
        return Observation(alive, Answer.OTHER)
    if not isinstance(version, str):
        return Observation(alive, Answer.OTHER)
    return Observation(alive, Answer.PREFECT, version)


def _start(settings: Settings, *, timeout: float) -> ServerRecord:
    port = settings.prefect_port if _port_free(settings.prefect_port) else _free_port()
    home = prefect_home(settings)
    home.mkdir(parents=True, exist_ok=True)
    env = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"}
    env.update({"PREFECT_HOME": str(home), "PREFECT_SERVER_ANALYTICS_ENABLED": "false"})
    command = [
        str(Path(sys.executable).with_name("prefect")),
        *("server", "start", "--host", "127.0.0.1", "--port", str(port)),
    ]
    with log_path(settings).open("ab") as log:
        process = subprocess.Popen(
            command,
            env=env,
            cwd=home,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # detached: it outlives this command, by design
        )
    record = ServerRecord(process.pid, port, installed_version(), str(home))
    write_record(state_path(settings), record)
    typer.echo(
        f"accord: starting Accord's background Prefect server on 127.0.0.1:{port} "
        f"(data: {home}); later commands reuse it, `accord server stop` stops it",
        err=True,
    )
    try:
        _wait_until_healthy(record, settings, timeout=timeout)
    except BaseException:
        _discard(record, settings)
        raise
    return record


def _wait_until_healthy(record: ServerRecord, settings: Settings, *, timeout: float) -> None:
    """Poll /api/health; say what we wait for when it takes long (first start, busy machine)."""
    import httpx

    started = time.monotonic()
    next_note = 15.0
    while (waited := time.monotonic() - started) < timeout:
        if not _alive(record.pid):
            raise AccordError(
                f"the background Prefect server stopped while starting; see {log_path(settings)}"
            )
        try:
            if httpx.get(f"{record.api_url}/health", timeout=3).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        if waited >= next_note:
            typer.echo(
                f"accord: waiting for the Prefect server at {record.api_url}/health to answer "
                f"({waited:.0f} s of at most {timeout:.0f} s; its log: {log_path(settings)})",
                err=True,
            )
            next_note += 15.0
        time.sleep(0.25)
    raise AccordError(
        f"the background Prefect server did not answer within {timeout:.0f} s; "
        f"see {log_path(settings)}"
    )


def _discard(record: ServerRecord, settings: Settings) -> None:
    """Stop the recorded process when it is still ours, and forget it."""
    if _alive(record.pid):
        _terminate(record.pid)
    state_path(settings).unlink(missing_ok=True)


def _terminate(pid: int) -> None:
    """SIGINT to its process group first (uvicorn shuts down cleanly); SIGKILL after 20 s."""
    for sig, grace in ((signal.SIGINT, 20.0), (signal.SIGKILL, 10.0)):
        try:
            os.killpg(pid, sig)
        except ProcessLookupError:
            return
        deadline = time.monotonic() + grace
        while time.monotonic() < deadline:
            if not _alive(pid):
                return
            time.sleep(0.1)


def _alive(pid: int) -> bool:
    """A running process of that pid that is a Prefect server (pids are reused)."""
    with suppress(ChildProcessError):
        os.waitpid(pid, os.WNOHANG)  # reaps it when it was our own child and has exited
    proc = Path(f"/proc/{pid}")
    if proc.exists():
        try:
            state = (proc / "stat").read_text().rsplit(")", 1)[1].split()[0]
            cmdline = (proc / "cmdline").read_bytes()
        except (OSError, IndexError):
            return False
        return state != "Z" and b"prefect" in cmdline and b"server" in cmdline
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return sys.platform != "linux"


def _port_free(port: int) -> bool:
    """Free as a server would bind it (SO_REUSEADDR: a just-closed port is free)."""
    with socket.socket() as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
        return True


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def _lock(settings: Settings) -> Iterator[None]:
    """One command at a time decides about the server: two never start two."""
    path = settings.data_dir.resolve() / "prefect-server.lock"
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            typer.echo(
                "accord: waiting for another accord command that is starting or stopping the "
                "background Prefect server …",
                err=True,
            )
            fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
