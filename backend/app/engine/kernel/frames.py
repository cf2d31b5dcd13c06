"""The frames on a kernel task's connection: a kind (one byte), a length (four bytes, big-endian), the payload.

The four pipes of a local kernel each become a kind (commands to the worker's stdin; its messages, stdout and stderr
back), plus the handshake and the control frames. One connection carries every channel in turn, so each channel's
bytes keep their order.
"""

from __future__ import annotations

import asyncio
import enum
import json
import socket
import struct
from typing import Any

_HEADER = struct.Struct("!BI")
# A messages frame holds whole protocol lines, and one line (a large figure or table) may take megabytes.
MAX_PAYLOAD = 256 * 1024 * 1024


class Kind(enum.IntEnum):
    NONCE = 1  # agent → server: what the server must answer with its proof of the secret
    PROOF = 2  # server → agent
    HELLO = 3  # agent → server, once the proof is accepted: {"pid", "limits"} of the worker
    COMMANDS = 4  # server → agent: bytes for the worker's stdin
    MESSAGES = 5  # agent → server: bytes of the worker's protocol lines
    STDOUT = 6
    STDERR = 7
    INTERRUPT = 8  # server → agent: SIGINT to the worker
    KILL = 9  # server → agent: end the worker and everything it started, then the agent exits
    EXITED = 10  # agent → server: {"returncode"}; the agent exits after sending it


# A peer that vanished without closing (its host gone, a network partition) is noticed within about a minute.
_TCP_KEEPALIVE = (("TCP_KEEPIDLE", 30), ("TCP_KEEPINTVL", 10), ("TCP_KEEPCNT", 3))


class FrameError(Exception):
    pass


def encode(kind: Kind, payload: bytes = b"") -> bytes:
    return _HEADER.pack(kind, len(payload)) + payload


def encode_json(kind: Kind, value: dict[str, Any]) -> bytes:
    return encode(kind, json.dumps(value).encode())


async def read(reader: asyncio.StreamReader) -> tuple[Kind, bytes]:
    """The next frame; asyncio.IncompleteReadError at the end of the stream, FrameError for a malformed one."""
    header = await reader.readexactly(_HEADER.size)
    number, length = _HEADER.unpack(header)
    try:
        kind = Kind(number)
    except ValueError:
        raise FrameError(f"unknown frame kind {number}") from None
    if length > MAX_PAYLOAD:
        raise FrameError(f"a frame of {length} bytes exceeds {MAX_PAYLOAD}")
    return kind, await reader.readexactly(length)


def keep_alive(writer: asyncio.StreamWriter) -> None:
    """TCP keepalive on the connection, so that reading from a peer that is gone fails instead of waiting forever."""
    sock = writer.get_extra_info("socket")
    if sock is None:
        return
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_KEEPALIVE, 1)
    for name, value in _TCP_KEEPALIVE:
        if hasattr(socket, name):  # Linux names; other systems keep their defaults
            sock.setsockopt(socket.IPPROTO_TCP, getattr(socket, name), value)
