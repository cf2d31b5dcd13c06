"""Completion, hover docs and signature help answered by the kernel over its live namespace."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from app.engine import AssistUnavailable, Cell, CellStatus, CellType, UnknownCell

from .conftest import MakeSession, run, settle

pytestmark = pytest.mark.asyncio(loop_scope="module")


def labels(result: dict) -> list[str]:
    return [item["label"] for item in result["items"]]


async def test_names_that_ran_complete_with_their_real_attributes(make_session: MakeSession) -> None:
    session = await make_session(
        Cell("imp", code="import math"),
        Cell("obj", code="class Box:\n    pass\nbox = Box()\nbox.made_at_run_time = 1"),
        Cell("edit"),
    )
    await run(session, "imp", "obj")
    code = "math.fl"
    result = await session.assist("complete", "edit", code, len(code))
    assert "floor" in labels(result)
    assert result["start"] == len("math."), "the typed `fl` is what the item replaces"
    floor = next(item for item in result["items"] if item["label"] == "floor")
    assert floor["kind"] == "function"
    # Only the live object has this attribute: static analysis of the cell's code could not know it.
    result = await session.assist("complete", "edit", "box.made", 8)
    assert labels(result) == ["made_at_run_time"]


async def test_inspect_gives_docs_and_the_signature_around_the_cursor(make_session: MakeSession) -> None:
    session = await make_session(Cell("imp", code="import math"), Cell("edit"))
    await run(session, "imp")
    code = "math.floor(2.5)"
    result = await session.assist("inspect", "edit", code, len("math.flo"))
    assert result["docs"][0]["full_name"] == "math.floor"
    assert "largest integer" in result["docs"][0]["doc"]
    result = await session.assist("inspect", "edit", code, len("math.floor(2"))
    assert result["signatures"][0]["label"].startswith("floor(")
    assert result["signatures"][0]["active"] == 0


async def test_completing_never_runs_user_code(make_session: MakeSession, tmp_path: Path) -> None:
    touched = tmp_path / "touched"
    session = await make_session(
        Cell(
            "define",
            code="class Trap:\n"
            "    @property\n"
            "    def value(self):\n"
            f"        open({str(touched)!r}, 'w').close()\n"
            "        return 1\n"
            "trap = Trap()",
        ),
        Cell("edit"),
    )
    await run(session, "define")
    await session.assist("complete", "edit", "trap.value.", 11)
    await session.assist("inspect", "edit", "trap.value", 10)
    assert not touched.exists()


async def test_sql_cells_complete_dataframes_and_their_columns(make_session: MakeSession) -> None:
    session = await make_session(
        Cell("frames", code="import pandas as pd\nsales = pd.DataFrame({'region': ['n'], 'amount': [1]})\nsize = 3"),
        Cell("query", type=CellType.SQL),
    )
    await run(session, "frames")
    code = "SELECT  FROM sa"
    result = await session.assist("complete", "query", code, len(code))
    assert labels(result) == ["sales"], "a DataFrame, not the int `size`"
    assert result["start"] == len("SELECT  FROM ")
    code = "SELECT  FROM sales"
    result = await session.assist("complete", "query", code, len("SELECT "))
    assert {"region", "amount"} <= set(labels(result)), "columns of the tables the query names"
    code = "SELECT sales.re"
    result = await session.assist("complete", "query", code, len(code))
    assert result["items"] == [{"label": "region", "kind": "column", "detail": "sales: str"}]


async def test_a_busy_kernel_still_answers(make_session: MakeSession, tmp_path: Path) -> None:
    flag = tmp_path / "continue"
    session = await make_session(
        Cell("imp", code="import math"),
        Cell("busy", code=f"import os, time\nwhile not os.path.exists({str(flag)!r}):\n    time.sleep(0.005)\n"),
        Cell("edit"),
    )
    await run(session, "imp")
    await session.run(["busy"])
    while session.states["busy"].status is not CellStatus.RUNNING:
        await asyncio.sleep(0.01)
    try:
        result = await session.assist("complete", "edit", "math.fl", 7)
        assert "floor" in labels(result)
        assert session.states["busy"].status is CellStatus.RUNNING
    finally:
        flag.touch()
    await settle(session)


async def test_without_a_kernel_or_a_cell_there_is_no_answer(make_session: MakeSession) -> None:
    session = await make_session(Cell("edit"))
    await session.stop_kernel("idle")
    with pytest.raises(AssistUnavailable, match="stopped"):
        await session.assist("complete", "edit", "x", 1)
    with pytest.raises(UnknownCell):
        await session.assist("complete", "gone", "x", 1)


async def test_a_cell_sees_its_own_private_names_and_not_other_cells(make_session: MakeSession) -> None:
    session = await make_session(
        Cell("mine", code="_scratch = 'text'\nshared = 1"),
        Cell("theirs", code="_other = 2"),
    )
    await run(session, "mine", "theirs")
    result = await session.assist("complete", "mine", "_scratch.upp", 12)
    assert labels(result) == ["upper"]
    result = await session.assist("complete", "mine", "_", 1)
    assert "_scratch" in labels(result)
    assert not [label for label in labels(result) if label.startswith("_cell_") or label == "_other"]
