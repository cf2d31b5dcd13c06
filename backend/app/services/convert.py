"""The one place where the engine's notebook and the persisted document meet, and where an edit becomes a cell."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from app.engine import Cell, CellType, Notebook
from app.storage import CellDocument, NotebookDocument


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
    )


def to_document(
    notebook_id: str, name: str, created_at: datetime, updated_at: datetime, notebook: Notebook
) -> NotebookDocument:
    return NotebookDocument(
        id=notebook_id,
        name=name,
        created_at=created_at,
        updated_at=updated_at,
        db_connection=notebook.connection_string or None,
        cells=[
            CellDocument(
                id=cell.id, type=cell.type.value, code=cell.code, output_name=cell.output_name, revision=cell.revision
            )
            for cell in notebook.cells
        ],
    )


def draft_of(notebook: Notebook) -> Notebook:
    """A copy to apply a change to before it is saved (cells are immutable, so a shallow copy is independent)."""
    return Notebook(cells=list(notebook.cells), connection_string=notebook.connection_string)


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
