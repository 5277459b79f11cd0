"""A command server: Accord, its flows and Prefect loaded once, one forked child per command.

Started by the first command that runs a flow (`accord.launch.command`) as
`python -m accord.launch.warm_server SOCKET`, with that command's environment and folder. It
settles Prefect's settings (heartbeats off, the background server or the configured one)
before it listens, so a child starts with everything a flow needs. It leaves on SIGTERM
(`accord server stop`), after `IDLE_S` without a command, when its code changes on disk, or
when another server took its socket. The server itself never opens the database or starts a
thread: a fork copies only the thread that forks, and a SQLite connection must not cross it.
"""

import atexit
import contextlib
import importlib
import os
import selectors
import signal
import socket
import sys
import threading
import time
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING

from accord.launch import wire

if TYPE_CHECKING:
    from accord.settings import Settings
from accord.launch.address import code_stamp

IDLE_S = 15 * 60
CHECK_EVERY_S = 5.0
PRELOADED = (
    "accord.cli",
    "flows.drafting",
    "flows.review",
    "flows.signoff",
    "flows.commitments",
    # what a flow run imports on its way (a draft of an unchanged agreement, listed from
    # sys.modules): each one left out costs every command its import again
    "prefect.flow_engine",
    "prefect.task_engine",
    "prefect.logging.handlers",
    "prefect.events.worker",
    "prefect.client.orchestration",
    "prefect.utilities.visualization",
    "fastapi",
    "fastapi.encoders",
    "anyio._backends._asyncio",
    "opentelemetry.metrics",
    "opentelemetry._logs",
    "pydantic.color",
    "http.cookies",
    "sqlite3",
    "sqlalchemy.dialects.sqlite",
    "sqlalchemy.dialects.postgresql.psycopg",
    "typer._adapters",
    "encodings.utf_8_sig",
    "encodings.unicode_escape",
)
"""What a flow command imports, at once or on its way."""
PROJECT = Path(__file__).resolve().parents[2]


def main(path: Path) -> int:
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
    stamp = code_stamp(PROJECT)
    for module in PRELOADED:
        importlib.import_module(module)
    try:
        settings = _settle()
    except Exception:
        return 3  # the command runs in its own process and says what is wrong
    if threading.active_count() != 1:
        print("accord: a thread is running; commands run in their own process", file=sys.stderr)
        return 3
    listener = _listen(path)
    from accord.cli import command_servers

    record = command_servers.record(settings, command_servers.CommandServer(os.getpid(), str(path)))
    _quiet(settings.data_dir.resolve() / "command-server.log")
    signal.signal(signal.SIGTERM, _leave)
    try:
        _serve(listener, path, stamp)
    finally:
        listener.close()
        with contextlib.suppress(OSError):
            if os.stat(path).st_ino == _inode:
                path.unlink()
        record.unlink(missing_ok=True)
    return 0


def _settle() -> "Settings":
    """Prefect's settings for every child, and the Accord settings they share."""
    from accord.cli.runtime import prefect_api
    from accord.settings import get_settings

    prefect_api()
    return get_settings()


_inode = 0


def _listen(path: Path) -> socket.socket:
    """Bound under a temporary name, then renamed into place: a client never meets a socket
    that does not accept yet, and a stale one left by a crash is replaced."""
    global _inode
    temporary = path.with_name(f".{path.name}.{os.getpid()}")
    temporary.unlink(missing_ok=True)
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(str(temporary))
    listener.listen(64)
    os.rename(temporary, path)
    _inode = os.stat(path).st_ino
    return listener


def _quiet(log: Path) -> None:
    """From here on the server's own output goes to its log, not to the first terminal."""
    sys.stdout.flush()
    sys.stderr.flush()
    null = os.open(os.devnull, os.O_RDONLY)
    written = os.open(log, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    os.dup2(null, 0)
    os.dup2(written, 1)
    os.dup2(written, 2)
    os.close(null)
    os.close(written)


def _leave(_number: int, _frame: FrameType | None) -> None:
    raise SystemExit(0)


def _serve(listener: socket.socket, path: Path, stamp: str) -> None:
    selector = selectors.DefaultSelector()
    selector.register(listener, selectors.EVENT_READ)
    last_command = time.monotonic()
    while True:
        ready = selector.select(timeout=CHECK_EVERY_S)
        _reap()
        if ready:
            connection, _ = listener.accept()
            last_command = time.monotonic()
            if os.fork() == 0:
                selector.close()
                listener.close()
                _child(connection)  # never returns
            connection.close()
            continue
        if time.monotonic() - last_command > IDLE_S or code_stamp(PROJECT) != stamp:
            return
        try:
            if os.stat(path).st_ino != _inode:
                return  # another server took the socket's name
        except OSError:
            return


def _reap() -> None:
    with contextlib.suppress(ChildProcessError):
        while os.waitpid(-1, os.WNOHANG)[0]:
            pass


def _child(connection: socket.socket) -> None:
    """Become the command: its streams, folder, environment and arguments; report its end."""
    code = 1
    try:
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        request, streams = wire.receive_request(connection)
        for target, stream in zip((0, 1, 2), streams, strict=True):
            os.dup2(stream, target)
            os.close(stream)
        os.chdir(request.cwd)
        os.umask(request.umask)
        os.environ.clear()
        os.environ.update(request.env)
        sys.argv = request.argv
        for text in (sys.stdout, sys.stderr):
            text.reconfigure(line_buffering=text.isatty())  # type: ignore[union-attr]
        wire.send_reply(connection, wire.PID, os.getpid())
        code = _run()
    finally:
        atexit._run_exitfuncs()  # Prefect's log and event workers send what they hold
        with contextlib.suppress(Exception):
            sys.stdout.flush()
            sys.stderr.flush()
        with contextlib.suppress(OSError):
            wire.send_reply(connection, wire.EXIT, code)
        os._exit(code)


def _run() -> int:
    from accord.cli import main as run_command

    try:
        run_command()
    except SystemExit as leaving:
        if leaving.code is None or isinstance(leaving.code, int):
            return leaving.code or 0
        print(leaving.code, file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1])))
