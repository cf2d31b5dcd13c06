"""What the notebook service refuses or fails with; the app turns each into its HTTP status."""

from __future__ import annotations

from collections.abc import Sequence


class NotebookNotFound(LookupError):
    def __init__(self, notebook_id: str) -> None:
        super().__init__(f"no notebook with id {notebook_id!r}")


class CellNotFound(LookupError):
    def __init__(self, notebook_id: str, cell_id: str, given_as: str | None = None) -> None:
        where = f" (given as {given_as})" if given_as else ""
        super().__init__(f"no cell with id {cell_id!r} in notebook {notebook_id!r}{where}")


class CellConflict(Exception):
    """An edit based on another revision of the cell than its current one: applying it would undo a change its
    author has not seen."""

    def __init__(self, notebook_id: str, cell_id: str, current: int, given: int) -> None:
        super().__init__(
            f"cell {cell_id!r} of notebook {notebook_id!r} is at revision {current}, not {given}: it changed since "
            "the edit was made; nothing was saved"
        )
        self.notebook_id = notebook_id
        self.cell_id = cell_id


class CodeTooLarge(ValueError):
    def __init__(self, size: int, limit: int) -> None:
        super().__init__(f"the code is {size} bytes; a cell holds at most {limit} bytes ({limit / 2**20:g} MiB)")


class KernelSizeNotOffered(ValueError):
    def __init__(self, size: str, allowed: Sequence[str]) -> None:
        super().__init__(
            f"the kernel size {size!r} is not offered by this server: choose {' or '.join(allowed)} "
            "(its KERNEL_SIZES setting lists the sizes notebooks may choose)"
        )


class StorageFailed(RuntimeError):
    """The store did not acknowledge a change; nothing was changed."""


class NotebookIdTaken(Exception):
    def __init__(self, notebook_id: str) -> None:
        super().__init__(f"a notebook with id {notebook_id!r} exists: it cannot be brought back beside it")
