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
        self.send_all([message])

    def send_all(self, messages: list[dict[str, Any]]) -> None:
        """Sends the messages in order, as one write: an interrupt cannot fall between them."""
        lines = b"".join(json.dumps(message, ensure_ascii=False, default=str).encode() + b"\n" for message in messages)
        data = memoryview(lines)
        with self._guard.writing(), self._lock:
            while data:
                data = data[os.write(self._fd, data) :]


class CellOutput:
    """What the running cell writes to stdout and stderr, as one buffer in the order it was written.

    Each stream's text used to wait in a buffer of its own, so `print(1); print(2, file=sys.stderr); print(3)` reached
    the server as 1, 3, 2. Here both streams append to one list of chunks (a chunk: a stream's name and its text), sent
    as one `stream` message per chunk, in order.
    """

    def __init__(self, channel: Channel, current_cell: Callable[[], str | None]) -> None:
        self._channel = channel
        self._current_cell = current_cell
        self.lock = threading.RLock()
        self.sources: list[FdCapture] = []  # descriptors drained into the buffer before each write
        self._chunks: list[tuple[str, list[str]]] = []  # (stream name, its pieces of text), oldest first
        self._size = 0
        self._cell: str | None = None
        self.flush_requested = threading.Event()

    def write(self, name: str, text: str) -> None:
        with self.lock:
            # What a child process wrote to a descriptor before this print must come out before it.
            self._drain_locked()
            self.append_locked(name, text)

    def _drain_locked(self) -> None:
        # One poll of every descriptor: a print costs one system call more, not one per descriptor.
        ready = select.select([source.read_fd for source in self.sources], [], [], 0)[0]
        for source in self.sources:
            if source.read_fd in ready:
                source.drain_locked()

    def append_locked(self, name: str, text: str) -> None:
        """Adds text of one stream attributed to the running cell; the caller holds `lock`."""
        if not text:
            return
        cell = self._current_cell()
        if cell != self._cell:
            self._flush_locked()
            self._cell = cell
        if self._chunks and self._chunks[-1][0] == name:
            self._chunks[-1][1].append(text)
        else:
            self._chunks.append((name, [text]))
        self._size += len(text)
        if self._size >= FLUSH_SIZE:
            self._flush_locked()
        else:
            self.flush_requested.set()

    def sync(self) -> None:
        """Everything written so far, to the streams or the descriptors, is sent when this returns."""
        with self.lock:
            self._drain_locked()
            self._flush_locked()

    def flush(self) -> None:
        with self.lock:
            self._flush_locked()

    def _flush_locked(self) -> None:
        if not self._chunks:
            return
        messages = [
            {"op": "stream", "cell": self._cell, "name": name, "text": "".join(pieces)} for name, pieces in self._chunks
        ]
        self._chunks = []
        self._size = 0
        self._channel.send_all(messages)


class CellStream(io.TextIOBase):
    """`sys.stdout`/`sys.stderr` of the kernel: text goes to the cell's ordered output under this stream's name."""

    def __init__(self, name: str, fd: int, output: CellOutput) -> None:
        super().__init__()
        self.stream_name = name
        self._fd = fd
        self._output = output

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
        if text:
            self._output.write(self.stream_name, text)
        return len(text)

    def flush(self) -> None:
        self._output.flush()


class FdCapture:
    """Output written straight to file descriptor 1 or 2 (subprocesses, C extensions) joins the cell's output.

    The descriptor becomes a pipe. It is read under the output's lock, by a thread as soon as it has data and by
    every write to `sys.stdout`/`sys.stderr` before its own text: a pipe is first in, first out, so output keeps the
    order it was written in, whichever way it was written. Between the two pipes of one child process (its stdout and
    its stderr) the order is the order the thread sees their data in: exact when the child pauses between them (as a
    line-buffered child writing lines does, most of the time), not guaranteed for writes a few microseconds apart.
    """

    def __init__(self, fd: int, name: str, output: CellOutput) -> None:
        read_fd, write_fd = os.pipe()
        os.dup2(write_fd, fd)
        os.close(write_fd)
        self.read_fd = read_fd
        self._name = name
        self._output = output
        self._decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
        output.sources.append(self)
        threading.Thread(target=self._forward, name=f"fd-{fd}-capture", daemon=True).start()

    def drain_locked(self) -> None:
        # A reader that keeps up stops at a short read, so a child that never stops writing cannot hold us here.
        while select.select([self.read_fd], [], [], 0)[0]:
            chunk = os.read(self.read_fd, PIPE_READ)
            self._output.append_locked(self._name, self._decoder.decode(chunk))
            if len(chunk) < PIPE_READ:
                break

    def _forward(self) -> None:
        while True:
            select.select([self.read_fd], [], [])
            with self._output.lock:
                self.drain_locked()


def start_flusher(output: CellOutput) -> None:
    """Sends what the output buffered once it is FLUSH_DELAY old, so a partial line never waits for the cell to end."""

    def loop() -> None:
        while True:
            output.flush_requested.wait()
            output.flush_requested.clear()
            time.sleep(FLUSH_DELAY)
            output.flush()

    threading.Thread(target=loop, name="stream-flusher", daemon=True).start()
