"""GET /api/notebooks/{id}/cells/{cell_id}/table: pages of a displayed DataFrame, sorted and filtered over all its
rows, behind the access token, with 404/409/410/422 answers that say what happened."""

from __future__ import annotations

import json

import httpx
import pytest

from .conftest import TIMEOUT, TOKEN, open_socket
from .test_websocket import Serve, create, finished

pytestmark = pytest.mark.asyncio

AUTH = {"Authorization": f"Bearer {TOKEN}"}
FRAME = (
    "import pandas as pd\n"
    "frame = pd.DataFrame({'n': range(10_000), 'word': ['even' if i % 2 == 0 else 'odd' for i in range(10_000)]})\n"
    "frame"
)


async def test_the_table_route_pages_sorts_and_filters_the_whole_frame(serve: Serve) -> None:
    server = serve(access_token=TOKEN)
    notebook_id, (shown, slow) = await create(
        server, FRAME, "import time\nprint('started', flush=True)\ntime.sleep(60)", headers=AUTH
    )
    socket = await open_socket(server, notebook_id, query=f"?token={TOKEN}")
    await socket.send({"type": "run_cell", "cell_id": shown})
    await finished(socket, shown)
    ((output,),) = [message["outputs"] for message in socket.of_type("cell_output", cell_id=shown)]
    assert (output["total_rows"], len(output["rows"])) == (10_000, 100)
    path = f"/api/notebooks/{notebook_id}/cells/{shown}/table"
    table = {"table_id": output["table_id"]}
    async with httpx.AsyncClient(base_url=server.url, timeout=TIMEOUT) as api:
        assert (await api.get(path, params=table)).status_code == 401

        async def get(**params: object) -> httpx.Response:
            return await api.get(path, params=table | params, headers=AUTH)

        last = (await get(offset=9_900, limit=500)).json()
        assert (last["offset"], last["total_rows"], last["index"][0], last["rows"][-1]) == (
            9_900,
            10_000,
            9_900,
            [9_999, "odd"],
        )
        top = (await get(sort="n", descending="true", filter="ODD", limit=2)).json()
        assert (top["rows"], top["total_rows"]) == ([[9_999, "odd"], [9_997, "odd"]], 5_000)
        by_column = (await get(filters=json.dumps({"n": "999", "word": "even"}))).json()
        assert by_column["index"] == [9990, 9992, 9994, 9996, 9998]

        unknown = await get(sort="count")
        assert unknown.status_code == 400
        assert unknown.json()["detail"].startswith("the table has no column 'count'; its columns are 'n', 'word'")
        assert (await get(filters="[1]")).status_code == 400
        assert (await get(limit=501)).status_code == 422
        missing = await api.get(f"/api/notebooks/{notebook_id}/cells/nope/table", params=table, headers=AUTH)
        assert missing.status_code == 404

        await socket.send({"type": "run_cell", "cell_id": slow})
        await socket.expect("cell_stdout", cell_id=slow)
        busy = await get()
        assert (busy.status_code, busy.headers["retry-after"]) == (409, "1")
        assert "try again when it finishes" in busy.json()["detail"]
        await socket.send({"type": "interrupt"})
        await finished(socket, slow, "interrupted")

        await socket.send({"type": "run_cell", "cell_id": shown})
        await finished(socket, shown)
        stale = await get()
        assert stale.status_code == 410
        assert "Run the cell" in stale.json()["detail"]
