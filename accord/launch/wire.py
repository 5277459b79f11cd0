"""The few bytes a command and its server exchange over the Unix socket.

The command sends its three standard streams (as file descriptors), its arguments,
environment, working folder and umask; the child that runs it answers with its pid (so
Ctrl-C reaches it) and, at the end, the exit status.
"""

import json
import socket
import struct
from dataclasses import asdict, dataclass

_LENGTH = struct.Struct("!I")
_REPLY = struct.Struct("!ci")
PID, EXIT = b"P", b"X"


@dataclass(frozen=True)
class Request:
    argv: list[str]
    env: dict[str, str]
    cwd: str
    umask: int


def send_request(connection: socket.socket, request: Request, streams: list[int]) -> None:
    body = json.dumps(asdict(request)).encode()
    socket.send_fds(connection, [_LENGTH.pack(len(body))], streams)
    connection.sendall(body)


def receive_request(connection: socket.socket) -> tuple[Request, list[int]]:
    head, streams, _flags, _address = socket.recv_fds(connection, _LENGTH.size, 3)
    if len(head) != _LENGTH.size or len(streams) != 3:
        raise ConnectionError("an incomplete request")
    body = _exactly(connection, _LENGTH.unpack(head)[0])
    return Request(**json.loads(body)), streams


def send_reply(connection: socket.socket, kind: bytes, value: int) -> None:
    connection.sendall(_REPLY.pack(kind, value))


def receive_reply(connection: socket.socket) -> tuple[bytes, int] | None:
    """The next reply, or None when the other side is gone."""
    try:
        kind, value = _REPLY.unpack(_exactly(connection, _REPLY.size))
    except ConnectionError:
        return None
    return kind, value


def _exactly(connection: socket.socket, size: int) -> bytes:
    chunks, left = [], size
    while left:
        chunk = connection.recv(left)
        if not chunk:
            raise ConnectionError("the other side closed the connection")
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)
