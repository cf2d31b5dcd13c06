"""SQL cells of a notebook without a connection string: the kernel's embedded DuckDB, over its DataFrames and files."""

from __future__ import annotations

import os
import resource
from pathlib import Path

import boto3
import duckdb
import pytest

from app.engine import Cell, CellStatus, CellType, StatusEvent
from app.engine.kernel.execute import ReportedError
from app.engine.kernel.sql_runner import SqlRunner, duckdb_config

from .conftest import MakeSession, next_event, run, settle

asyncio = pytest.mark.asyncio(loop_scope="module")

SALES = """\
import pandas as pd
sales = pd.DataFrame({"region": ["north", "south", "north", "east"], "amount": [10, 20, 30, 5]})"""


def sql(cell_id: str, code: str, output_name: str | None = None) -> Cell:
    return Cell(cell_id, type=CellType.SQL, code=code, output_name=output_name)


@asyncio
async def test_a_query_reads_a_dataframe_by_name_and_reruns_when_it_changes(make_session: MakeSession) -> None:
    session = await make_session(
        Cell("sales", code=SALES),
        Cell("minimum", code="minimum = 6"),
        sql(
            "totals",
            "SELECT region, sum(amount) AS total\nFROM sales\nWHERE amount >= {minimum}\nGROUP BY region ORDER BY 1",
            "totals",
        ),
        Cell("reader", code="int(totals['total'].sum())"),
    )
    assert await run(session, "sales", "minimum") == ["sales", "minimum", "totals", "reader"]
    assert session.states["totals"].status is CellStatus.SUCCESS, session.states["totals"].error
    output = session.states["totals"].output
    assert (output["kind"], output["columns"], output["rows"]) == (
        "table",
        ["region", "total"],
        [["north", 40], ["south", 20]],
    )
    assert session.states["reader"].output["text"] == "60"
    # Editing the DataFrame's cell re-runs the SQL cell: `FROM sales` is a dependency, not just text.
    session.update_cell("sales", code=SALES.replace("[10, 20, 30, 5]", "[1, 2, 3, 100]"))
    assert await run(session, "sales") == ["sales", "totals", "reader"]
    assert session.states["totals"].output["rows"] == [["east", 100]]


@asyncio
async def test_placeholders_stay_bind_parameters(make_session: MakeSession) -> None:
    hostile = "x'); drop table t; --"
    session = await make_session(
        Cell("values", code=f"hostile = {hostile!r}\nnumber = 41"),
        sql("echo", "select {hostile} as text, {number} + 1 as answer, '{hostile}' as literal", "echoed"),
    )
    await run(session, "values")
    assert session.states["echo"].output["rows"] == [[hostile, 42, "{hostile}"]]


@asyncio
async def test_files_and_tables_of_the_embedded_database(make_session: MakeSession, tmp_path: Path) -> None:
    csv, parquet = tmp_path / "fruit.csv", tmp_path / "fruit.parquet"
    csv.write_text("name,price\napple,1.5\npear,2.5\n")
    duckdb.execute(f"copy (select 'fig' as name, 3.0::double as price) to '{parquet}' (format parquet)")
    session = await make_session(
        sql(
            "create",
            f"create table fruit as select * from '{csv}';\ninsert into fruit select * from read_parquet('{parquet}')",
            "created",
        ),
        sql("read", "select name, price from fruit order by price", "fruit_rows"),
    )
    await run(session, "create")
    assert session.states["create"].output == {"kind": "text", "text": "INSERT 1", "truncated": False}
    await run(session, "read")  # a table a cell created lasts in the kernel's database
    assert session.states["read"].output["rows"] == [["apple", 1.5], ["pear", 2.5], ["fig", 3.0]]


@asyncio
async def test_errors_are_clear_and_located(make_session: MakeSession) -> None:
    session = await make_session(
        Cell("number", code="count = 3"),
        sql("missing", "select name\nfrom no_such_frame", "missing_rows"),
        sql("not-a-frame", "select *\nfrom count", "counted"),
        sql("syntax", "select 1;\nselec 2", "typo"),
    )
    await run(session, "number", "missing", "syntax")
    error = session.states["missing"].error
    assert error["type"] == "CatalogException"
    assert error["message"].startswith("Catalog Error: Table with name no_such_frame does not exist!")
    assert "(line 2)" in error["message"]
    assert "No Python variable 'no_such_frame' exists either: define the DataFrame in a Python cell" in error["message"]
    assert error["traceback"][0]["line"] == 2
    assert error["traceback"][0]["code"] == "from no_such_frame"
    error = session.states["not-a-frame"].error
    assert error["type"] == "TypeError"
    assert error["message"].startswith("'count' is read as a table by this SQL cell but is a int, not a DataFrame")
    error = session.states["syntax"].error
    assert error["type"] == "ParserException"
    assert error["traceback"][0]["line"] == 2


@asyncio
async def test_a_long_query_can_be_interrupted(make_session: MakeSession) -> None:
    session = await make_session(
        sql("slow", "select count(*) from range(1000000000000) a", "slow_count"),
        sql("after", "select 'still works' as status", "after"),
    )
    await run(session, "after")  # the kernel has imported DuckDB and pandas: the interrupt reaches the query
    events = session.subscribe()
    await session.run(["slow"])
    await next_event(events, lambda event: isinstance(event, StatusEvent) and event.status == "running")
    session.interrupt()
    await settle(session)
    assert session.states["slow"].status is CellStatus.INTERRUPTED
    await run(session, "after")
    assert session.states["after"].status is CellStatus.SUCCESS, session.states["after"].error
    assert session.states["after"].output["rows"] == [["still works"]]


def test_s3_paths_are_read_with_the_kernels_aws_credentials(moto_endpoint: str) -> None:
    s3 = boto3.client("s3")
    s3.create_bucket(Bucket="lake")
    s3.put_object(Bucket="lake", Key="sales.csv", Body=b"region,amount\nnorth,7\nsouth,9\n")
    runner = SqlRunner()
    frame, status = runner.run(
        "lake", "select sum(amount) as total from 's3://lake/sales.csv' where amount > {low}", "", {"low": 7}
    )
    assert status is None
    assert frame.to_dict("records") == [{"total": 9}]


def test_s3_without_credentials_is_a_clear_error(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "none"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "none"))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    with pytest.raises(ReportedError, match="reads s3:// paths but the kernel has no AWS credentials"):
        SqlRunner().run("lake", "select * from 's3://lake/x.csv'", "", {})


def test_duckdb_stays_within_the_kernels_address_space_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(resource, "getrlimit", lambda _: (1024 * 1024 * 1024, resource.RLIM_INFINITY))
    monkeypatch.setattr(os, "cpu_count", lambda: 64)
    config = duckdb_config()
    assert config["memory_limit"] == "512MB"
    assert config["threads"] == 4
    runner = SqlRunner()
    frame, _ = runner.run(
        "limits", "select current_setting('memory_limit') as m, current_setting('threads') as t", "", {}
    )
    assert frame.to_dict("records") == [{"m": "488.2 MiB", "t": 4}]
