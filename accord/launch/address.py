"""Where a warm command server listens, and whether it is the right one for this command.

A command server keeps Accord and Prefect imported and forks one child per command. A child
inherits what the server read when it started — its environment's Prefect and Accord
settings, the working folder's `.env`, the code on disk — so a command may only be handed
to a server started under the same ones: the fingerprint of those names the socket. Anything
else (a changed setting, another folder, edited or upgraded code) simply finds no server
there and starts its own. Standard library only: the client pays for every import.
"""

import hashlib
import json
import os
import sysconfig
import tempfile
from collections.abc import Mapping
from pathlib import Path

PACKAGES = ("accord", "flows", "models")
"""The code a server holds in memory, relative to the project (an editable install) or
site-packages (a wheel)."""
SETTING_PREFIXES = ("ACCORD_", "PREFECT_")
SOCKET_PATH_LIMIT = 100
"""sun_path holds 108 bytes on Linux; past that there is no server and no error."""


def code_stamp(root: Path) -> str:
    """The newest modification of Accord's code and of the installed packages."""
    newest = 0
    for package in PACKAGES:
        newest = max(newest, _newest_py(root / package))
    try:
        installed = os.stat(sysconfig.get_paths()["purelib"]).st_mtime_ns
    except OSError:
        installed = 0
    return f"{newest}:{installed}"


def _newest_py(folder: Path) -> int:
    newest = 0
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return 0
    for entry in entries:
        if entry.is_dir(follow_symlinks=False) and entry.name != "__pycache__":
            newest = max(newest, _newest_py(Path(entry.path)))
        elif entry.name.endswith(".py"):
            newest = max(newest, entry.stat().st_mtime_ns)
    return newest


def fingerprint(environ: Mapping[str, str], cwd: str, executable: str, code: str) -> str:
    """What a server must have started under to run this command."""
    settings = sorted((k, v) for k, v in environ.items() if k.startswith(SETTING_PREFIXES))
    try:
        dotenv = os.stat(os.path.join(cwd, ".env"))
        dotenv_stamp = [dotenv.st_mtime_ns, dotenv.st_size, dotenv.st_ino]
    except OSError:
        dotenv_stamp = []
    material = json.dumps([settings, cwd, executable, code, dotenv_stamp])
    return hashlib.sha256(material.encode()).hexdigest()[:24]


def runtime_folder() -> Path:
    """A folder only this user can enter, for the sockets (short paths, cleared on reboot)."""
    base = os.environ.get("XDG_RUNTIME_DIR") or tempfile.gettempdir()
    return Path(base) / f"accord-{os.getuid()}"


def socket_path(print_: str) -> Path:
    return runtime_folder() / f"{print_}.sock"


def usable_runtime_folder(folder: Path) -> bool:
    """Ours and closed to others; created so when missing."""
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        status = folder.stat()
    except OSError:
        return False
    return status.st_uid == os.getuid() and status.st_mode & 0o077 == 0
