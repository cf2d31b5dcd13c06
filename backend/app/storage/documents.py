"""What is persisted of a notebook: its source (cells and settings), never run-time results."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field

from app.core.kernel_sizes import KernelSizeName
from app.engine import CellTypeName


class CellDocument(BaseModel):
    id: str
    type: CellTypeName = "python"
    code: str = ""
    # SQL cells only: the Python variable that receives the result.
    output_name: str | None = None
    revision: int = 0


class ShareDocument(BaseModel):
    kind: Literal["user", "group"]
    name: str
    role: Literal["editor", "viewer"]


class AccessDocument(BaseModel):
    owner: str | None = None  # absent in notebooks saved before sign-in: only admins see them
    shares: list[ShareDocument] = Field(default_factory=list)


class NotebookDocument(BaseModel):
    id: str
    name: str
    created_at: datetime
    updated_at: datetime
    # Stored so a restarted server can reconnect; never returned by the API.
    db_connection: str | None = None
    kernel_size: KernelSizeName | None = None  # absent: the default preset
    cells: list[CellDocument] = Field(default_factory=list)
    access: AccessDocument = Field(default_factory=AccessDocument)


def named(document: NotebookDocument, notebook_id: str) -> NotebookDocument:
    """The document under the id its file or object is named by. The name is what a save overwrites and a delete
    removes, so it wins over the id written inside: a copy stored under a new name is a new notebook, never a
    second instance of the one it was copied from."""
    return document if document.id == notebook_id else document.model_copy(update={"id": notebook_id})
