"""Cell revisions: an edit based on an older version of a cell is refused with the current cell, never applied."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI

from app.main import create_app

from .conftest import client_of, make_settings
from .test_rest import new_cell, new_notebook, notebook, stored

pytestmark = pytest.mark.asyncio


async def put(api: httpx.AsyncClient, notebook_id: str, cell_id: str, **body: object) -> httpx.Response:
    return await api.put(f"/api/notebooks/{notebook_id}/cells/{cell_id}", json=body)


async def test_each_change_of_the_source_counts_one_revision(api: httpx.AsyncClient) -> None:
    notebook_id = await new_notebook(api)
    cell_id = await new_cell(api, notebook_id, code="x = 1")
    assert (await notebook(api, notebook_id))["cells"][0]["revision"] == 0
    assert (await put(api, notebook_id, cell_id, code="x = 2", revision=0)).json()["revision"] == 1
    assert (await put(api, notebook_id, cell_id, type="sql", code="select 1")).json()["revision"] == 2
    assert (await put(api, notebook_id, cell_id, output_name="totals", revision=2)).json()["revision"] == 3
    unchanged = await put(api, notebook_id, cell_id, code="select 1", revision=3)
    assert unchanged.json()["revision"] == 3
    await api.post(f"/api/notebooks/{notebook_id}/cells/{cell_id}/move", json={"index": 0})
    assert (await notebook(api, notebook_id))["cells"][0]["revision"] == 3


async def test_a_stale_revision_is_refused_with_the_current_cell(app: FastAPI, api: httpx.AsyncClient) -> None:
    notebook_id = await new_notebook(api)
    cell_id = await new_cell(api, notebook_id, code="x = 1")
    assert (await put(api, notebook_id, cell_id, code="x = 'theirs'", revision=0)).status_code == 200
    before = stored(app, notebook_id)

    refused = await put(api, notebook_id, cell_id, code="x = 'mine'", revision=0)

    assert refused.status_code == 409
    body = refused.json()
    assert "revision 1, not 0" in body["detail"]
    assert (body["cell"]["id"], body["cell"]["code"], body["cell"]["revision"]) == (cell_id, "x = 'theirs'", 1)
    assert body["cell"] == (await notebook(api, notebook_id))["cells"][0]
    assert stored(app, notebook_id) == before
    # Based on the revision the refusal showed, the same edit goes through.
    assert (await put(api, notebook_id, cell_id, code="x = 'mine'", revision=1)).json()["code"] == "x = 'mine'"


async def test_a_retried_edit_that_already_landed_succeeds(api: httpx.AsyncClient) -> None:
    notebook_id = await new_notebook(api)
    cell_id = await new_cell(api, notebook_id, code="x = 1")
    assert (await put(api, notebook_id, cell_id, code="x = 2", revision=0)).status_code == 200
    retried = await put(api, notebook_id, cell_id, code="x = 2", revision=0)
    assert (retried.status_code, retried.json()["revision"]) == (200, 1)


async def test_an_edit_without_a_revision_applies_to_the_current_cell(api: httpx.AsyncClient) -> None:
    notebook_id = await new_notebook(api)
    cell_id = await new_cell(api, notebook_id, code="x = 1")
    await put(api, notebook_id, cell_id, code="x = 2")
    latest = await put(api, notebook_id, cell_id, code="x = 3")
    assert (latest.status_code, latest.json()["revision"]) == (200, 2)


async def test_a_negative_revision_is_invalid(api: httpx.AsyncClient) -> None:
    notebook_id = await new_notebook(api)
    cell_id = await new_cell(api, notebook_id)
    refused = await put(api, notebook_id, cell_id, code="x = 1", revision=-1)
    assert (refused.status_code, refused.json()["detail"][0]["loc"]) == (422, ["body", "revision"])


async def test_revisions_survive_a_restart(tmp_path: Path) -> None:
    settings = make_settings(tmp_path / "notebooks")
    app = create_app(settings)
    async with app.router.lifespan_context(app), client_of(app) as api:
        notebook_id = await new_notebook(api)
        cell_id = await new_cell(api, notebook_id)
        await put(api, notebook_id, cell_id, code="x = 1")
        await put(api, notebook_id, cell_id, code="x = 2")
    restarted = create_app(settings)
    async with restarted.router.lifespan_context(restarted), client_of(restarted) as api:
        assert (await notebook(api, notebook_id))["cells"][0]["revision"] == 2
        refused = await put(api, notebook_id, cell_id, code="x = 'stale'", revision=1)
        assert refused.status_code == 409
