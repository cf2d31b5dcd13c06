"""The notebook as the user edits it: ordered cells of Python, SQL or markdown, and the notebook's PostgreSQL
connection."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import Any, Literal, cast

from app.core.kernel_sizes import KERNEL_SIZES, KernelSizeName

from .analysis import CellAnalysis, analyze_python, analyze_sql
from .errors import InvalidCellId, UnknownCell


class CellType(StrEnum):
    PYTHON = "python"
    SQL = "sql"
    MARKDOWN = "markdown"  # text shown rendered; defines and reads no names, never sent to the kernel


# The same values as a Literal, for the pydantic models of the API and of stored documents (plain strings there);
# spelled out because a type checker cannot evaluate one built from CellType (a test keeps the two in step).
CellTypeName = Literal["python", "sql", "markdown"]


def default_output_name(cell_id: str) -> str:
    """The variable a SQL cell's result goes to until the user names it: stable across moves and edits."""
    return "df_" + (re.sub(r"\W", "_", cell_id)[:12] or "sql")


@dataclass(frozen=True)
class Cell:
    id: str
    type: CellType = CellType.PYTHON
    code: str = ""
    output_name: str | None = None  # SQL cells only; None means default_output_name(id)
    # Counts the edits of the cell's source, so a client's edit based on an older version can be refused.
    revision: int = 0

    def __post_init__(self) -> None:
        if not self.id:
            raise InvalidCellId("a cell needs a non-empty id")
        object.__setattr__(self, "type", CellType(self.type))

    @property
    def sql_output_name(self) -> str:
        return self.output_name or default_output_name(self.id)

    @property
    def runs(self) -> bool:
        """Whether the kernel runs the cell: a markdown cell is only shown, so it is never queued and never stale."""
        return self.type is not CellType.MARKDOWN

    def analyze(self) -> CellAnalysis:
        if self.type is CellType.MARKDOWN:
            return CellAnalysis()
        if self.type is CellType.SQL:
            return analyze_sql(self.code, self.sql_output_name)
        return analyze_python(self.code)

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"id": self.id, "type": self.type.value, "code": self.code, "revision": self.revision}
        if self.type is CellType.SQL:
            data["output_name"] = self.sql_output_name
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Cell:
        return cls(
            id=str(data["id"]),
            type=CellType(data.get("type", CellType.PYTHON)),
            code=str(data.get("code", "")),
            output_name=data.get("output_name"),
            revision=int(data.get("revision", 0)),
        )


@dataclass
class Notebook:
    cells: list[Cell] = field(default_factory=list)
    connection_string: str = ""  # PostgreSQL conninfo or URI used by every SQL cell
    kernel_size: KernelSizeName | None = None  # the preset its ECS kernel task gets; None: the default one

    def __post_init__(self) -> None:
        counts = Counter(cell.id for cell in self.cells)
        duplicates = sorted(cell_id for cell_id, count in counts.items() if count > 1)
        if duplicates:
            raise InvalidCellId(f"cell ids must be unique; repeated: {', '.join(duplicates)}")

    def index(self, cell_id: str) -> int:
        for index, cell in enumerate(self.cells):
            if cell.id == cell_id:
                return index
        raise UnknownCell(cell_id)

    def cell(self, cell_id: str) -> Cell:
        return self.cells[self.index(cell_id)]

    def insert(self, cell: Cell, index: int | None = None) -> None:
        if any(existing.id == cell.id for existing in self.cells):
            raise InvalidCellId(f"a cell with id {cell.id!r} already exists")
        self.cells.insert(len(self.cells) if index is None else index, cell)

    def update(self, cell_id: str, **changes: Any) -> Cell:
        index = self.index(cell_id)
        self.cells[index] = replace(self.cells[index], **changes)
        return self.cells[index]

    def remove(self, cell_id: str) -> Cell:
        return self.cells.pop(self.index(cell_id))

    def move(self, cell_id: str, index: int) -> None:
        self.cells.insert(index, self.remove(cell_id))

    def to_dict(self) -> dict[str, Any]:
        return {
            "cells": [cell.to_dict() for cell in self.cells],
            "connection_string": self.connection_string,
            "kernel_size": self.kernel_size,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Notebook:
        return cls(
            cells=[Cell.from_dict(cell) for cell in data.get("cells", [])],
            connection_string=str(data.get("connection_string", "")),
            kernel_size=cast(KernelSizeName, size) if (size := data.get("kernel_size")) in KERNEL_SIZES else None,
        )
