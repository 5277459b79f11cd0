"""Which commands go to a command server, which server may take them, and what they send."""

import os
import socket
import threading
from pathlib import Path

import pytest

from accord.launch import wire
from accord.launch.address import code_stamp, fingerprint
from accord.launch.command import runs_a_flow


@pytest.mark.parametrize(
    ("args", "flows"),
    [
        (["draft"], True),
        (["draft", "--actor", "x", "agreements/"], True),
        (["review", "start", "kz-referral-mou"], True),
        (["review", "tick"], True),
        (["sign", "start", "kz-referral-mou"], True),
        (["remind"], True),
        (["report", "kz-referral-mou"], True),
        (["check", "agreements/"], False),
        (["review", "status", "kz-referral-mou"], False),
        (["sign", "paper", "kz-referral-mou"], False),
        (["agreements"], False),
        (["server", "stop"], False),
        (["serve"], False),
        ([], False),
    ],
)
def test_only_commands_that_run_a_flow_go_to_a_command_server(args: list[str], flows: bool) -> None:
    assert runs_a_flow(args) is flows


def test_a_server_is_only_shared_under_the_same_settings_folder_and_code(
    tmp_path: Path,
) -> None:
    base = {"ACCORD_DATA_DIR": "data", "PREFECT_API_URL": "", "HOME": "/home/a", "TERM": "xterm"}
    same = fingerprint(base, str(tmp_path), "/usr/bin/python3", "1:1")
    assert (
        fingerprint(
            {**base, "HOME": "/home/b", "TERM": "dumb"}, str(tmp_path), "/usr/bin/python3", "1:1"
        )
        == same
    )
    for changed in (
        fingerprint({**base, "ACCORD_DATA_DIR": "other"}, str(tmp_path), "/usr/bin/python3", "1:1"),
        fingerprint(
            {**base, "PREFECT_API_URL": "http://x/api"}, str(tmp_path), "/usr/bin/python3", "1:1"
        ),
        fingerprint(base, str(tmp_path / "elsewhere"), "/usr/bin/python3", "1:1"),
        fingerprint(base, str(tmp_path), "/opt/python3", "1:1"),
        fingerprint(base, str(tmp_path), "/usr/bin/python3", "2:1"),
    ):
        assert changed != same
    (tmp_path / ".env").write_text("ACCORD_ENVIRONMENT=production\n")
    assert fingerprint(base, str(tmp_path), "/usr/bin/python3", "1:1") != same


def test_the_code_stamp_moves_when_a_module_changes(tmp_path: Path) -> None:
    module = tmp_path / "accord" / "cli" / "thing.py"
    module.parent.mkdir(parents=True)
    module.write_text("x = 1\n")
    before = code_stamp(tmp_path)
    os.utime(module, ns=(1, module.stat().st_mtime_ns + 1_000_000))
    assert code_stamp(tmp_path) != before
    cached = tmp_path / "accord" / "__pycache__" / "thing.cpython-311.pyc"
    cached.parent.mkdir()
    now = code_stamp(tmp_path)
    cached.write_bytes(b"")
    os.utime(cached, ns=(1, 2**62))
    assert code_stamp(tmp_path) == now


def test_a_request_carries_its_streams_arguments_and_environment(tmp_path: Path) -> None:
    out = (tmp_path / "out.txt").open("w")
    client, server = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
    with client, server, out:
        request = wire.Request(
            argv=["accord", "draft", "Қазақстан.yaml"],
            env={"ACCORD_DATA_DIR": "data", "LANG": "kk_KZ.UTF-8", "BIG": "x" * 300_000},
            cwd=str(tmp_path),
            umask=0o027,
        )
        sending = threading.Thread(
            target=wire.send_request, args=(client, request, [0, out.fileno(), 2])
        )
        sending.start()  # a large environment fills the socket's buffer: read as it is sent
        received, streams = wire.receive_request(server)
        sending.join()
        assert received == request
        os.write(streams[1], "через сокет\n".encode())
        for stream in streams:
            os.close(stream)
        wire.send_reply(server, wire.PID, 4242)
        wire.send_reply(server, wire.EXIT, 1)
        assert wire.receive_reply(client) == (wire.PID, 4242)
        assert wire.receive_reply(client) == (wire.EXIT, 1)
        server.close()
        assert wire.receive_reply(client) is None
    assert (tmp_path / "out.txt").read_text(encoding="utf-8") == "через сокет\n"
