"""DOCX to PDF/A through one long-lived headless LibreOffice per machine (unoserver).

Starting LibreOffice costs seconds; converting with one that is already running costs far
less. So the converter is started once, on demand by whichever process first needs it (or by
`accord serve`), listens on 127.0.0.1:`ACCORD_CONVERTER_PORT`, is found again there by every
later command, and stops itself after `ACCORD_CONVERTER_IDLE_MINUTES` unused.

unoserver's server must run under the Python that can import LibreOffice's `uno` module
(Debian: python3-uno for /usr/bin/python3); its XML-RPC client is plain Python and runs here.
"""

import fcntl
import logging
import os
import shutil
import signal
import subprocess
import time
import xmlrpc.client
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from accord.adapters import office_profile
from accord.errors import AccordError
from accord.settings import Settings

log = logging.getLogger("accord.pdf")

PDF_EXPORT = "writer_pdf_Export"
PDFA_2B = ["SelectPdfVersion=2"]  # LibreOffice's PDF export: 1 = PDF/A-1b, 2 = PDF/A-2b
DAEMON = Path(__file__).with_name("office_daemon.py")
START_SECONDS = 120.0  # a first start with a fresh profile on a busy machine
CONVERSION_SECONDS = 300  # LibreOffice is stopped (and restarted later) past this
STOP_SECONDS = 20.0


class ConverterUnavailable(AccordError):
    """PDFs cannot be made on this machine; the message says why and what to install."""


@dataclass(frozen=True)
class Office:
    program: str
    python: str


@dataclass(frozen=True)
class Converter:
    """Where this installation finds its converter, and its files in the data folder."""

    port: int
    uno_port: int
    idle_seconds: float
    data_dir: Path

    @classmethod
    def of(cls, settings: Settings) -> "Converter":
        return cls(
            port=settings.converter_port,
            uno_port=settings.converter_uno_port,
            idle_seconds=settings.converter_idle_minutes * 60.0,
            data_dir=settings.data_dir,
        )

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def pid_file(self) -> Path:
        return self.data_dir / "converter.pid"

    @property
    def log_file(self) -> Path:
        return self.data_dir / "converter.log"

    @property
    def profile_dir(self) -> Path:
        return self.data_dir / f"office-profile-{self.port}"


def find_office(settings: Settings) -> Office:
    """LibreOffice and a Python that can drive it, or why PDFs cannot be made here."""
    return _find_office(settings.office_program, str(settings.office_python or ""))


@cache
def _find_office(program_name: str, configured_python: str) -> Office:
    program = shutil.which(program_name)
    if program is None:
        raise ConverterUnavailable(
            f"LibreOffice is not installed (no `{program_name}` on PATH; "
            "Debian: apt-get install libreoffice-writer python3-uno)"
        )
    candidates = (
        [configured_python]
        if configured_python
        else [str(Path(program).resolve().parent / "python"), "/usr/bin/python3"]
    )
    for python in candidates:
        if _imports_uno(python):
            return Office(program=program, python=python)
    tried = ", ".join(candidates)
    raise ConverterUnavailable(
        f"LibreOffice's Python bridge is missing (none of {tried} can import `uno`; "
        "Debian: apt-get install python3-uno, or set ACCORD_OFFICE_PYTHON)"
    )


def _imports_uno(python: str) -> bool:
    if not os.access(python, os.X_OK):
        return False
    try:
        probe = subprocess.run(
            [python, "-c", "import uno"], capture_output=True, timeout=60, check=False
        )
    except (OSError, subprocess.TimeoutExpired):
        return False
    return probe.returncode == 0


def answers(converter: Converter, timeout: float = 5.0) -> bool:
    """A unoserver of our API is listening on the port (ours or another installation's)."""
    try:
        info = _proxy(converter, timeout).info()
    except (OSError, xmlrpc.client.Error):
        return False
    return isinstance(info, dict) and info.get("api") == _client_api()


def ensure_running(settings: Settings) -> Converter:
    """Find the machine's converter, or start one that outlives this process."""
    converter = Converter.of(settings)
    if answers(converter):
        return converter
    office = find_office(settings)
    with _start_lock(converter):
        if not answers(converter):  # another process may have started it meanwhile
            _start(converter, office)
    return converter


def convert(settings: Settings, docx: bytes) -> bytes:
    """PDF/A-2b of a DOCX; starts the converter when none answers."""
    from unoserver.client import UnoClient

    converter = ensure_running(settings)
    client = UnoClient(server="127.0.0.1", port=str(converter.port), host_location="remote")
    try:
        pdf = client.convert(
            indata=docx,
            convert_to="pdf",
            filtername=PDF_EXPORT,
            filter_options=PDFA_2B,
            update_index=False,  # agreements have no tables of contents to refresh
        )
    except (OSError, xmlrpc.client.Error, RuntimeError) as error:
        raise AccordError(f"the converter failed ({error}); see {converter.log_file}") from error
    if not isinstance(pdf, bytes) or not pdf.startswith(b"%PDF"):
        raise AccordError(f"the converter returned no PDF; see {converter.log_file}")
    return pdf


def stop(settings: Settings) -> bool:
    """Stop the converter this installation started; False when none was running."""
    converter = Converter.of(settings)
    pid = _running_pid(converter)
    if pid is None:
        return False
    os.kill(pid, signal.SIGTERM)  # unoserver closes LibreOffice and its profile cleanly
    deadline = time.monotonic() + STOP_SECONDS
    while time.monotonic() < deadline and _alive(pid):
        time.sleep(0.2)
    _kill_group(pid)  # whatever is left of LibreOffice (oosplash, soffice.bin)
    converter.pid_file.unlink(missing_ok=True)
    return True


def running_pid(settings: Settings) -> int | None:
    return _running_pid(Converter.of(settings))


def _start(converter: Converter, office: Office) -> None:
    import unoserver

    log.info("starting the document converter (LibreOffice) on 127.0.0.1:%d", converter.port)
    converter.data_dir.mkdir(parents=True, exist_ok=True)
    converter.pid_file.unlink(missing_ok=True)
    office_profile.prepare(converter.profile_dir)
    command = [
        office.python,
        str(DAEMON),
        "--unoserver-home",
        str(Path(unoserver.__file__).resolve().parent.parent),
        "--pid-file",
        str(converter.pid_file.resolve()),
        "--idle-seconds",
        str(converter.idle_seconds),
        "--detach",
        "--",
        "--interface=127.0.0.1",
        f"--port={converter.port}",
        "--uno-interface=127.0.0.1",
        f"--uno-port={converter.uno_port}",
        f"--executable={office.program}",
        f"--user-installation={converter.profile_dir.resolve()}",
        f"--conversion-timeout={CONVERSION_SECONDS}",
    ]
    with converter.log_file.open("wb") as log_file:
        launcher = subprocess.Popen(
            command,
            stdin=subprocess.DEVNULL,
            stdout=log_file,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            close_fds=True,
        )
    launcher.wait(timeout=60)  # returns as soon as the converter has detached
    _wait_until_answering(converter)


def _wait_until_answering(converter: Converter) -> None:
    started, seen = time.monotonic(), None
    while time.monotonic() - started < START_SECONDS:
        if answers(converter, timeout=2.0):
            return
        pid = _running_pid(converter)
        seen = pid or seen
        if pid is None and time.monotonic() - started > 15:
            break  # it exited, or never began: nothing will answer
        time.sleep(0.5)
    if seen is not None:
        _kill_group(seen)  # LibreOffice may outlive a unoserver that gave up
    converter.pid_file.unlink(missing_ok=True)
    raise ConverterUnavailable(
        f"the document converter did not start on 127.0.0.1:{converter.port} "
        f"(see {converter.log_file})"
    )


@contextmanager
def _start_lock(converter: Converter) -> Iterator[None]:
    """One start at a time from this data folder; the others wait and then find it."""
    converter.data_dir.mkdir(parents=True, exist_ok=True)
    with (converter.data_dir / "converter.lock").open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _running_pid(converter: Converter) -> int | None:
    """The pid in our pid file, if that process is alive and is our converter."""
    try:
        pid = int(converter.pid_file.read_text(encoding="ascii").strip())
    except (OSError, ValueError):
        return None
    if not _alive(pid):
        return None
    cmdline = Path(f"/proc/{pid}/cmdline")
    if cmdline.exists() and DAEMON.name.encode() not in cmdline.read_bytes():
        return None  # the pid was reused by another program
    return pid


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    stat = Path(f"/proc/{pid}/stat")
    return not (stat.exists() and stat.read_text().split(")")[-1].split()[0] == "Z")


def _kill_group(pid: int) -> None:
    with suppress(ProcessLookupError, PermissionError):
        os.killpg(pid, signal.SIGKILL)


def _proxy(converter: Converter, timeout: float) -> Any:
    return xmlrpc.client.ServerProxy(
        converter.url, allow_none=True, transport=_TimeoutTransport(timeout)
    )


class _TimeoutTransport(xmlrpc.client.Transport):
    """xmlrpc's default waits forever; a probe must not."""

    def __init__(self, timeout: float) -> None:
        super().__init__()
        self.timeout = timeout

    def make_connection(self, host: Any) -> Any:
        connection = super().make_connection(host)
        connection.timeout = self.timeout
        return connection


def _client_api() -> str:
    from unoserver.client import API_VERSION

    return str(API_VERSION)
