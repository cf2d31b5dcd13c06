"""Through the WebSocket: a cell redefining a builtin name feeds the cells reading it, and a cell deleting a name
runs after the cells reading it."""

from __future__ import annotations

from collections.abc import Callable

import httpx
import pytest

from .conftest import TIMEOUT, Server, open_socket
from .test_websocket import create, finished, statuses

pytestmark = pytest.mark.asyncio

Serve = Callable[..., Server]


async def test_a_shadowed_builtin_reruns_its_reader_after_an_edit(serve: Serve) -> None:
    server = serve()
    notebook_id, (reader, definer) = await create(server, "filter.upper()", "filter = 'abc'")
    socket = await open_socket(server, notebook_id)
    snapshot = await socket.expect("snapshot")
    assert snapshot["notebook"]["cells"][0]["depends_on"] == [definer]

    await socket.send({"type": "run_cell", "cell_id": definer})
    await finished(socket, reader)
    assert socket.of_type("cell_output", cell_id=reader)[-1]["outputs"][0]["text"] == "'ABC'"

    async with httpx.AsyncClient(base_url=server.url, timeout=TIMEOUT) as api:
        await api.put(f"/api/notebooks/{notebook_id}/cells/{definer}", json={"code": "filter = 'xyz'"})
    stale = await socket.expect("cell_status", cell_id=reader, stale=True)
    assert stale["status"] == "success", "the edit marks the reader stale"
    await socket.send({"type": "run_cell", "cell_id": definer})
    output = await socket.expect("cell_output", cell_id=reader)
    assert output["outputs"][0]["text"] == "'XYZ'"
    await socket.connection.close()


async def test_a_cell_deleting_a_name_runs_after_its_readers(serve: Serve) -> None:
    server = serve()
    notebook_id, (definer, deleter, reader) = await create(server, "x = 1", "del x", "x + 1")
    socket = await open_socket(server, notebook_id)
    await socket.expect("snapshot")
    await socket.send({"type": "run_cell", "cell_id": definer})
    await finished(socket, deleter)
    assert statuses(socket, reader)[-1] == "success"
    assert socket.of_type("cell_output", cell_id=reader)[-1]["outputs"][0]["text"] == "2"
    running = [m["cell_id"] for m in socket.of_type("cell_status") if m["status"] == "running"]
    assert running == [definer, reader, deleter]
    await socket.connection.close()


async def test_an_except_name_reassigned_in_its_handler_is_not_a_second_definition(serve: Serve) -> None:
    handler = "try:\n    int('x')\nexcept ValueError as error:\n    error = str(error)\n    message = error"
    notebook_id, (definer, handling, reader) = await create(server := serve(), "error = 'none'", handler, "error")
    socket = await open_socket(server, notebook_id)
    cells = (await socket.expect("snapshot"))["notebook"]["cells"]
    assert [cell["static_errors"] for cell in cells] == [[], [], []]
    assert cells[1]["defines"] == ["message"]
    await socket.send({"type": "run_all"})
    await finished(socket, handling)
    assert socket.of_type("cell_output", cell_id=reader)[-1]["outputs"][0]["text"] == "'none'"
    running = [m["cell_id"] for m in socket.of_type("cell_status") if m["status"] == "running"]
    assert running == [definer, reader, handling], "the handler unbinds `error`: it runs after the cell reading it"
    await socket.connection.close()
