"""When Accord's background Prefect server is used, waited for, or replaced (no Prefect here)."""

from pathlib import Path

import pytest

from accord.cli.server_state import (
    Answer,
    Observation,
    ServerRecord,
    Verdict,
    judge,
    read_record,
    stale_line,
    write_record,
)

RECORD = ServerRecord(pid=4321, port=4200, prefect_version="3.8.8", data_folder="/d/prefect-home")


@pytest.mark.parametrize(
    ("record", "seen", "verdict"),
    [
        (RECORD, Observation(True, Answer.PREFECT, "3.8.8"), Verdict.USE),
        (RECORD, Observation(True, Answer.NOTHING), Verdict.WAIT),
        (RECORD, Observation(False, Answer.NOTHING), Verdict.CRASHED),
        (RECORD, Observation(False, Answer.OTHER), Verdict.PORT_TAKEN),
        (RECORD, Observation(False, Answer.PREFECT, "3.8.8"), Verdict.PORT_TAKEN),
        (RECORD, Observation(True, Answer.OTHER), Verdict.PORT_TAKEN),
        (RECORD, Observation(True, Answer.PREFECT, "3.9.0"), Verdict.PORT_TAKEN),
        (
            ServerRecord(4321, 4200, "3.7.1", "/d/prefect-home"),
            Observation(True, Answer.PREFECT, "3.7.1"),
            Verdict.OTHER_VERSION,
        ),
        (
            ServerRecord(4321, 4200, "3.7.1", "/d/prefect-home"),
            Observation(False, Answer.NOTHING),
            Verdict.CRASHED,
        ),
    ],
)
def test_judge(record: ServerRecord, seen: Observation, verdict: Verdict) -> None:
    assert judge(record, seen, installed_version="3.8.8") is verdict


def test_a_stale_server_is_replaced_with_one_line_saying_why() -> None:
    old = ServerRecord(4321, 4200, "3.7.1", "/d/prefect-home")
    lines = {
        v: stale_line(old, v, installed_version="3.8.8")
        for v in (Verdict.CRASHED, Verdict.OTHER_VERSION, Verdict.PORT_TAKEN)
    }
    assert lines[Verdict.CRASHED].endswith("127.0.0.1:4200 (pid 4321): it is no longer running")
    assert "Prefect 3.7.1, this installation 3.8.8" in lines[Verdict.OTHER_VERSION]
    assert "another program" in lines[Verdict.PORT_TAKEN]
    assert all("\n" not in line for line in lines.values())


def test_the_record_round_trips_and_a_damaged_one_counts_as_none(tmp_path: Path) -> None:
    path = tmp_path / "data" / "prefect-server.json"
    assert read_record(path) is None
    write_record(path, RECORD)
    assert read_record(path) == RECORD
    assert RECORD.api_url == "http://127.0.0.1:4200/api"
    path.write_text('{"pid": 1, "port": "x"', encoding="utf-8")
    assert read_record(path) is None
    path.write_text('{"pid": 1}', encoding="utf-8")
    assert read_record(path) is None
