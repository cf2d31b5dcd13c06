"""No value outlives the code that defined it: a cell's names leave the kernel when its code changes, fails to parse,
is disabled by a static error, raises, or is deleted; its readers run again (eager) or become stale (lazy). Static
errors follow every edit: a cell whose error went away runs again (eager)."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.engine import Cell, CellStatus, ErrorEvent, NotebookSession, SessionConfig, StatusEvent

from .conftest import MakeSession, next_event, run, settle

pytestmark = pytest.mark.asyncio(loop_scope="module")

EAGER = SessionConfig(mode="eager")
LAZY = SessionConfig(mode="lazy")
# Reads the kernel's namespace without reading any name statically: running it runs nothing else.
PROBE = Cell("probe", code="sorted(k for k in globals() if k in ('x', 'y', 'w'))")


def started(events: list[object]) -> list[str]:
    return [event.cell_id for event in events if isinstance(event, StatusEvent) and event.status == "running"]


async def kernel_names(session: NotebookSession) -> str:
    if "probe" not in session.states:
        session.add_cell(PROBE)
    await run(session, "probe")
    output = session.states["probe"].output
    assert output is not None, session.states["probe"].error
    return output["text"]


async def ran_both(make_session: MakeSession, config: SessionConfig, *extra: Cell) -> NotebookSession:
    session = await make_session(Cell("a", code="x = 1"), Cell("b", code="y = x + 1"), *extra, config=config)
    await run(session, "a", "b")
    assert session.states["b"].status is CellStatus.SUCCESS
    assert await kernel_names(session) == "['x', 'y']"
    return session


# -- the cell's code changes -------------------------------------------------------------------------------------


async def test_eager_edit_removes_the_names_and_blocks_the_reader(make_session: MakeSession) -> None:
    session = await ran_both(make_session, EAGER)
    session.update_cell("a", code="x = 2")
    await settle(session)
    state = session.states["b"]
    assert (state.status, state.blocked_by, state.stale) == (CellStatus.BLOCKED, "a", True)
    assert await kernel_names(session) == "[]", "x is gone before a re-runs, and y with the reader blocked on it"
    await run(session, "a")
    assert session.states["b"].status is CellStatus.SUCCESS
    assert await kernel_names(session) == "['x', 'y']"


async def test_eager_rename_leaves_no_old_name_and_the_reader_fails(make_session: MakeSession) -> None:
    session = await ran_both(make_session, EAGER)
    events = session.subscribe()
    session.update_cell("a", code="w = 1")
    await settle(session)
    assert started(events.pending()) == ["b"], "the edited cell itself runs when asked"
    error = session.states["b"].error
    assert error is not None
    assert (error["type"], error["message"]) == ("NameError", "name 'x' is not defined")
    assert await kernel_names(session) == "[]"


async def test_lazy_edit_removes_the_names_and_marks_the_reader_stale(make_session: MakeSession) -> None:
    session = await ran_both(make_session, LAZY)
    events = session.subscribe()
    session.update_cell("a", code="w = 1")
    await settle(session)
    assert started(events.pending()) == []
    state = session.states["b"]
    assert (state.status, state.stale) == (CellStatus.SUCCESS, True)
    assert await kernel_names(session) == "['y']", "lazy: only the edited cell's names go, the reader is stale"


async def test_editing_a_cell_that_never_ran_touches_nothing(make_session: MakeSession) -> None:
    session = await make_session(Cell("a", code="x = 1"), Cell("b", code="y = x + 1"), config=EAGER)
    events = session.subscribe()
    session.update_cell("a", code="x = 2")
    await settle(session)
    assert started(events.pending()) == []
    assert session.states["b"].status is CellStatus.IDLE


# -- the cell fails to parse -------------------------------------------------------------------------------------


@pytest.mark.parametrize("config", [EAGER, LAZY], ids=["eager", "lazy"])
async def test_a_parse_error_removes_the_names(make_session: MakeSession, config: SessionConfig) -> None:
    session = await ran_both(make_session, config)
    session.update_cell("a", code="x = = 1")
    await settle(session)
    state = session.states["b"]
    if config.mode == "eager":
        assert state.status is CellStatus.ERROR
        assert state.error is not None
        assert state.error["type"] == "NameError"
        assert await kernel_names(session) == "[]"
    else:
        assert (state.status, state.stale) == (CellStatus.SUCCESS, True)
        assert await kernel_names(session) == "['y']"
    await run(session, "a")
    assert session.states["a"].error["type"] == "SyntaxError"


# -- another cell's edit gives the cell a static error -----------------------------------------------------------


@pytest.mark.parametrize("config", [EAGER, LAZY], ids=["eager", "lazy"])
async def test_a_multiple_definition_disables_the_cell_and_removes_its_names(
    make_session: MakeSession, config: SessionConfig
) -> None:
    session = await ran_both(make_session, config)
    events = session.subscribe()
    session.add_cell(Cell("dup", code="x = 5"))
    await settle(session)
    a = session.states["a"]
    assert (a.status, a.stale) == (CellStatus.ERROR, True)
    assert a.error is not None
    assert a.error["type"] == "MultipleDefinitionError"
    b = session.states["b"]
    if config.mode == "eager":
        assert (b.status, b.blocked_by, b.stale) == (CellStatus.BLOCKED, "a", True)
        assert await kernel_names(session) == "[]"
    else:
        assert (b.status, b.stale) == (CellStatus.SUCCESS, True)
        assert await kernel_names(session) == "['y']"
    assert "a" not in started(events.pending())
    assert "dup" not in started(events.pending())


@pytest.mark.parametrize("config", [EAGER, LAZY], ids=["eager", "lazy"])
async def test_a_cycle_disables_the_cell_and_removes_its_names(
    make_session: MakeSession, config: SessionConfig
) -> None:
    session = await ran_both(make_session, config, Cell("r", code="y * 10"))
    await run(session, "r")
    session.update_cell("a", code="x = y")  # a <-> b: b did not change, but is on a cycle now
    await settle(session)
    b = session.states["b"]
    assert (b.status, b.stale) == (CellStatus.ERROR, True)
    assert b.error is not None
    assert b.error["type"] == "CycleError"
    r = session.states["r"]
    if config.mode == "eager":
        assert (r.status, r.blocked_by, r.stale) == (CellStatus.BLOCKED, "b", True)
    else:
        assert (r.status, r.stale) == (CellStatus.SUCCESS, True)
    assert await kernel_names(session) == "[]"


# -- the cell raises ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("config", [EAGER, LAZY], ids=["eager", "lazy"])
async def test_a_cell_that_raises_leaves_no_names(
    make_session: MakeSession, config: SessionConfig, tmp_path: Path
) -> None:
    flag = tmp_path / "fail"
    session = await make_session(
        Cell("a", code=f"x = 1\nassert not __import__('os').path.exists({str(flag)!r}), 'flag set'"),
        Cell("b", code="y = x + 1"),
        config=config,
    )
    await run(session, "a", "b")
    assert await kernel_names(session) == "['x', 'y']"
    flag.touch()
    events = session.subscribe()
    await run(session, "a")
    assert session.states["a"].error["type"] == "AssertionError"
    b = session.states["b"]
    if config.mode == "eager":
        assert (b.status, b.blocked_by, b.stale) == (CellStatus.BLOCKED, "a", True)
        assert await kernel_names(session) == "[]", "x was bound before the raise: it goes, and y with b"
    else:
        assert started(events.pending()) == ["a"]
        assert (b.status, b.stale) == (CellStatus.SUCCESS, True)
        assert await kernel_names(session) == "['y']"


# -- the cell is deleted -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("config", [EAGER, LAZY], ids=["eager", "lazy"])
async def test_deleting_removes_the_names_and_reruns_or_marks_the_reader(
    make_session: MakeSession, config: SessionConfig
) -> None:
    session = await ran_both(make_session, config)
    events = session.subscribe()
    await session.delete_cell("a")
    await settle(session)
    b = session.states["b"]
    if config.mode == "eager":
        assert started(events.pending()) == ["b"]
        assert b.error is not None
        assert (b.error["type"], b.error["message"]) == (
            "NameError",
            "name 'x' is not defined",
        )
        assert await kernel_names(session) == "[]"
    else:
        assert started(events.pending()) == []
        assert (b.status, b.stale) == (CellStatus.SUCCESS, True)
        assert await kernel_names(session) == "['y']"


# -- static errors recomputed ------------------------------------------------------------------------------------


@pytest.mark.parametrize("config", [EAGER, LAZY], ids=["eager", "lazy"])
async def test_fixing_the_other_definer_clears_the_error_and_eager_runs_the_cell(
    make_session: MakeSession, config: SessionConfig
) -> None:
    session = await make_session(
        Cell("d1", code="dup = 1"), Cell("d2", code="dup = 2"), Cell("r", code="dup + 1"), config=config
    )
    await run(session, "d1", "d2", "r")
    assert session.states["d1"].error["type"] == "MultipleDefinitionError"
    assert session.states["r"].status is CellStatus.BLOCKED
    session.update_cell("d2", code="other = 2")
    assert session.graph.errors["d1"] == (), "the error of the cell that was not edited goes too"
    await settle(session)
    if config.mode == "eager":
        assert session.states["d1"].status is CellStatus.SUCCESS
        assert session.states["r"].output == {"kind": "text", "text": "2", "truncated": False}
        assert session.states["d2"].status is CellStatus.ERROR, "the edited cell runs when asked"
    else:
        assert (session.states["d1"].status, session.states["d1"].stale) == (CellStatus.ERROR, True)
        await run(session, "r")
        assert session.states["r"].output == {"kind": "text", "text": "2", "truncated": False}


async def test_deleting_the_other_definer_runs_the_cell_again(make_session: MakeSession) -> None:
    session = await make_session(Cell("d1", code="dup = 1"), Cell("d2", code="dup = 2"), Cell("r", code="dup + 1"))
    await run(session, "d1", "r")
    await session.delete_cell("d2")
    await settle(session)
    assert session.states["d1"].status is CellStatus.SUCCESS
    assert session.states["r"].output == {"kind": "text", "text": "2", "truncated": False}


async def test_lazy_run_marks_the_descendants_stale_instead_of_running_them(make_session: MakeSession) -> None:
    session = await ran_both(make_session, LAZY)
    events = session.subscribe()
    await run(session, "a")
    assert started(events.pending()) == ["a"]
    assert session.states["b"].stale
    await run(session, "b")
    assert not session.states["b"].stale


# -- changed while it ran ----------------------------------------------------------------------------------------

SLOW = "import time\ntime.sleep(0.5)\nx = 1"


async def wait_running(session: NotebookSession, cell_id: str) -> None:
    events = session.subscribe()
    await session.run([cell_id])
    await next_event(events, lambda event: isinstance(event, StatusEvent) and event.status == "running")


async def test_a_cell_edited_while_it_runs_keeps_no_names_from_the_old_code(make_session: MakeSession) -> None:
    session = await make_session(Cell("a", code=SLOW), Cell("b", code="y = x + 1"))
    await wait_running(session, "a")
    session.update_cell("a", code="w = 1")
    await settle(session)
    assert (session.states["a"].status, session.states["a"].stale) == (CellStatus.SUCCESS, True)
    assert session.states["b"].status is CellStatus.ERROR, "b reads x, which nothing defines now"
    assert await kernel_names(session) == "[]"


async def test_a_cell_disabled_while_it_runs_shows_its_static_error(make_session: MakeSession) -> None:
    session = await make_session(Cell("a", code=SLOW), Cell("b", code="y = x + 1"))
    await wait_running(session, "a")
    session.add_cell(Cell("dup", code="x = 2"))
    await settle(session)
    a = session.states["a"]
    assert (a.status, a.stale) == (CellStatus.ERROR, True)
    assert a.error is not None
    assert a.error["type"] == "MultipleDefinitionError"
    assert (session.states["b"].status, session.states["b"].blocked_by) == (CellStatus.BLOCKED, "a")
    assert await kernel_names(session) == "[]"


async def test_breaking_a_cycle_clears_the_other_cells_error_and_eager_runs_it(make_session: MakeSession) -> None:
    session = await make_session(Cell("c1", code="p = q\np"), Cell("c2", code="q = p"), config=EAGER)
    await run(session, "c1")
    assert session.states["c1"].error["type"] == "CycleError"
    session.update_cell("c2", code="q = 7")
    assert session.graph.errors["c1"] == ()
    await settle(session)
    assert session.states["c1"].output == {"kind": "text", "text": "7", "truncated": False}
    assert session.states["c2"].status is CellStatus.SUCCESS, "the stale ancestor c1 needs runs first"


async def test_a_queued_cell_disabled_by_an_edit_reports_its_error_once(make_session: MakeSession) -> None:
    session = await make_session(
        Cell("slow", code="import time\ntime.sleep(0.5)"), Cell("a", code="x = 1"), Cell("b", code="y = x + 1")
    )
    await wait_running(session, "slow")
    events = session.subscribe()
    await session.run(["a"])
    assert session.states["a"].status is CellStatus.QUEUED
    session.add_cell(Cell("dup", code="x = 2"))
    await settle(session)
    errors = [event for event in events.pending() if isinstance(event, ErrorEvent) and event.cell_id == "a"]
    assert [event.error["type"] for event in errors] == ["MultipleDefinitionError"]
    assert session.states["a"].status is CellStatus.ERROR
    assert (session.states["b"].status, session.states["b"].blocked_by) == (CellStatus.BLOCKED, "a")
