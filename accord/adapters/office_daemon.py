"""The document converter's process: unoserver under LibreOffice's Python, stopping when unused.

`pdf_converter` starts this file with the Python that can import LibreOffice's `uno` module
(Debian's /usr/bin/python3 with python3-uno), not with Accord's own environment, so it uses
only the standard library and unoserver (found in the folder given on the command line).

    office_daemon.py --unoserver-home DIR --pid-file FILE --idle-seconds N [--detach]
                     -- UNOSERVER-ARGUMENTS...

`--detach` forks and returns at once: the converter outlives the command that started it and
is found again by its port. It stops itself after `--idle-seconds` without a request: unoserver
logs every request to stderr (the converter's log file), so that file's modification time says
when it was last used, whichever client, from whichever installation, used it.
"""

import argparse
import atexit
import os
import signal
import sys
import threading
import time
from pathlib import Path


def _arguments(argv: list[str]) -> tuple[argparse.Namespace, list[str]]:
    parser = argparse.ArgumentParser(prog="office_daemon")
    parser.add_argument("--unoserver-home", required=True)
    parser.add_argument("--pid-file", type=Path, required=True)
    parser.add_argument("--idle-seconds", type=float, required=True)
    parser.add_argument("--detach", action="store_true")
    split = argv.index("--") if "--" in argv else len(argv)
    return parser.parse_args(argv[:split]), argv[split + 1 :]


def _detach() -> None:
    """Classic double start: the caller's child returns at once, the converter lives on."""
    if os.fork() > 0:
        os._exit(0)
    os.setsid()


def _write_pid(pid_file: Path) -> None:
    pid_file.parent.mkdir(parents=True, exist_ok=True)
    pid_file.write_text(f"{os.getpid()}\n", encoding="ascii")

    def remove() -> None:
        try:
            if pid_file.read_text(encoding="ascii").strip() == str(os.getpid()):
                pid_file.unlink()
        except OSError:
            pass

    atexit.register(remove)


def _stop_when_unused(idle_seconds: float) -> None:
    """SIGTERM to ourselves: unoserver's own handler then closes LibreOffice cleanly."""
    started = time.time()
    while True:
        time.sleep(max(1.0, min(30.0, idle_seconds / 4)))
        try:
            last_used = max(started, os.fstat(sys.stderr.fileno()).st_mtime)
        except OSError:
            last_used = started
        if time.time() - last_used > idle_seconds:
            os.kill(os.getpid(), signal.SIGTERM)
            return


def main(argv: list[str]) -> int:
    options, unoserver_arguments = _arguments(argv)
    if options.detach:
        _detach()
    sys.path.append(options.unoserver_home)
    from unoserver import server  # after the path: it lives in Accord's environment

    _write_pid(options.pid_file)
    watcher = threading.Thread(
        target=_stop_when_unused,
        args=(options.idle_seconds,),
        daemon=True,
        name="idle-watch",
    )
    watcher.start()
    sys.argv = ["unoserver", *unoserver_arguments]
    code = server.main()
    return code if isinstance(code, int) else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
