"""The event bus, the notebook model, and session bookkeeping that needs no running cell."""

from __future__ import annotations

import json
from typing import get_args

import pytest

from app.engine import (
    Cell,
    CellType,
    CellTypeName,
    InvalidCellId,
    KernelOptions,
    Notebook,
    NotebookSession,
    SessionClosed,
    SessionConfig,
    StatusEvent,
    SubscriptionOverflow,
    UnknownCell,
    default_output_name,
)
from app.engine.events import CellStatus, EventBus
from app.engine.kernel.hosts import LocalHost
from app.engine.kernel.sandbox import KernelLimits
from app.engine.session import _append_console

from .conftest import MakeSession, run

in_module_loop = pytest.mark.asyncio(loop_scope="module")


def status(cell_id: str) -> StatusEvent:
    return StatusEvent(cell_id=cell_id, status=CellStatus.QUEUED, stale=True)


@in_module_loop
async def test_events_are_numbered_and_delivered_in_order() -> None:
    bus = EventBus(limit=10)
    first, second = bus.subscribe(), bus.subscribe()
    for cell_id in "abc":
        bus.publish(status(cell_id))
    assert [event.seq for event in first.pending()] == [1, 2, 3]
    first.close()
    bus.publish(status("d"))
    assert first.pending() == []
    assert [await anext(second) for _ in range(4)][-1].to_dict() == {
        "type": "status",
        "seq": 4,
        "cell_id": "d",
        "status": "queued",
        "stale": True,
        "ran_revision": None,
        "blocked_by": None,
        "duration": None,
    }
    bus.close()
    with pytest.raises(StopAsyncIteration):
        await anext(second)


@in_module_loop
async def test_a_subscriber_that_falls_behind_is_dropped_and_told() -> None:
    bus = EventBus(limit=3)
    slow = bus.subscribe()
    for cell_id in "abcd":
        bus.publish(status(cell_id))
    assert slow.overflowed
    with pytest.raises(SubscriptionOverflow, match="more than 3 events"):
        await anext(slow)


def test_console_keeps_the_most_recent_text_within_the_limit() -> None:
    console: list[dict[str, str]] = []
    _append_console(console, "stdout", "abc", 5)
    _append_console(console, "stdout", "def", 5)
    _append_console(console, "stderr", "gh", 5)
    assert console == [{"name": "stdout", "text": "def"}, {"name": "stderr", "text": "gh"}]
    _append_console(console, "stderr", "ijklmn", 5)
    assert console == [{"name": "stderr", "text": "jklmn"}]


def test_notebook_model_operations() -> None:
    notebook = Notebook([Cell("a", code="x = 1"), Cell("b", type="sql", code="select 1")])
    assert notebook.cell("b").type is CellType.SQL
    assert notebook.cell("b").sql_output_name == "df_b" == default_output_name("b")
    assert default_output_name("3f2a-9c") == "df_3f2a_9c"
    notebook.insert(Cell("c"), 0)
    notebook.move("c", 2)
    assert [cell.id for cell in notebook.cells] == ["a", "b", "c"]
    assert notebook.update("b", output_name="rows").sql_output_name == "rows"
    assert notebook.remove("a").code == "x = 1"
    assert Notebook.from_dict(notebook.to_dict()) == notebook
    with pytest.raises(ValueError, match="already exists"):
        notebook.insert(Cell("b"))
    with pytest.raises(ValueError, match="repeated: a"):
        Notebook([Cell("a"), Cell("a")])
    with pytest.raises(KeyError, match="no cell with id 'zzz'"):
        notebook.cell("zzz")
    with pytest.raises(ValueError, match="non-empty id"):
        Cell("")


@in_module_loop
async def test_editing_without_a_kernel_publishes_cell_and_graph_events() -> None:
    session = NotebookSession(Notebook([Cell("a", code="x = 1")]))
    events = session.subscribe()
    session.add_cell(Cell("b", code="print(x)"))
    session.add_cell(Cell("q", type=CellType.SQL, code="select {x}"), index=0)
    session.move_cell("q", 2)
    session.update_cell("q", output_name="rows")
    session.update_cell("q", output_name="rows")  # no change: no event
    kinds = [(event.type, getattr(event, "action", None)) for event in events.pending()]
    assert kinds == [
        ("cell", "added"),
        ("graph", None),
        ("cell", "added"),
        ("graph", None),
        ("cell", "moved"),
        ("graph", None),
        ("cell", "updated"),
        ("graph", None),
    ]  # no status event: q never ran, so it was stale already
    assert [cell.id for cell in session.notebook.cells] == ["a", "b", "q"]
    assert session.graph.children["a"] == {"b", "q"}
    json.dumps(session.snapshot())  # everything a client receives is JSON


@in_module_loop
async def test_changing_the_connection_string_makes_sql_cells_stale(make_session: MakeSession) -> None:
    session = await make_session(Cell("py", code="1"), Cell("q", type=CellType.SQL, code="select 1"))
    await run(session, "py")
    session.states["q"].stale = False  # as if it had run against the old database
    session.set_connection_string("postgresql://elsewhere/db")
    assert session.notebook.connection_string == "postgresql://elsewhere/db"
    assert session.states["q"].stale
    assert not session.states["py"].stale


@in_module_loop
async def test_a_kernel_that_cannot_start_is_a_clear_cell_error() -> None:
    session = NotebookSession(
        Notebook([Cell("a", code="1"), Cell("b", code="2")]),
        SessionConfig(kernel=KernelOptions(host=LocalHost(KernelLimits(), python="/bin/false"))),
    )
    await session.run(["a", "b"])
    await session.wait_idle()
    error = session.states["a"].error
    assert error["type"] == "KernelStartError"
    assert error["message"] == "the kernel process could not start: the kernel process exited with code 1"
    assert session.states["b"].status is CellStatus.IDLE
    await session.close()


@in_module_loop
async def test_a_closed_session_refuses_to_run_with_session_closed() -> None:
    session = NotebookSession(Notebook([Cell("a", code="1")]))
    await session.close()
    with pytest.raises(SessionClosed, match="the session is closed"):
        await session.run(["a"])


def test_cell_type_name_spells_every_cell_type() -> None:
    assert set(get_args(CellTypeName)) == {cell_type.value for cell_type in CellType}


def test_cell_ids_are_checked_with_typed_errors_callers_may_catch_as_before() -> None:
    notebook = Notebook([Cell("a")])
    with pytest.raises(UnknownCell) as unknown:
        notebook.cell("b")
    assert isinstance(unknown.value, KeyError)
    assert unknown.value.cell_id == "b"
    for invalid in (lambda: Notebook([Cell("a"), Cell("a")]), lambda: notebook.insert(Cell("a")), lambda: Cell("")):
        with pytest.raises(InvalidCellId) as raised:
            invalid()
        assert isinstance(raised.value, ValueError)
