"""The warm command servers of a data folder (see `accord.launch`): recorded there, so that
`accord server status|stop` and the tests find and stop them like the Prefect server."""

import json
import os
import signal
import time
from contextlib import suppress
from dataclasses import asdict, dataclass
from pathlib import Path

from accord.settings import Settings

MARK = "accord.launch.warm_server"
"""On a command server's command line: a recorded pid is only ever signalled when it is one."""


@dataclass(frozen=True)
class CommandServer:
    pid: int
    socket: str


def _folder(settings: Settings) -> Path:
    return settings.data_dir.resolve() / "command-servers"


def record(settings: Settings, server: CommandServer) -> Path:
    folder = _folder(settings)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{server.pid}.json"
    path.write_text(json.dumps(asdict(server)), encoding="utf-8")
    return path


def running(settings: Settings) -> list[CommandServer]:
    """The recorded servers still alive; records of dead ones are removed."""
    found = []
    for path in sorted(_folder(settings).glob("*.json")):
        try:
            server = CommandServer(**json.loads(path.read_text(encoding="utf-8")))
        except (OSError, ValueError, TypeError):
            path.unlink(missing_ok=True)
            continue
        if is_command_server(server.pid):
            found.append(server)
        else:
            path.unlink(missing_ok=True)
    return found


def stop_all(settings: Settings) -> list[CommandServer]:
    """SIGTERM to each (a command it is running finishes); SIGKILL after 10 s."""
    servers = running(settings)
    for server in servers:
        with suppress(ProcessLookupError):
            os.kill(server.pid, signal.SIGTERM)
    deadline = time.monotonic() + 10
    for server in servers:
        while is_command_server(server.pid) and time.monotonic() < deadline:
            time.sleep(0.05)
        if is_command_server(server.pid):
            with suppress(ProcessLookupError):
                os.kill(server.pid, signal.SIGKILL)
        (_folder(settings) / f"{server.pid}.json").unlink(missing_ok=True)
    return servers


def is_command_server(pid: int) -> bool:
    with suppress(ChildProcessError):
        os.waitpid(pid, os.WNOHANG)  # reaps it when it was our child and has exited
    try:
        status = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        command = Path(f"/proc/{pid}/cmdline").read_bytes()
    except (OSError, IndexError):
        return False
    return status != "Z" and MARK.encode() in command
