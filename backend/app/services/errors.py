"""What the notebook service refuses or fails with; the app turns each into its HTTP status."""

from __future__ import annotations


class NotebookNotFound(LookupError):
    def __init__(self, notebook_id: str) -> None:
        super().__init__(f"no notebook with id {notebook_id!r}")


class CellNotFound(LookupError):
    def __init__(self, notebook_id: str, cell_id: str, given_as: str | None = None) -> None:
        where = f" (given as {given_as})" if given_as else ""
        super().__init__(f"no cell with id {cell_id!r} in notebook {notebook_id!r}{where}")


class CodeTooLarge(ValueError):
    def __init__(self, size: int, limit: int) -> None:
        super().__init__(f"the code is {size} bytes; a cell holds at most {limit} bytes ({limit / 2**20:g} MiB)")


class StorageFailed(RuntimeError):
    """The store did not acknowledge a change; nothing was changed."""
