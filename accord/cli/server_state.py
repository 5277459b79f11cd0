"""What Accord knows about its background Prefect server, and whether it can still be used.

The record is a small JSON file in the data folder; the judgement is a pure function of that
record and of what was observed (is the process alive, what answers on its port), so every
way a server goes stale is decided in one place and tested without starting Prefect.
"""

import json
from dataclasses import asdict, dataclass
from enum import Enum
from pathlib import Path

STATE_FILE = "prefect-server.json"


@dataclass(frozen=True)
class ServerRecord:
    """A Prefect server Accord started (or `accord serve` runs), as written when it started."""

    pid: int
    port: int
    prefect_version: str
    data_folder: str
    owner: str = "background"
    """`background` (left running for the next command) or `serve` (stops with `accord serve`)."""

    @property
    def api_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/api"


class Answer(Enum):
    """What answers on the recorded port."""

    NOTHING = "nothing"
    PREFECT = "prefect"
    OTHER = "other"


@dataclass(frozen=True)
class Observation:
    """The record checked against the machine now."""

    process_alive: bool
    answer: Answer
    answering_version: str | None = None
    """The Prefect version the port reports, when a Prefect server answers."""


class Verdict(Enum):
    USE = "use"
    WAIT = "wait"
    """Our process is alive but not answering yet: it is still starting."""
    CRASHED = "crashed"
    OTHER_VERSION = "other version"
    PORT_TAKEN = "port taken"


def judge(record: ServerRecord, seen: Observation, *, installed_version: str) -> Verdict:
    """Use, wait for, or replace the recorded server (the three ways it goes stale)."""
    if not seen.process_alive:
        return Verdict.CRASHED if seen.answer is Answer.NOTHING else Verdict.PORT_TAKEN
    if record.prefect_version != installed_version:
        return Verdict.OTHER_VERSION
    if seen.answer is Answer.NOTHING:
        return Verdict.WAIT
    if seen.answer is Answer.OTHER or seen.answering_version != installed_version:
        return Verdict.PORT_TAKEN
    return Verdict.USE


def stale_line(record: ServerRecord, verdict: Verdict, *, installed_version: str) -> str:
    """The one line a person reads when a recorded server is replaced."""
    where = f"127.0.0.1:{record.port} (pid {record.pid})"
    why = {
        Verdict.CRASHED: "it is no longer running",
        Verdict.OTHER_VERSION: (
            f"it runs Prefect {record.prefect_version}, this installation {installed_version}"
        ),
        Verdict.PORT_TAKEN: "its port is answered by another program",
    }[verdict]
    return f"accord: replacing the background Prefect server at {where}: {why}"


def read_record(path: Path) -> ServerRecord | None:
    """The record, or None when there is none or it cannot be read (treated as no server)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return ServerRecord(
            pid=int(data["pid"]),
            port=int(data["port"]),
            prefect_version=str(data["prefect_version"]),
            data_folder=str(data["data_folder"]),
            owner=str(data.get("owner", "background")),
        )
    except (OSError, ValueError, KeyError, TypeError):
        return None


def write_record(path: Path, record: ServerRecord) -> None:
    """Written whole then renamed, so a reader never sees half a record."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".tmp")
    partial.write_text(json.dumps(asdict(record), indent=2) + "\n", encoding="utf-8")
    partial.replace(path)
