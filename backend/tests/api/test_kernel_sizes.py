"""A notebook's kernel size preset: offered as KERNEL_SIZES says, kept with the notebook, refused with the allowed
sizes named when not offered, and taken by the next kernel that starts (a running one keeps its own)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest

from app.main import create_app
from app.services.notebooks import NotebookService

from .conftest import Server, client_of, make_settings, open_socket
from .test_websocket import create

pytestmark = pytest.mark.asyncio


@asynccontextmanager
async def started(directory: Path, **settings: Any) -> AsyncIterator[tuple[httpx.AsyncClient, NotebookService]]:
    app = create_app(make_settings(directory, **settings))
    async with app.router.lifespan_context(app), client_of(app) as api:
        yield api, app.state.notebooks


async def new_notebook(api: httpx.AsyncClient) -> str:
    response = await api.post("/api/notebooks", json={"name": "sized"})
    assert response.status_code == 201
    notebook_id: str = response.json()["notebook_id"]
    return notebook_id


async def size_of(api: httpx.AsyncClient, notebook_id: str) -> str:
    response = await api.get(f"/api/notebooks/{notebook_id}")
    assert response.status_code == 200
    size: str = response.json()["kernel_size"]
    return size


async def choose(api: httpx.AsyncClient, notebook_id: str, size: str) -> httpx.Response:
    return await api.put(f"/api/notebooks/{notebook_id}/kernel-size", json={"kernel_size": size})


async def test_the_offered_sizes_are_those_of_kernel_sizes_with_their_cpu_and_memory(tmp_path: Path) -> None:
    async with started(tmp_path) as (api, _):
        default = (await api.get("/api/kernels/sizes")).json()
    assert default == {
        "launcher": "process",
        "default": "small",
        "sizes": [
            {"name": "small", "vcpus": 0.5, "memory_gib": 1.0},
            {"name": "medium", "vcpus": 1.0, "memory_gib": 4.0},
        ],
    }
    async with started(tmp_path, kernel_sizes="large,medium") as (api, _):
        offered = (await api.get("/api/kernels/sizes")).json()
        notebook_id = await new_notebook(api)
        assert await size_of(api, notebook_id) == "large"  # the first offered: the default
    assert offered["default"] == "large"
    assert offered["sizes"] == [
        {"name": "large", "vcpus": 2.0, "memory_gib": 8.0},
        {"name": "medium", "vcpus": 1.0, "memory_gib": 4.0},
    ]


async def test_a_chosen_size_is_kept_with_the_notebook_across_a_server_restart(tmp_path: Path) -> None:
    async with started(tmp_path) as (api, _):
        notebook_id = await new_notebook(api)
        assert await size_of(api, notebook_id) == "small"
        response = await choose(api, notebook_id, "medium")
        assert response.status_code == 200
        assert response.json() == {"kernel_size": "medium", "applies_at_next_start": False}  # no kernel runs
        listed = (await api.get("/api/notebooks")).json()["notebooks"]
        assert [item["kernel_size"] for item in listed if item["id"] == notebook_id] == ["medium"]
    async with started(tmp_path) as (api, _):
        assert await size_of(api, notebook_id) == "medium"


async def test_a_size_not_offered_is_refused_naming_the_offered_ones(tmp_path: Path) -> None:
    async with started(tmp_path) as (api, _):
        notebook_id = await new_notebook(api)
        refused = await choose(api, notebook_id, "large")
        unknown = await choose(api, notebook_id, "huge")
        assert await size_of(api, notebook_id) == "small"  # unchanged
        missing = await api.put("/api/notebooks/nope/kernel-size", json={"kernel_size": "medium"})
    assert refused.status_code == 422
    (problem,) = refused.json()["detail"]
    assert problem["loc"] == ["body", "kernel_size"]
    assert "'large' is not offered" in problem["msg"]
    assert "choose small or medium" in problem["msg"]
    assert "KERNEL_SIZES" in problem["msg"]
    assert unknown.status_code == 422
    assert unknown.json()["detail"][0]["loc"] == ["body", "kernel_size"]
    assert missing.status_code == 404


async def test_a_running_kernel_keeps_its_size_and_the_new_one_applies_at_its_next_start(tmp_path: Path) -> None:
    async with started(tmp_path) as (api, service):
        notebook_id = await new_notebook(api)
        live = service.get(notebook_id)
        await live.session.start()
        assert live.session.kernel_state == "ready"
        changed = (await choose(api, notebook_id, "medium")).json()
        again = (await choose(api, notebook_id, "medium")).json()
        assert live.session.kernel_state == "ready"  # the size did not restart the kernel
        await live.session.stop_kernel("restarting")
        after_stop = (await choose(api, notebook_id, "small")).json()
        # What the launcher reads when the kernel starts again.
        assert live.kernel_size == "small"
    assert changed == {"kernel_size": "medium", "applies_at_next_start": True}
    assert again == {"kernel_size": "medium", "applies_at_next_start": False}  # it already was the size
    assert after_stop == {"kernel_size": "small", "applies_at_next_start": False}


async def test_a_size_no_longer_offered_falls_back_to_the_default(tmp_path: Path) -> None:
    async with started(tmp_path, kernel_sizes="small,medium,large") as (api, _):
        notebook_id = await new_notebook(api)
        assert (await choose(api, notebook_id, "large")).status_code == 200
    async with started(tmp_path, kernel_sizes="medium,small") as (api, _):
        assert await size_of(api, notebook_id) == "medium"
    async with started(tmp_path, kernel_sizes="large") as (api, _):
        assert await size_of(api, notebook_id) == "large"  # kept in the notebook meanwhile


async def test_clients_of_the_notebook_are_told_the_new_size(serve: Callable[..., Server]) -> None:
    server = serve()
    notebook_id, _ = await create(server)
    socket = await open_socket(server, notebook_id)
    await socket.expect("snapshot")
    async with httpx.AsyncClient(base_url=server.url) as api:
        assert (await choose(api, notebook_id, "medium")).status_code == 200
    message = await socket.expect("notebook_updated")
    assert message["notebook"]["kernel_size"] == "medium"
    await socket.connection.close()
