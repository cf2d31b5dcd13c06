"""Markdown cells through the API: created, stored, reloaded and served like other cells; "Run all" over the
WebSocket never queues them."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest

from app.main import create_app
from app.storage.files import FileStore

from .conftest import TIMEOUT, Server, client_of, make_settings, open_socket

pytestmark = pytest.mark.asyncio

TEXT = "# Title {total}\n\n<img src=x onerror=alert(1)>"


async def cells_of(api: httpx.AsyncClient, notebook_id: str) -> dict[str, dict[str, Any]]:
    response = await api.get(f"/api/notebooks/{notebook_id}")
    assert response.status_code == 200, response.text
    return {cell["id"]: cell for cell in response.json()["cells"]}


async def test_a_markdown_cell_is_stored_served_and_reloaded_as_it_was_written(tmp_path: Path) -> None:
    directory = tmp_path / "notebooks"
    app = create_app(make_settings(directory))
    async with app.router.lifespan_context(app), client_of(app) as api:
        notebook_id = (await api.post("/api/notebooks", json={"name": "Notes"})).json()["notebook_id"]
        total = (await api.post(f"/api/notebooks/{notebook_id}/cells", json={"code": "total = 1"})).json()["cell_id"]
        created = await api.post(f"/api/notebooks/{notebook_id}/cells", json={"type": "markdown", "code": TEXT})
        assert created.status_code == 201, created.text
        markdown = created.json()["cell_id"]
        cell = (await cells_of(api, notebook_id))[markdown]
        assert {key: cell[key] for key in ("type", "code", "output_name", "status", "stale", "outputs")} == {
            "type": "markdown",
            "code": TEXT,
            "output_name": None,
            "status": "idle",
            "stale": False,
            "outputs": [],
        }
        assert (cell["defines"], cell["references"], cell["depends_on"], cell["static_errors"]) == ([], [], [], [])
        # `{total}` in the text is no reference: no interpolation, so the Python cell has no dependents.
        assert (await cells_of(api, notebook_id))[total]["defines"] == ["total"]
    (document,) = [doc for doc in FileStore(directory).load_all().notebooks if doc.id == notebook_id]
    assert [(c.id, c.type, c.code) for c in document.cells][1] == (markdown, "markdown", TEXT)

    again = create_app(make_settings(directory))
    async with again.router.lifespan_context(again), client_of(again) as api:
        cell = (await cells_of(api, notebook_id))[markdown]
        assert (cell["type"], cell["code"], cell["stale"]) == ("markdown", TEXT, False)
        retyped = await api.put(f"/api/notebooks/{notebook_id}/cells/{total}", json={"type": "markdown"})
        assert retyped.status_code == 200, retyped.text
        assert (retyped.json()["type"], retyped.json()["defines"], retyped.json()["stale"]) == ("markdown", [], False)


async def test_run_all_runs_the_code_cells_and_never_the_markdown_ones(serve: Callable[..., Server]) -> None:
    server = serve()
    async with httpx.AsyncClient(base_url=server.url, timeout=TIMEOUT) as api:
        notebook_id = (await api.post("/api/notebooks", json={"name": "t"})).json()["notebook_id"]
        ids = []
        for body in (
            {"type": "markdown", "code": "# Intro"},
            {"code": "a = 20"},
            {"type": "markdown", "code": "import sys; sys.exit(1)"},
            {"code": "a + 22"},
        ):
            ids.append((await api.post(f"/api/notebooks/{notebook_id}/cells", json=body)).json()["cell_id"])
    intro, first, notes, last = ids
    socket = await open_socket(server, notebook_id)
    await socket.expect("snapshot")
    await socket.send({"type": "run_cell", "cell_id": intro})
    await socket.send({"type": "run_all"})
    await socket.expect("cell_status", cell_id=last, status="success")
    (output,) = socket.of_type("cell_output", cell_id=last)
    assert output["outputs"][0]["text"] == "42"
    assert socket.of_type("cell_status", cell_id=first)
    assert socket.of_type("cell_status", cell_id=intro) == []
    assert socket.of_type("cell_status", cell_id=notes) == []
    assert socket.of_type("error") == []
