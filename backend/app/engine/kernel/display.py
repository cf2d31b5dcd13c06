"""What a cell shows: its last expression's value as a table, a Plotly spec, a PNG, the value's own rich display
(HTML, markdown, SVG, PNG/JPEG, JSON: see `mime`), or a bounded text repr.

Libraries are looked up in `sys.modules` only: a value can only be a DataFrame if pandas is already imported, so a
cell that never touches pandas, Plotly or matplotlib never pays for importing them.
"""

from __future__ import annotations

import array
import base64
import collections
import io
import json
import reprlib
import secrets
import sys
from collections.abc import Callable
from typing import Any

from ..privates import demangle
from .mime import rich

MAX_TABLE_COLUMNS = 200
_SHORTENED = (list, tuple, set, frozenset, dict, collections.deque, array.array, str, bytes, int)


def render(value: Any, *, table_rows: int, text_limit: int, keep_table: Callable[[Any], str]) -> dict[str, Any] | None:
    """`keep_table` keeps a displayed DataFrame for paging and returns the id its table output is sent with."""
    frame = as_frame(value)
    if frame is not None:
        return table(frame, table_rows, keep_table(frame))
    plotly = sys.modules.get("plotly.basedatatypes")
    if plotly is not None and isinstance(value, plotly.BaseFigure):
        return {"kind": "plotly", "spec": json.loads(value.to_json())}
    figure = _matplotlib_figure(value)
    if figure is None and value is None:
        figure = _current_pyplot_figure()
    if figure is not None:
        return png(figure)
    if value is None:
        return None
    return rich(value, text_limit) or text(value, text_limit)


def as_frame(value: Any) -> Any:
    """The value as a DataFrame when it is a pandas DataFrame or Series, else None."""
    pandas = sys.modules.get("pandas")
    if pandas is not None and isinstance(value, pandas.Series):
        return value.to_frame()
    if pandas is not None and isinstance(value, pandas.DataFrame):
        return value
    return None


def table(frame: Any, rows: int, table_id: str) -> dict[str, Any]:
    head = frame.iloc[:rows, :MAX_TABLE_COLUMNS]
    total_rows, total_columns = frame.shape
    return {
        "kind": "table",
        "table_id": table_id,
        **frame_rows(head),
        "total_rows": total_rows,
        "total_columns": total_columns,
        "truncated": len(head) < total_rows or len(head.columns) < total_columns,
    }


def frame_rows(frame: Any) -> dict[str, Any]:
    """The frame's column labels, dtypes, index and rows, as JSON values."""
    data = json.loads(frame.to_json(orient="split", date_format="iso", default_handler=str))
    return {
        "columns": [column_label(column) for column in frame.columns],
        "dtypes": [str(dtype) for dtype in frame.dtypes],
        "index": data["index"],
        "rows": data["data"],
    }


def png(figure: Any) -> dict[str, Any]:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", bbox_inches="tight")
    return {"kind": "image", "mime": "image/png", "data": base64.b64encode(buffer.getvalue()).decode("ascii")}


def text(value: Any, limit: int) -> dict[str, Any]:
    """The value's repr, at most `limit` characters; `truncated` when any of it was left out, by reprlib's shortening
    of long containers, strings and numbers (shown as `...`) or by the limit."""
    shortener = reprlib.Repr()
    # Every elision reprlib makes writes its fill value: a token no repr contains tells whether it made any.
    elided = f"\x00{secrets.token_hex(8)}\x00"
    shortener.fillvalue = elided
    shortener.maxlevel = 6
    for attribute in ("maxtuple", "maxlist", "maxarray", "maxdict", "maxset", "maxfrozenset", "maxdeque"):
        setattr(shortener, attribute, 200)
    shortener.maxstring = shortener.maxlong = shortener.maxother = limit
    # reprlib shortens builtin containers without building their full repr; any other object's own __repr__ runs
    # as is, so that its failure is the cell's error rather than a silent placeholder.
    rendered = shortener.repr(value) if isinstance(value, _SHORTENED) else repr(value)
    shortened = elided in rendered
    rendered = demangle(rendered.replace(elided, "..."))
    truncated = shortened or len(rendered) > limit
    if len(rendered) > limit:
        rendered = rendered[:limit] + f"… ({len(rendered) - limit} more characters)"
    return {"kind": "text", "text": rendered, "truncated": truncated}


def close_figures() -> None:
    """Figures belong to the cell that drew them (as in Jupyter's inline backend), so none leaks into the next."""
    pyplot = sys.modules.get("matplotlib.pyplot")
    if pyplot is not None:
        pyplot.close("all")


def column_label(column: Any) -> str:
    return " / ".join(map(str, column)) if isinstance(column, tuple) else str(column)


def _matplotlib_figure(value: Any) -> Any:
    module = sys.modules.get("matplotlib.figure")
    artist_module = sys.modules.get("matplotlib.artist")
    if module is None or artist_module is None:
        return None
    if isinstance(value, module.Figure):
        return value
    candidates = value if isinstance(value, list | tuple) and value else [value]
    if all(isinstance(item, artist_module.Artist) for item in candidates):
        figure = candidates[0].get_figure()
        return figure.get_figure(root=True) if hasattr(figure, "get_figure") else figure
    return None


def _current_pyplot_figure() -> Any:
    pyplot = sys.modules.get("matplotlib.pyplot")
    if pyplot is None or not pyplot.get_fignums():
        return None
    return pyplot.gcf()
