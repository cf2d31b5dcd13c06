"""The agent of a kernel task: one notebook's kernel, served to the notebook server over an authenticated TLS channel.

    KERNEL_SECRET=... python -m app.engine.kernel.agent

Starts the kernel's worker at once (warm when the server connects), exactly as the server starts a local kernel, then
serves it on KERNEL_PORT (default 8790) at the task's own IPv4 address (ECS task metadata v4), or 0.0.0.0 where there
is no metadata endpoint. See `kernel_tls` for the handshake and `frames` for what the connection carries.

One server at a time: a newer authenticated connection replaces the older (a restarted server reattaches), and first
gets the worker's `ready` line again. While no server is connected the worker keeps running; what it prints meanwhile
is kept up to PENDING_LIMIT bytes, the oldest dropped beyond. The agent exits with the worker's code when the worker
exits, after a `kill` frame, and on SIGTERM (ECS's StopTask), ending the worker.
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import json
import logging
import os
import secrets
import signal
import socket
import ssl
import sys
import threading
import urllib.request
from collections.abc import Mapping
from typing import Any

from . import frames, kernel_tls
from .client import KernelOptions
from .frames import Kind
from .hosts import Spawned, default_host
from .sandbox import LAUNCHER_FD_ENV, is_grantable

logger = logging.getLogger("kernel agent")

SECRET_ENV = "KERNEL_SECRET"
DEFAULT_PORT = 8790
METADATA_ENV = "ECS_CONTAINER_METADATA_URI_V4"
PENDING_LIMIT = 4 * 1024 * 1024
_HANDSHAKE_SECONDS = 10.0
_DRAIN_SECONDS = 1.0  # for the worker's pipes to deliver what it wrote last, and for the server to receive it
_READ = 65536
# Started as root (the image has no USER), the agent runs through the launcher like the server: the launcher keeps
# root to give the worker a uid of its own, and the agent drops to the image's unprivileged account. So user code can
# neither signal the agent nor read the secret from it, as with a local kernel; without root, the worker is started
# by the agent itself (hosts.LocalHost), as a server without the launcher does.
_AGENT_IDS = "10001:10001"  # backend/Dockerfile's `notebook` account
_RELATIVE_CREDENTIALS_ENV = "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI"
_FULL_CREDENTIALS_ENV = "AWS_CONTAINER_CREDENTIALS_FULL_URI"
_TASK_CREDENTIALS_HOST = "http://169.254.170.2"  # where ECS serves a task its role's credentials


class _Refused(Exception):
    pass


class Agent:
    def __init__(self, secret: str, spawned: Spawned, stdin: asyncio.WriteTransport) -> None:
        self._secret = secret
        self._context = kernel_tls.server_context(secret)
        self._handle = spawned.handle
        self._stdin = stdin
        self._hello = frames.encode_json(Kind.HELLO, {"pid": self._handle.pid, "limits": self._handle.limits.to_dict()})
        self._ready: bytes | None = None  # the worker's first protocol line, sent first on every connection
        self._partial = bytearray()  # protocol bytes after the last whole line
        self._pending: collections.deque[bytes] = collections.deque()  # frames for the next server
        self._pending_size = 0
        self._dropped = 0
        self._writer: asyncio.StreamWriter | None = None  # the authenticated server's connection

    async def run(self, spawned: Spawned, address: str, port: int) -> int:
        loop = asyncio.get_running_loop()
        exited: asyncio.Future[int] = loop.create_future()

        def reap() -> None:
            returncode = self._handle.wait()
            with contextlib.suppress(RuntimeError):
                loop.call_soon_threadsafe(exited.set_result, returncode)

        threading.Thread(target=reap, name="kernel-reaper", daemon=True).start()
        pumps = [
            loop.create_task(self._pump(fd, kind))
            for fd, kind in (
                (spawned.messages, Kind.MESSAGES),
                (spawned.stdout, Kind.STDOUT),
                (spawned.stderr, Kind.STDERR),
            )
        ]
        listener = socket.create_server((address, port))
        listener.setblocking(False)
        accepting = loop.create_task(self._accept(listener))
        loop.add_signal_handler(signal.SIGTERM, self._kill, "SIGTERM")
        logger.info("serving the kernel (worker pid %d) on %s:%d", self._handle.pid, address, port)
        returncode = await exited
        await asyncio.wait(pumps, timeout=_DRAIN_SECONDS)
        accepting.cancel()
        listener.close()
        writer = self._writer
        if writer is None:
            logger.info("the kernel exited (code %d) while no server was connected", returncode)
            return returncode
        writer.write(frames.encode_json(Kind.EXITED, {"returncode": returncode}))
        with contextlib.suppress(ConnectionError, TimeoutError):
            await asyncio.wait_for(writer.drain(), _DRAIN_SECONDS)
        writer.close()
        return returncode

    def _kill(self, why: str) -> None:
        logger.info("%s: ending the kernel", why)
        self._handle.kill()

    # -- the worker's output ---------------------------------------------------------------------------------------

    async def _pump(self, fd: int, kind: Kind) -> None:
        loop = asyncio.get_running_loop()
        reader = asyncio.StreamReader(limit=_READ)
        await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(reader), os.fdopen(fd, "rb", buffering=0))
        while data := await reader.read(_READ):
            if kind is Kind.MESSAGES:
                data = self._whole_lines(data)
                if not data:
                    continue
            await self._deliver(frames.encode(kind, data))

    def _whole_lines(self, data: bytes) -> bytes:
        """Protocol bytes up to the last newline (so that frames dropped while no server listens are whole lines),
        keeping the worker's first line aside as its `ready`."""
        self._partial += data
        end = self._partial.rfind(b"\n") + 1
        lines = bytes(self._partial[:end])
        del self._partial[:end]
        if self._ready is None and lines:
            first = lines.index(b"\n") + 1
            self._ready, lines = lines[:first], lines[first:]
            if self._writer is not None:
                self._writer.write(frames.encode(Kind.MESSAGES, self._ready))
        return lines

    async def _deliver(self, frame: bytes) -> None:
        writer = self._writer
        if writer is None:
            self._keep(frame)
            return
        writer.write(frame)
        # Waits while the server is slow to read: the worker's pipe fills, and its writes wait too.
        with contextlib.suppress(ConnectionError):  # a connection lost or replaced: its output is dropped with it
            await writer.drain()

    def _keep(self, frame: bytes) -> None:
        self._pending.append(frame)
        self._pending_size += len(frame)
        while self._pending_size > PENDING_LIMIT:
            dropped = self._pending.popleft()
            self._pending_size -= len(dropped)
            self._dropped += len(dropped)

    # -- the server's connections ----------------------------------------------------------------------------------

    async def _accept(self, listener: socket.socket) -> None:
        loop = asyncio.get_running_loop()
        connections: set[asyncio.Task[None]] = set()
        while True:
            connection, peer = await loop.sock_accept(listener)
            task = loop.create_task(self._serve(connection, f"{peer[0]}:{peer[1]}"))
            connections.add(task)
            task.add_done_callback(connections.discard)

    async def _serve(self, connection: socket.socket, peer: str) -> None:
        loop = asyncio.get_running_loop()
        reader = asyncio.StreamReader(limit=_READ)
        protocol = asyncio.StreamReaderProtocol(reader)
        try:
            # The TLS handshake as the connection is accepted: no byte of the client's hello can reach a plain reader.
            transport, _ = await loop.connect_accepted_socket(
                lambda: protocol, connection, ssl=self._context, ssl_handshake_timeout=_HANDSHAKE_SECONDS
            )
        except OSError as error:
            logger.warning("refused a connection from %s: %s", peer, _describe(error))
            connection.close()
            return
        writer = asyncio.StreamWriter(transport, protocol, reader, loop)
        frames.keep_alive(writer)
        try:
            await asyncio.wait_for(self._authenticate(reader, writer), _HANDSHAKE_SECONDS)
        except (OSError, EOFError, TimeoutError, frames.FrameError, _Refused) as error:
            logger.warning("refused a connection from %s: %s", peer, _describe(error))
            writer.transport.abort()
            return
        self._attach(writer, peer)
        try:
            while True:
                kind, payload = await frames.read(reader)
                if kind is Kind.COMMANDS:
                    self._stdin.write(payload)
                elif kind is Kind.INTERRUPT:
                    self._handle.interrupt()
                elif kind is Kind.KILL:
                    self._kill(f"the server at {peer} asked to kill the kernel")
                else:
                    raise frames.FrameError(f"a server does not send {kind.name}")
        except (OSError, EOFError, frames.FrameError) as error:
            if self._writer is writer:
                logger.info("the server at %s disconnected (%s); the kernel keeps running", peer, _describe(error))
        finally:
            if self._writer is writer:
                self._writer = None
            writer.close()

    async def _authenticate(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        nonce = secrets.token_bytes(kernel_tls.NONCE_BYTES)
        writer.write(frames.encode(Kind.NONCE, nonce))
        await writer.drain()
        try:
            kind, answer = await frames.read(reader)
        except asyncio.IncompleteReadError:
            raise _Refused("it closed the connection without proving it holds the kernel's secret") from None
        if kind is not Kind.PROOF or not kernel_tls.check_proof(self._secret, nonce, answer):
            raise _Refused("its answer does not prove it holds the kernel's secret")

    def _attach(self, writer: asyncio.StreamWriter, peer: str) -> None:
        """Everything the new server must see first is written before any other frame can be."""
        if self._writer is not None:
            logger.info("a connection from %s replaces the previous server's", peer)
            self._writer.close()
        else:
            logger.info("the server at %s connected", peer)
        writer.write(self._hello)
        if self._ready is not None:
            writer.write(frames.encode(Kind.MESSAGES, self._ready))
        if self._dropped:
            logger.warning("%d bytes of the kernel's output were dropped while no server was connected", self._dropped)
        writer.writelines(self._pending)
        self._pending.clear()
        self._pending_size = self._dropped = 0
        self._writer = writer


def _describe(error: BaseException) -> str:
    if isinstance(error, TimeoutError):
        return f"no handshake within {_HANDSHAKE_SECONDS:g} s"
    if isinstance(error, asyncio.IncompleteReadError):
        return "the connection closed"
    if isinstance(error, ssl.SSLError):
        return f"TLS: {error.reason or error}"
    return str(error) or type(error).__name__


def bind_address() -> str:
    """The task's own IPv4 address from the ECS task metadata endpoint v4; 0.0.0.0 where there is none."""
    base = os.environ.get(METADATA_ENV)
    if not base:
        return "0.0.0.0"
    try:
        with urllib.request.urlopen(f"{base}/task", timeout=10) as response:
            task: dict[str, Any] = json.load(response)
    except (OSError, ValueError) as error:
        raise SystemExit(f"kernel agent: could not read the task's address from {base}/task: {error}") from None
    for container in task.get("Containers", []):
        for network in container.get("Networks", [])[:1]:
            addresses = network.get("IPv4Addresses") or []
            if addresses:
                return str(addresses[0])
    raise SystemExit(f"kernel agent: the task metadata at {base}/task names no IPv4 address to serve the kernel on")


def _int_setting(name: str, default: int, low: int, high: int) -> int:
    text = os.environ.get(name, "")
    if not text:
        return default
    try:
        value = int(text)
    except ValueError:
        value = low - 1
    if not low <= value <= high:
        raise SystemExit(f"kernel agent: {name} must be a whole number from {low} to {high}, not {text!r}")
    return value


def task_credentials(environ: Mapping[str, str]) -> dict[str, str]:
    """What the worker is granted of the agent's environment: the task role's credentials endpoint (by its full
    address: the worker sees no AWS_CONTAINER_CREDENTIALS_RELATIVE_URI), the region and the endpoints. On ECS the
    task role is the kernel role, the one a local kernel gets through the server's credentials endpoint."""
    granted = {name: value for name, value in environ.items() if is_grantable(name)}
    relative = environ.get(_RELATIVE_CREDENTIALS_ENV)
    if relative and _FULL_CREDENTIALS_ENV not in granted:
        granted[_FULL_CREDENTIALS_ENV] = _TASK_CREDENTIALS_HOST + relative
    return granted


async def serve(secret: str, address: str, port: int, *, table_rows: int, text_limit: int) -> int:
    spawned = await default_host().spawn(table_rows=table_rows, text_limit=text_limit, env=task_credentials(os.environ))
    loop = asyncio.get_running_loop()
    stdin, _ = await loop.connect_write_pipe(asyncio.Protocol, os.fdopen(spawned.stdin, "wb", buffering=0))
    agent = Agent(secret, spawned, stdin)
    return await agent.run(spawned, address, port)


def main() -> None:
    logging.basicConfig(level=logging.INFO, format="kernel agent: %(message)s", stream=sys.stderr)
    secret = os.environ.get(SECRET_ENV, "")
    try:
        if not secret:
            raise kernel_tls.SecretError("it is not set")
        kernel_tls.secret_bytes(secret)
    except kernel_tls.SecretError as error:
        print(
            f"kernel agent: {SECRET_ENV} must hold this kernel's secret (the server sets it): {error}", file=sys.stderr
        )
        raise SystemExit(2) from None
    port = _int_setting("KERNEL_PORT", DEFAULT_PORT, 1, 65535)
    defaults = KernelOptions()
    table_rows = _int_setting("KERNEL_TABLE_ROWS", defaults.table_rows, 1, 1_000_000)
    text_limit = _int_setting("KERNEL_TEXT_LIMIT", defaults.text_limit, 1, 100_000_000)
    if os.geteuid() == 0 and LAUNCHER_FD_ENV not in os.environ:
        launcher = [sys.executable, "-m", "app.engine.kernel.launcher", "--user", _AGENT_IDS]
        os.execv(sys.executable, [*launcher, sys.executable, "-m", "app.engine.kernel.agent"])
    address = bind_address()
    returncode = asyncio.run(serve(secret, address, port, table_rows=table_rows, text_limit=text_limit))
    # A worker killed by a signal: the shell's convention, as a container's exit code shows it.
    raise SystemExit(returncode if returncode >= 0 else 128 - returncode)


if __name__ == "__main__":
    main()
