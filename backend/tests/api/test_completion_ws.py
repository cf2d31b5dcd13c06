"""Completion and docs over the notebook WebSocket."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from .conftest import Server, open_socket
from .test_websocket import create, finished

pytestmark = pytest.mark.asyncio

Serve = Callable[..., Server]


async def test_completions_and_docs_answer_their_request(serve: Serve) -> None:
    server = serve()
    notebook_id, (imports, edit) = await create(server, "import math", "")
    socket = await open_socket(server, notebook_id)
    await socket.send({"type": "run_cell", "cell_id": imports})
    await finished(socket, imports)

    await socket.send({"type": "complete", "request_id": 7, "cell_id": edit, "code": "math.fl", "cursor": 7})
    completions = await socket.expect("completions", request_id=7)
    assert completions["cell_id"] == edit
    assert completions["start"] == 5
    assert {"label": "floor", "kind": "function", "detail": "def floor"} in completions["items"]

    await socket.send({"type": "inspect", "request_id": 8, "cell_id": edit, "code": "math.floor(", "cursor": 11})
    inspection = await socket.expect("inspection", request_id=8)
    assert inspection["signatures"][0]["label"].startswith("floor(")


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"cursor": 99}, "cursor 99 is past the end of the code (7 characters)"),
        ({"cursor": -1}, "cursor: Input should be greater than or equal to 0"),
        ({"request_id": None}, "request_id: Input should be a valid integer"),
        ({"cell_id": "nope"}, "no cell with id 'nope' in this notebook"),
    ],
)
async def test_a_bad_request_gets_an_error_and_the_connection_stays_open(
    serve: Serve, change: dict[str, object], message: str
) -> None:
    server = serve()
    notebook_id, (cell,) = await create(server, "")
    socket = await open_socket(server, notebook_id)
    request = {"type": "complete", "request_id": 1, "cell_id": cell, "code": "math.fl", "cursor": 7}
    await socket.send(request | change)
    error = await socket.expect("error")
    assert message in error["message"]
    await socket.send({"type": "sync"})
    await socket.expect("snapshot")
