"""Markdown cells: stored and analysed like other cells, but they define and read no names and never reach the
kernel."""

from __future__ import annotations

import pytest

from app.engine import Cell, CellStatus, CellType, Notebook, NotebookSession, StatusEvent

from .conftest import MakeSession, run


def text_of(session: NotebookSession, cell_id: str) -> str:
    output = session.states[cell_id].output
    assert output is not None, session.states[cell_id].error
    return str(output["text"])


in_module_loop = pytest.mark.asyncio(loop_scope="module")

TEXT = "# Sales {total}\n\nSee `x = 1` and {len(rows)}.\n\n```python\nimport os\n```"


def test_a_markdown_cell_defines_and_reads_nothing_whatever_its_text() -> None:
    analysis = Cell("md", CellType.MARKDOWN, TEXT).analyze()
    assert (analysis.defines, analysis.references, analysis.errors) == (frozenset(), frozenset(), ())
    assert Cell("md", CellType.MARKDOWN, "def (: broken python").analyze().errors == ()


def test_a_markdown_cell_round_trips_through_its_dict_without_an_output_name() -> None:
    cell = Cell("md", CellType.MARKDOWN, TEXT, revision=3)
    assert cell.to_dict() == {"id": "md", "type": "markdown", "code": TEXT, "revision": 3}
    assert Notebook.from_dict(Notebook([cell]).to_dict()).cells == [cell]


@in_module_loop
async def test_run_all_skips_markdown_cells_and_the_kernel_never_sees_them(make_session: MakeSession) -> None:
    session = await make_session(
        Cell("title", CellType.MARKDOWN, "# Title\n\n{total}"),
        Cell("a", code="total = 2"),
        Cell("notes", CellType.MARKDOWN, "raise SystemExit(3)"),
        Cell("b", code="total * 21"),
    )
    assert session.graph.to_dict()["cells"]["title"]["parents"] == []
    events = session.subscribe()
    assert await run(session, *(cell.id for cell in session.notebook.cells)) == ["a", "b"]
    statuses = {event.cell_id for event in events.pending() if isinstance(event, StatusEvent)}
    assert statuses == {"a", "b"}
    assert text_of(session, "b") == "42"
    for cell_id in ("title", "notes"):
        state = session.states[cell_id]
        assert (state.status, state.stale, state.output, state.error) == (CellStatus.IDLE, False, None, None)
    assert await session.run(["title"]) == []
    assert session.snapshot()["cells"]["title"]["stale"] is False


@in_module_loop
async def test_a_cell_made_markdown_loses_its_names_status_and_output(make_session: MakeSession) -> None:
    session = await make_session(Cell("a", code="value = 5\nvalue"), Cell("b", code="value + 1"))
    await run(session, "a")
    assert text_of(session, "b") == "6"
    session.update_cell("a", cell_type=CellType.MARKDOWN)
    state = session.states["a"]
    assert (state.status, state.stale, state.output) == (CellStatus.IDLE, False, None)
    await run(session, "b")
    error = session.states["b"].error
    assert error is not None
    assert error["type"] == "NameError", error
    # And back: it runs again like any Python cell.
    session.update_cell("a", cell_type=CellType.PYTHON)
    assert session.states["a"].stale
    assert await run(session, "b") == ["a", "b"]
    assert text_of(session, "b") == "6"


@in_module_loop
async def test_restarting_the_kernel_leaves_markdown_cells_fresh(make_session: MakeSession) -> None:
    session = await make_session(Cell("md", CellType.MARKDOWN, "*hi*"), Cell("a", code="1"))
    await run(session, "a")
    await session.restart_kernel()
    assert session.states["a"].stale
    assert not session.states["md"].stale
