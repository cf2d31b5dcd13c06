"""Rich displays through the API: a value's `_repr_*_` reaches WebSocket clients and the REST snapshot as the output
kinds the schema names, cut with `truncated` when too long."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from app.engine.kernel.mime import MAX_RICH_CHARACTERS

from .conftest import TIMEOUT, open_socket
from .test_websocket import Serve, create, finished

pytestmark = pytest.mark.asyncio

CLASSES = """
class Show:
    def __init__(self, **reprs):
        self.reprs = reprs
    def _repr_mimebundle_(self, include=None, exclude=None):
        return self.reprs
"""


async def test_rich_outputs_reach_clients_and_the_rest_snapshot(serve: Serve) -> None:
    server = serve()
    codes = [
        CLASSES,
        "Show(**{'text/html': '<table><tr><td>1</td></tr></table>', 'text/plain': 'T'})",
        f"Show(**{{'text/html': 'x' * {MAX_RICH_CHARACTERS + 10}}})",
        "Show(**{'text/markdown': '# Hi'})",
        "Show(**{'image/svg+xml': '<svg xmlns=\"http://www.w3.org/2000/svg\"/>'})",
        "Show(**{'image/jpeg': b'\\xff\\xd8'})",
        "Show(**{'application/json': {'a': [1, 2]}})",
        "Show(**{'text/html': 3})",
    ]
    notebook_id, cells = await create(server, *codes)
    socket = await open_socket(server, notebook_id)
    await socket.expect("snapshot")
    await socket.send({"type": "run_all"})
    for cell in cells[:-1]:
        await finished(socket, cell)
    await finished(socket, cells[-1], "error")

    def output(cell: str) -> dict[str, Any]:
        (message,) = socket.of_type("cell_output", cell_id=cell)
        (shown,) = message["outputs"]
        return dict(shown)

    html, huge, markdown, svg, jpeg, json_, bad = cells[1:]
    assert output(html) == {"kind": "html", "html": "<table><tr><td>1</td></tr></table>", "truncated": False}
    assert (len(output(huge)["html"]), output(huge)["truncated"]) == (MAX_RICH_CHARACTERS, True)
    assert output(markdown) == {"kind": "markdown", "markdown": "# Hi", "truncated": False}
    assert output(svg) == {"kind": "svg", "svg": '<svg xmlns="http://www.w3.org/2000/svg"/>'}
    assert output(jpeg) == {"kind": "image", "mime": "image/jpeg", "data": "/9g="}
    assert output(json_) == {"kind": "json", "data": {"a": [1, 2]}}
    (failed,) = socket.of_type("cell_error", cell_id=bad)
    assert failed["error"]["type"] == "TypeError"
    assert "Show's text/html representation is int: it must be str" in failed["error"]["message"]

    async with httpx.AsyncClient(base_url=server.url, timeout=TIMEOUT) as api:
        notebook = (await api.get(f"/api/notebooks/{notebook_id}")).json()
    by_id = {cell["id"]: cell for cell in notebook["cells"]}
    assert by_id[markdown]["outputs"] == [output(markdown)]
    assert by_id[huge]["outputs"][0]["truncated"] is True
    assert by_id[json_]["outputs"] == [output(json_)]
    assert by_id[bad]["outputs"] == []
    assert "Show's text/html representation is int: it must be str" in by_id[bad]["error"]["message"]
    await socket.connection.close()
