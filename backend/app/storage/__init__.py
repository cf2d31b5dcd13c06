"""Durable notebook storage: files (local) or S3 (deployed), behind one interface."""

from app.storage.base import (
    CorruptNotebook,
    DeletedNotebook,
    LoadResult,
    NotebookStore,
    NotebookVersion,
    VersionNotFound,
    VersionPage,
)
from app.storage.documents import AccessDocument, CellDocument, NotebookDocument, ShareDocument
from app.storage.factory import store_from_settings

__all__ = [
    "AccessDocument",
    "CellDocument",
    "CorruptNotebook",
    "DeletedNotebook",
    "LoadResult",
    "NotebookDocument",
    "NotebookStore",
    "NotebookVersion",
    "ShareDocument",
    "VersionNotFound",
    "VersionPage",
    "store_from_settings",
]
