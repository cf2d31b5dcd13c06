"""The DataFrames cells displayed, kept in the kernel so that a client can page, sort and filter the whole frame.

A cell's frame is replaced when the cell runs again and dropped when the cell is forgotten (deleted, or its names
removed); a restarted kernel holds none. Each kept frame has a random id, sent with the table output: a request
names the id it was shown, so a page of an older display is never served from a newer frame.

Only the frame's own methods run here (pandas converting, comparing and slicing its values), never a cell's code.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Any, Literal

from .display import MAX_TABLE_COLUMNS, column_label, frame_rows

MAX_PAGE_ROWS = 500

TableProblem = Literal["gone", "busy", "invalid"]


class TableError(Exception):
    """gone: the displayed frame is no longer in the kernel; busy: the kernel is running a cell; invalid: the
    request names an unknown column or cannot be applied to the frame."""

    def __init__(self, problem: TableProblem, message: str) -> None:
        super().__init__(message)
        self.problem = problem


@dataclass(frozen=True)
class TableQuery:
    table_id: str
    offset: int = 0
    limit: int = 100
    sort: str | None = None  # a column's label
    descending: bool = False
    text: str = ""  # matched in every column
    filters: tuple[tuple[str, str], ...] = ()  # (column label, text) matched in that column

    def to_dict(self) -> dict[str, Any]:
        return {
            "table_id": self.table_id,
            "offset": self.offset,
            "limit": self.limit,
            "sort": self.sort,
            "descending": self.descending,
            "text": self.text,
            "filters": [list(item) for item in self.filters],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> TableQuery:
        return cls(**(data | {"filters": tuple((column, text) for column, text in data["filters"])}))


class Tables:
    def __init__(self) -> None:
        self._frames: dict[str, tuple[str, Any]] = {}  # cell id -> (table id, frame)

    def keep(self, cell_id: str, frame: Any) -> str:
        table_id = secrets.token_hex(8)
        self._frames[cell_id] = (table_id, frame)
        return table_id

    def drop(self, cell_id: str) -> None:
        self._frames.pop(cell_id, None)

    def page(self, cell_id: str, query: TableQuery) -> dict[str, Any]:
        kept = self._frames.get(cell_id)
        if kept is None or kept[0] != query.table_id:
            raise TableError(
                "gone",
                "this table is no longer in the kernel: the cell ran again, was changed, or the kernel restarted."
                " Run the cell to see its current table",
            )
        return page(kept[1], query) | {"table_id": query.table_id}


def page(frame: Any, query: TableQuery) -> dict[str, Any]:
    """One page of the frame's shown columns, after filtering and sorting, and how many rows matched."""
    if not 0 < query.limit <= MAX_PAGE_ROWS:
        raise TableError("invalid", f"limit must be between 1 and {MAX_PAGE_ROWS} rows, not {query.limit}")
    if query.offset < 0:
        raise TableError("invalid", f"offset must be 0 or more, not {query.offset}")
    shown = frame.iloc[:, :MAX_TABLE_COLUMNS]
    labels = [column_label(column) for column in shown.columns]
    keep = None
    if query.text:
        for position in range(len(labels)):
            found = _contains(shown.iloc[:, position], query.text)
            keep = found if keep is None else keep | found
    for label, text in query.filters:
        found = _contains(shown.iloc[:, _position(labels, label)], text)
        keep = found if keep is None else keep & found
    selected = shown if keep is None else shown.iloc[keep]
    if query.sort is not None:
        selected = selected.iloc[_order(selected.iloc[:, _position(labels, query.sort)], query.descending)]
    rows = selected.iloc[query.offset : query.offset + query.limit]
    return frame_rows(rows) | {"offset": query.offset, "total_rows": len(selected)}


def _position(labels: list[str], label: str) -> int:
    """The first column with that label (a frame may repeat one)."""
    try:
        return labels.index(label)
    except ValueError:
        shown = ", ".join(repr(name) for name in labels[:20]) + (", ..." if len(labels) > 20 else "")
        raise TableError("invalid", f"the table has no column {label!r}; its columns are {shown}") from None


def _contains(column: Any, text: str) -> Any:
    """Rows whose value, as text, holds `text` (any case); a missing value holds nothing."""
    found = column.astype("string").str.contains(text, case=False, regex=False)
    return found.fillna(False).to_numpy(dtype=bool)


def _order(column: Any, descending: bool) -> Any:
    """Row positions sorted by the column, ties in their order, missing values last; values of kinds that cannot be
    compared (numbers and text in one column) are ordered by their text."""
    values = column.reset_index(drop=True)
    try:
        ordered = values.sort_values(ascending=not descending, kind="stable", na_position="last")
    except TypeError:
        ordered = values.astype("string").sort_values(ascending=not descending, kind="stable", na_position="last")
    return ordered.index.to_numpy()
