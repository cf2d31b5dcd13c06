from __future__ import annotations

from dataclasses import dataclass, field
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


class NotebookStore(Protocol):
    """Blocking calls (disk, S3): the service runs them off the event loop. `save` is durable when it returns.
    `load_all` gives each notebook the id its file or object is named by, so no two share an id."""

    description: str

    def load_all(self) -> LoadResult: ...

    def save(self, notebook: NotebookDocument) -> None: ...

    def delete(self, notebook_id: str) -> None: ...
