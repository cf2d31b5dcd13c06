"""The one place where the engine's notebook and the persisted document meet, and where an edit becomes a cell."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime

from app.engine import Cell, CellType, Notebook
from app.services.access import Access, Role, Share
from app.storage import AccessDocument, CellDocument, NotebookDocument, ShareDocument


def to_engine(document: NotebookDocument) -> Notebook:
    """Raises ValueError for a document the engine cannot hold (an empty or repeated cell id)."""
    return Notebook(
        cells=[
            Cell(
                id=cell.id,
                type=CellType(cell.type),
                code=cell.code,
                output_name=cell.output_name,
                revision=cell.revision,
            )
            for cell in document.cells
        ],
        connection_string=document.db_connection or "",
        kernel_size=document.kernel_size,
    )


def access_of(document: NotebookDocument) -> Access:
    shares = tuple(Share(share.kind, share.name, Role.named(share.role)) for share in document.access.shares)
    return Access(owner=document.access.owner, shares=shares)


def access_document(access: Access) -> AccessDocument:
    shares = [ShareDocument(kind=share.kind, name=share.name, role=share.role_name) for share in access.shares]
    return AccessDocument(owner=access.owner, shares=shares)


def to_document(
    notebook_id: str,
    name: str,
    created_at: datetime,
    updated_at: datetime,
    notebook: Notebook,
    cells: StoredCells,
    access: Access,
) -> NotebookDocument:
    return NotebookDocument(
        id=notebook_id,
        name=name,
        created_at=created_at,
        updated_at=updated_at,
        db_connection=notebook.connection_string or None,
        kernel_size=notebook.kernel_size,
        cells=cells.of(notebook.cells),
        access=access_document(access),
    )


class StoredCells:
    """The stored form of one notebook's cells, kept from one save to the next so a save builds it only for the
    cells that changed: building all 10,000 of a large notebook each time cost ~20 ms, and the garbage it left made
    the collector pause the event loop ~50 ms every few edits. Saves of one notebook must not overlap."""

    def __init__(self) -> None:
        self._documents: dict[str, tuple[Cell, CellDocument]] = {}

    def of(self, cells: Sequence[Cell]) -> list[CellDocument]:
        documents = self._documents
        result = []
        for cell in cells:
            known = documents.get(cell.id)
            if known is None or not (known[0] is cell or known[0] == cell):
                known = documents[cell.id] = (cell, cell_document(cell))
            result.append(known[1])
        if len(documents) > len(cells):  # cells were deleted
            kept = {cell.id for cell in cells}
            for cell_id in [cell_id for cell_id in documents if cell_id not in kept]:
                del documents[cell_id]
        return result


def cell_document(cell: Cell) -> CellDocument:
    return CellDocument(
        id=cell.id, type=cell.type.value, code=cell.code, output_name=cell.output_name, revision=cell.revision
    )


def draft_of(notebook: Notebook) -> Notebook:
    """A copy to apply a change to before it is saved (cells are immutable, so a shallow copy is independent)."""
    return replace(notebook, cells=list(notebook.cells))


def edited(cell: Cell, *, code: str | None, cell_type: CellType | None, output_name: str | None) -> Cell:
    """The cell with the given fields changed; None leaves a field as it is, an output_name of "" restores the
    default name. Its revision is the next one only if something changed."""
    changed = replace(
        cell,
        code=cell.code if code is None else code,
        type=cell.type if cell_type is None else cell_type,
        output_name=cell.output_name if output_name is None else output_name,
    )
    return cell if changed == cell else replace(changed, revision=cell.revision + 1)
