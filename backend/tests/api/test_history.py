"""A notebook's versions, restoring one, and bringing back a deleted notebook, over REST with both stores."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import boto3
import httpx
import pytest
import pytest_asyncio

from app.main import create_app

from .conftest import TIMEOUT, Server, client_of, make_settings, open_socket
from .test_rest import new_cell, new_notebook, notebook

pytestmark = pytest.mark.asyncio


@pytest_asyncio.fixture(params=["files", "s3"])
async def api(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[httpx.AsyncClient]:
    settings = make_settings(tmp_path / "notebooks")
    if request.param == "s3":
        request.getfixturevalue("moto_endpoint")
        client = boto3.client("s3")
        client.create_bucket(Bucket="notebooks")
        client.put_bucket_versioning(Bucket="notebooks", VersioningConfiguration={"Status": "Enabled"})
        settings = make_settings(tmp_path, notebook_bucket="notebooks")
    app = create_app(settings)
    async with app.router.lifespan_context(app), client_of(app) as api:
        api.headers["x-store"] = request.param
        yield api


@pytest.fixture
def next_second(api: httpx.AsyncClient) -> Callable[[], None]:
    """S3's times are whole seconds and the emulator lists delete markers after versions: a deletion and a save are
    ordered there only when made in different seconds (see tests/storage/test_versions.py)."""
    return (lambda: time.sleep(1.05)) if api.headers["x-store"] == "s3" else (lambda: None)


async def versions(api: httpx.AsyncClient, notebook_id: str, **params: Any) -> dict[str, Any]:
    response = await api.get(f"/api/notebooks/{notebook_id}/versions", params=params)
    assert response.status_code == 200, response.text
    return response.json()


async def test_every_change_is_a_version_newest_first(api: httpx.AsyncClient) -> None:
    notebook_id = await new_notebook(api, "Sales")
    await new_cell(api, notebook_id, code="x = 1")
    await api.put(f"/api/notebooks/{notebook_id}/name", json={"name": "Sales 2"})
    listed = (await versions(api, notebook_id))["versions"]
    assert [(v["name"], v["cell_count"], v["deleted"]) for v in listed] == [
        ("Sales 2", 1, False),
        ("Sales", 1, False),
        ("Sales", 0, False),
    ]
    first = (await api.get(f"/api/notebooks/{notebook_id}/versions/{listed[-1]['version_id']}")).json()
    assert first == {"version_id": listed[-1]["version_id"], "name": "Sales", "cells": []}
    second = (await api.get(f"/api/notebooks/{notebook_id}/versions/{listed[1]['version_id']}")).json()
    assert [(c["type"], c["code"], c["output_name"]) for c in second["cells"]] == [("python", "x = 1", None)]


async def test_versions_come_in_pages(api: httpx.AsyncClient) -> None:
    notebook_id = await new_notebook(api)
    for number in range(4):
        await new_cell(api, notebook_id, code=f"x{number} = {number}")
    counts: list[int] = []
    params: dict[str, Any] = {"limit": 2}
    while True:
        page = await versions(api, notebook_id, **params)
        counts += [v["cell_count"] for v in page["versions"]]
        if page["next_cursor"] is None:
            break
        params["cursor"] = page["next_cursor"]
    assert counts == [4, 3, 2, 1, 0]
    assert (await api.get(f"/api/notebooks/{notebook_id}/versions", params={"limit": 0})).status_code == 422


async def test_unknown_versions_and_notebooks_are_404(api: httpx.AsyncClient) -> None:
    notebook_id = await new_notebook(api)
    version_id = (await versions(api, notebook_id))["versions"][0]["version_id"]
    for path in (
        f"/api/notebooks/{notebook_id}/versions/00000000000000000000deadbeef",
        f"/api/notebooks/{'f' * 32}/versions/{version_id}",
        f"/api/notebooks/{'f' * 32}/versions",
    ):
        response = await api.get(path)
        assert response.status_code == 404, path
        assert "no " in response.json()["detail"]
    restore = await api.post(f"/api/notebooks/{notebook_id}/versions/nope/restore")
    assert restore.status_code == 404
    assert "no saved version 'nope'" in restore.json()["detail"]


async def test_restore_brings_back_the_cells_as_a_new_version(api: httpx.AsyncClient) -> None:
    notebook_id = await new_notebook(api)
    kept = await new_cell(api, notebook_id, code="x = 1")
    removed = await new_cell(api, notebook_id, code="y = 2")
    old_version = (await versions(api, notebook_id))["versions"][0]["version_id"]
    await api.put(f"/api/notebooks/{notebook_id}/cells/{kept}", json={"code": "x = 100"})
    await api.delete(f"/api/notebooks/{notebook_id}/cells/{removed}")
    await new_cell(api, notebook_id, code="z = 3", after_cell_id=None)

    response = await api.post(f"/api/notebooks/{notebook_id}/versions/{old_version}/restore")
    assert response.status_code == 200, response.text
    assert [(c["id"], c["code"]) for c in response.json()["cells"]] == [(kept, "x = 1"), (removed, "y = 2")]
    assert [(c["id"], c["code"]) for c in (await notebook(api, notebook_id))["cells"]] == [
        (kept, "x = 1"),
        (removed, "y = 2"),
    ]
    listed = (await versions(api, notebook_id))["versions"]
    assert len(listed) == 7
    assert listed[0]["cell_count"] == 2
    # An edit based on the cell as it was before the restore is refused: it would undo the restore unseen.
    stale = await api.put(f"/api/notebooks/{notebook_id}/cells/{kept}", json={"code": "x = 5", "revision": 1})
    assert stale.status_code == 409


async def diff(api: httpx.AsyncClient, notebook_id: str, version_id: str, **params: Any) -> dict[str, Any]:
    response = await api.get(f"/api/notebooks/{notebook_id}/versions/{version_id}/diff", params=params)
    assert response.status_code == 200, response.text
    return response.json()


async def test_a_diff_against_now_shows_what_a_restore_would_change(api: httpx.AsyncClient) -> None:
    notebook_id = await new_notebook(api, "Sales")
    kept = await new_cell(api, notebook_id, code="x = 1\ny = 2")
    removed = await new_cell(api, notebook_id, code="print(x)")
    old_version = (await versions(api, notebook_id))["versions"][0]["version_id"]
    await api.put(f"/api/notebooks/{notebook_id}/cells/{kept}", json={"code": "x = 10\ny = 2"})
    await api.delete(f"/api/notebooks/{notebook_id}/cells/{removed}")
    added = await new_cell(api, notebook_id, code="z = 3")
    await api.put(f"/api/notebooks/{notebook_id}/name", json={"name": "Sales 2"})

    found = await diff(api, notebook_id, old_version)
    assert (found["version_id"], found["base_version_id"], found["name"], found["base_name"]) == (
        old_version,
        None,
        "Sales",
        "Sales 2",
    )
    assert [(c["id"], c["change"], c["moved"]) for c in found["cells"]] == [
        (kept, "changed", False),
        (added, "removed", False),  # after the cell it follows now
        (removed, "added", False),
    ]
    assert found["cells"][0]["lines"] == [
        {"kind": "removed", "lines": ["x = 10"]},
        {"kind": "added", "lines": ["x = 1"]},
        {"kind": "same", "lines": ["y = 2"]},
    ]
    assert found["cells"][1]["version"] is None
    assert found["cells"][2]["base"] is None
    assert found["cells"][2]["version"]["code"] == "print(x)"


async def test_a_diff_between_two_versions_shows_what_a_save_changed(api: httpx.AsyncClient) -> None:
    notebook_id = await new_notebook(api)
    first = await new_cell(api, notebook_id, code="a = 1")
    second = await new_cell(api, notebook_id, code="b = 2")
    await api.post(f"/api/notebooks/{notebook_id}/cells/{second}/move", json={"index": 0})
    listed = [v["version_id"] for v in (await versions(api, notebook_id))["versions"]]
    moved = await diff(api, notebook_id, listed[0], base=listed[1])
    assert moved["base_version_id"] == listed[1]
    assert [(c["id"], c["change"], c["moved"]) for c in moved["cells"]] == [
        (second, "unchanged", True),
        (first, "unchanged", False),
    ]
    assert [(c["id"], c["change"]) for c in (await diff(api, notebook_id, listed[1], base=listed[2]))["cells"]] == [
        (first, "unchanged"),
        (second, "added"),
    ]


async def test_a_diff_with_an_unknown_version_is_404_and_a_stray_parameter_422(api: httpx.AsyncClient) -> None:
    notebook_id = await new_notebook(api)
    version_id = (await versions(api, notebook_id))["versions"][0]["version_id"]
    path = f"/api/notebooks/{notebook_id}/versions"
    unknown_base = await api.get(f"{path}/{version_id}/diff", params={"base": "nope"})
    assert unknown_base.status_code == 404
    assert "no saved version 'nope'" in unknown_base.json()["detail"]
    assert (await api.get(f"{path}/nope/diff")).status_code == 404
    assert (await api.get(f"{path}/{version_id}/diff", params={"against": version_id})).status_code == 422


async def test_a_deleted_notebook_is_listed_and_brought_back(
    api: httpx.AsyncClient, next_second: Callable[[], None]
) -> None:
    notebook_id = await new_notebook(api, "Gone")
    await new_cell(api, notebook_id, code="x = 1")
    next_second()
    assert (await api.delete(f"/api/notebooks/{notebook_id}")).status_code == 204
    deleted = (await api.get("/api/notebooks/deleted")).json()["notebooks"]
    assert [(item["id"], item["name"]) for item in deleted] == [(notebook_id, "Gone")]
    assert deleted[0]["deleted_at"]

    next_second()
    response = await api.post(f"/api/notebooks/{notebook_id}/undelete")
    assert response.status_code == 200, response.text
    assert response.json()["name"] == "Gone"
    assert [c["code"] for c in response.json()["cells"]] == ["x = 1"]
    assert [c["code"] for c in (await notebook(api, notebook_id))["cells"]] == ["x = 1"]
    assert (await api.get("/api/notebooks/deleted")).json() == {"notebooks": []}
    listed = (await versions(api, notebook_id))["versions"]
    assert [v["deleted"] for v in listed[:3]] == [False, True, False]

    again = await api.post(f"/api/notebooks/{notebook_id}/undelete")
    assert again.status_code == 409
    assert "exists" in again.json()["detail"]


async def test_undeleting_what_was_never_kept_is_404(api: httpx.AsyncClient) -> None:
    response = await api.post(f"/api/notebooks/{'e' * 32}/undelete")
    assert response.status_code == 404
    assert "no notebook" in response.json()["detail"]


async def test_clients_hear_a_restore_as_the_edits_it_makes(serve: Callable[..., Server]) -> None:
    server = serve()
    async with httpx.AsyncClient(base_url=server.url, timeout=TIMEOUT) as api:
        notebook_id = await new_notebook(api)
        kept = await new_cell(api, notebook_id, code="x = 1")
        removed = await new_cell(api, notebook_id, code="y = 2")
        old_version = (await versions(api, notebook_id))["versions"][0]["version_id"]
        await api.put(f"/api/notebooks/{notebook_id}/cells/{kept}", json={"code": "x = 100"})
        await api.delete(f"/api/notebooks/{notebook_id}/cells/{removed}")
        added = await new_cell(api, notebook_id, code="z = 3")

        socket = await open_socket(server, notebook_id)
        await socket.expect("snapshot")
        assert (await api.post(f"/api/notebooks/{notebook_id}/versions/{old_version}/restore")).status_code == 200
        await socket.expect("cell_deleted", cell_id=added)
        updated = await socket.expect("cell_updated")
        assert (updated["cell"]["id"], updated["cell"]["code"], updated["index"]) == (kept, "x = 1", 0)
        created = await socket.expect("cell_created")
        assert (created["cell"]["id"], created["cell"]["code"], created["index"]) == (removed, "y = 2", 1)
        await socket.connection.close()


async def test_a_damaged_version_is_a_storage_failure(tmp_path: Path) -> None:
    app = create_app(make_settings(tmp_path))
    async with app.router.lifespan_context(app), client_of(app) as api:
        notebook_id = await new_notebook(api)
        version_id = (await versions(api, notebook_id))["versions"][0]["version_id"]
        # Saved versions are hard links of the notebook's files: the damage is written to a fresh file.
        damaged = tmp_path / "history" / notebook_id / f"{version_id}.json"
        damaged.unlink()
        damaged.write_text('{"id": "x", "name":')
        response = await api.get(f"/api/notebooks/{notebook_id}/versions/{version_id}")
        assert response.status_code == 503
        assert "could not read the history" in response.json()["detail"]


async def test_restore_brings_back_a_sql_cells_output_name(api: httpx.AsyncClient) -> None:
    notebook_id = await new_notebook(api)
    named = await new_cell(api, notebook_id, type="sql", code="select 1", output_name="df")
    default = await new_cell(api, notebook_id, type="sql", code="select 2")
    old_version = (await versions(api, notebook_id))["versions"][0]["version_id"]
    for cell_id, output_name in ((named, "other"), (default, "chosen")):
        changed = await api.put(f"/api/notebooks/{notebook_id}/cells/{cell_id}", json={"output_name": output_name})
        assert changed.status_code == 200, changed.text
    before = {c["id"]: c["output_name"] for c in (await notebook(api, notebook_id))["cells"]}
    assert before == {named: "other", default: "chosen"}

    restored = await api.post(f"/api/notebooks/{notebook_id}/versions/{old_version}/restore")
    assert {c["id"]: c["output_name"] for c in restored.json()["cells"]} == {named: "df", default: f"df_{default}"}
    newest = (await versions(api, notebook_id))["versions"][0]["version_id"]
    saved = (await api.get(f"/api/notebooks/{notebook_id}/versions/{newest}")).json()["cells"]
    assert [c["output_name"] or None for c in saved] == ["df", None], "what is saved is what the notebook shows"
