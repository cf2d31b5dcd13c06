"""Kernel side of the protocol: JSON lines to the server, and the stdout/stderr that user code writes to.

SIGINT must reach user code as KeyboardInterrupt, but never cut a protocol line in half: the guard raises it only
while user code runs, and defers it until a write of the main thread has finished.
"""

from __future__ import annotations

import codecs
import io
import json
import os
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
        self._lock = threading.RLock()
        self._buffer: list[str] = []
        self._size = 0
        self._cell: str | None = None
        self.flush_requested = threading.Event()

    @property
    def encoding(self) -> str:
        return "utf-8"

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
        with self._lock:
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
        return len(text)

    def flush(self) -> None:
        with self._lock:
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

    The descriptor becomes a pipe read by a thread. `sync()` writes a marker into the pipe and waits until the thread
    reaches it: a pipe is first in, first out, so everything the cell wrote before it ended is then in the stream.
    """

    def __init__(self, fd: int, stream: CellStream) -> None:
        read_fd, write_fd = os.pipe()
        os.dup2(write_fd, fd)
        os.close(write_fd)
        self._fd = fd
        self._read_fd = read_fd
        self._stream = stream
        self._marker = b"\x00sync-" + os.urandom(8).hex().encode() + b"\x00"
        self._reached = threading.Event()
        self._decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
        threading.Thread(target=self._forward, name=f"fd-{fd}-capture", daemon=True).start()

    def sync(self, timeout: float = 1.0) -> None:
        self._reached.clear()
        os.write(self._fd, self._marker)
        self._reached.wait(timeout)

    def _forward(self) -> None:
        carried = b""
        while chunk := os.read(self._read_fd, 65536):
            data = carried + chunk
            while (index := data.find(self._marker)) >= 0:
                self._emit(data[:index])
                self._reached.set()
                data = data[index + len(self._marker) :]
            # Keep back a tail that could be the start of a marker split across reads.
            keep = next(
                (
                    size
                    for size in range(min(len(data), len(self._marker) - 1), 0, -1)
                    if self._marker.startswith(data[-size:])
                ),
                0,
            )
            self._emit(data[: len(data) - keep])
            carried = data[len(data) - keep :]

    def _emit(self, data: bytes) -> None:
        text = self._decoder.decode(data)
        if text:
            self._stream.write(text)


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
