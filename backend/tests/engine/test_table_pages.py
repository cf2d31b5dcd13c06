"""Paging, sorting and filtering a displayed DataFrame as a whole: the query itself (pandas in this process), and the
kernel keeping each cell's last frame, which re-runs, deletions and restarts take away."""

from __future__ import annotations

import asyncio
import math
from typing import Any

import pandas as pd
import pytest

from app.engine import Cell, CellType, TableError, TableQuery
from app.engine.kernel.tables import MAX_PAGE_ROWS, Tables, page

from .conftest import MakeSession, run, settle

FRAME = pd.DataFrame(
    {
        "city": ["Paris", "Lyon", "paris-sud", "Nice", None, "Lille"],
        "score": [3.0, math.nan, 1.0, 3.0, 2.0, 1.0],
        "n": [0, 1, 2, 3, 4, 5],
    },
    index=[10, 11, 12, 13, 14, 15],
)


def query(**options: Any) -> TableQuery:
    return TableQuery(table_id="t", **options)


def column(result: dict[str, Any], name: str) -> list[Any]:
    position = result["columns"].index(name)
    return [row[position] for row in result["rows"]]


def test_a_page_is_a_slice_of_all_rows_with_the_total() -> None:
    result = page(FRAME, query(offset=2, limit=3))
    assert (result["offset"], result["total_rows"]) == (2, 6)
    assert result["index"] == [12, 13, 14]
    assert column(result, "n") == [2, 3, 4]
    assert result["columns"] == ["city", "score", "n"]
    assert result["dtypes"][1:] == ["float64", "int64"]
    assert page(FRAME, query(offset=6))["rows"] == [], "past the end: no rows, still the total"


def test_sorting_is_stable_with_missing_values_last_both_ways() -> None:
    ascending = page(FRAME, query(sort="score"))
    assert column(ascending, "n") == [2, 5, 4, 0, 3, 1]
    descending = page(FRAME, query(sort="score", descending=True))
    assert column(descending, "n") == [0, 3, 4, 2, 5, 1], "ties keep their order, NaN stays last"
    by_text = page(FRAME, query(sort="city", descending=True, limit=2))
    assert column(by_text, "city") == ["paris-sud", "Paris"]
    assert column(page(FRAME, query(sort="city")), "city")[-1] is None


def test_a_column_of_numbers_and_text_sorts_by_its_text() -> None:
    mixed = pd.DataFrame({"value": [10, "b", 2, "a"]})
    assert column(page(mixed, query(sort="value")), "value") == [10, 2, "a", "b"]


def test_the_text_filter_matches_any_column_in_any_case_and_column_filters_narrow_it() -> None:
    result = page(FRAME, query(text="PARIS"))
    assert (column(result, "n"), result["total_rows"]) == ([0, 2], 2)
    assert column(page(FRAME, query(text="1.0")), "n") == [2, 5], "numbers match as they read"
    assert column(page(FRAME, query(text="nan")), "n") == [], "a missing value holds no text"
    narrowed = page(FRAME, query(text="l", filters=(("score", "1"),)))
    assert column(narrowed, "city") == ["Lille"]
    sorted_filtered = page(FRAME, query(filters=(("city", "i"),), sort="score", descending=True, offset=1, limit=1))
    assert (column(sorted_filtered, "city"), sorted_filtered["total_rows"]) == (["Nice"], 4)


def test_a_regex_like_filter_is_plain_text() -> None:
    frame = pd.DataFrame({"pattern": ["a.c", "abc", "(x"]})
    assert column(page(frame, query(text="a.c")), "pattern") == ["a.c"]
    assert column(page(frame, query(text="(")), "pattern") == ["(x"]


def test_multiindex_columns_are_named_by_their_labels() -> None:
    frame = pd.DataFrame([[1, 2], [3, 0]], columns=pd.MultiIndex.from_tuples([("a", "x"), ("a", "y")]))
    assert column(page(frame, query(sort="a / y")), "a / x") == [3, 1]


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"sort": "town"}, "the table has no column 'town'; its columns are 'city', 'score', 'n'"),
        ({"filters": (("town", "x"),)}, "the table has no column 'town'"),
        ({"limit": MAX_PAGE_ROWS + 1}, f"limit must be between 1 and {MAX_PAGE_ROWS} rows"),
        ({"offset": -1}, "offset must be 0 or more"),
    ],
)
def test_a_bad_query_is_refused_with_what_to_fix(options: dict[str, Any], message: str) -> None:
    with pytest.raises(TableError, match=message) as refused:
        page(FRAME, query(**options))
    assert refused.value.problem == "invalid"


def test_a_kept_frame_answers_only_to_its_own_id() -> None:
    tables = Tables()
    first = tables.keep("cell", FRAME)
    assert tables.page("cell", TableQuery(table_id=first, limit=1))["table_id"] == first
    second = tables.keep("cell", FRAME.head(2))
    with pytest.raises(TableError, match="no longer in the kernel") as gone:
        tables.page("cell", TableQuery(table_id=first))
    assert gone.value.problem == "gone"
    assert tables.page("cell", TableQuery(table_id=second))["total_rows"] == 2
    tables.drop("cell")
    with pytest.raises(TableError, match="no longer in the kernel"):
        tables.page("cell", TableQuery(table_id=second))


def test_a_query_survives_the_trip_to_the_kernel() -> None:
    sent = query(offset=4, limit=2, sort="n", descending=True, text="a", filters=(("city", "p"),))
    assert TableQuery.from_dict(sent.to_dict()) == sent


# -- in the kernel -------------------------------------------------------------------------------------------------

BIG = "import pandas as pd\nbig = pd.DataFrame({'n': range(1000), 'even': [i % 2 == 0 for i in range(1000)]})\nbig"


def table_id(output: dict[str, Any] | None) -> str:
    assert output is not None
    assert output["kind"] == "table"
    return str(output["table_id"])


@pytest.mark.asyncio(loop_scope="module")
async def test_the_kernel_pages_the_whole_frame_a_cell_displayed(make_session: MakeSession) -> None:
    session = await make_session(Cell("big", code=BIG))
    await run(session, "big")
    output = session.states["big"].output
    assert output is not None
    assert len(output["rows"]) == 100
    last = await session.table_page("big", TableQuery(table_id=table_id(output), offset=990, limit=100))
    assert (last["index"][0], last["index"][-1], last["total_rows"]) == (990, 999, 1000)
    odd = await session.table_page(
        "big", TableQuery(table_id=table_id(output), sort="n", descending=True, filters=(("even", "false"),), limit=2)
    )
    assert (odd["rows"], odd["total_rows"]) == ([[999, False], [997, False]], 500)
    with pytest.raises(TableError, match="no column 'm'") as refused:
        await session.table_page("big", TableQuery(table_id=table_id(output), sort="m"))
    assert refused.value.problem == "invalid"


@pytest.mark.asyncio(loop_scope="module")
async def test_a_rerun_deletion_or_restart_ends_the_table(make_session: MakeSession) -> None:
    session = await make_session(Cell("big", code=BIG), Cell("other", code="pd.Series([1, 2])"))
    await run(session, "big", "other")
    before = table_id(session.states["big"].output)
    await run(session, "big")
    with pytest.raises(TableError, match="the cell ran again") as gone:
        await session.table_page("big", TableQuery(table_id=before))
    assert gone.value.problem == "gone"
    after = table_id(session.states["big"].output)
    assert (await session.table_page("big", TableQuery(table_id=after)))["total_rows"] == 1000
    other = table_id(session.states["other"].output)
    await session.delete_cell("other")
    session.add_cell(Cell("other", code="1"))
    with pytest.raises(TableError, match="no longer in the kernel"):
        await session.table_page("other", TableQuery(table_id=other))
    await session.restart_kernel()
    with pytest.raises(TableError, match="no longer in the kernel"):
        await session.table_page("big", TableQuery(table_id=after))


@pytest.mark.asyncio(loop_scope="module")
async def test_while_a_cell_runs_the_kernel_says_it_is_busy(make_session: MakeSession) -> None:
    slow = "import time\nprint('started', flush=True)\nwhile True: time.sleep(0.01)"
    session = await make_session(Cell("big", code=BIG), Cell("slow", code=slow))
    await run(session, "big")
    shown = table_id(session.states["big"].output)
    await session.run(["slow"])
    while not session.states["slow"].console:  # printed by the cell's code: the kernel is running it
        await asyncio.sleep(0.01)
    with pytest.raises(TableError, match="try again when it finishes") as busy:
        await session.table_page("big", TableQuery(table_id=shown))
    assert busy.value.problem == "busy"
    session.interrupt()
    await settle(session)
    assert (await session.table_page("big", TableQuery(table_id=shown, limit=1)))["rows"] == [[0, True]]


@pytest.mark.asyncio(loop_scope="module")
async def test_a_sql_cells_result_pages_like_any_frame(make_session: MakeSession) -> None:
    query = "select n, even from big where n >= 900 order by n"
    session = await make_session(Cell("big", code=BIG), Cell("late", type=CellType.SQL, code=query, output_name="late"))
    await run(session, "big", "late")
    shown = table_id(session.states["late"].output)
    result = await session.table_page("late", TableQuery(table_id=shown, sort="n", descending=True, text="99", limit=3))
    assert (result["rows"], result["total_rows"]) == ([[999, False], [998, True], [997, False]], 10)
