"""The server's end of a kernel task's channel (see `agent`): a `hosts.Spawned` like a local kernel's.

`connect_kernel` authenticates the agent (its certificate carries the key derived from the kernel's secret), proves
the server holds the secret too, and relays the connection to four local pipes, so `client.KernelProcess` reads and
writes them as it does a local kernel's. The relay runs on the event loop that connected, through loop transports.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import signal
import ssl
import threading
from collections.abc import Callable
from typing import Any

from . import frames, kernel_tls
from .frames import Kind
from .hosts import Spawned
from .kernel_tls import new_secret
from .sandbox import KernelLimits

__all__ = ["CONNECTION_LOST", "KERNEL_PORT", "KernelConnectError", "RemoteKernel", "connect_kernel", "new_secret"]

KERNEL_PORT = 8790
# wait()'s code for a connection lost without a kill: the kernel may well still run, and a new connect_kernel
# reattaches to it. Reported like a hang-up, a signal that ends nothing by itself here.
CONNECTION_LOST = -int(signal.SIGHUP)
_RETRY_SECONDS = 0.2
_READ = 65536


class KernelConnectError(OSError):
    """The kernel's agent could not be reached or authenticated, or refused this server."""


async def connect_kernel(
    address: str,
    port: int,
    secret: str,
    *,
    on_kill: Callable[[], None] | None = None,
    timeout: float = 30.0,
) -> Spawned:
    """The kernel served at address:port, once both ends proved they hold `secret`. A refused TCP connection is
    retried until `timeout` (the agent may still be starting); any other failure raises KernelConnectError at once."""
    where = f"{address}:{port}"
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    reader, writer = await _open(address, port, deadline, where, timeout)
    try:
        hello = await asyncio.wait_for(_authenticate(reader, writer, secret, where), max(deadline - loop.time(), 0))
    except TimeoutError:
        writer.transport.abort()
        raise KernelConnectError(f"the kernel at {where} did not complete the handshake within {timeout:g} s") from None
    except BaseException:
        writer.transport.abort()
        raise
    frames.keep_alive(writer)
    kernel = RemoteKernel(hello, writer, on_kill, where)
    return await kernel.relay(reader)


async def _open(
    address: str, port: int, deadline: float, where: str, timeout: float
) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
    loop = asyncio.get_running_loop()
    while True:
        remaining = deadline - loop.time()
        try:
            return await asyncio.wait_for(
                asyncio.open_connection(
                    address,
                    port,
                    ssl=kernel_tls.client_context(),
                    server_hostname="",
                    ssl_handshake_timeout=max(remaining, 0.1),
                ),
                max(remaining, 0),
            )
        except ConnectionRefusedError:
            if deadline - loop.time() <= _RETRY_SECONDS:
                raise KernelConnectError(
                    f"the kernel at {where} refused connections for {timeout:g} s: its agent is not listening"
                ) from None
            await asyncio.sleep(_RETRY_SECONDS)
        except TimeoutError:
            raise KernelConnectError(f"the kernel at {where} did not answer within {timeout:g} s") from None
        except ssl.SSLError as error:
            raise KernelConnectError(f"the TLS handshake with the kernel at {where} failed: {error}") from None
        except OSError as error:
            raise KernelConnectError(f"could not connect to the kernel at {where}: {error}") from None


async def _authenticate(
    reader: asyncio.StreamReader, writer: asyncio.StreamWriter, secret: str, where: str
) -> dict[str, Any]:
    ssl_object = writer.get_extra_info("ssl_object")
    problem = kernel_tls.check_pin(ssl_object.getpeercert(binary_form=True) if ssl_object else None, secret)
    if problem is not None:
        raise KernelConnectError(f"the kernel at {where} did not prove it holds this kernel's secret: {problem}")
    try:
        kind, nonce = await frames.read(reader)
        if kind is not Kind.NONCE or len(nonce) != kernel_tls.NONCE_BYTES:
            raise frames.FrameError(f"it sent {kind.name} instead of its nonce")
        writer.write(frames.encode(Kind.PROOF, kernel_tls.proof(secret, nonce)))
        await writer.drain()
        kind, payload = await frames.read(reader)
    except asyncio.IncompleteReadError:
        raise KernelConnectError(
            f"the kernel at {where} closed the connection during the handshake: it refused this server's proof "
            "of the kernel's secret (see the agent's log)"
        ) from None
    except (OSError, frames.FrameError) as error:
        raise KernelConnectError(f"the handshake with the kernel at {where} failed: {error}") from None
    if kind is not Kind.HELLO:
        raise KernelConnectError(f"the kernel at {where} sent {kind.name} instead of its worker's description")
    hello: dict[str, Any] = json.loads(payload)
    return hello


class _Flow(asyncio.Protocol):
    """A pipe transport's protocol that lets the relay wait while the client has not read what it was given."""

    def __init__(self) -> None:
        self._writable = asyncio.Event()
        self._writable.set()

    def pause_writing(self) -> None:
        self._writable.clear()

    def resume_writing(self) -> None:
        self._writable.set()

    def connection_lost(self, exc: Exception | None) -> None:
        self._writable.set()

    async def drained(self) -> None:
        await self._writable.wait()


class RemoteKernel:
    """The handle of a kernel served by an agent. `wait()` returns the worker's code once the agent reports it,
    -SIGKILL once the connection ends after `kill()`, CONNECTION_LOST if it ends otherwise."""

    def __init__(
        self, hello: dict[str, Any], writer: asyncio.StreamWriter, on_kill: Callable[[], None] | None, where: str
    ) -> None:
        self.pid: int = int(hello["pid"])
        self.limits = KernelLimits.from_dict(hello["limits"])
        self.where = where
        self._writer = writer
        self._loop = asyncio.get_running_loop()
        self._on_kill = on_kill
        self._killed = False
        self._returncode = CONNECTION_LOST
        self._ended = threading.Event()
        self._tasks: list[asyncio.Task[None]] = []

    def interrupt(self) -> None:
        self._send(frames.encode(Kind.INTERRUPT))

    def kill(self) -> None:
        """Asks the agent to end the worker (the agent then exits), then calls `on_kill` (which stops the task)."""
        self._killed = True
        self._send(frames.encode(Kind.KILL))
        if self._on_kill is not None:
            self._on_kill()

    def detach(self) -> None:
        """Drops the connection and leaves the kernel running, for a later connect_kernel to reattach."""
        with contextlib.suppress(RuntimeError):  # the loop is closed: so is the connection
            self._loop.call_soon_threadsafe(self._writer.close)

    def wait(self) -> int:
        self._ended.wait()
        return self._returncode

    def _send(self, frame: bytes) -> None:
        def write() -> None:
            if not self._writer.is_closing():
                self._writer.write(frame)

        with contextlib.suppress(RuntimeError):  # the loop is closed: so is the connection
            self._loop.call_soon_threadsafe(write)

    async def relay(self, reader: asyncio.StreamReader) -> Spawned:
        """Four local pipes: the far ends for the client, the near ends relayed to and from the connection."""
        stdin, stdout, stderr, messages = os.pipe(), os.pipe(), os.pipe(), os.pipe()
        near = (stdin[0], stdout[1], stderr[1], messages[1])
        far = (stdin[1], stdout[0], stderr[0], messages[0])
        loop = self._loop
        try:
            commands = asyncio.StreamReader(limit=_READ)
            await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(commands), os.fdopen(stdin[0], "rb", 0))
            outputs: dict[Kind, tuple[asyncio.WriteTransport, _Flow]] = {}
            for kind, fd in ((Kind.STDOUT, stdout[1]), (Kind.STDERR, stderr[1]), (Kind.MESSAGES, messages[1])):
                transport, flow = await loop.connect_write_pipe(_Flow, os.fdopen(fd, "wb", 0))
                outputs[kind] = (transport, flow)
        except BaseException:
            for fd in near + far:
                with contextlib.suppress(OSError):
                    os.close(fd)
            self._writer.transport.abort()
            raise
        self._tasks = [
            loop.create_task(self._forward_commands(commands)),
            loop.create_task(self._receive(reader, outputs)),
        ]
        return Spawned(self, stdin=far[0], stdout=far[1], stderr=far[2], messages=far[3])

    async def _forward_commands(self, commands: asyncio.StreamReader) -> None:
        # The client closing its end is not relayed: a server going away must not end the kernel (it ends it with
        # an explicit `shutdown` command or a kill).
        while data := await commands.read(_READ):
            if self._writer.is_closing():
                return
            self._writer.write(frames.encode(Kind.COMMANDS, data))
            with contextlib.suppress(ConnectionError):
                await self._writer.drain()

    async def _receive(
        self, reader: asyncio.StreamReader, outputs: dict[Kind, tuple[asyncio.WriteTransport, _Flow]]
    ) -> None:
        returncode: int | None = None
        try:
            while True:
                kind, payload = await frames.read(reader)
                if kind is Kind.EXITED:
                    returncode = int(json.loads(payload)["returncode"])
                    break
                output = outputs.get(kind)
                if output is None:
                    raise frames.FrameError(f"an agent does not send {kind.name}")
                transport, flow = output
                transport.write(payload)
                await flow.drained()
        except (OSError, EOFError, frames.FrameError) as error:
            if not self._killed:
                note = (
                    f"\nthe connection to the kernel at {self.where} was lost ({_describe(error)}); the kernel may "
                    "still be running, and reconnecting reattaches to it\n"
                )
                outputs[Kind.STDERR][0].write(note.encode())
        finally:
            self._writer.close()
            for transport, _ in outputs.values():
                transport.close()  # after what was written: the client reads it all, then the end
            if returncode is None:
                returncode = -int(signal.SIGKILL) if self._killed else CONNECTION_LOST
            self._returncode = returncode
            self._ended.set()


def _describe(error: BaseException) -> str:
    if isinstance(error, asyncio.IncompleteReadError):
        return "it closed"
    return str(error) or type(error).__name__
