"""Exceptions the engine raises for conditions its callers expect and handle (not bugs)."""

from __future__ import annotations


class SessionClosed(Exception):
    """The session was closed (its notebook deleted, or the server stopping): it runs no more cells."""

    def __init__(self) -> None:
        super().__init__("the session is closed")


class UnknownCell(KeyError):
    """No cell has this id (any more): a KeyError, as for a missing key of the notebook's cells."""

    def __init__(self, cell_id: str) -> None:
        super().__init__(f"no cell with id {cell_id!r}")
        self.cell_id = cell_id


class InvalidCellId(ValueError):
    """A cell id the notebook cannot hold: empty, or another cell's."""


class AssistUnavailable(Exception):
    """Completion or docs cannot be had now (no kernel, or it did not answer in time): the editor shows none."""
