"""The kernel process: one notebook's namespace, running one command at a time.

Started by `KernelProcess` with commands as JSON lines on stdin and replies as JSON lines on the descriptor named in
its configuration. Its own stdout/stderr stay pipes the server streams too, for output that bypasses `sys.stdout`
(subprocesses, C extensions, the fatal-error dump of a crash).
"""

from __future__ import annotations

import builtins
import errno
import faulthandler
import io
import json
import os
import queue
import resource
import signal
import sys
import threading
import time
import types
from collections.abc import Iterable
from typing import IO, Any

from ..magics import PIP_FUNCTION
from .channel import CellOutput, CellStream, Channel, FdCapture, InterruptGuard, start_flusher
from .completion import Completer
from .display import close_figures, render
from .execute import ErrorPayload, PythonRunner, describe_error
from .packages import run_pip
from .ran_cells import digest
from .sandbox import KernelLimits, confine, count_tasks, prctl
from .sql_runner import SqlRunner
from .tables import TableError, TableQuery, Tables

_PR_SET_PDEATHSIG = 1


class _NoInput(io.TextIOBase):
    def readable(self) -> bool:
        return True

    # typeshed declares the str readline on its private _TextIOBase and silences the clash with _IOBase's bytes
    # readline there; every override inherits that clash.
    def readline(self, size: int | None = -1) -> str:  # type: ignore[override]
        raise EOFError("input() is not available in a notebook cell: assign the value in a cell instead")

    read = readline


class Kernel:
    def __init__(self, channel: Channel, guard: InterruptGuard, *, table_rows: int, text_limit: int) -> None:
        self.channel = channel
        self.guard = guard
        self.table_rows = table_rows
        self.text_limit = text_limit
        # User code runs as the real __main__ module, so pickle and multiprocessing find the classes it defines.
        main_module = types.ModuleType("__main__")
        main_module.__dict__["__builtins__"] = builtins
        sys.modules["__main__"] = main_module
        self.namespace: dict[str, Any] = main_module.__dict__
        self.current_cell: str | None = None
        # stdout and stderr share one buffer, so the server gets them in the order they were written.
        self.output = CellOutput(channel, lambda: self.current_cell)
        self.stdout = CellStream("stdout", 1, self.output)
        self.stderr = CellStream("stderr", 2, self.output)
        self.captures = [FdCapture(1, "stdout", self.output), FdCapture(2, "stderr", self.output)]
        start_flusher(self.output)
        sys.stdout, sys.stderr, sys.stdin = self.stdout, self.stderr, _NoInput()
        self.python = PythonRunner(self.namespace)
        # What `%pip` lines run (see magics): a builtin, so that no cell's namespace shows it.
        setattr(builtins, PIP_FUNCTION, run_pip)
        self.sql = SqlRunner()
        self.private_bindings: dict[str, frozenset[str]] = {}
        self.tables = Tables()
        self.completer = Completer(self.namespace)
        # The cells whose last run succeeded (see `ran_cells`): replaced whole, never changed, so another thread may
        # read it.
        self.ran: dict[str, dict[str, Any]] = {}

    def serve(self, commands: IO[bytes]) -> None:
        self.channel.send({"op": "ready", "pid": os.getpid()})
        queued: queue.SimpleQueue[dict[str, Any]] = queue.SimpleQueue()
        threading.Thread(target=self._read, args=(commands, queued), name="kernel-commands", daemon=True).start()
        while True:
            command = queued.get()
            if command["op"] == "run":
                self.run(command)
            elif command["op"] == "forget":
                self.forget(command["cells"], command["names"])
            elif command["op"] == "table":
                self.table_page(command)
            elif command["op"] == "shutdown":
                return

    def _read(self, commands: IO[bytes], queued: queue.SimpleQueue[dict[str, Any]]) -> None:
        """Answers completion requests at once, even while a cell runs; queues the other commands in order."""
        for line in commands:
            command = json.loads(line)
            if command["op"] in ("complete", "inspect"):
                self._assist(command)
            elif command["op"] == "state":  # answered at once: a server reattaching must not wait for a long cell
                self.channel.send({"op": "reply", "id": command["id"], "cells": self.ran})
            else:
                queued.put(command)
        queued.put({"op": "shutdown"})  # the server closed the command stream

    def _assist(self, command: dict[str, Any]) -> None:
        try:
            reply: dict[str, Any] = {"result": self.completer.answer(command)}
        except Exception as failure:  # Jedi failed on this code: the editor just gets no suggestions
            reply = {"error": f"{type(failure).__name__}: {failure}"}
        self.channel.send({"op": "reply", "id": command["id"], **reply})

    def run(self, command: dict[str, Any]) -> None:
        cell_id = command["cell"]
        self._forget_run(cell_id)
        self.tables.drop(cell_id)
        self._delete(command["delete"])
        self._delete(self.private_bindings.pop(cell_id, ()))
        self.private_bindings[cell_id] = frozenset(command["private_names"])
        self.current_cell = cell_id
        started = time.perf_counter()
        status, output, error = "success", None, None
        try:
            with self.guard.user_code():
                # From this message on, the server knows a SIGINT reaches this cell.
                self.channel.send({"op": "started", "cell": cell_id})
                output = self._execute(cell_id, command)
        except KeyboardInterrupt as interrupt:
            status, error = "interrupted", describe_error(interrupt, self.python.shifts)
        except BaseException as failure:  # SystemExit included: a cell cannot stop the kernel
            status, error = "error", _explain_limit(failure, describe_error(failure, self.python.shifts))
        duration = time.perf_counter() - started
        self.output.sync()
        close_figures()
        self.current_cell = None
        if status == "success":
            ran = {"digest": digest(command), "names": command.get("defines", []), "output": output}
            self.ran = self.ran | {cell_id: ran | {"duration": duration}}
        self.channel.send(
            {"op": "done", "cell": cell_id, "status": status, "output": output, "error": error, "duration": duration}
        )

    def forget(self, cell_ids: Iterable[str], names: Iterable[str]) -> None:
        self._delete(names)
        for cell_id in cell_ids:
            self._forget_run(cell_id)
            self.tables.drop(cell_id)
            self._delete(self.private_bindings.pop(cell_id, ()))
            self.python.forget(cell_id)

    def _forget_run(self, cell_id: str) -> None:
        if cell_id in self.ran:
            self.ran = {other: ran for other, ran in self.ran.items() if other != cell_id}

    def _execute(self, cell_id: str, command: dict[str, Any]) -> dict[str, Any] | None:
        if command["kind"] == "sql":
            frame, status = self.sql.run(cell_id, command["code"], command["connection"], self.namespace)
            self.namespace[command["output_name"]] = frame  # spelled for the cell by the server when private
            if status is not None:
                return {"kind": "text", "text": status, "truncated": False}
            value = frame
        else:
            value = self.python.run(cell_id, command["code"], command["compiled"])
        return render(
            value,
            table_rows=self.table_rows,
            text_limit=self.text_limit,
            keep_table=lambda frame: self.tables.keep(cell_id, frame),
        )

    def table_page(self, command: dict[str, Any]) -> None:
        """Answers between cells, so the frame is never read while a cell changes it."""
        try:
            reply = {"page": self.tables.page(command["cell"], TableQuery.from_dict(command["query"]))}
        except TableError as refused:
            reply = {"error": {"problem": refused.problem, "message": str(refused)}}
        except Exception as failure:  # pandas could not apply the query to these values: the request's problem
            reply = {"error": {"problem": "invalid", "message": f"{type(failure).__name__}: {failure}"}}
        self.channel.send({"op": "reply", "id": command["id"], **reply})

    def _delete(self, names: Iterable[str]) -> None:
        for name in names:
            self.namespace.pop(name, None)


# The errors a kernel limit causes, the limit, and the setting that raises it.
_LIMITS = {
    "memory": (resource.RLIMIT_AS, "memory limit of {} MB", 1024 * 1024, "KERNEL_MEMORY_MB"),
    "processes": (resource.RLIMIT_NPROC, "limit of {} processes", 1, "KERNEL_PROCESSES"),
    "files": (resource.RLIMIT_NOFILE, "limit of {} open files", 1, "KERNEL_OPEN_FILES"),
}


def _explain_limit(failure: BaseException, error: ErrorPayload) -> ErrorPayload:
    """Adds which kernel limit a failure most likely hit, and the setting that raises it."""
    if isinstance(failure, MemoryError):
        kind = "memory"
    elif isinstance(failure, BlockingIOError) and failure.errno == errno.EAGAIN and _at_process_limit():
        kind = "processes"
    elif isinstance(failure, OSError) and failure.errno == errno.EMFILE:
        kind = "files"
    else:
        return error
    which, limit, unit, setting = _LIMITS[kind]
    value = resource.getrlimit(which)[1]
    if value == resource.RLIM_INFINITY:
        return error
    note = f"the kernel reached its {limit.format(value // unit)} (the service's setting {setting})"
    message = f"{error['message']}: {note}" if error["message"] else note
    return {**error, "message": message, "text": f"{error['text']}\n{note}"}


def _at_process_limit() -> bool:
    limit = resource.getrlimit(resource.RLIMIT_NPROC)[1]
    return limit != resource.RLIM_INFINITY and count_tasks(os.getuid()) >= limit - 1  # the fork was one more


def _die_with_parent(parent_pid: int) -> None:
    """A kernel must not outlive the server or launcher that started it (a spinning cell would burn a core forever):
    Linux kills it for us."""
    # Not Linux: the server still kills the kernel's process group when it closes the session.
    prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent_pid:  # the parent died before the request took effect
        os._exit(1)


def main(argv: list[str]) -> None:
    config = json.loads(argv[0])
    _die_with_parent(config["parent_pid"])
    # Before any user code: from here on the kernel cannot raise its limits back.
    confine(KernelLimits.from_dict(config["limits"]), own_uid=config["own_uid"])
    sys.argv = [""]
    commands = os.fdopen(os.dup(0), "rb")
    # User code must not read the command stream: its stdin is /dev/null from here on.
    devnull = os.open(os.devnull, os.O_RDONLY)
    os.dup2(devnull, 0)
    os.close(devnull)
    # Descriptor 2 is about to become a pipe this process reads itself: a crash report must bypass it.
    crash_report = os.fdopen(os.dup(2), "w")
    faulthandler.enable(file=crash_report, all_threads=False)
    guard = InterruptGuard()
    guard.install()
    channel = Channel(config["message_fd"], guard)
    kernel = Kernel(channel, guard, table_rows=config["table_rows"], text_limit=config["text_limit"])
    kernel.serve(commands)
