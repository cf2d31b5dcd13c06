from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol

from app.storage.documents import NotebookDocument


@dataclass(frozen=True)
class CorruptNotebook:
    location: str
    reason: str


@dataclass
class LoadResult:
    notebooks: list[NotebookDocument] = field(default_factory=list)
    # Reported and skipped: one bad notebook must never keep the others from loading.
    corrupt: list[CorruptNotebook] = field(default_factory=list)


@dataclass(frozen=True)
class NotebookVersion:
    version_id: str
    saved_at: datetime
    size: int  # bytes of the stored document; 0 for a deletion
    deleted: bool = False  # the notebook was deleted here: no document to load


@dataclass(frozen=True)
class VersionPage:
    versions: list[NotebookVersion]  # newest first
    cursor: str | None  # passed back, the next (older) page; None: this was the last


@dataclass(frozen=True)
class DeletedNotebook:
    notebook_id: str
    deleted_at: datetime


class VersionNotFound(LookupError):
    def __init__(self, notebook_id: str, version_id: str) -> None:
        super().__init__(f"notebook {notebook_id!r} has no saved version {version_id!r}")


class NotebookStore(Protocol):
    """Blocking calls (disk, S3): the service runs them off the event loop. `save` is durable when it returns.
    `load_all` gives each notebook the id its file or object is named by, so no two share an id."""

    description: str

    def load_all(self) -> LoadResult: ...

    def save(self, notebook: NotebookDocument) -> None: ...

    def delete(self, notebook_id: str) -> None:
        """The notebook's versions stay (until the retention period ends), its deletion recorded as the newest."""

    def deleted(self) -> list[DeletedNotebook]:
        """The notebooks whose newest version is a deletion and whose versions are kept, most recent first."""

    def versions(self, notebook_id: str, cursor: str | None = None, limit: int = 50) -> VersionPage: ...

    def load_version(self, notebook_id: str, version_id: str) -> NotebookDocument:
        """Raises VersionNotFound for an unknown version, or one that records a deletion."""
