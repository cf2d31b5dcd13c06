"""Compiling and running a Python cell in the kernel, and describing its errors with the user's lines only.

The server sends each cell ready to compile (see `cellcode`): the kernel does not parse cells itself.
"""

from __future__ import annotations

import ast
import asyncio
import inspect
import linecache
import traceback
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import CodeType
from typing import Any, TypedDict

from ..cellcode import RESULT_NAME, CompiledSource
from ..privates import demangle

_ENGINE_DIR = str(Path(__file__).resolve().parents[1])
_CELL_PREFIX = "<cell "


class TracebackFrame(TypedDict):
    cell_id: str | None
    filename: str
    line: int | None
    name: str
    code: str


class ErrorPayload(TypedDict):
    type: str
    message: str
    traceback: list[TracebackFrame]
    text: str


class ReportedError(Exception):
    """A failure already described for the user (SQL errors, missing connection...), shown as given."""

    def __init__(self, error_type: str, message: str, traceback_frames: list[TracebackFrame] | None = None) -> None:
        super().__init__(message)
        frames = traceback_frames or []
        lines = [f'  File "{frame["filename"]}", line {frame["line"]}\n    {frame["code"]}\n' for frame in frames]
        self.payload: ErrorPayload = {
            "type": error_type,
            "message": message,
            "traceback": frames,
            "text": "".join(lines) + f"{error_type}: {message}",
        }


def cell_filename(cell_id: str) -> str:
    """How every message names a cell (its code's file name in tracebacks too): clients show the cell's current
    position instead, which changes when cells move."""
    return f"{_CELL_PREFIX}{cell_id}>"


def cell_of(filename: str) -> str | None:
    return filename[len(_CELL_PREFIX) : -1] if filename.startswith(_CELL_PREFIX) and filename.endswith(">") else None


Shifts = Sequence[Sequence[int]]  # CompiledSource["shifts"] as it arrives: [line, column, bytes added there]


@dataclass(frozen=True)
class CompiledCell:
    code: str  # as the user wrote it: the compiled source follows from it and the cell's id
    body: CodeType
    shifts: Shifts
    settle_result: bool


def compile_cell(cell_id: str, code: str, compiled: CompiledSource) -> CompiledCell:
    """Raises SyntaxError like `compile` does, located in the cell."""
    filename = cell_filename(cell_id)
    # The user's code, registered so that tracebacks (and inspect.getsource) show the lines as the user wrote them.
    linecache.cache[filename] = (len(code), None, code.splitlines(keepends=True), filename)
    source = compiled["source"]
    try:
        body = compile(source, filename, "exec", flags=ast.PyCF_ALLOW_TOP_LEVEL_AWAIT, dont_inherit=True)
    except SyntaxError as error:
        # Only the compiler's own checks (`return` outside a function...) remain; its copy of the line would be the
        # respelled one, so the user's line is left to the traceback's location.
        error.text = None
        raise
    return CompiledCell(code, body, compiled["shifts"], compiled["settle_result"])


class PythonRunner:
    def __init__(self, namespace: dict[str, Any]) -> None:
        self._namespace = namespace
        self._compiled: dict[str, CompiledCell] = {}
        self._loop: asyncio.AbstractEventLoop | None = None

    def run(self, cell_id: str, code: str, compiled: CompiledSource) -> Any:
        cell = self._compiled.get(cell_id)
        if cell is None or cell.code != code:
            self._compiled.pop(cell_id, None)
            cell = self._compiled[cell_id] = compile_cell(cell_id, code, compiled)
        try:
            self._settle(eval(cell.body, self._namespace))
        finally:
            result = self._namespace.pop(RESULT_NAME, None)
        return self._settle(result) if cell.settle_result else result

    @property
    def shifts(self) -> dict[str, Shifts]:
        return {cell_id: cell.shifts for cell_id, cell in self._compiled.items() if cell.shifts}

    def forget(self, cell_id: str) -> None:
        self._compiled.pop(cell_id, None)
        linecache.cache.pop(cell_filename(cell_id), None)

    def _settle(self, value: Any) -> Any:
        """Top-level `await` compiles to a coroutine: run it to completion on the kernel's own event loop."""
        if not inspect.iscoroutine(value):
            return value
        if self._loop is None:
            self._loop = asyncio.new_event_loop()
        return self._loop.run_until_complete(value)


def describe_error(error: BaseException, shifts: Mapping[str, Shifts]) -> ErrorPayload:
    """Type, message and traceback of an exception, without the engine's own frames; `shifts` maps the columns of
    each cell's compiled source back to its code."""
    if isinstance(error, ReportedError):
        return error.payload
    summary = traceback.TracebackException.from_exception(error)
    _trim(summary, set(), shifts)
    frames: list[TracebackFrame] = [
        {
            "cell_id": cell_of(frame.filename),
            "filename": frame.filename,
            "line": frame.lineno,
            "name": demangle(frame.name),
            "code": demangle(frame.line or ""),
        }
        for frame in summary.stack
    ]
    return {
        "type": type(error).__qualname__,
        "message": demangle(str(error)),
        "traceback": frames,
        "text": demangle("".join(summary.format())).rstrip("\n"),
    }


def _trim(summary: traceback.TracebackException, seen: set[int], shifts: Mapping[str, Shifts]) -> None:
    if id(summary) in seen:
        return
    seen.add(id(summary))
    frames = list(summary.stack)
    engine = [index for index, frame in enumerate(frames) if frame.filename.startswith(_ENGINE_DIR)]
    first = next((index for index, frame in enumerate(frames) if cell_of(frame.filename) is not None), None)
    if first is None:  # raised by the engine or a library it called: keep what ran below the engine
        first = engine[-1] + 1 if engine else 0
    # User code that calls into the engine (print -> the kernel's stdout) ends the user's part of the stack.
    last = next((index for index in engine if index > first), len(frames))
    summary.stack = traceback.StackSummary.from_list([_user_columns(frame, shifts) for frame in frames[first:last]])
    for linked in (summary.__cause__, summary.__context__, *(getattr(summary, "exceptions", None) or [])):
        if linked is not None:
            _trim(linked, seen, shifts)


def _user_columns(frame: traceback.FrameSummary, shifts: Mapping[str, Shifts]) -> traceback.FrameSummary:
    """The frame with its columns in the cell's code rather than in the source compiled from it (for the carets)."""
    cell_shifts = shifts.get(cell_of(frame.filename) or "")
    if not cell_shifts or frame.colno is None or frame.end_colno is None:
        return frame

    def column(line: int | None, compiled: int) -> int:
        return compiled - sum(added for at_line, at, added in cell_shifts if at_line == line and at < compiled)

    return traceback.FrameSummary(
        frame.filename,
        frame.lineno,
        frame.name,
        lookup_line=False,
        end_lineno=frame.end_lineno,
        colno=column(frame.lineno, frame.colno),
        end_colno=column(frame.end_lineno, frame.end_colno),
    )
