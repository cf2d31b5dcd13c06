"""Start-up: corrupt notebooks are reported and skipped, the demo appears only in empty storage, and it runs."""

from __future__ import annotations

import logging
from pathlib import Path

import httpx
import pytest

from app.main import create_app
from app.services.notebooks import StorageFailed
from app.storage.files import FileStore

from .conftest import Server, Socket, client_of, make_settings, open_socket

pytestmark = pytest.mark.asyncio


async def test_a_corrupt_notebook_is_reported_and_skipped(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    first = create_app(make_settings(tmp_path))
    async with first.router.lifespan_context(first), client_of(first) as api:
        kept = (await api.post("/api/notebooks", json={"name": "Kept"})).json()["notebook_id"]
    (tmp_path / "torn.json").write_text('{"id": "torn", "name": "Half a wri')
    (tmp_path / "duplicate-cells.json").write_text(
        '{"id": "dup", "name": "d", "created_at": "2026-01-01T00:00:00Z", "updated_at": "2026-01-01T00:00:00Z",'
        ' "cells": [{"id": "c"}, {"id": "c"}]}'
    )

    second = create_app(make_settings(tmp_path))
    with caplog.at_level(logging.ERROR, logger="app"):
        async with second.router.lifespan_context(second), client_of(second) as api:
            names = sorted(item["name"] for item in (await api.get("/api/notebooks")).json()["notebooks"])
            assert (await api.get(f"/api/notebooks/{kept}")).status_code == 200
    assert names == ["Kept", "Welcome: a reactive notebook"], "no second demo: the storage was not empty"
    errors = [record.getMessage() for record in caplog.records if record.levelno == logging.ERROR]
    assert any("torn.json" in message for message in errors), errors
    assert any("'duplicate-cells'" in message and "repeated: c" in message for message in errors), errors
    assert (tmp_path / "torn.json").exists(), "a corrupt file is left for a person to look at"


async def test_a_notebook_file_copied_to_another_name_is_a_separate_notebook(tmp_path: Path) -> None:
    first = create_app(make_settings(tmp_path))
    async with first.router.lifespan_context(first), client_of(first) as api:
        original = (await api.post("/api/notebooks", json={"name": "Original"})).json()["notebook_id"]
        await api.post(f"/api/notebooks/{original}/cells", json={"code": "x = 1"})
    copy = "c" * 32
    (tmp_path / f"{copy}.json").write_bytes((tmp_path / f"{original}.json").read_bytes())
    original_file = (tmp_path / f"{original}.json").read_bytes()

    second = create_app(make_settings(tmp_path))
    async with second.router.lifespan_context(second), client_of(second) as api:
        listed = {item["id"] for item in (await api.get("/api/notebooks")).json()["notebooks"]}
        assert {copy, original} <= listed
        renamed = await api.put(f"/api/notebooks/{copy}/name", json={"name": "Copy"})
        assert renamed.json()["id"] == copy
        assert (await api.get(f"/api/notebooks/{original}")).json()["name"] == "Original"
    assert (tmp_path / f"{original}.json").read_bytes() == original_file, "the copy never writes the original's file"


async def test_storage_with_only_corrupt_notebooks_gets_no_demo(tmp_path: Path) -> None:
    (tmp_path / "broken.json").write_text("{")
    app = create_app(make_settings(tmp_path))
    async with app.router.lifespan_context(app), client_of(app) as api:
        assert (await api.get("/api/notebooks")).json() == {"notebooks": []}
    assert [path.name for path in tmp_path.iterdir()] == ["broken.json"]


async def run_demo(tmp_path: Path, connection_string: str = "") -> tuple[Socket, dict[str, str]]:
    """Runs every cell of a fresh installation's demo; returns the socket and each cell's final status."""
    server = Server(create_app(make_settings(tmp_path)))
    server.start()
    try:
        (demo,) = FileStore(tmp_path).load_all().notebooks
        if connection_string:
            async with httpx.AsyncClient(base_url=server.url) as api:
                await api.put(f"/api/notebooks/{demo.id}/db", json={"connection_string": connection_string})
        socket = await open_socket(server, demo.id)
        await socket.send({"type": "run_all"})
        finished: dict[str, str] = {}
        while len(finished) < len(demo.cells):
            status = await socket.expect("cell_status")
            if status["status"] in ("success", "error"):
                finished[status["cell_id"]] = status["status"]
    finally:
        server.stop()
    return socket, finished


async def test_the_demo_notebook_runs(tmp_path: Path) -> None:
    socket, finished = await run_demo(tmp_path)
    demo_ids = ["intro", "inputs", "table", "chart", "summary", "sql"]
    assert finished == dict.fromkeys(demo_ids, "success"), socket.of_type("cell_error")
    (table,) = socket.of_type("cell_output", cell_id="table")[0]["outputs"]
    assert table["kind"] == "table"
    assert table["columns"] == ["month", "revenue"]
    assert table["total_rows"] == 24
    (chart,) = socket.of_type("cell_output", cell_id="chart")[0]["outputs"]
    assert chart["kind"] == "plotly"
    assert chart["spec"]["layout"]["title"]["text"] == "Revenue at 5% monthly growth"
    assert socket.of_type("cell_stdout", cell_id="summary")[0]["text"].startswith("After 24 months: 32,251 a month")
    # The SQL cell queries the DataFrame `forecast` in the kernel's embedded DuckDB: no database configured.
    (result,) = socket.of_type("cell_output", cell_id="sql")[0]["outputs"]
    assert result["columns"] == ["month", "revenue", "increase"]
    assert [row[:2] for row in result["rows"]] == table["rows"][-6:]
    assert result["rows"][1][2] == pytest.approx(table["rows"][-5][1] - table["rows"][-6][1])


async def test_a_connection_string_sends_the_demo_sql_to_postgresql(tmp_path: Path, postgres_url: str) -> None:
    socket, finished = await run_demo(tmp_path, postgres_url)
    assert finished == dict.fromkeys(["intro", "inputs", "table", "chart", "summary"], "success") | {"sql": "error"}
    message = socket.of_type("cell_error", cell_id="sql")[0]["error"]["message"]
    assert message.startswith("relation \"forecast\" does not exist; 'forecast' is a Python variable")
    assert "clear the connection string to query DataFrames with the embedded DuckDB" in message


async def test_unreachable_storage_stops_the_start_up(moto_endpoint: str, tmp_path: Path) -> None:
    app = create_app(make_settings(tmp_path, notebook_bucket="no-such-bucket"))
    with pytest.raises(
        StorageFailed, match=r"could not list the notebooks in s3://no-such-bucket/notebooks/: .*NoSuchBucket"
    ):
        async with app.router.lifespan_context(app):
            pass
