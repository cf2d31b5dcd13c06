"""Reactive semantics through a real kernel process: run order, staleness, failures, edits, deletion."""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path

import pytest

from app.engine import Cell, CellStatus, KernelEvent, Notebook, NotebookSession, StatusEvent, UnknownCell

from .conftest import MakeSession, next_event, run, settle

pytestmark = pytest.mark.asyncio(loop_scope="module")


def started(session_events: list[object]) -> list[str]:
    return [event.cell_id for event in session_events if isinstance(event, StatusEvent) and event.status == "running"]


def text_of(session: NotebookSession, cell_id: str) -> str:
    output = session.states[cell_id].output
    assert output is not None, session.states[cell_id].error
    return output["text"]


async def test_running_a_cell_runs_its_descendants_in_topological_order(make_session: MakeSession) -> None:
    session = await make_session(
        Cell("total", code="total = a + b"),
        Cell("a", code="a = 1"),
        Cell("b", code="b = a * 10"),
        Cell("other", code="unrelated = 0"),
        Cell("show", code="total"),
    )
    events = session.subscribe()
    assert await run(session, "a") == ["a", "b", "total", "show"]
    assert started(events.pending()) == ["a", "b", "total", "show"]
    assert text_of(session, "show") == "11"
    assert session.states["other"].status is CellStatus.IDLE


async def test_ancestors_that_never_ran_run_first_and_fresh_ones_do_not(make_session: MakeSession) -> None:
    session = await make_session(Cell("a", code="a = 2"), Cell("b", code="b = a + 1"), Cell("c", code="c = b * 2\nc"))
    events = session.subscribe()
    await run(session, "c")
    assert started(events.pending()) == ["a", "b", "c"]
    assert text_of(session, "c") == "6"
    await run(session, "c")
    assert started(events.pending()) == ["c"]


async def test_a_dependent_gets_the_stale_ancestors_it_needs_too(make_session: MakeSession) -> None:
    session = await make_session(
        Cell("imports", code="base = 100"),
        Cell("growth", code="growth = 2"),
        Cell("table", code="table = base * growth"),
        Cell("show", code="table"),
    )
    assert await run(session, "growth") == ["imports", "growth", "table", "show"]
    assert text_of(session, "show") == "200"


async def test_edited_ancestor_runs_before_the_requested_cell(make_session: MakeSession) -> None:
    session = await make_session(Cell("a", code="a = 1"), Cell("b", code="a + 1"))
    await run(session, "b")
    session.update_cell("a", code="a = 41")
    assert session.states["b"].stale, "a changed, so b's output is stale"
    await run(session, "b")
    assert text_of(session, "b") == "42"


async def test_re_running_a_cell_removes_the_names_it_defined_before(make_session: MakeSession) -> None:
    session = await make_session(
        Cell("a", code="old = 1"), Cell("probe", code="sorted(k for k in globals() if k == 'old')")
    )
    await run(session, "a", "probe")
    assert text_of(session, "probe") == "['old']"
    session.update_cell("a", code="new = 1")
    await run(session, "a", "probe")
    assert text_of(session, "probe") == "[]"


async def test_a_failing_cell_blocks_its_descendants_only(make_session: MakeSession) -> None:
    session = await make_session(
        Cell("a", code="a = 1 / 0"),
        Cell("b", code="b = a + 1"),
        Cell("c", code="c = b + 1"),
        Cell("free", code="free = 1"),
    )
    await run(session, "a", "free")
    assert session.states["a"].status is CellStatus.ERROR
    assert session.states["a"].error["type"] == "ZeroDivisionError"
    for cell_id in ("b", "c"):
        assert session.states[cell_id].status is CellStatus.BLOCKED
        assert session.states[cell_id].blocked_by == "a"
    assert session.states["free"].status is CellStatus.SUCCESS


async def test_editing_updates_the_graph_at_once_and_runs_nothing(make_session: MakeSession) -> None:
    session = await make_session(Cell("a", code="x = 1"), Cell("b", code="y = 2"))
    events = session.subscribe()
    session.update_cell("b", code="y = x + 1")
    assert session.graph.children["a"] == {"b"}
    published = events.pending()
    graph_events = [event for event in published if event.type == "graph"]
    assert graph_events[-1].cells == {
        "a": {"defines": ["x"], "references": [], "errors": [], "parents": [], "children": ["b"]},
        "b": {"defines": ["y"], "references": ["x"], "errors": [], "parents": ["a"], "children": []},
    }
    assert started(published) == []
    await asyncio.sleep(0.05)
    assert session.states["b"].status is CellStatus.IDLE


async def test_deleting_a_cell_removes_its_names_and_reruns_dependents(make_session: MakeSession) -> None:
    session = await make_session(Cell("a", code="x = 1"), Cell("b", code="y = x + 1"), Cell("c", code="z = 0"))
    await run(session, "a")
    assert session.states["b"].status is CellStatus.SUCCESS
    events = session.subscribe()
    await session.delete_cell("a")
    await settle(session)
    assert "a" not in session.states
    assert started(events.pending()) == ["b"]
    error = session.states["b"].error
    assert error["type"] == "NameError"
    assert error["message"] == "name 'x' is not defined"
    assert session.states["c"].status is CellStatus.IDLE, "cells that never ran are not started by a deletion"


async def test_deleting_one_of_two_definers_lets_the_other_take_over(make_session: MakeSession) -> None:
    session = await make_session(Cell("a", code="x = 1"), Cell("b", code="x = 2"), Cell("c", code="x * 10"))
    await run(session, "c")
    assert session.states["a"].error["type"] == "MultipleDefinitionError"
    assert session.states["c"].status is CellStatus.BLOCKED
    await session.delete_cell("a")
    await run(session, "c")
    assert text_of(session, "c") == "20"


async def test_multiple_definitions_and_cycles_do_not_run(make_session: MakeSession) -> None:
    session = await make_session(
        Cell("d1", code="dup = 1"),
        Cell("d2", code="dup = 2"),
        Cell("c1", code="p = q"),
        Cell("c2", code="q = p"),
        Cell("after", code="r = p"),
    )
    await run(session, "d1", "c1")
    for cell_id, error_type in (("d1", "MultipleDefinitionError"), ("c1", "CycleError"), ("c2", "CycleError")):
        assert session.states[cell_id].status is CellStatus.ERROR
        assert session.states[cell_id].error["type"] == error_type
    assert "'dup' is also defined by <cell d2>" in session.states["d1"].error["message"]
    assert session.states["d2"].status is CellStatus.IDLE
    assert session.states["after"].status is CellStatus.BLOCKED


async def test_syntax_errors_point_at_the_line(make_session: MakeSession) -> None:
    session = await make_session(Cell("bad", code="ok = 1\nnope = = 2"))
    await run(session, "bad")
    error = session.states["bad"].error
    assert error["type"] == "SyntaxError"
    assert error["traceback"][0]["line"] == 2
    assert "nope = = 2" in error["text"]


async def test_private_names_are_private_to_their_cell(make_session: MakeSession) -> None:
    session = await make_session(
        Cell("a", code="_tmp = 'a'\ndef _secret():\n    return _tmp\nshared = lambda: _secret() + '!'"),
        Cell("b", code="_tmp = 'b'\nshared() + _tmp"),
        Cell("c", code="_tmp"),
    )
    await run(session, "a", "b", "c")
    assert text_of(session, "b") == "'a!b'"
    assert session.states["c"].error["message"] == "name '_tmp' is not defined"


async def test_queueing_more_cells_while_running_merges_into_one_order(
    make_session: MakeSession, tmp_path: Path
) -> None:
    flag = tmp_path / "go"
    session = await make_session(
        Cell("wait", code=f"import os, time\nwhile not os.path.exists({str(flag)!r}):\n    time.sleep(0.01)\nw = 1"),
        Cell("x", code="x = w + 1"),
        Cell("y", code="y = 5"),
    )
    events = session.subscribe()
    await session.run(["wait"])
    await session.run(["y"])
    assert session.states["y"].status is CellStatus.QUEUED
    flag.touch()
    await settle(session)
    assert started(events.pending()) == ["wait", "x", "y"]


async def test_status_changes_reach_subscribers_and_the_snapshot(make_session: MakeSession) -> None:
    session = await make_session(Cell("a", code="print('hi')\n6 * 7"))
    events = session.subscribe()
    await run(session, "a")
    published = [event.to_dict() for event in events.pending()]
    statuses = [event["status"] for event in published if event["type"] == "status"]
    assert statuses == ["queued", "running", "success"]
    seqs = [event["seq"] for event in published]
    assert seqs == sorted(seqs)
    assert {"type": "stream", "cell_id": "a", "name": "stdout", "text": "hi\n"}.items() <= published[2].items()
    snapshot = session.snapshot()
    assert snapshot["seq"] == seqs[-1]
    assert snapshot["cells"]["a"]["status"] == "success"
    assert snapshot["cells"]["a"]["output"] == {"kind": "text", "text": "42", "truncated": False}
    assert snapshot["cells"]["a"]["console"] == [{"name": "stdout", "text": "hi\n"}]
    assert snapshot["kernel"] == {"state": "ready", "pid": session.kernel_pid, "reason": None, "progress": None}


async def test_a_busy_kernel_does_not_delay_another_notebook(make_session: MakeSession, tmp_path: Path) -> None:
    flag = tmp_path / "release"
    busy = await make_session(Cell("spin", code=f"import os\nwhile not os.path.exists({str(flag)!r}):\n    pass"))
    other = await make_session(Cell("quick", code="1 + 1"))
    await busy.run(["spin"])
    await run(other, "quick")
    assert text_of(other, "quick") == "2"
    assert busy.states["spin"].status is CellStatus.RUNNING
    flag.touch()
    await settle(busy)
    assert busy.states["spin"].status is CellStatus.SUCCESS


async def test_kernel_runs_user_code_as_main_with_await_pickle_and_no_stdin(make_session: MakeSession) -> None:
    session = await make_session(
        Cell("cls", code="class Point:\n    def __init__(self, x):\n        self.x = x"),
        Cell("pickled", code="import pickle\npickle.loads(pickle.dumps(Point(3))).x"),
        Cell("awaited", code="import asyncio\nawait asyncio.sleep(0)\nawait asyncio.sleep(0, result='done')"),
        Cell("ask", code="input('name? ')"),
        Cell("exit", code="raise SystemExit(2)"),
        Cell("alive", code="'still here'"),
    )
    await run(session, "cls", "awaited", "ask", "exit", "alive")
    assert text_of(session, "pickled") == "3"
    assert text_of(session, "awaited") == "'done'"
    assert session.states["ask"].error["type"] == "EOFError"
    assert "input() is not available" in session.states["ask"].error["message"]
    assert session.states["exit"].error["type"] == "SystemExit"
    assert text_of(session, "alive") == "'still here'"


async def test_running_an_unknown_cell_raises_unknown_cell(make_session: MakeSession) -> None:
    session = await make_session(Cell("a", code="a = 1"))
    with pytest.raises(UnknownCell):
        await session.run(["missing"])


async def test_a_cell_deleted_while_the_kernel_starts_is_dropped_quietly(caplog: pytest.LogCaptureFixture) -> None:
    session = NotebookSession(Notebook([Cell("gone", code="gone = 1"), Cell("kept", code="kept = 2")]))
    try:
        events = session.subscribe()
        await session.run(["gone"])
        await next_event(events, lambda event: isinstance(event, KernelEvent) and event.state == "starting")
        await session.delete_cell("gone")
        await settle(session)
        assert [record.message for record in caplog.records if record.levelno >= logging.ERROR] == []
        assert session.states["kept"].status is CellStatus.IDLE
    finally:
        await session.close()
