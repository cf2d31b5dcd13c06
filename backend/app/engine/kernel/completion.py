"""Completion, hover docs and signature help, answered inside the kernel.

Python uses Jedi over the live namespace, so names that cells defined complete with their real attributes. Jedi may
not run descriptors or `__getitem__` of user objects (`allow_unsafe_interpreter_executions`), so asking never runs a
cell's code. SQL cells complete the DataFrames SQL can read by name, and their columns.

The requests are answered by the thread that reads commands, also while a cell runs: Jedi reads a copy of the
namespace, so a cell that binds names meanwhile cannot break it.
"""

from __future__ import annotations

import re
import tempfile
from typing import Any

from ..privates import is_mangled

MAX_ITEMS = 500
_DOC_CHARS = 10_000
_FRAME_TYPES = {("pandas", "DataFrame"), ("polars", "DataFrame")}
_SQL_WORD = re.compile(r"(?:([A-Za-z_]\w*)\.)?(\w*)$")


class Completer:
    def __init__(self, namespace: dict[str, Any]) -> None:
        self._namespace = namespace
        self._jedi: Any = None

    def answer(self, command: dict[str, Any]) -> dict[str, Any]:
        code, cursor = command["code"], command["cursor"]
        names = _visible(dict(self._namespace), command["private_prefix"])
        if command["op"] == "complete":
            if command["kind"] == "sql":
                return _complete_sql(names, code, cursor)
            return self._complete_python(names, code, cursor)
        return self._inspect(names, code, cursor)

    def _script(self, names: dict[str, Any], code: str) -> Any:
        if self._jedi is None:
            import jedi  # type: ignore[import-untyped]  # on first use: most kernels never complete anything

            jedi.settings.allow_unsafe_interpreter_executions = False
            jedi.settings.case_insensitive_completion = False
            # The kernel's user may have no writable home for Jedi's parse cache.
            jedi.settings.cache_directory = tempfile.mkdtemp(prefix="jedi-")
            self._jedi = jedi
        return self._jedi.Interpreter(code, [names])

    def _complete_python(self, names: dict[str, Any], code: str, cursor: int) -> dict[str, Any]:
        line, column = _position(code, cursor)
        completions = self._script(names, code).complete(line, column)[:MAX_ITEMS]
        typed = len(completions[0].name_with_symbols) - len(completions[0].complete) if completions else 0
        items = [
            {"label": item.name_with_symbols, "kind": item.type, "detail": item.description} for item in completions
        ]
        return {"start": cursor - max(typed, 0), "items": items}

    def _inspect(self, names: dict[str, Any], code: str, cursor: int) -> dict[str, Any]:
        line, column = _position(code, cursor)
        script = self._script(names, code)
        docs = [
            {
                "name": name.name,
                "full_name": name.full_name,
                "kind": name.type,
                "signatures": [signature.to_string() for signature in name.get_signatures()],
                "doc": name.docstring(raw=True)[:_DOC_CHARS],
            }
            for name in script.help(line, column)
        ]
        signatures = [
            {
                "label": signature.to_string(),
                "params": [param.to_string() for param in signature.params],
                "active": signature.index,
                "doc": signature.docstring(raw=True)[:_DOC_CHARS],
            }
            for signature in script.get_signatures(line, column)
        ]
        return {"docs": docs, "signatures": signatures}


def _complete_sql(names: dict[str, Any], code: str, cursor: int) -> dict[str, Any]:
    table, typed = _SQL_WORD.search(code[:cursor]).groups()  # type: ignore[union-attr]  # matches any text
    frames = {name: value for name, value in names.items() if _is_frame(value)}
    items: list[dict[str, Any]] = []
    if table is not None:
        if table in frames:
            items = _columns(table, frames[table])
    else:
        mentioned = set(re.findall(r"\w+", code))
        items = [{"label": name, "kind": "table", "detail": _shape(frame)} for name, frame in frames.items()]
        for name in sorted(mentioned & frames.keys()):
            items += _columns(name, frames[name])
    matching = [item for item in items if item["label"].startswith(typed)]
    return {"start": cursor - len(typed), "items": matching[:MAX_ITEMS]}


def _visible(namespace: dict[str, Any], prefix: str) -> dict[str, Any]:
    """The names as the cell spells them: its own private names (`_tmp`) unmangled, other cells' left out."""
    names = {name: value for name, value in namespace.items() if not is_mangled(name)}
    return names | {name.removeprefix(prefix): value for name, value in namespace.items() if name.startswith(prefix)}


def _position(code: str, cursor: int) -> tuple[int, int]:
    """Jedi's (1-based line, column) of a character offset."""
    before = code[:cursor]
    line_start = before.rfind("\n") + 1
    return before.count("\n") + 1, cursor - line_start


def _is_frame(value: object) -> bool:
    kind = type(value)
    return (kind.__module__.partition(".")[0], kind.__name__) in _FRAME_TYPES


def _shape(frame: Any) -> str:
    rows, columns = frame.shape
    return f"DataFrame: {rows} rows, {columns} columns"


def _columns(table: str, frame: Any) -> list[dict[str, Any]]:
    dtypes = dict(zip(frame.columns, frame.dtypes, strict=True))
    return [{"label": str(name), "kind": "column", "detail": f"{table}: {dtype}"} for name, dtype in dtypes.items()]
