"""An edit of a large notebook stays linear: counted operations, not wall time (the timing is bench/notebook-edit)."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.api import views
from app.engine import Cell, Notebook, SessionConfig
from app.services.convert import draft_of
from app.services.notebooks import NotebookService
from app.storage.files import FileStore

CELLS = 2000


class CountingId(str):
    """A cell id that counts how often it is compared with another one."""

    comparisons = 0

    def __eq__(self, other: object) -> bool:
        CountingId.comparisons += 1
        return str.__eq__(self, other)

    __hash__ = str.__hash__


def test_copying_a_notebook_compares_each_id_a_bounded_number_of_times() -> None:
    notebook = Notebook([Cell(CountingId(f"c{index}")) for index in range(CELLS)])
    CountingId.comparisons = 0
    draft_of(notebook)
    # A check of each id against every other one would make CELLS**2 = 4,000,000 comparisons.
    assert CountingId.comparisons <= 2 * CELLS


@pytest.mark.asyncio
async def test_an_edit_answers_with_one_cell_view(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    service = NotebookService(FileStore(tmp_path), SessionConfig())
    live = await service.create(
        "big", Notebook([Cell(f"c{index}", code=f"v{index} = {index}") for index in range(CELLS)])
    )
    await service.update_cell(live.id, "c7", code="v7 = 70")
    built: list[str] = []
    cell_view = views.cell_view

    def counted(cell: dict[str, object], *args: object) -> object:
        built.append(str(cell["id"]))
        return cell_view(cell, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(views, "cell_view", counted)
    cell = views.cell_in_view(live, "c7")
    assert built == ["c7"]
    assert (cell.code, cell.defines, cell.stale) == ("v7 = 70", ["v7"], True)
    await service.close()
