"""Through the REST edits and the WebSocket: no value outlives the code that defined it (an edited or deleted cell's
names leave the kernel and its readers run again), and a cell whose multiple-definition error another cell's edit
fixed runs again by itself."""

from __future__ import annotations

from collections.abc import Callable

import httpx
import pytest

from .conftest import TIMEOUT, Server, Socket, open_socket
from .test_websocket import create, finished

pytestmark = pytest.mark.asyncio

Serve = Callable[..., Server]
PROBE = "sorted(k for k in globals() if k in ('x', 'w'))"


async def edit(server: Server, notebook_id: str, cell_id: str, code: str) -> None:
    async with httpx.AsyncClient(base_url=server.url, timeout=TIMEOUT) as api:
        response = await api.put(f"/api/notebooks/{notebook_id}/cells/{cell_id}", json={"code": code})
        assert response.status_code < 300, response.text


async def kernel_names(socket: Socket, probe: str) -> str:
    await socket.send({"type": "run_cell", "cell_id": probe})
    return (await socket.expect("cell_output", cell_id=probe))["outputs"][0]["text"]


async def ran(server: Server, source: str, reader: str) -> tuple[str, list[str], Socket]:
    """A notebook of `source`, `reader` and the probe, with the source run and the reader run after it."""
    notebook_id, cell_ids = await create(server, source, reader, PROBE)
    socket = await open_socket(server, notebook_id)
    await socket.expect("snapshot")
    await socket.send({"type": "run_cell", "cell_id": cell_ids[0]})
    await finished(socket, cell_ids[1])
    return notebook_id, cell_ids, socket


async def test_editing_a_cell_removes_its_old_names_and_reruns_its_reader(serve: Serve) -> None:
    server = serve()
    notebook_id, (source, reader, probe), socket = await ran(server, "x = 1", "x + 1")
    assert await kernel_names(socket, probe) == "['x']"

    await edit(server, notebook_id, source, "x = 2")
    blocked = await socket.expect("cell_status", cell_id=reader, status="blocked")
    assert (blocked["blocked_by"], blocked["stale"]) == (source, True)
    assert await kernel_names(socket, probe) == "[]", "x is gone before the edited cell runs again"

    await edit(server, notebook_id, source, "w = 2")  # renamed: the reader now reads a name nobody defines
    await socket.send({"type": "run_cell", "cell_id": source})
    await finished(socket, source)
    assert await kernel_names(socket, probe) == "['w']", "the old name does not survive the rename"
    await socket.send({"type": "run_cell", "cell_id": reader})
    error = (await socket.expect("cell_error", cell_id=reader))["error"]
    assert (error["type"], error["message"]) == ("NameError", "name 'x' is not defined")
    await socket.connection.close()


async def test_deleting_a_cell_reruns_its_reader_into_a_name_error(serve: Serve) -> None:
    server = serve()
    notebook_id, (source, reader, probe), socket = await ran(server, "x = 1", "x + 1")

    async with httpx.AsyncClient(base_url=server.url, timeout=TIMEOUT) as api:
        assert (await api.delete(f"/api/notebooks/{notebook_id}/cells/{source}")).status_code == 204
    await socket.expect("cell_deleted")
    error = (await socket.expect("cell_error", cell_id=reader))["error"]
    assert (error["type"], error["message"]) == ("NameError", "name 'x' is not defined")
    assert await kernel_names(socket, probe) == "[]"
    await socket.connection.close()


async def test_fixing_a_duplicate_clears_the_other_cells_error_and_runs_it(serve: Serve) -> None:
    server = serve()
    notebook_id, (first, second, reader) = await create(server, "dup = 1", "dup = 2", "dup + 1")
    socket = await open_socket(server, notebook_id)
    await socket.expect("snapshot")
    await socket.send({"type": "run_cell", "cell_id": first})
    error = (await socket.expect("cell_error", cell_id=first))["error"]
    assert error["type"] == "MultipleDefinitionError"
    await socket.expect("cell_status", cell_id=reader, status="blocked")

    await edit(server, notebook_id, second, "other = 2")
    graph = await socket.expect("graph")
    assert graph["cells"][first]["static_errors"] == [], "the cell that was not edited loses its error too"
    await finished(socket, first)
    output = await socket.expect("cell_output", cell_id=reader)
    assert output["outputs"] == [{"kind": "text", "text": "2", "truncated": False}]

    async with httpx.AsyncClient(base_url=server.url, timeout=TIMEOUT) as api:
        cells = (await api.get(f"/api/notebooks/{notebook_id}")).json()["cells"]
    assert [(cell["status"], cell["error"]) for cell in cells[:1]] == [("success", None)]
    await socket.connection.close()


async def test_deleting_the_other_definer_runs_the_cell_whose_error_went_away(serve: Serve) -> None:
    server = serve()
    notebook_id, (first, second) = await create(server, "dup = 1\ndup", "dup = 2")
    socket = await open_socket(server, notebook_id)
    await socket.expect("snapshot")
    await socket.send({"type": "run_cell", "cell_id": first})
    assert (await socket.expect("cell_error", cell_id=first))["error"]["type"] == "MultipleDefinitionError"

    async with httpx.AsyncClient(base_url=server.url, timeout=TIMEOUT) as api:
        assert (await api.delete(f"/api/notebooks/{notebook_id}/cells/{second}")).status_code == 204
    await socket.expect("cell_deleted")
    output = await socket.expect("cell_output", cell_id=first)
    assert output["outputs"] == [{"kind": "text", "text": "1", "truncated": False}]
    await finished(socket, first)
    await socket.connection.close()
