"""The REST API in process through httpx: notebooks, cells, the database connection, errors, auth and CORS."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from app.engine import Cell
from app.services.notebooks import MAX_CODE_BYTES
from app.storage.files import FileStore

from .conftest import TOKEN, client_of, make_settings

pytestmark = pytest.mark.asyncio


async def new_notebook(api: httpx.AsyncClient, name: str = "Sales") -> str:
    response = await api.post("/api/notebooks", json={"name": name})
    assert response.status_code == 201, response.text
    return response.json()["notebook_id"]


async def new_cell(api: httpx.AsyncClient, notebook_id: str, **body: Any) -> str:
    response = await api.post(f"/api/notebooks/{notebook_id}/cells", json={"type": "python", **body})
    assert response.status_code == 201, response.text
    return response.json()["cell_id"]


async def notebook(api: httpx.AsyncClient, notebook_id: str) -> dict[str, Any]:
    response = await api.get(f"/api/notebooks/{notebook_id}")
    assert response.status_code == 200, response.text
    return response.json()


def stored(app: FastAPI, notebook_id: str) -> dict[str, Any] | None:
    """What a restarted server would load, read straight from the notebook directory."""
    documents = FileStore(app.state.settings.notebook_dir).load_all().notebooks
    return next((doc.model_dump() for doc in documents if doc.id == notebook_id), None)


async def test_health_is_open_and_names_the_version(tmp_path: Path) -> None:
    app = create_secured_app(tmp_path)
    async with app.router.lifespan_context(app), client_of(app) as api:
        response = await api.get("/health")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "version": "test-sha"}


async def test_a_new_installation_lists_the_demo_notebook(api: httpx.AsyncClient) -> None:
    listing = (await api.get("/api/notebooks")).json()["notebooks"]
    assert [(item["name"], item["cell_count"]) for item in listing] == [("Welcome: a reactive notebook", 6)]
    demo = await notebook(api, listing[0]["id"])
    types = [cell["type"] for cell in demo["cells"]]
    assert types == ["python"] * 5 + ["sql"]
    assert all(cell["static_errors"] == [] for cell in demo["cells"])
    assert demo["cells"][-1]["output_name"] == "last_half_year"
    assert sorted(demo["cells"][-1]["depends_on"]) == ["inputs", "table"], "its query reads `forecast` and {months}"
    assert demo["kernel"] == {"state": "stopped", "reason": None, "progress": None}, (
        "kernels start when a client connects, not at start-up"
    )


async def test_create_list_rename_and_delete_notebooks(app: FastAPI, api: httpx.AsyncClient) -> None:
    unnamed = (await api.post("/api/notebooks")).json()["notebook_id"]
    named = await new_notebook(api, "  Quarterly report  ")
    created = await notebook(api, named)
    assert created["name"] == "Quarterly report"
    assert created["cells"] == []
    assert created["db_connection_set"] is False
    assert (await notebook(api, unnamed))["name"] == "Untitled notebook"

    renamed = await api.put(f"/api/notebooks/{unnamed}/name", json={"name": "Renamed"})
    assert renamed.status_code == 200
    assert renamed.json()["name"] == "Renamed"
    listing = (await api.get("/api/notebooks")).json()["notebooks"]
    assert [item["name"] for item in listing][:2] == ["Renamed", "Quarterly report"], "most recently changed first"
    assert set(listing[0]) == {
        "id",
        "name",
        "created_at",
        "updated_at",
        "cell_count",
        "db_connection_set",
        "kernel_size",
        "role",
        "owner",
    }

    assert (await api.delete(f"/api/notebooks/{named}")).status_code == 204
    assert (await api.get(f"/api/notebooks/{named}")).status_code == 404
    assert stored(app, named) is None
    assert named not in [item["id"] for item in (await api.get("/api/notebooks")).json()["notebooks"]]


async def test_a_sql_cell_depends_on_the_dataframes_its_query_reads(api: httpx.AsyncClient) -> None:
    notebook_id = await new_notebook(api)
    frame = await new_cell(api, notebook_id, code="import pandas as pd\nsales = pd.DataFrame({'amount': [1, 2]})")
    limit = await new_cell(api, notebook_id, code="low = 1")
    query = await new_cell(
        api,
        notebook_id,
        type="sql",
        code="with big as (select * from sales where amount > {low}) select * from big, main.other",
        output_name="big_sales",
    )
    cell = {cell["id"]: cell for cell in (await notebook(api, notebook_id))["cells"]}[query]
    assert cell["references"] == ["low", "sales"], "the CTE and the schema-qualified table are no Python names"
    assert sorted(cell["depends_on"]) == sorted([frame, limit])


async def test_cells_are_created_in_place_edited_moved_and_deleted(api: httpx.AsyncClient) -> None:
    notebook_id = await new_notebook(api)
    first = await new_cell(api, notebook_id, code="x = 1")
    last = await new_cell(api, notebook_id, code="print(y)")
    middle = await new_cell(api, notebook_id, code="y = x + 1", after_cell_id=first)
    query = await new_cell(api, notebook_id, type="sql", code="select {y} as v", after_cell_id=last)
    view = await notebook(api, notebook_id)
    assert [cell["id"] for cell in view["cells"]] == [first, middle, last, query]
    by_id = {cell["id"]: cell for cell in view["cells"]}
    assert by_id[middle]["defines"] == ["y"]
    assert by_id[middle]["references"] == ["x"]
    assert by_id[middle]["depends_on"] == [first]
    assert by_id[last]["depends_on"] == [middle]
    assert by_id[query]["output_name"] == f"df_{query}", "a SQL cell's result has a default name"
    assert by_id[first]["output_name"] is None
    assert by_id[first] | {"code": "", "defines": [], "depends_on": [], "references": []} == {
        "id": first,
        "type": "python",
        "code": "",
        "output_name": None,
        "revision": 0,
        "status": "idle",
        "stale": True,
        "ran_revision": None,
        "blocked_by": None,
        "duration": None,
        "stdout": "",
        "console": [],
        "console_truncated": False,
        "outputs": [],
        "error": None,
        "defines": [],
        "references": [],
        "depends_on": [],
        "static_errors": [],
    }

    updated = await api.put(f"/api/notebooks/{notebook_id}/cells/{query}", json={"output_name": "totals"})
    assert updated.status_code == 200
    assert updated.json()["output_name"] == "totals"
    assert updated.json()["defines"] == ["totals"]
    updated = await api.put(f"/api/notebooks/{notebook_id}/cells/{middle}", json={"code": "y = (x"})
    assert updated.json()["static_errors"][0]["kind"] == "syntax"
    retyped = await api.put(f"/api/notebooks/{notebook_id}/cells/{last}", json={"type": "sql", "code": "select 1"})
    assert retyped.json()["type"] == "sql"
    assert retyped.json()["output_name"] == f"df_{last}"

    moved = await api.post(f"/api/notebooks/{notebook_id}/cells/{query}/move", json={"index": 0})
    assert moved.json() == {"cell_ids": [query, first, middle, last]}
    moved = await api.post(f"/api/notebooks/{notebook_id}/cells/{query}/move", json={"index": 99.0})
    assert moved.json() == {"cell_ids": [first, middle, last, query]}, "past the end means last; 99.0 is a JSON integer"

    assert (await api.delete(f"/api/notebooks/{notebook_id}/cells/{middle}")).status_code == 204
    assert [cell["id"] for cell in (await notebook(api, notebook_id))["cells"]] == [first, last, query]


async def test_an_edit_gives_the_session_the_cell_that_was_stored(app: FastAPI, api: httpx.AsyncClient) -> None:
    notebook_id = await new_notebook(api)
    cell_id = await new_cell(api, notebook_id, type="sql", code="select 1", output_name="one")
    live = app.state.notebooks.get(notebook_id)
    for edit in [{"code": "select 2"}, {"output_name": ""}, {"type": "python", "code": "x = 1"}, {"output_name": "n"}]:
        assert (await api.put(f"/api/notebooks/{notebook_id}/cells/{cell_id}", json=edit)).status_code == 200
        (document,) = stored(app, notebook_id)["cells"]
        assert live.session.notebook.cell(cell_id) == Cell(**document), edit


async def test_the_connection_string_is_stored_but_never_returned(app: FastAPI, api: httpx.AsyncClient) -> None:
    notebook_id = await new_notebook(api)
    secret = "postgresql://analyst:pa55word@db.internal:5432/sales"
    response = await api.put(f"/api/notebooks/{notebook_id}/db", json={"connection_string": secret})
    assert response.json() == {"db_connection_set": True}
    assert (await notebook(api, notebook_id))["db_connection_set"] is True
    for path in ("/api/notebooks", f"/api/notebooks/{notebook_id}"):
        assert "pa55word" not in (await api.get(path)).text
    assert stored(app, notebook_id)["db_connection"] == secret

    cleared = await api.put(f"/api/notebooks/{notebook_id}/db", json={"connection_string": ""})
    assert cleared.json() == {"db_connection_set": False}
    assert stored(app, notebook_id)["db_connection"] is None


async def test_every_change_is_stored_before_the_response(app: FastAPI, api: httpx.AsyncClient) -> None:
    notebook_id = await new_notebook(api, "Draft")
    assert stored(app, notebook_id)["name"] == "Draft"
    cell = await new_cell(api, notebook_id, code="a = 1")
    sql = await new_cell(api, notebook_id, type="sql", code="select 1", output_name="one")
    assert [(c["id"], c["code"], c["output_name"]) for c in stored(app, notebook_id)["cells"]] == [
        (cell, "a = 1", None),
        (sql, "select 1", "one"),
    ]
    await api.put(f"/api/notebooks/{notebook_id}/cells/{cell}", json={"code": "a = 2"})
    assert stored(app, notebook_id)["cells"][0]["code"] == "a = 2"
    await api.post(f"/api/notebooks/{notebook_id}/cells/{sql}/move", json={"index": 0})
    assert [c["id"] for c in stored(app, notebook_id)["cells"]] == [sql, cell]
    await api.put(f"/api/notebooks/{notebook_id}/name", json={"name": "Final"})
    assert stored(app, notebook_id)["name"] == "Final"
    await api.delete(f"/api/notebooks/{notebook_id}/cells/{sql}")
    assert [c["id"] for c in stored(app, notebook_id)["cells"]] == [cell]
    view = await notebook(api, notebook_id)
    assert stored(app, notebook_id)["updated_at"].isoformat().replace("+00:00", "Z") == view["updated_at"]


async def test_a_failed_save_answers_503_and_changes_nothing(app: FastAPI, api: httpx.AsyncClient) -> None:
    notebook_id = await new_notebook(api, "Kept")
    cell = await new_cell(api, notebook_id, code="a = 1")
    service = app.state.notebooks

    def disk_full(*_args: object) -> None:
        raise OSError(28, "No space left on device")

    service.store.save = disk_full
    service.store.delete = disk_full
    attempts = [
        api.put(f"/api/notebooks/{notebook_id}/name", json={"name": "Lost"}),
        api.put(f"/api/notebooks/{notebook_id}/cells/{cell}", json={"code": "a = 2"}),
        api.post(f"/api/notebooks/{notebook_id}/cells", json={"type": "python"}),
        api.delete(f"/api/notebooks/{notebook_id}/cells/{cell}"),
        api.put(f"/api/notebooks/{notebook_id}/db", json={"connection_string": "postgresql://x"}),
        api.delete(f"/api/notebooks/{notebook_id}"),
        api.post("/api/notebooks", json={"name": "New"}),
    ]
    for attempt in attempts:
        response = await attempt
        assert response.status_code == 503, response.text
        assert "No space left on device" in response.json()["detail"]
    view = await notebook(api, notebook_id)
    assert view["name"] == "Kept"
    assert view["db_connection_set"] is False
    assert [(c["id"], c["code"]) for c in view["cells"]] == [(cell, "a = 1")]
    assert len((await api.get("/api/notebooks")).json()["notebooks"]) == 2


async def test_unknown_ids_are_404(api: httpx.AsyncClient) -> None:
    notebook_id = await new_notebook(api)
    cell = await new_cell(api, notebook_id)
    missing_notebook = [
        api.get("/api/notebooks/nope"),
        api.put("/api/notebooks/nope/name", json={"name": "x"}),
        api.put("/api/notebooks/nope/db", json={"connection_string": ""}),
        api.delete("/api/notebooks/nope"),
        api.post("/api/notebooks/nope/cells", json={"type": "python"}),
        api.put(f"/api/notebooks/nope/cells/{cell}", json={"code": ""}),
        api.post(f"/api/notebooks/nope/cells/{cell}/move", json={"index": 0}),
        api.delete(f"/api/notebooks/nope/cells/{cell}"),
    ]
    for request in missing_notebook:
        response = await request
        assert response.status_code == 404, response.text
        assert response.json() == {"detail": "no notebook with id 'nope'"}
    missing_cell = [
        api.put(f"/api/notebooks/{notebook_id}/cells/nope", json={"code": ""}),
        api.post(f"/api/notebooks/{notebook_id}/cells/nope/move", json={"index": 0}),
        api.delete(f"/api/notebooks/{notebook_id}/cells/nope"),
        api.post(f"/api/notebooks/{notebook_id}/cells", json={"type": "python", "after_cell_id": "nope"}),
    ]
    for request in missing_cell:
        response = await request
        assert response.status_code == 404, response.text
        assert "no cell with id 'nope'" in response.json()["detail"]


@pytest.mark.parametrize(
    ("method", "path", "body", "field"),
    [
        ("post", "/api/notebooks", {"name": "   "}, "name"),
        ("post", "/api/notebooks", {"name": "x" * 201}, "name"),
        ("post", "/api/notebooks", {"title": "x"}, "title"),
        ("put", "/api/notebooks/{nb}/name", {}, "name"),
        ("put", "/api/notebooks/{nb}/name", {"name": 7}, "name"),
        ("put", "/api/notebooks/{nb}/db", {"connection_string": None}, "connection_string"),
        ("post", "/api/notebooks/{nb}/cells", {"type": "ruby"}, "type"),
        ("post", "/api/notebooks/{nb}/cells", {"type": "sql", "output_name": 3}, "output_name"),
        ("put", "/api/notebooks/{nb}/cells/{cell}", {"code": ["x"]}, "code"),
        ("put", "/api/notebooks/{nb}/cells/{cell}", {"output_name": "x" * 201}, "output_name"),
        ("post", "/api/notebooks/{nb}/cells/{cell}/move", {"index": -1}, "index"),
        ("post", "/api/notebooks/{nb}/cells/{cell}/move", {}, "index"),
        ("post", "/api/notebooks/{nb}/cells/{cell}/move", {"index": True}, "index"),
        ("post", "/api/notebooks/{nb}/cells/{cell}/move", {"index": "0"}, "index"),
        ("post", "/api/notebooks/{nb}/cells/{cell}/move", {"index": 0.5}, "index"),
        ("put", "/api/notebooks/{nb}/cells/{cell}", {"revision": False}, "revision"),
        ("put", "/api/notebooks/{nb}/cells/{cell}", {"revision": "1"}, "revision"),
    ],
)
async def test_invalid_bodies_are_422_naming_the_field(
    api: httpx.AsyncClient, method: str, path: str, body: dict[str, Any], field: str
) -> None:
    notebook_id = await new_notebook(api)
    cell = await new_cell(api, notebook_id)
    response = await api.request(method, path.format(nb=notebook_id, cell=cell), json=body)
    assert response.status_code == 422, response.text
    assert ["body", field] in [problem["loc"] for problem in response.json()["detail"]]


async def test_a_body_that_is_not_json_is_422(api: httpx.AsyncClient) -> None:
    response = await api.post("/api/notebooks", content=b"{not json", headers={"content-type": "application/json"})
    assert response.status_code == 422


async def test_code_over_one_mebibyte_is_413(api: httpx.AsyncClient) -> None:
    notebook_id = await new_notebook(api)
    at_limit = "#" * MAX_CODE_BYTES
    cell = await new_cell(api, notebook_id, code=at_limit)
    over = "é" * (MAX_CODE_BYTES // 2 + 1)  # counted in UTF-8 bytes, not characters
    for request in (
        api.post(f"/api/notebooks/{notebook_id}/cells", json={"type": "python", "code": over}),
        api.put(f"/api/notebooks/{notebook_id}/cells/{cell}", json={"code": over}),
    ):
        response = await request
        assert response.status_code == 413, response.text
        assert "at most 1048576 bytes" in response.json()["detail"]
    assert (await notebook(api, notebook_id))["cells"][0]["code"] == at_limit


async def test_an_oversized_body_is_413_before_it_is_read(api: httpx.AsyncClient) -> None:
    huge = b"[" + b"1," * (5 * 1024 * 1024) + b"1]"
    response = await api.post("/api/notebooks", content=huge, headers={"content-type": "application/json"})
    assert response.status_code == 413

    async def chunks() -> Any:  # no Content-Length: counted while it arrives
        for _ in range(9):
            yield b" " * (1024 * 1024)

    response = await api.post("/api/notebooks", content=chunks(), headers={"content-type": "application/json"})
    assert response.status_code == 413
    assert response.json() == {"detail": "the request body is larger than 8388608 bytes"}


def create_secured_app(tmp_path: Path) -> FastAPI:
    from app.main import create_app

    return create_app(make_settings(tmp_path / "secured", access_token=TOKEN))


async def test_with_a_token_every_api_route_requires_it(tmp_path: Path) -> None:
    app = create_secured_app(tmp_path)
    routes = [
        ("get", "/api/notebooks"),
        ("post", "/api/notebooks"),
        ("get", "/api/notebooks/x"),
        ("put", "/api/notebooks/x/name"),
        ("put", "/api/notebooks/x/db"),
        ("delete", "/api/notebooks/x"),
        ("post", "/api/notebooks/x/cells"),
        ("put", "/api/notebooks/x/cells/y"),
        ("post", "/api/notebooks/x/cells/y/move"),
        ("delete", "/api/notebooks/x/cells/y"),
        ("get", "/api/kernels"),
        ("delete", "/api/kernels/x"),
    ]
    async with app.router.lifespan_context(app), client_of(app) as api:
        for method, path in routes:
            for headers in ({}, {"Authorization": "Bearer wrong"}, {"Authorization": f"Basic {TOKEN}"}):
                response = await api.request(method, path, headers=headers, json={})
                assert response.status_code == 401, (method, path, headers)
                assert response.headers["www-authenticate"] == "Bearer"
                assert "ACCESS_TOKEN" in response.json()["detail"]
        authorized = await api.get("/api/notebooks", headers={"Authorization": f"Bearer {TOKEN}"})
        assert authorized.status_code == 200
        assert (await api.get("/health")).status_code == 200
        schema = (await api.get("/openapi.json")).json()
    assert schema["components"]["securitySchemes"]["HTTPBearer"]["scheme"] == "bearer"


async def test_cors_allows_the_configured_origins_only(tmp_path: Path) -> None:
    from app.main import create_app

    app = create_app(make_settings(tmp_path, allowed_origins="https://notebook.example.com, https://other.example"))
    preflight = {"Access-Control-Request-Method": "PUT", "Access-Control-Request-Headers": "authorization,content-type"}
    async with app.router.lifespan_context(app), client_of(app) as api:
        allowed = await api.options("/api/notebooks", headers={"Origin": "https://other.example", **preflight})
        refused = await api.options("/api/notebooks", headers={"Origin": "https://evil.example", **preflight})
        simple = await api.get("/api/notebooks", headers={"Origin": "https://notebook.example.com"})
    assert allowed.status_code == 200
    assert allowed.headers["access-control-allow-origin"] == "https://other.example"
    assert "authorization" in allowed.headers["access-control-allow-headers"].lower()
    assert refused.status_code == 400
    assert "access-control-allow-origin" not in refused.headers
    assert simple.headers["access-control-allow-origin"] == "https://notebook.example.com"
