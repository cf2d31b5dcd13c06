"""Kernel side of the protocol: JSON lines to the server, and the stdout/stderr that user code writes to.

SIGINT must reach user code as KeyboardInterrupt, but never cut a protocol line in half: the guard raises it only
while user code runs, and defers it until a write of the main thread has finished.
"""

from __future__ import annotations

import codecs
import io
import json
import os
import select
import signal
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from types import FrameType
from typing import Any

# Output is sent at most this long after it was written (sooner on flush()), batching quick successive writes.
FLUSH_DELAY = 0.02
FLUSH_SIZE = 8192
PIPE_READ = 65536


class InterruptGuard:
    def __init__(self) -> None:
        self.armed = False
        self._writing = False
        self._deferred = False

    def install(self) -> None:
        signal.signal(signal.SIGINT, self._handle)

    def _handle(self, signum: int, frame: FrameType | None) -> None:
        if not self.armed:
            return  # the cell already finished: nothing to interrupt
        if self._writing:
            self._deferred = True
            return
        raise KeyboardInterrupt

    @contextmanager
    def user_code(self) -> Iterator[None]:
        self._deferred = False
        self.armed = True
        try:
            yield
        finally:
            self.armed = False

    @contextmanager
    def writing(self) -> Iterator[None]:
        if threading.current_thread() is not threading.main_thread():
            yield  # signal handlers only ever run in the main thread
            return
        self._writing = True
        try:
            yield
        finally:
            self._writing = False
            if self._deferred and self.armed:
                self._deferred = False
                raise KeyboardInterrupt


class Channel:
    def __init__(self, fd: int, guard: InterruptGuard) -> None:
        self._fd = fd
        self._guard = guard
        self._lock = threading.Lock()

    def send(self, message: dict[str, Any]) -> None:
        data = memoryview(json.dumps(message, ensure_ascii=False, default=str).encode() + b"\n")
        with self._guard.writing(), self._lock:
            while data:
                data = data[os.write(self._fd, data) :]


class CellStream(io.TextIOBase):
    """`sys.stdout`/`sys.stderr` of the kernel: text goes to the server attributed to the running cell."""

    def __init__(self, name: str, fd: int, channel: Channel, current_cell: Callable[[], str | None]) -> None:
        super().__init__()
        self.stream_name = name
        self._fd = fd
        self._channel = channel
        self._current_cell = current_cell
        self.lock = threading.RLock()
        self.sources: list[FdCapture] = []  # descriptors drained into this stream before each write
        self._buffer: list[str] = []
        self._size = 0
        self._cell: str | None = None
        self.flush_requested = threading.Event()

    encoding = "utf-8"

    def writable(self) -> bool:
        return True

    def isatty(self) -> bool:
        return False

    def fileno(self) -> int:
        return self._fd  # subprocesses given sys.stdout write to the descriptor, which FdCapture streams too

    def write(self, text: str) -> int:
        if not isinstance(text, str):
            raise TypeError(f"write() argument must be str, not {type(text).__name__}")
        if not text:
            return 0
        with self.lock:
            # What a child process wrote to the descriptor before this print must come out before it.
            for source in self.sources:
                source.drain_locked()
            self.append_locked(text)
        return len(text)

    def append_locked(self, text: str) -> None:
        """Adds text attributed to the running cell; the caller holds `lock`."""
        if not text:
            return
        cell = self._current_cell()
        if cell != self._cell:
            self._flush_locked()
            self._cell = cell
        self._buffer.append(text)
        self._size += len(text)
        if self._size >= FLUSH_SIZE:
            self._flush_locked()
        else:
            self.flush_requested.set()

    def flush(self) -> None:
        with self.lock:
            self._flush_locked()

    def _flush_locked(self) -> None:
        if not self._buffer:
            return
        text = "".join(self._buffer)
        self._buffer.clear()
        self._size = 0
        self._channel.send({"op": "stream", "cell": self._cell, "name": self.stream_name, "text": text})


class FdCapture:
    """Output written straight to file descriptor 1 or 2 (subprocesses, C extensions) joins the cell's stream.

    The descriptor becomes a pipe. It is read under the stream's lock, by a thread when it has data and by every
    write of the stream before its own text: a pipe is first in, first out, so output keeps the order it was written
    in, whichever way it was written.
    """

    def __init__(self, fd: int, stream: CellStream) -> None:
        read_fd, write_fd = os.pipe()
        os.dup2(write_fd, fd)
        os.close(write_fd)
        self._read_fd = read_fd
        self._stream = stream
        self._decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
        stream.sources.append(self)
        threading.Thread(target=self._forward, name=f"fd-{fd}-capture", daemon=True).start()

    def sync(self) -> None:
        """Everything written to the descriptor so far is in the stream when this returns."""
        with self._stream.lock:
            self.drain_locked()

    def drain_locked(self) -> None:
        # A reader that keeps up stops at a short read, so a child that never stops writing cannot hold us here.
        while select.select([self._read_fd], [], [], 0)[0]:
            chunk = os.read(self._read_fd, PIPE_READ)
            self._stream.append_locked(self._decoder.decode(chunk))
            if len(chunk) < PIPE_READ:
                break

    def _forward(self) -> None:
        while True:
            select.select([self._read_fd], [], [])
            self.sync()


def start_flusher(streams: list[CellStream]) -> None:
    """Sends what a stream buffered once it is FLUSH_DELAY old, so a partial line never waits for the cell to end."""
    wake = threading.Event()
    for stream in streams:
        stream.flush_requested = wake

    def loop() -> None:
        while True:
            wake.wait()
            wake.clear()
            time.sleep(FLUSH_DELAY)
            for stream in streams:
                stream.flush()

    threading.Thread(target=loop, name="stream-flusher", daemon=True).start()
