"""The `accord` program: a command that runs a flow is handed to a warm command server.

Importing Prefect and settling its settings cost more than drafting an unchanged agreement,
and every `accord draft`, `review start` or `remind` paid for it again. A command server
(`warm_server`) keeps all of that loaded and forks a child per command, which inherits it;
this client only connects, hands over its standard streams, arguments, environment and
folder, forwards Ctrl-C, and exits with the child's status. The first such command starts
the server (it stays until idle for a while, `accord server stop`, or the code changes);
where no server can be used the command simply runs in this process. Every other command
runs here as before: they do not load Prefect. `ACCORD_COMMAND_SERVER=off` runs every
command in its own process.
"""

import contextlib
import os
import signal
import socket
import sys
import time
from pathlib import Path

from accord.launch import wire
from accord.launch.address import (
    SOCKET_PATH_LIMIT,
    code_stamp,
    fingerprint,
    socket_path,
    usable_runtime_folder,
)

FLOW_COMMANDS = frozenset(
    {
        ("draft",),
        ("remind",),
        ("report",),
        ("review", "start"),
        ("review", "tick"),
        ("sign", "start"),
    }
)
"""The commands that run a Prefect flow (`accord.cli.runtime.run_flow`)."""
PROJECT = Path(__file__).resolve().parents[2]
FORWARDED = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP, signal.SIGQUIT)


def main() -> None:
    args = sys.argv[1:]
    connection = _server_for() if runs_a_flow(args) else None
    if connection is None:
        _in_this_process()
        return
    with connection:
        status = _run_there(connection, args)
    if status is None:
        _in_this_process()  # the server closed before taking the command: nothing ran
        return
    sys.exit(status)


def runs_a_flow(args: list[str]) -> bool:
    words = tuple(a for a in args if not a.startswith("-"))
    return words[:1] in FLOW_COMMANDS or words[:2] in FLOW_COMMANDS


def _in_this_process() -> None:
    from accord.cli import main as run_command

    run_command()


def _server_for() -> socket.socket | None:
    if os.environ.get("ACCORD_COMMAND_SERVER", "").lower() in {"off", "0", "false", "no"}:
        return None
    if not hasattr(os, "fork") or not hasattr(socket, "send_fds"):
        return None  # not a POSIX system: every command runs in its own process
    try:
        cwd = os.getcwd()
    except OSError:
        return None
    executable = os.path.realpath(sys.executable)
    path = socket_path(fingerprint(os.environ, cwd, executable, code_stamp(PROJECT)))
    if len(str(path)) > SOCKET_PATH_LIMIT or not usable_runtime_folder(path.parent):
        return None
    return _connect(path) or _start(path)


def _connect(path: Path) -> socket.socket | None:
    connection = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        connection.connect(str(path))
    except OSError:
        connection.close()
        return None
    return connection


def _start(path: Path) -> socket.socket | None:
    """Start the server for this fingerprint (one command at a time) and connect to it.

    Its start-up lines (Prefect's server being started, say) reach this terminal; if it
    cannot start, the command runs here and says why itself.
    """
    import fcntl
    import subprocess

    with path.with_suffix(".lock").open("a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        connection = _connect(path)
        if connection is not None:
            return connection
        server = subprocess.Popen(
            [sys.executable, "-m", "accord.launch.warm_server", str(path)],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            start_new_session=True,  # it outlives this command, by design
        )
        while server.poll() is None:
            connection = _connect(path)
            if connection is not None:
                return connection
            time.sleep(0.05)
        return None


def _run_there(connection: socket.socket, args: list[str]) -> int | None:
    """The child's exit status; None when the command was never started there."""
    umask = os.umask(0o022)
    os.umask(umask)
    request = wire.Request(
        argv=["accord", *args], env=dict(os.environ), cwd=os.getcwd(), umask=umask
    )
    try:
        wire.send_request(connection, request, _streams())
    except OSError:
        return None
    started = wire.receive_reply(connection)
    if started is None or started[0] != wire.PID:
        return None
    child = started[1]
    for number in FORWARDED:
        signal.signal(number, lambda received, _frame: _forward(child, received))
    ended = wire.receive_reply(connection)
    if ended is None or ended[0] != wire.EXIT:
        print(f"accord: the command's process ({child}) ended without a status", file=sys.stderr)
        return 1
    return ended[1]


def _forward(child: int, received: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.kill(child, received)


def _streams() -> list[int]:
    """Standard input, output and error; /dev/null for one this process was started without."""
    streams = []
    for number, mode in ((0, os.O_RDONLY), (1, os.O_WRONLY), (2, os.O_WRONLY)):
        try:
            os.fstat(number)
            streams.append(number)
        except OSError:
            streams.append(os.open(os.devnull, mode))
    return streams
