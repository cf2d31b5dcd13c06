"""Server side of one kernel process: start it, send it cells, stream what it prints, notice when it dies.

Everything here runs on the asyncio event loop without blocking it: pipes are read through loop transports and the
process is reaped by a small thread, so a busy or hung kernel never delays other notebooks.
"""

from __future__ import annotations

import asyncio
import codecs
import contextlib
import itertools
import json
import os
import signal
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ..events import StreamName
from .credentials import CredentialsEndpoint, Grant
from .hosts import Detachable, Explained, KernelHandle, KernelHost, Progress, default_host
from .sandbox import CPU_GRACE_SECONDS, KernelLimits

# After the process exits, how long its pipes may take to deliver what it wrote last.
_DRAIN_SECONDS = 1.0
_STDERR_TAIL = 2000  # characters of raw stderr kept to explain a kernel that dies while starting


class KernelBusy(Exception):
    """The kernel is running a cell: a request would wait for the cell to end, which may be never."""


class KernelDied(Exception):
    def __init__(self, returncode: int | None, detail: str = "", limits: KernelLimits | None = None) -> None:
        self.returncode = returncode
        super().__init__(describe_exit(returncode, limits) + (f": {detail}" if detail else ""))


def describe_exit(returncode: int | None, limits: KernelLimits | None = None) -> str:
    """`limits`: those of a kernel that died by itself, to name the one a signal most likely enforced."""
    if returncode is None:
        return "the kernel process is not running"
    if returncode < 0:
        try:
            number = signal.Signals(-returncode)
        except ValueError:
            return f"the kernel process was killed by signal {-returncode}"
        described = f"the kernel process was killed by signal {number.name} ({signal.strsignal(number)})"
        return described + _limit_hint(number, limits)
    return f"the kernel process exited with code {returncode}"


def _limit_hint(number: signal.Signals, limits: KernelLimits | None) -> str:
    if limits is None or not limits.cpu_seconds:
        return ""
    cpu = f"its CPU time limit of {limits.cpu_seconds} s (setting KERNEL_CPU_SECONDS; a restart resets the count)"
    if number is signal.SIGXCPU:
        return f": it used up {cpu}"
    if number is signal.SIGKILL:
        return f": it either kept running {CPU_GRACE_SECONDS} s past {cpu}, or the machine ran out of memory"
    return ""


@dataclass(frozen=True)
class KernelOptions:
    host: KernelHost | None = None  # None: the launcher if the server runs under it, else the server itself
    table_rows: int = 100  # rows of a DataFrame sent for display
    text_limit: int = 10_000  # characters of a text repr sent for display
    start_timeout: float = 60.0
    # Where each kernel gets the kernel role's credentials from; None: kernels get no AWS credentials.
    credentials: CredentialsEndpoint | None = None


StreamCallback = Callable[[str | None, StreamName, str], None]  # (cell id or None, stream, text)


class KernelProcess:
    def __init__(
        self,
        options: KernelOptions,
        on_stream: StreamCallback,
        on_exit: Callable[[KernelProcess, int], None],
        name: str = "",
        size: str | None = None,
        on_progress: Progress | None = None,
    ) -> None:
        self._options = options
        self.name = name  # the notebook's id: names its AWS session, and its kernel task on ECS
        self._size = size  # its size preset (setting KERNEL_SIZES; None: the first), where the host sizes kernels
        self._on_progress = on_progress
        self._on_stream = on_stream
        self._on_exit = on_exit
        self._handle: KernelHandle | None = None
        self._commands: asyncio.WriteTransport | None = None
        self._transports: list[asyncio.BaseTransport] = []
        self._ready: asyncio.Future[int] | None = None
        self._pending: asyncio.Future[dict[str, Any]] | None = None
        self._requests: dict[int, asyncio.Future[dict[str, Any]]] = {}  # by the id sent with the request
        self._request_ids = itertools.count()
        self._messages_closed = asyncio.Event()
        self._stderr_closed = asyncio.Event()
        self._finished = asyncio.Event()
        self._finishing: asyncio.Task[None] | None = None
        self._discarded = False
        self.returncode: int | None = None
        self.running_cell: str | None = None
        self._stderr_tail = ""
        self._started = False  # the kernel confirmed the running cell's user code began
        self._interrupt_on_start = False
        self._grant: Grant | None = None
        self.started_at: float | None = None  # time.monotonic() when it was started

    @property
    def pid(self) -> int | None:
        return self._handle.pid if self._handle else None

    @property
    def limits(self) -> KernelLimits | None:
        return self._handle.limits if self._handle else None

    @property
    def local(self) -> bool:
        """Its processes are this machine's; a kernel that can outlive the server runs elsewhere (its own task)."""
        return not isinstance(self._handle, Detachable)

    @property
    def alive(self) -> bool:
        return self._handle is not None and not self._finished.is_set() and self.returncode is None

    async def start(self) -> None:
        loop = asyncio.get_running_loop()
        self._ready = loop.create_future()
        self.started_at = time.monotonic()
        host = self._options.host or default_host()
        credentials = self._options.credentials
        if credentials is not None:
            self._grant = credentials.grant(self.name)
        try:
            spawned = await host.spawn(
                table_rows=self._options.table_rows,
                text_limit=self._options.text_limit,
                env=self._grant.environment if self._grant else None,
                notebook_id=self.name,
                size=self._size,
                on_progress=self._on_progress,
            )
        except BaseException:
            self._revoke()
            raise
        self._handle = handle = spawned.handle
        # Reaped from the start, so that stop() can always wait for the end, even if start() is cancelled below.
        threading.Thread(target=self._reap, args=(loop,), name=f"kernel-{handle.pid}-reaper", daemon=True).start()
        for fd, protocol in (
            (spawned.messages, _Lines(self._on_message, self._messages_closed.set)),
            (spawned.stdout, _Text(lambda text: self._on_raw("stdout", text), lambda: None)),
            (spawned.stderr, _Text(lambda text: self._on_raw("stderr", text), self._stderr_closed.set)),
        ):
            transport, _ = await loop.connect_read_pipe(_factory(protocol), os.fdopen(fd, "rb", buffering=0))
            self._transports.append(transport)
        stdin = os.fdopen(spawned.stdin, "wb", buffering=0)
        self._commands, _ = await loop.connect_write_pipe(asyncio.Protocol, stdin)
        self._transports.append(self._commands)
        try:
            await asyncio.wait_for(asyncio.shield(self._ready), self._options.start_timeout)
        except TimeoutError:
            self.kill(f"it did not become ready within {self._options.start_timeout:g} s")
            raise

    async def execute(self, command: dict[str, Any]) -> dict[str, Any]:
        """Sends a `run` command and returns the kernel's `done` reply; raises KernelDied if it dies meanwhile."""
        if self._pending is not None:
            raise RuntimeError("the kernel is already running a cell")
        if not self.alive:
            raise KernelDied(self.returncode)
        self._pending = asyncio.get_running_loop().create_future()
        self.running_cell = command["cell"]
        self._started = self._interrupt_on_start = False
        try:
            self.send(command)
            return await self._pending
        finally:
            self._pending = None
            self.running_cell = None

    async def request(self, command: dict[str, Any], *, while_busy: bool = False) -> dict[str, Any]:
        """Sends a command the kernel answers between cells and returns its `reply`; raises KernelBusy while a cell
        runs, KernelDied if the kernel dies before answering. `while_busy`: a command the kernel answers also
        while a cell runs (completion)."""
        if self._pending is not None and not while_busy:
            raise KernelBusy(f"the kernel is running cell {self.running_cell}")
        if not self.alive:
            raise KernelDied(self.returncode)
        request_id = next(self._request_ids)
        reply: asyncio.Future[dict[str, Any]] = asyncio.get_running_loop().create_future()
        self._requests[request_id] = reply
        try:
            self.send(command | {"id": request_id})
            return await reply
        finally:
            del self._requests[request_id]

    def send(self, command: dict[str, Any]) -> None:
        if self._commands is None or self._commands.is_closing():
            raise KernelDied(self.returncode)
        self._commands.write(json.dumps(command).encode() + b"\n")

    def interrupt(self) -> None:
        """KeyboardInterrupt in the running cell. The kernel ignores SIGINT outside user code, so a cell whose
        start is not confirmed yet gets it as soon as it is."""
        if self._pending is not None and not self._started:
            self._interrupt_on_start = True
        else:
            self._signal_interrupt()

    def _signal_interrupt(self) -> None:
        if self.alive and self._handle:
            self._handle.interrupt()

    def kill(self, why: str = "the server ended it") -> None:
        """Ends the kernel and everything it started, without reporting it as a crash. `why`: told to a host that
        records it (see `hosts.Explained`)."""
        self._discarded = True
        self._revoke()
        if isinstance(self._handle, Explained):
            self._handle.kill_because(why)
        elif self._handle is not None:
            self._handle.kill()

    async def stop(self, timeout: float = 2.0, why: str = "the server ended it") -> None:
        self._discarded = True
        if self._handle is None:
            return
        if self.alive:
            with contextlib.suppress(KernelDied):
                self.send({"op": "shutdown"})
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._finished.wait(), timeout)
        self.kill(why)
        await self._finished.wait()

    async def detach(self) -> None:
        """Leaves a kernel that can outlive the server (see `hosts.Detachable`) running, for the next server to
        reattach; stops any other."""
        handle = self._handle
        if not isinstance(handle, Detachable) or not self.alive:
            await self.stop(why="the server stopped")
            return
        self._discarded = True
        self._revoke()
        handle.detach()
        await self._finished.wait()

    # -- events from the process -----------------------------------------------------------------------------------

    def _on_message(self, line: bytearray) -> None:
        message = json.loads(line)
        match message["op"]:
            case "stream":
                self._on_stream(message["cell"], message["name"], message["text"])
            case "started" if message["cell"] == self.running_cell:
                self._started = True
                if self._interrupt_on_start:
                    self._signal_interrupt()
            case "reply":
                reply = self._requests.get(message["id"])
                if reply is not None and not reply.done():
                    reply.set_result(message)
            case "done" if message["cell"] == self.running_cell:  # not a cell a previous server sent (reattached)
                if self._pending is not None and not self._pending.done():
                    self._pending.set_result(message)
            case "ready":
                if self._ready is not None and not self._ready.done():
                    self._ready.set_result(message["pid"])

    def _on_raw(self, name: StreamName, text: str) -> None:
        if name == "stderr" and not (self._ready and self._ready.done()):
            self._stderr_tail = (self._stderr_tail + text)[-_STDERR_TAIL:]
        self._on_stream(self.running_cell, name, text)

    def _reap(self, loop: asyncio.AbstractEventLoop) -> None:
        assert self._handle is not None
        returncode = self._handle.wait()
        with contextlib.suppress(RuntimeError):  # the loop may be closed already
            loop.call_soon_threadsafe(self._start_finishing, returncode)

    def _start_finishing(self, returncode: int) -> None:
        self._finishing = asyncio.get_running_loop().create_task(self._finish(returncode))

    def _revoke(self) -> None:
        """The kernel's credentials token stops working: it is ending or gone."""
        if self._grant is not None and self._options.credentials is not None:
            self._options.credentials.revoke(self._grant)
            self._grant = None

    async def _finish(self, returncode: int) -> None:
        self._revoke()
        self.returncode = returncode
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(
                asyncio.gather(self._messages_closed.wait(), self._stderr_closed.wait()), _DRAIN_SECONDS
            )
        for transport in self._transports:
            transport.close()
        if self._ready is not None and not self._ready.done():
            self._ready.set_exception(KernelDied(returncode, self._stderr_tail.strip(), self.limits))
        if self._pending is not None and not self._pending.done():
            self._pending.set_exception(KernelDied(returncode, limits=None if self._discarded else self.limits))
        for reply in self._requests.values():
            if not reply.done():
                reply.set_exception(KernelDied(returncode))
        if self._ready is not None and self._ready.done() and not self._ready.cancelled():
            self._ready.exception()  # mark as retrieved: a kernel that died while starting already raised it
        self._finished.set()
        if not self._discarded:
            self._on_exit(self, returncode)


def _factory(protocol: asyncio.Protocol) -> Callable[[], asyncio.Protocol]:
    return lambda: protocol


class _Lines(asyncio.Protocol):
    def __init__(self, on_line: Callable[[bytearray], None], on_close: Callable[[], None]) -> None:
        self._buffer = bytearray()
        self._on_line = on_line
        self._on_close = on_close

    def data_received(self, data: bytes) -> None:
        if b"\n" not in data:
            self._buffer += data  # a long message arrives in many chunks: only scan what is new
            return
        self._buffer += data
        *lines, rest = self._buffer.split(b"\n")
        self._buffer = bytearray(rest)
        for line in lines:
            self._on_line(line)

    def connection_lost(self, exc: Exception | None) -> None:
        self._on_close()


class _Text(asyncio.Protocol):
    def __init__(self, on_text: Callable[[str], None], on_close: Callable[[], None]) -> None:
        self._decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
        self._on_text = on_text
        self._on_close = on_close

    def data_received(self, data: bytes) -> None:
        text = self._decoder.decode(data)
        if text:
            self._on_text(text)

    def connection_lost(self, exc: Exception | None) -> None:
        text = self._decoder.decode(b"", final=True)
        if text:
            self._on_text(text)
        self._on_close()
