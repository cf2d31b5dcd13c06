"""SQL cells against a real PostgreSQL server started for the test session."""

from __future__ import annotations

from collections.abc import AsyncIterator

import psycopg
import pytest
import pytest_asyncio

from app.engine import Cell, CellStatus, CellType, Notebook, NotebookSession, StatusEvent

from ..ports import free_port
from .conftest import MakeSession, next_event, run, settle

pytestmark = pytest.mark.asyncio(loop_scope="module")


def sql(cell_id: str, code: str, output_name: str | None = None) -> Cell:
    return Cell(cell_id, type=CellType.SQL, code=code, output_name=output_name)


@pytest.fixture(scope="module")
def database(postgres_url: str) -> str:
    with psycopg.connect(postgres_url, autocommit=True) as connection:
        connection.execute("drop table if exists fruit")
        connection.execute("create table fruit (name text primary key, price numeric, stock int)")
        connection.execute(
            "insert into fruit values ('apple', 1.20, 10), ('pear', 2.50, 0), ('plum', 0.80, 25), ('fig', 3.10, 4)"
        )
    return postgres_url


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def session(database: str) -> AsyncIterator[NotebookSession]:
    session = NotebookSession(Notebook(connection_string=database))
    await session.start()
    yield session
    await session.close()


async def test_query_result_is_a_dataframe_that_python_cells_read(session: NotebookSession) -> None:
    session.add_cell(Cell("limit", code="max_price = 2"))
    session.add_cell(sql("cheap", "select name, stock\nfrom fruit\nwhere price < {max_price}\norder by name", "cheap"))
    session.add_cell(Cell("total", code="int(cheap['stock'].sum())"))
    assert await run(session, "limit") == ["limit", "cheap", "total"]
    table = session.states["cheap"].output
    assert table is not None
    assert (table["kind"], table["columns"], table["rows"], table["total_rows"]) == (
        "table",
        ["name", "stock"],
        [["apple", 10], ["plum", 25]],
        2,
    )
    assert session.states["total"].output["text"] == "35"
    session.update_cell("limit", code="max_price = 100")
    await run(session, "limit")
    assert session.states["total"].output["text"] == "39"


async def test_placeholders_are_bind_parameters_never_sql_text(session: NotebookSession) -> None:
    hostile = "x'); drop table fruit; --"
    session.add_cell(Cell("hostile", code=f"hostile = {hostile!r}\nnumber = 41"))
    session.add_cell(
        sql("echo", "select {hostile} as text, {number} + 1 as answer, length({hostile}::text) as length", "echoed")
    )
    session.add_cell(sql("survivors", "select count(*) as n from fruit", "survivors"))
    await run(session, "hostile", "survivors")
    assert session.states["echo"].output["rows"] == [[hostile, 42, len(hostile)]]
    assert session.states["survivors"].output["rows"] == [[4]]


async def test_literals_keep_their_braces_and_percent_signs(session: NotebookSession) -> None:
    session.add_cell(
        sql("literal", "select '{\"a\": 1}'::jsonb ->> 'a' as a, '50%' as rate, '{1,2}'::int[] as arr", "lit")
    )
    await run(session, "literal")
    assert session.states["literal"].output["rows"] == [["1", "50%", [1, 2]]]


async def test_sql_errors_are_clear_and_located(session: NotebookSession) -> None:
    session.add_cell(sql("broken", "select name\nfrom no_such_table", "broken_result"))
    session.add_cell(Cell("uses-broken", code="len(broken_result)"))
    await run(session, "broken")
    state = session.states["broken"]
    assert state.status is CellStatus.ERROR
    assert state.error["type"] == "UndefinedTable"
    assert state.error["message"] == 'relation "no_such_table" does not exist (line 2, column 6)'
    assert state.error["traceback"] == [
        {"cell_id": "broken", "filename": "<cell broken>", "line": 2, "name": "<sql>", "code": "from no_such_table"}
    ]
    assert session.states["uses-broken"].status is CellStatus.BLOCKED


async def test_statements_without_rows_report_their_status(session: NotebookSession) -> None:
    session.add_cell(
        sql("ddl", "create table if not exists notes (body text);\ninsert into notes values ('a'), ('b')", "ddl")
    )
    session.add_cell(Cell("ddl-frame", code="len(ddl.columns)"))
    await run(session, "ddl")
    assert session.states["ddl"].output == {"kind": "text", "text": "INSERT 0 2", "truncated": False}
    assert session.states["ddl-frame"].output["text"] == "0"


async def test_default_output_name_and_missing_placeholder(session: NotebookSession) -> None:
    session.add_cell(sql("q1", "select 1 as one"))
    session.add_cell(Cell("reads-default", code="int(df_q1['one'][0])"))
    session.add_cell(sql("needs", "select {not_defined_anywhere} as v", "needs_result"))
    await run(session, "q1", "needs")
    assert session.states["reads-default"].output["text"] == "1"
    error = session.states["needs"].error
    assert error["type"] == "NameError"
    assert (
        error["message"]
        == "name 'not_defined_anywhere' is not defined (used as {not_defined_anywhere} in this SQL cell)"
    )


async def test_a_long_query_can_be_interrupted(session: NotebookSession) -> None:
    session.add_cell(sql("sleepy", "select pg_sleep(30)", "slept"))
    session.add_cell(sql("after-sleep", "select 'connection still works' as status", "after_sleep"))
    events = session.subscribe()
    await session.run(["sleepy"])
    await next_event(events, lambda event: isinstance(event, StatusEvent) and event.status == "running")
    session.interrupt()
    await settle(session)
    assert session.states["sleepy"].status is CellStatus.INTERRUPTED
    await run(session, "after-sleep")
    assert session.states["after-sleep"].output["rows"] == [["connection still works"]]


async def test_connection_problems_are_clear_cell_errors(make_session: MakeSession) -> None:
    port = free_port()
    session = await make_session(
        sql("nowhere", "select 1", "nowhere"), connection_string=f"postgresql://nobody@127.0.0.1:{port}/none"
    )
    await run(session, "nowhere")
    error = session.states["nowhere"].error
    assert error["type"] == "ConnectionError"
    assert error["message"].startswith(
        f"could not connect to PostgreSQL (host=127.0.0.1 port={port} dbname=none user=nobody): "
    )
    assert "Connection refused" in error["message"] or "connection refused" in error["message"].lower()

    session.set_connection_string("")  # no connection string: the embedded DuckDB answers
    assert session.states["nowhere"].stale
    await run(session, "nowhere")
    assert session.states["nowhere"].status is CellStatus.SUCCESS
    assert session.states["nowhere"].output["rows"] == [[1]]

    session.set_connection_string("not a = valid = conninfo")
    await run(session, "nowhere")
    assert session.states["nowhere"].error["message"].startswith("the connection string is not valid")
