"""How errors name cells (`<cell ID>`, which clients show as the cell's `[n]` label) and what a cell's last run was of
(`ran_revision`, which tells an edited cell from one whose inputs or kernel changed)."""

from __future__ import annotations

import pytest

from app.engine import Cell, CellType, NotebookSession

from .conftest import MakeSession, run

pytestmark = pytest.mark.asyncio(loop_scope="module")


def error_text(session: NotebookSession, cell_id: str) -> str:
    error = session.states[cell_id].error
    assert error is not None
    return str(error["text"])


async def test_a_traceback_names_each_cell_it_passes_through_by_reference(make_session: MakeSession) -> None:
    session = await make_session(
        Cell("helper", code="def fail():\n    raise ValueError('boom')"),
        Cell("caller", code="fail()"),
    )
    await run(session, "helper", "caller")
    text = error_text(session, "caller")
    assert 'File "<cell caller>", line 1' in text
    assert 'File "<cell helper>", line 2' in text
    assert "ValueError: boom" in text


async def test_static_errors_name_the_other_cells_by_reference(make_session: MakeSession) -> None:
    session = await make_session(
        Cell("first", code="x = 1"),
        Cell("second", code="x = 2"),
        Cell("syntax", code="y = (\n"),
    )
    await run(session, "first", "syntax")
    assert "'x' is also defined by <cell second>" in error_text(session, "first")
    assert error_text(session, "syntax").startswith('  File "<cell syntax>", line 1')


async def test_ran_revision_tells_an_edited_cell_from_a_dependent_that_is_only_stale(
    make_session: MakeSession,
) -> None:
    session = await make_session(Cell("a", code="a = 1"), Cell("b", code="b = a + 1"))
    await run(session, "a")
    session.update_cell("a", code="a = 2", revision=1)
    edited, dependent = session.notebook.cell("a"), session.notebook.cell("b")
    assert session.states["a"].stale
    assert session.states["a"].ran_revision == edited.revision - 1
    assert session.states["b"].stale
    assert session.states["b"].ran_revision == dependent.revision
    assert session.snapshot()["cells"]["a"]["ran_revision"] == edited.revision - 1


async def test_after_a_restart_every_cell_is_stale_but_none_is_edited(make_session: MakeSession) -> None:
    session = await make_session(Cell("a", code="a = 1"))
    await run(session, "a")
    await session.restart_kernel()
    assert session.states["a"].stale
    assert session.states["a"].ran_revision == session.notebook.cell("a").revision


async def test_a_sql_error_names_its_cell_by_reference(make_session: MakeSession) -> None:
    session = await make_session(Cell("query", type=CellType.SQL, code="SELECT 1\nFROM missing_table"))
    await run(session, "query")
    assert error_text(session, "query").startswith('  File "<cell query>", line 2\n    FROM missing_table\n')
