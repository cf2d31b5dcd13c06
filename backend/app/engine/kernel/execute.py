"""Compiling and running a Python cell in the kernel, and describing its errors with the user's lines only."""

from __future__ import annotations

import ast
import asyncio
import inspect
import linecache
import traceback
from dataclasses import dataclass
from pathlib import Path
from types import CodeType
from typing import Any, TypedDict

from ..analysis import parse_python
from ..privates import demangle, mangle_privates

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
        lines = [f"  Cell {frame['cell_id']}, line {frame['line']}\n    {frame['code']}\n" for frame in frames]
        self.payload: ErrorPayload = {
            "type": error_type,
            "message": message,
            "traceback": frames,
            "text": "".join(lines) + f"{error_type}: {message}",
        }


def cell_filename(cell_id: str) -> str:
    return f"{_CELL_PREFIX}{cell_id}>"


def cell_of(filename: str) -> str | None:
    return filename[len(_CELL_PREFIX) : -1] if filename.startswith(_CELL_PREFIX) and filename.endswith(">") else None


@dataclass(frozen=True)
class CompiledCell:
    source: str
    body: CodeType
    last_expression: CodeType | None  # the value of a final expression statement is the cell's output
    private_names: frozenset[str]


def compile_cell(cell_id: str, source: str) -> CompiledCell:
    """Raises SyntaxError like `compile` does, located in the cell."""
    filename = cell_filename(cell_id)
    # Registered before compiling so that tracebacks (and inspect.getsource) can show the cell's lines.
    linecache.cache[filename] = (len(source), None, source.splitlines(keepends=True), filename)
    parsed = parse_python(source)
    if parsed.tree is None:
        ast.parse(source, filename)  # raises the SyntaxError with its location
    tree = parsed.tree
    assert tree is not None
    private_names = mangle_privates(tree, parsed.private_nodes, cell_id)
    last_expression: CodeType | None = None
    flags = ast.PyCF_ALLOW_TOP_LEVEL_AWAIT
    if tree.body and isinstance(last := tree.body[-1], ast.Expr):
        tree.body.pop()
        expression = ast.Expression(last.value)
        last_expression = compile(expression, filename, "eval", flags=flags, dont_inherit=True)
    body = compile(tree, filename, "exec", flags=flags, dont_inherit=True)
    return CompiledCell(source, body, last_expression, private_names)


class PythonRunner:
    def __init__(self, namespace: dict[str, Any]) -> None:
        self._namespace = namespace
        self._compiled: dict[str, CompiledCell] = {}
        self._loop: asyncio.AbstractEventLoop | None = None

    def compile(self, cell_id: str, source: str) -> CompiledCell:
        compiled = self._compiled.get(cell_id)
        if compiled is None or compiled.source != source:
            self._compiled.pop(cell_id, None)
            compiled = compile_cell(cell_id, source)
            self._compiled[cell_id] = compiled
        return compiled

    def run(self, cell_id: str, source: str) -> Any:
        compiled = self.compile(cell_id, source)
        self._settle(eval(compiled.body, self._namespace))
        if compiled.last_expression is None:
            return None
        return self._settle(eval(compiled.last_expression, self._namespace))

    def private_names(self, cell_id: str) -> frozenset[str]:
        compiled = self._compiled.get(cell_id)
        return compiled.private_names if compiled else frozenset()

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


def describe_error(error: BaseException) -> ErrorPayload:
    """Type, message and traceback of an exception, without the engine's own frames."""
    if isinstance(error, ReportedError):
        return error.payload
    summary = traceback.TracebackException.from_exception(error)
    _trim(summary, set())
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


def _trim(summary: traceback.TracebackException, seen: set[int]) -> None:
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
    summary.stack = traceback.StackSummary.from_list(frames[first:last])
    for linked in (summary.__cause__, summary.__context__, *(getattr(summary, "exceptions", None) or [])):
        if linked is not None:
            _trim(linked, seen)
