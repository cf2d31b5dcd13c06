"""What is persisted of a notebook: its source (cells and settings), never run-time results."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field

from app.engine import CellTypeName


class CellDocument(BaseModel):
    id: str
    type: CellTypeName = "python"
    code: str = ""
    # SQL cells only: the Python variable that receives the result.
    output_name: str | None = None
    revision: int = 0


class NotebookDocument(BaseModel):
    id: str
    name: str
    created_at: datetime
    updated_at: datetime
    # Stored so a restarted server can reconnect; never returned by the API.
    db_connection: str | None = None
    cells: list[CellDocument] = Field(default_factory=list)
