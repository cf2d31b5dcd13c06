"""A notebook read from a Jupyter notebook (nbformat 4) or a Python script, as the export writes them.

A script is split on the export's marker lines (`# %% [python] id=...`, `[sql] id=... output=...`, `[markdown]`);
its `[preamble]` block is skipped, a `disabled` cell (one the export commented out for a static error) is
uncommented, and a script without markers becomes one Python cell.
"""

from __future__ import annotations

import ast
import json
import re
import uuid
from typing import Any

from app.engine import Cell, CellType, Notebook
from app.services.export import IPYNB_METADATA_KEY, MARKER, without_shown_result

MAX_CODE_BYTES = 1024 * 1024
MAX_CELLS = 10_000
_CELL_ID = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
_OPTION = re.compile(r"(\w+)=(\S+)")


class ImportFailed(ValueError):
    """The content is not a notebook of the format given; the message says what is wrong."""


def from_content(content: str, fmt: str) -> Notebook:
    cells = from_ipynb(content) if fmt == "ipynb" else from_python(content)
    if len(cells) > MAX_CELLS:
        raise ImportFailed(f"the notebook has {len(cells)} cells; at most {MAX_CELLS} can be imported")
    used: set[str] = set()
    unique: list[Cell] = []
    for position, (cell_id, cell_type, code, output_name) in enumerate(cells, 1):
        if len(code.encode()) > MAX_CODE_BYTES:
            raise ImportFailed(f"cell {position} has more than {MAX_CODE_BYTES} bytes of code (1 MiB)")
        if not cell_id or not _CELL_ID.match(cell_id) or cell_id in used:
            cell_id = uuid.uuid4().hex[:12]
        used.add(cell_id)
        unique.append(Cell(cell_id, cell_type, code, output_name if cell_type is CellType.SQL else None))
    return Notebook(unique)


def _source(value: Any, where: str) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, list) and all(isinstance(line, str) for line in value):
        return "".join(value)
    raise ImportFailed(f"{where}: 'source' must be a string or a list of strings")


def from_ipynb(content: str) -> list[tuple[str | None, CellType, str, str | None]]:
    try:
        document = json.loads(content)
    except (ValueError, RecursionError) as error:
        raise ImportFailed(f"the content is not JSON, so not a Jupyter notebook (.ipynb): {error}") from None
    if not isinstance(document, dict) or not isinstance(document.get("cells"), list):
        raise ImportFailed("not a Jupyter notebook: expected a JSON object with a 'cells' list (nbformat 4)")
    if document.get("nbformat") != 4:
        raise ImportFailed(
            f"nbformat {document.get('nbformat')!r} is not supported: save it as nbformat 4 (Jupyter does by default)"
        )
    cells: list[tuple[str | None, CellType, str, str | None]] = []
    for position, cell in enumerate(document["cells"], 1):
        where = f"cell {position}"
        if not isinstance(cell, dict):
            raise ImportFailed(f"{where} is not a JSON object")
        kind = cell.get("cell_type")
        source = _source(cell.get("source", ""), where)
        metadata = cell.get("metadata")
        ours: dict[str, Any] = {}
        if isinstance(metadata, dict) and isinstance(metadata.get(IPYNB_METADATA_KEY), dict):
            ours = metadata[IPYNB_METADATA_KEY]
        cell_id = cell.get("id") if isinstance(cell.get("id"), str) else None
        if kind in ("markdown", "raw"):
            cells.append((cell_id, CellType.MARKDOWN, source, None))
        elif kind == "code":
            output_name = ours.get("output_name") if isinstance(ours.get("output_name"), str) else None
            if output_name is not None and not output_name.isidentifier():
                output_name = None
            cell_type = CellType.SQL if ours.get("type") == "sql" else CellType.PYTHON
            cells.append((cell_id, cell_type, source, output_name))
        else:
            raise ImportFailed(f"{where} has cell_type {kind!r}; expected 'code', 'markdown' or 'raw'")
    return cells


def from_python(content: str) -> list[tuple[str | None, CellType, str, str | None]]:
    markers = list(MARKER.finditer(content))
    if not markers:
        return [(None, CellType.PYTHON, content.strip("\n"), None)] if content.strip() else []
    cells: list[tuple[str | None, CellType, str, str | None]] = []
    before = content[: markers[0].start()]
    is_code = not all(line.startswith("#") or not line.strip() for line in before.splitlines())
    if is_code and not re.search(r"^DATABASE = ", before, re.MULTILINE):  # the export's header is not a cell
        cells.append((None, CellType.PYTHON, before.strip("\n"), None))
    for index, marker in enumerate(markers):
        end = markers[index + 1].start() if index + 1 < len(markers) else len(content)
        body = content[marker.end() + 1 : end].strip("\n")
        kind = marker.group(1)
        if kind == "preamble":
            continue
        words = marker.group(2).split()
        options = dict(_OPTION.findall(marker.group(2)))
        line = content.count("\n", 0, marker.start()) + 1
        if kind == "markdown" or "disabled" in words:
            body = "\n".join(re.sub(r"^# ?", "", text) for text in body.split("\n") if not text.startswith("# !! "))
        if kind == "sql" and "disabled" not in words:
            body = _sql_source(body, line)
        elif kind == "python" and "disabled" not in words:
            body = without_shown_result(body)
        cells.append((options.get("id"), CellType(kind), body, options.get("output")))
    return cells


def _sql_source(body: str, line: int) -> str:
    """The query of an exported SQL cell: the first argument of its `_notebook_sql(...)` call."""
    try:
        tree = ast.parse(body)
    except SyntaxError as error:
        raise ImportFailed(f"the SQL cell at line {line} is not the export's Python: {error.msg}") from None
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id == "_notebook_sql"
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
        ):
            return node.args[0].value
    raise ImportFailed(
        f'the SQL cell at line {line} has no _notebook_sql("<query>", ...) call: write the query as its first argument'
    )
