"""Where the server gets its kernel processes from.

`LauncherHost`: from the root launcher (see `launcher`), each kernel with a uid of its own; the server only holds
the pipes and asks the launcher to interrupt or kill. `LocalHost`: started by the server itself, with the server's
uid, when no launcher runs (not root: a developer's machine; or a test). Both give a kernel the allow-listed
environment, its limits and a working directory of its own.
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import json
import logging
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Protocol, runtime_checkable

from app.core.config import get_settings

from .sandbox import BOOT, LAUNCHER_FD_ENV, KernelLimits, kernel_environment, make_undumpable

logger = logging.getLogger(__name__)

# Whatever process runs kernels holds secrets (the server: its token, its AWS credentials): it is not dumpable from
# the moment it can start one. An execve resets the flag, so the launcher cannot set it for the server.
make_undumpable()

_MAX_MESSAGE = 4096
_SHARED_UID_WARNING = (
    "!!! KERNELS RUN AS THIS SERVER'S OWN USER (uid %d): a notebook cell can signal the server and other notebooks' "
    "kernels, and read the notebook files and anything else this user can. Each kernel still gets an allow-listed "
    "environment, its limits and its own working directory, and the server is not dumpable. For a uid per kernel, "
    "start the service as root through `python -m app.engine.kernel.launcher` (as the image does). !!!"
)


class KernelHandle(Protocol):
    pid: int
    limits: KernelLimits

    def interrupt(self) -> None: ...

    def kill(self) -> None:
        """Ends the kernel and every process it started; returns at once."""

    def wait(self) -> int:
        """Blocks until the kernel and its processes are gone; its exit code (negative: the signal that killed it)."""


@runtime_checkable
class Detachable(Protocol):
    """A kernel handle whose kernel can outlive the server (an ECS task)."""

    def detach(self) -> None:
        """Drops the server's connection and leaves the kernel running, for a later `spawn` to reattach."""


@runtime_checkable
class Explained(Protocol):
    """A kernel handle whose host records why a kernel was ended (ECS: StopTask's reason)."""

    def kill_because(self, why: str) -> None:
        """Ends the kernel as `kill` does; `why`: a few words, such as "it was idle for 1800 s"."""


@dataclass(frozen=True)
class Spawned:
    handle: KernelHandle
    stdin: int
    stdout: int
    stderr: int
    messages: int


Progress = Callable[[str], None]  # a short text on how far a kernel's start is, e.g. "ECS task PENDING (12 s)"


class KernelHost(Protocol):
    async def spawn(
        self,
        *,
        table_rows: int,
        text_limit: int,
        env: Mapping[str, str] | None = None,
        notebook_id: str = "",
        size: str | None = None,
        on_progress: Progress | None = None,
    ) -> Spawned:
        """`env`: added to the kernel's allow-listed environment (names of `sandbox.GRANTABLE` only). `notebook_id`,
        `size` (a preset of setting KERNEL_SIZES; None: the first) and `on_progress` matter where a kernel takes
        long to start or may outlive the server (ECS); a local process starts at once, at the server's limits."""


class LocalHost:
    """Kernels of the server's own uid: in their own session (killed as a process group), with the limits except the
    process limit (a per-uid count, which would include every process of the developer)."""

    def __init__(self, limits: KernelLimits, python: str = sys.executable) -> None:
        self.limits = limits
        self.python = python

    async def spawn(
        self,
        *,
        table_rows: int,
        text_limit: int,
        env: Mapping[str, str] | None = None,
        notebook_id: str = "",
        size: str | None = None,
        on_progress: Progress | None = None,
    ) -> Spawned:
        _warn_shared_uid()
        workdir = tempfile.mkdtemp(prefix="notebook-kernel-")
        stdin, stdout, stderr, messages = os.pipe(), os.pipe(), os.pipe(), os.pipe()
        config = {
            "message_fd": messages[1],
            "parent_pid": os.getpid(),
            "table_rows": table_rows,
            "text_limit": text_limit,
            "limits": self.limits.to_dict(),
            "own_uid": False,
        }
        try:
            process = subprocess.Popen(
                [self.python, "-c", BOOT, json.dumps(config)],
                stdin=stdin[0],
                stdout=stdout[1],
                stderr=stderr[1],
                pass_fds=(messages[1],),
                start_new_session=True,
                cwd=workdir,
                env=kernel_environment(os.environ, home=workdir, granted=env),
            )
        except BaseException:
            for fd in (stdin[1], stdout[0], stderr[0], messages[0]):
                os.close(fd)
            shutil.rmtree(workdir, ignore_errors=True)
            raise
        finally:
            for fd in (stdin[0], stdout[1], stderr[1], messages[1]):
                os.close(fd)
        return Spawned(_LocalKernel(process, workdir, self.limits), stdin[1], stdout[0], stderr[0], messages[0])


class _LocalKernel:
    def __init__(self, process: subprocess.Popen[bytes], workdir: str, limits: KernelLimits) -> None:
        self._process = process
        self._workdir = workdir
        self.pid = process.pid
        self.limits = limits

    def interrupt(self) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.kill(self.pid, signal.SIGINT)

    def kill(self) -> None:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.pid, signal.SIGKILL)

    def wait(self) -> int:
        returncode = self._process.wait()
        self.kill()  # what it started in its session, whose leader it was
        shutil.rmtree(self._workdir, ignore_errors=True)
        return returncode


class LauncherHost:
    """The server's end of the launcher's socket. Replies and exit reports are read by a thread, so that kernels of
    any event loop (one per test) share one launcher."""

    def __init__(self, sock: socket.socket) -> None:
        self._sock = sock
        self._lock = threading.Lock()
        self._spawns: collections.deque[tuple[asyncio.AbstractEventLoop, asyncio.Future[Spawned]]] = collections.deque()
        self._kernels: dict[int, _LaunchedKernel] = {}
        self._closed = False
        threading.Thread(target=self._read, name="kernel-launcher", daemon=True).start()

    async def spawn(
        self,
        *,
        table_rows: int,
        text_limit: int,
        env: Mapping[str, str] | None = None,
        notebook_id: str = "",
        size: str | None = None,
        on_progress: Progress | None = None,
    ) -> Spawned:
        loop = asyncio.get_running_loop()
        future: asyncio.Future[Spawned] = loop.create_future()
        with self._lock:
            if self._closed:
                raise OSError("the kernel launcher is not running")
            self._spawns.append((loop, future))
            self.send({"op": "spawn", "table_rows": table_rows, "text_limit": text_limit, "env": dict(env or {})})
        return await future

    def send(self, request: dict[str, Any]) -> None:
        with contextlib.suppress(OSError):  # a launcher that is gone fails the spawns it owes, in _read
            self._sock.send(json.dumps(request).encode())

    def _read(self) -> None:
        while True:
            try:
                data, fds, _, _ = socket.recv_fds(self._sock, _MAX_MESSAGE, 4)
            except OSError:
                data, fds = b"", []
            if not data:
                break
            for fd in fds:
                os.set_inheritable(fd, False)
            self._dispatch(json.loads(data), fds)
        logger.error("the kernel launcher exited: no kernel can start any more")
        with self._lock:
            self._closed = True
            spawns = list(self._spawns)
            self._spawns.clear()
            kernels = list(self._kernels.values())
        for loop, future in spawns:
            _resolve(loop, future, OSError("the kernel launcher exited"))
        for kernel in kernels:
            kernel.exited(-signal.SIGKILL)

    def _dispatch(self, message: dict[str, Any], fds: list[int]) -> None:
        if message["op"] == "exited":
            with self._lock:
                kernel = self._kernels.pop(message["kernel"], None)
            if kernel is not None:
                returncode = message["returncode"]
                kernel.exited(-signal.SIGKILL if returncode is None else returncode)
            return
        with self._lock:
            loop, future = self._spawns.popleft()
        if message["op"] == "spawn_failed":
            _resolve(loop, future, OSError(message["error"]))
            return
        kernel = _LaunchedKernel(self, message["kernel"], message["pid"], KernelLimits.from_dict(message["limits"]))
        with self._lock:
            self._kernels[kernel.id] = kernel
        _resolve(loop, future, Spawned(kernel, *fds))


class _LaunchedKernel:
    def __init__(self, host: LauncherHost, kernel_id: int, pid: int, limits: KernelLimits) -> None:
        self._host = host
        self.id = kernel_id
        self.pid = pid
        self.limits = limits
        self._returncode = 0
        self._exited = threading.Event()

    def interrupt(self) -> None:
        self._host.send({"op": "interrupt", "kernel": self.id})

    def kill(self) -> None:
        self._host.send({"op": "kill", "kernel": self.id})

    def wait(self) -> int:
        self._exited.wait()
        return self._returncode

    def exited(self, returncode: int) -> None:
        self._returncode = returncode
        self._exited.set()


def _resolve(loop: asyncio.AbstractEventLoop, future: asyncio.Future[Spawned], result: Spawned | OSError) -> None:
    def settle() -> None:
        if future.done():
            if isinstance(result, Spawned):  # the spawn was cancelled: the kernel is not wanted
                result.handle.kill()
                for fd in (result.stdin, result.stdout, result.stderr, result.messages):
                    os.close(fd)
            return
        if isinstance(result, OSError):
            future.set_exception(result)
        else:
            future.set_result(result)

    with contextlib.suppress(RuntimeError):  # the loop is closed: nobody waits for it
        loop.call_soon_threadsafe(settle)


@lru_cache
def default_host() -> KernelHost:
    """ECS tasks with KERNEL_LAUNCHER=ecs; else the launcher when the server was started through it (as root), else
    kernels of the server's own uid."""
    settings = get_settings()
    if settings.kernel_launcher == "ecs":
        from .ecs import host_from_settings  # here: it imports this module (and boto3, only used with ECS)

        return host_from_settings(settings)
    fd = os.environ.get(LAUNCHER_FD_ENV)
    if fd is None:
        return LocalHost(KernelLimits.from_settings())
    return LauncherHost(socket.socket(fileno=int(fd)))


_warned = threading.Event()


def _warn_shared_uid() -> None:
    if not _warned.is_set():
        _warned.set()
        logger.warning(_SHARED_UID_WARNING, os.getuid())
