"""A notebook written out as a Python script, a Jupyter notebook (nbformat 4.5) or a static HTML page.

The script runs with plain `python file.py`: its cells come in the engine's run order (dependencies first), each after
a marker line `# %% [python] id=<cell id>` (`[sql] id=<id> output=<name>`, `[markdown] id=<id>`) that the import
splits on. SQL cells call a helper of the script's preamble that runs them as the kernel does: in an in-memory DuckDB
over the script's DataFrames by name, or, when the notebook has a connection string, on PostgreSQL through psycopg
with the connection string read from the environment variable `NOTEBOOK_DATABASE_URL` (the stored one is never
written out). `{name}` placeholders are bind parameters in both, as in the kernel (app.engine.sql makes the `$n`
text at export time).
"""

from __future__ import annotations

import ast
import base64
import html
import inspect
import json
import re
import urllib.parse
from dataclasses import dataclass
from types import ModuleType
from typing import Any

from app.engine import Cell, CellType
from app.engine import sql as sql_template
from app.engine.kernel import sql_statements
from app.services.live import LiveNotebook

MARKER = re.compile(r"^# %% \[(python|sql|markdown|preamble)\](.*)$", re.MULTILINE)
DATABASE_VARIABLE = "NOTEBOOK_DATABASE_URL"
IPYNB_METADATA_KEY = "notebook"  # cell metadata {"notebook": {"type": "sql", "output_name": ...}}


@dataclass(frozen=True)
class ExportedCell:
    cell: Cell
    static_errors: tuple[str, ...] = ()
    console: tuple[tuple[str, str], ...] = ()  # (stream, text)
    outputs: tuple[dict[str, Any], ...] = ()
    error: dict[str, Any] | None = None


@dataclass(frozen=True)
class ExportedNotebook:
    name: str
    cells: list[ExportedCell]  # notebook order
    run_order: list[str]  # cell ids in the engine's run order
    uses_postgres: bool


# -- file names --------------------------------------------------------------------------------------------------

MEDIA_TYPES = {
    "py": "text/x-python; charset=utf-8",
    "ipynb": "application/x-ipynb+json",
    "html": "text/html; charset=utf-8",
}


def content_disposition(name: str, extension: str) -> str:
    """`attachment` with an ASCII-only, header-safe filename and the full name in RFC 5987's `filename*`."""
    stem = re.sub(r"[^A-Za-z0-9._ -]+", "_", name).strip(" ._")[:100] or "notebook"
    full = f"{name.strip()[:100] or 'notebook'}.{extension}".replace("/", "_").replace("\\", "_")
    return f"attachment; filename=\"{stem}.{extension}\"; filename*=UTF-8''{urllib.parse.quote(full, safe='')}"


# -- Python script -----------------------------------------------------------------------------------------------


def _source_without_docstring(module: ModuleType) -> str:
    source = inspect.getsource(module)
    docstring = ast.parse(source).body[0]
    return "\n".join(source.split("\n")[docstring.end_lineno :]).strip("\n") + "\n"


_PREAMBLE = '''\
# %% [preamble] (helpers of the export; the import skips this block)
import os as _notebook_os

_NOTEBOOK_DUCKDB = None
_NOTEBOOK_POSTGRES = None


def _notebook_show(value):
    """What the notebook shows of a cell's last expression."""
    if value is not None:
        print(repr(value))


def _notebook_sql(source, text, params, tables):
    """Runs a SQL cell as the notebook's kernel does; `text` is `source` with its {name} placeholders as $1, $2..."""
    if DATABASE == "postgresql":
        return _notebook_postgres(text, params)
    return _notebook_duckdb(text, params, tables)


def _notebook_duckdb(text, params, tables):
    import duckdb
    import pandas

    global _NOTEBOOK_DUCKDB
    if _NOTEBOOK_DUCKDB is None:
        _NOTEBOOK_DUCKDB = duckdb.connect(":memory:", config={"python_enable_replacements": False})
    connection = _NOTEBOOK_DUCKDB
    for name, value in tables.items():
        connection.register(name, value)
    result, status = None, None
    try:
        for statement in duckdb.extract_statements(text):
            keys = [key for key in statement.named_parameters if key.isdigit() and 1 <= int(key) <= len(params)]
            rows, status = duckdb_statement_result(connection, statement, {key: params[int(key) - 1] for key in keys})
            if rows is not None:
                result = rows
    finally:
        for name in tables:
            connection.unregister(name)
    if result is None:
        print(status or "OK")
        return pandas.DataFrame()
    print(repr(result))
    return result


def _notebook_postgres(text, params):
    import pandas
    import psycopg

    global _NOTEBOOK_POSTGRES
    if _NOTEBOOK_POSTGRES is None:
        conninfo = _notebook_os.environ.get("NOTEBOOK_DATABASE_URL")
        if not conninfo:
            raise SystemExit(
                "this notebook's SQL cells run on PostgreSQL: set NOTEBOOK_DATABASE_URL to its connection string"
            )
        _NOTEBOOK_POSTGRES = psycopg.Connection.connect(conninfo, autocommit=True, cursor_factory=psycopg.RawCursor)
    with _NOTEBOOK_POSTGRES.cursor() as cursor:
        cursor.execute(text, params or None)
        columns, rows, status = postgres_last_rows(cursor)
    if columns is None:
        print(status)
        return pandas.DataFrame()
    result = pandas.DataFrame.from_records(rows, columns=columns)
    print(repr(result))
    return result


''' + _source_without_docstring(sql_statements)


def _literal(text: str) -> str:
    """A Python string literal of `text`: triple-quoted when that is exact and readable, else repr."""
    if '"""' not in text and "\\" not in text and not text.endswith('"') and "\r" not in text:
        return '"""' + text + '"""'
    return repr(text)


def _commented(text: str) -> list[str]:
    return [f"# {line}".rstrip() for line in text.split("\n")]


def _span(code: str, node: ast.expr | ast.stmt) -> tuple[int, int]:
    """Character offsets of a node in the code (ast gives UTF-8 byte columns)."""
    lines = code.split("\n")

    def offset(line: int, column: int) -> int:
        return sum(len(text) + 1 for text in lines[: line - 1]) + len(lines[line - 1].encode()[:column].decode())

    return offset(node.lineno, node.col_offset), offset(node.end_lineno or node.lineno, node.end_col_offset or 0)


def _with_shown_result(code: str) -> str:
    """The cell's code with its final expression statement wrapped in `_notebook_show(...)`, as the kernel shows it."""
    tree = ast.parse(code)
    if not tree.body or not isinstance(last := tree.body[-1], ast.Expr):
        return code
    start, end = _span(code, last.value)
    return code[:start] + "_notebook_show(" + code[start:end] + ")" + code[end:]


def without_shown_result(code: str) -> str:
    """Undoes `_with_shown_result` (for the import of an exported script)."""
    try:
        tree = ast.parse(code)
    except SyntaxError:
        return code
    if not tree.body or not isinstance(last := tree.body[-1], ast.Expr):
        return code
    call = last.value
    if not (
        isinstance(call, ast.Call)
        and isinstance(call.func, ast.Name)
        and call.func.id == "_notebook_show"
        and len(call.args) == 1
        and not call.keywords
    ):
        return code
    start, end = _span(code, call)
    inner_start, inner_end = _span(code, call.args[0])
    return code[:start] + code[inner_start:inner_end] + code[end:]


def to_python(notebook: ExportedNotebook) -> str:
    by_id = {exported.cell.id: exported for exported in notebook.cells}
    order = [cell_id for cell_id in notebook.run_order if cell_id in by_id]
    order += [exported.cell.id for exported in notebook.cells if exported.cell.id not in order]
    database = "postgresql" if notebook.uses_postgres else "duckdb"
    parts = [
        f"# {notebook.name}".rstrip(),
        "# Exported from the notebook service: run it with `python <file>`. Cells come in dependency order, each after",
        "# a `# %% [type] id=...` line (the import splits on them).",
    ]
    if notebook.uses_postgres:
        parts.append(f"# The SQL cells run on PostgreSQL: set {DATABASE_VARIABLE} to the connection string.")
    parts += ["", f'DATABASE = "{database}"', "", _PREAMBLE]
    for cell_id in order:
        parts.append(_python_cell(by_id[cell_id]))
    return "\n".join(parts).rstrip("\n") + "\n"


def _python_cell(exported: ExportedCell) -> str:
    cell = exported.cell
    if cell.type is CellType.MARKDOWN:
        return "\n".join([f"# %% [markdown] id={cell.id}", *_commented(cell.code), ""])
    header = f"# %% [{cell.type.value}] id={cell.id}"
    if cell.type is CellType.SQL:
        header += f" output={cell.sql_output_name}"
    if exported.static_errors:
        lines = [header + " disabled"]
        lines += [f"# !! {line}" for error in exported.static_errors for line in error.split("\n")]
        return "\n".join([*lines, *_commented(cell.code), ""])
    if cell.type is CellType.SQL:
        template = sql_template.parse(cell.code)
        tables = sql_template.table_names(template)
        # The kernel registers the tables that exist as Python names; DuckDB reports the others.
        table_map = f"{{_k: globals()[_k] for _k in {list(tables)!r} if _k in globals()}}" if tables else "{}"
        call = (
            f"{cell.sql_output_name} = _notebook_sql(\n    {_literal(cell.code)},\n    {_literal(template.text)},\n"
            f"    [{', '.join(template.names)}],\n    {table_map},\n)"
        )
        return "\n".join([header, call, ""])
    return "\n".join([header, _with_shown_result(cell.code), ""])


# -- Jupyter notebook --------------------------------------------------------------------------------------------


def _lines(text: str) -> list[str]:
    return text.splitlines(keepends=True)


def _table_html(output: dict[str, Any]) -> str:
    head = "".join(f"<th>{html.escape(str(column))}</th>" for column in output["columns"])
    body = "".join(
        "<tr><th>"
        + html.escape(str(index))
        + "</th>"
        + "".join(f"<td>{html.escape('' if value is None else str(value))}</td>" for value in row)
        + "</tr>"
        for index, row in zip(output["index"], output["rows"], strict=False)
    )
    note = ""
    if output.get("truncated"):
        note = f"<p>{output['total_rows']} rows x {output['total_columns']} columns (the first shown)</p>"
    return f"<table><thead><tr><th></th>{head}</tr></thead><tbody>{body}</tbody></table>{note}"


def _table_text(output: dict[str, Any]) -> str:
    rows = [["", *map(str, output["columns"])]]
    rows += [
        [str(index), *("" if value is None else str(value) for value in row)]
        for index, row in zip(output["index"], output["rows"], strict=False)
    ]
    widths = [max(len(row[column]) for row in rows) for column in range(len(rows[0]))]
    return "\n".join("  ".join(value.rjust(width) for value, width in zip(row, widths, strict=False)) for row in rows)


def mime_bundle(output: dict[str, Any]) -> dict[str, Any]:
    """A stored output as a Jupyter MIME bundle."""
    kind = output["kind"]
    if kind == "text":
        return {"text/plain": output["text"]}
    if kind == "html":
        return {"text/html": output["html"], "text/plain": "<HTML output>"}
    if kind == "markdown":
        return {"text/markdown": output["markdown"], "text/plain": output["markdown"]}
    if kind == "image":
        return {output["mime"]: output["data"], "text/plain": "<image>"}
    if kind == "svg":
        return {"image/svg+xml": output["svg"], "text/plain": "<SVG image>"}
    if kind == "json":
        return {"application/json": output["data"], "text/plain": json.dumps(output["data"])}
    if kind == "table":
        return {"text/html": _table_html(output), "text/plain": _table_text(output)}
    if kind == "plotly":
        return {"application/vnd.plotly.v1+json": output["spec"], "text/plain": "<Plotly figure>"}
    return {"text/plain": json.dumps(output)}


def to_ipynb(notebook: ExportedNotebook) -> str:
    cells: list[dict[str, Any]] = []
    for exported in notebook.cells:
        cell = exported.cell
        metadata: dict[str, Any] = {IPYNB_METADATA_KEY: {"type": cell.type.value}}
        if cell.type is CellType.MARKDOWN:
            cells.append({"cell_type": "markdown", "id": cell.id, "metadata": metadata, "source": _lines(cell.code)})
            continue
        if cell.type is CellType.SQL:
            metadata[IPYNB_METADATA_KEY]["output_name"] = cell.sql_output_name
        outputs: list[dict[str, Any]] = [
            {"output_type": "stream", "name": stream, "text": _lines(text)} for stream, text in exported.console
        ]
        outputs += [
            {"output_type": "execute_result", "execution_count": None, "data": mime_bundle(output), "metadata": {}}
            for output in exported.outputs
        ]
        if exported.error is not None:
            outputs.append(
                {
                    "output_type": "error",
                    "ename": exported.error["type"],
                    "evalue": exported.error["message"],
                    "traceback": exported.error["text"].split("\n"),
                }
            )
        cells.append(
            {
                "cell_type": "code",
                "id": cell.id,
                "metadata": metadata,
                "execution_count": None,
                "source": _lines(cell.code),
                "outputs": outputs,
            }
        )
    document = {
        "nbformat": 4,
        "nbformat_minor": 5,
        "metadata": {
            "title": notebook.name,
            "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
            "language_info": {"name": "python"},
            IPYNB_METADATA_KEY: {"database": "postgresql" if notebook.uses_postgres else "duckdb"},
        },
        "cells": cells,
    }
    return json.dumps(document, indent=1, ensure_ascii=False) + "\n"


# -- static HTML -------------------------------------------------------------------------------------------------

_STYLE = """
body { font-family: system-ui, sans-serif; max-width: 60rem; margin: 2rem auto; padding: 0 1rem; color: #1f2328; }
.cell { border: 1px solid #d0d7de; border-radius: 6px; margin: 1rem 0; padding: 0.5rem 1rem; }
.cell-type { font-size: 0.75rem; color: #57606a; }
pre { background: #f6f8fa; padding: 0.5rem; overflow-x: auto; white-space: pre-wrap; }
pre.error { background: #ffebe9; }
iframe { width: 100%; min-height: 12rem; border: 1px solid #d0d7de; }
table { border-collapse: collapse; } th, td { border: 1px solid #d0d7de; padding: 0.2rem 0.5rem; }
"""
# The page runs no script of its own; HTML outputs run sandboxed (no same origin), as in the app.
CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-src 'self' about:; script-src 'none'"
_BASE64 = re.compile(r"^[A-Za-z0-9+/=\s]*$")


def _html_output(output: dict[str, Any]) -> str:
    kind = output["kind"]
    if kind == "html":
        return f'<iframe sandbox="allow-scripts" srcdoc="{html.escape(output["html"], quote=True)}"></iframe>'
    if kind == "image" and _BASE64.match(output["data"]) and output["mime"] in ("image/png", "image/jpeg"):
        return f'<img alt="image output" src="data:{output["mime"]};base64,{output["data"]}">'
    if kind == "svg":  # an <img> never runs an SVG's scripts
        data = base64.b64encode(output["svg"].encode()).decode()
        return f'<img alt="SVG output" src="data:image/svg+xml;base64,{data}">'
    if kind == "table":
        return _table_html(output)
    if kind == "json":
        return f"<pre>{html.escape(json.dumps(output['data'], indent=2))}</pre>"
    if kind == "markdown":
        return f'<pre class="markdown">{html.escape(output["markdown"])}</pre>'
    if kind == "plotly":
        title = (output["spec"].get("layout") or {}).get("title")
        text = title.get("text") if isinstance(title, dict) else title
        return f"<p>[Plotly chart{': ' + html.escape(str(text)) if text else ''} — open the notebook to see it]</p>"
    return f"<pre>{html.escape(str(output.get('text', '')))}</pre>"


def to_html(notebook: ExportedNotebook) -> str:
    title = html.escape(notebook.name)
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">',
        f"<title>{title}</title><style>{_STYLE}</style></head><body>",
        f"<h1>{title}</h1>",
    ]
    for exported in notebook.cells:
        cell = exported.cell
        label = cell.type.value + (f" → {cell.sql_output_name}" if cell.type is CellType.SQL else "")
        parts.append(f'<section class="cell" id="cell-{html.escape(cell.id)}">')
        parts.append(f'<div class="cell-type">{html.escape(label)}</div>')
        parts.append(f'<pre class="code {cell.type.value}">{html.escape(cell.code)}</pre>')
        for error in () if exported.error else exported.static_errors:
            parts.append(f'<pre class="error">{html.escape(error)}</pre>')
        console = "".join(text for _, text in exported.console)
        if console:
            parts.append(f'<pre class="console">{html.escape(console)}</pre>')
        parts += [_html_output(output) for output in exported.outputs]
        if exported.error is not None:
            parts.append(f'<pre class="error">{html.escape(exported.error["text"])}</pre>')
        parts.append("</section>")
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"


# How the engine names a cell in messages (`cell_filename`): an export shows the `[n]` labels the page shows.
_CELL_REFERENCE = re.compile(r'File "<cell ([\w-]+)>"|<cell ([\w-]+)>')


def label_cells(text: str, labels: dict[str, str]) -> str:
    def label(match: re.Match[str]) -> str:
        framed, bare = match.groups()
        return f"Cell {labels.get(framed, '[deleted]')}" if framed else labels.get(bare, "[deleted]")

    return _CELL_REFERENCE.sub(label, text)


def exported(live: LiveNotebook) -> ExportedNotebook:
    """The notebook's cells with their last results (run-time results are not stored: a fresh one has none)."""
    session = live.session
    graph = session.graph
    labels = {cell.id: f"[{index}]" for index, cell in enumerate(session.notebook.cells, start=1)}
    cells = []
    for cell in session.notebook.cells:
        state = session.states[cell.id].to_dict()
        error = state["error"]
        cells.append(
            ExportedCell(
                cell=cell,
                static_errors=tuple(label_cells(error.message, labels) for error in graph.errors.get(cell.id, ())),
                console=tuple((chunk["name"], label_cells(chunk["text"], labels)) for chunk in state["console"]),
                outputs=() if state["output"] is None else (state["output"],),
                error=None
                if error is None
                else error
                | {"message": label_cells(error["message"], labels), "text": label_cells(error["text"], labels)},
            )
        )
    return ExportedNotebook(
        name=live.name,
        cells=cells,
        run_order=graph.sort(cell.id for cell in session.notebook.cells),
        uses_postgres=bool(session.notebook.connection_string),
    )
