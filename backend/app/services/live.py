"""A notebook held in memory: its engine session, its lock, and the clients watching it."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Protocol

from app.core.kernel_sizes import DEFAULT_ALLOWED_SIZES, KernelSizeName, size_in_effect
from app.core.principal import Principal
from app.engine import Cell, NotebookSession
from app.services.access import Access
from app.services.errors import CellNotFound


class NotebookChange(StrEnum):
    """A change of the notebook itself; its cells' changes are the session's events."""

    RENAMED = "renamed"
    CONNECTION_SET = "connection_set"  # or removed
    KERNEL_SIZE_SET = "kernel_size_set"
    ACCESS_SET = "access_set"
    PRESENCE = "presence"  # someone came, left, or moved to another cell
    DELETED = "deleted"


class Watcher(Protocol):
    def notify(self, change: NotebookChange) -> None: ...


@dataclass(eq=False)
class LiveNotebook:
    id: str
    name: str
    created_at: datetime
    updated_at: datetime
    session: NotebookSession
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    watchers: set[Watcher] = field(default_factory=set)
    deleted: bool = False
    # time.monotonic() of the last request for the notebook or message of a client: its kernel is idle since then.
    last_used: float = field(default_factory=time.monotonic)
    # The kernel size presets the server offers (KERNEL_SIZES), the first the default.
    allowed_sizes: Sequence[KernelSizeName] = DEFAULT_ALLOWED_SIZES
    access: Access = field(default_factory=Access)
    # Each connected client: who it is and the cell it edits (None: none).
    presence: dict[Watcher, tuple[Principal, str | None]] = field(default_factory=dict)

    @property
    def kernel_size(self) -> KernelSizeName:
        """The size the notebook's next kernel gets."""
        return size_in_effect(self.session.notebook.kernel_size, self.allowed_sizes)

    def touch(self) -> None:
        self.last_used = time.monotonic()

    def set_presence(self, watcher: Watcher, principal: Principal, cell_id: str | None) -> None:
        if self.presence.get(watcher) != (principal, cell_id):
            self.presence[watcher] = (principal, cell_id)
            self.broadcast(NotebookChange.PRESENCE)

    def leave(self, watcher: Watcher) -> None:
        if self.presence.pop(watcher, None) is not None:
            self.broadcast(NotebookChange.PRESENCE)

    def broadcast(self, change: NotebookChange) -> None:
        for watcher in list(self.watchers):
            watcher.notify(change)

    def cell(self, cell_id: str, given_as: str | None = None) -> Cell:
        try:
            return self.session.notebook.cell(cell_id)
        except KeyError:
            raise CellNotFound(self.id, cell_id, given_as) from None
