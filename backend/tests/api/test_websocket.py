"""The WebSocket through a real uvicorn server and the `websockets` client: running, streaming, interrupting,
keeping two clients in sync, refusing bad tokens and origins, and answering bad frames without closing."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from websockets.exceptions import ConnectionClosed, InvalidStatus

from .conftest import TIMEOUT, TOKEN, Server, Socket, open_socket

pytestmark = pytest.mark.asyncio

Serve = Callable[..., Server]


async def create(server: Server, *codes: str, headers: dict[str, str] | None = None) -> tuple[str, list[str]]:
    """A notebook with Python cells of that code; returns its id and the cell ids."""
    async with httpx.AsyncClient(base_url=server.url, headers=headers, timeout=TIMEOUT) as api:
        notebook_id = (await api.post("/api/notebooks", json={"name": "t"})).json()["notebook_id"]
        cells = []
        for code in codes:
            response = await api.post(f"/api/notebooks/{notebook_id}/cells", json={"type": "python", "code": code})
            cells.append(response.json()["cell_id"])
    return notebook_id, cells


async def finished(socket: Socket, cell_id: str, status: str = "success") -> dict[str, Any]:
    return await socket.expect("cell_status", cell_id=cell_id, status=status)


def statuses(socket: Socket, cell_id: str) -> list[str]:
    return [message["status"] for message in socket.of_type("cell_status", cell_id=cell_id)]


async def test_running_a_cell_reruns_its_dependents(serve: Serve) -> None:
    server = serve()
    notebook_id, (source, double, show) = await create(server, "x = 1", "y = x * 2\nprint('y is', y)", "y + 1")
    socket = await open_socket(server, notebook_id)
    snapshot = await socket.expect("snapshot")
    assert [cell["id"] for cell in snapshot["notebook"]["cells"]] == [source, double, show]
    assert snapshot["notebook"]["cells"][2]["depends_on"] == [double]

    await socket.send({"type": "run_cell", "cell_id": source})
    await finished(socket, show)
    assert statuses(socket, source) == ["queued", "running", "success"]
    assert statuses(socket, double) == ["queued", "running", "success"]
    assert socket.of_type("cell_stdout", cell_id=double)[0]["text"] == "y is 2\n"
    assert socket.of_type("cell_output", cell_id=show)[-1]["outputs"] == [
        {"kind": "text", "text": "3", "truncated": False}
    ]

    async with httpx.AsyncClient(base_url=server.url) as api:
        await api.put(f"/api/notebooks/{notebook_id}/cells/{source}", json={"code": "x = 20"})
    await socket.expect("cell_updated")
    stale = await socket.expect("cell_status", cell_id=show, stale=True)
    assert stale["status"] == "success", "an edit marks the dependents stale without running them"
    await socket.send({"type": "run_cell", "cell_id": source})
    output = await socket.expect("cell_output", cell_id=show)
    assert output["outputs"][0]["text"] == "41"

    seqs = [message["seq"] for message in socket.received if "seq" in message]
    assert seqs == list(range(snapshot["notebook"]["seq"] + 1, snapshot["notebook"]["seq"] + 1 + len(seqs)))
    await socket.connection.close()


async def test_stdout_streams_while_the_cell_runs(serve: Serve) -> None:
    server = serve()
    code = "import time\nfor i in range(3):\n    print('tick', i, flush=True)\n    time.sleep(0.3)"
    notebook_id, (cell,) = await create(server, code)
    socket = await open_socket(server, notebook_id)
    await socket.send({"type": "run_cell", "cell_id": cell})
    first = await socket.expect("cell_stdout", cell_id=cell)
    assert first["stream"] == "stdout"
    assert first["text"].startswith("tick 0")
    assert statuses(socket, cell)[-1] == "running", "the first line arrives while the cell still runs"
    await finished(socket, cell)
    assert "".join(m["text"] for m in socket.of_type("cell_stdout", cell_id=cell)) == "tick 0\ntick 1\ntick 2\n"

    reconnected = await open_socket(server, notebook_id)
    view = (await reconnected.expect("snapshot"))["notebook"]
    assert view["cells"][0]["stdout"] == "tick 0\ntick 1\ntick 2\n", "a reconnecting client gets what it missed"
    assert view["cells"][0]["status"] == "success"


async def test_stdout_and_stderr_reach_the_browser_in_the_order_they_were_written(serve: Serve) -> None:
    server = serve()
    code = "import sys\nprint(1)\nprint(2, file=sys.stderr)\nprint(3)"
    notebook_id, (cell,) = await create(server, code)
    socket = await open_socket(server, notebook_id)
    await socket.send({"type": "run_cell", "cell_id": cell})
    await finished(socket, cell)
    streamed = [(m["stream"], m["text"]) for m in socket.of_type("cell_stdout", cell_id=cell)]
    assert streamed == [("stdout", "1\n"), ("stderr", "2\n"), ("stdout", "3\n")]

    reconnected = await open_socket(server, notebook_id)
    view = (await reconnected.expect("snapshot"))["notebook"]["cells"][0]
    assert view["stdout"] == "1\n2\n3\n"
    assert view["console"] == [
        {"stream": "stdout", "text": "1\n"},
        {"stream": "stderr", "text": "2\n"},
        {"stream": "stdout", "text": "3\n"},
    ]


async def test_every_output_cut_by_a_limit_says_truncated(serve: Serve) -> None:
    server = serve()
    notebook_id, (short, shortened, cut, whole_table, long_table, loud) = await create(
        server,
        "[1, 2, 3]",
        "list(range(5000))",  # reprlib lists 200 items: far under the 10,000 characters of text, yet not all of it
        "'x' * 20000",
        "import pandas as pd\npd.DataFrame({'a': range(100)})",
        "pd.DataFrame({'a': range(101)})",
        "print('x' * 100_000)\nprint('end')",
    )
    socket = await open_socket(server, notebook_id)
    await socket.expect("snapshot")
    await socket.send({"type": "run_all"})
    for cell in (short, shortened, cut, whole_table, long_table, loud):
        await finished(socket, cell)

    def output(cell: str) -> dict[str, Any]:
        (message,) = socket.of_type("cell_output", cell_id=cell)
        (shown,) = message["outputs"]
        return dict(shown)

    assert output(short) == {"kind": "text", "text": "[1, 2, 3]", "truncated": False}
    assert output(shortened)["text"].endswith("199, ...]")
    assert output(shortened)["truncated"] is True
    assert len(output(cut)["text"]) == 10_000
    assert output(cut)["truncated"] is True
    assert (output(whole_table)["total_rows"], output(whole_table)["truncated"]) == (100, False)
    assert (len(output(long_table)["rows"]), output(long_table)["total_rows"]) == (100, 101)
    assert output(long_table)["truncated"] is True
    # Streamed messages carry everything; the kept console drops its oldest text, and says so.
    assert sum(len(m["text"]) for m in socket.of_type("cell_stdout", cell_id=loud)) == 100_005

    reconnected = await open_socket(server, notebook_id)
    cells = {cell["id"]: cell for cell in (await reconnected.expect("snapshot"))["notebook"]["cells"]}
    assert len(cells[loud]["stdout"]) == 100_000
    assert cells[loud]["stdout"].endswith("x\nend\n")
    assert cells[loud]["console_truncated"] is True
    assert cells[short]["console_truncated"] is False
    assert cells[shortened]["outputs"][0]["truncated"] is True
    assert cells[long_table]["outputs"][0]["truncated"] is True


async def test_interrupt_stops_an_endless_loop_without_blocking_anything_else(serve: Serve) -> None:
    server = serve()
    notebook_id, (spin, after) = await create(server, "n = 0\nwhile True:\n    n += 1", "n + 1")
    other_id, (other,) = await create(server, "print('other notebook')")
    socket = await open_socket(server, notebook_id)
    await socket.send({"type": "run_cell", "cell_id": spin})
    await finished(socket, spin, "running")

    async with httpx.AsyncClient(base_url=server.url, timeout=TIMEOUT) as api:
        assert (await api.get("/health")).json()["status"] == "ok"
        assert (await api.get(f"/api/notebooks/{notebook_id}")).json()["cells"][0]["status"] == "running"
    other_socket = await open_socket(server, other_id)
    await other_socket.send({"type": "run_cell", "cell_id": other})
    await finished(other_socket, other)

    await socket.send({"type": "interrupt"})
    await finished(socket, spin, "interrupted")
    error = socket.of_type("cell_error", cell_id=spin)[-1]["error"]
    assert error["type"] == "KeyboardInterrupt"
    assert statuses(socket, after) == ["queued", "idle"], "an interrupt cancels the queued dependent"


async def test_two_clients_stay_in_sync(serve: Serve) -> None:
    server = serve()
    notebook_id, (cell,) = await create(server, "a = 1")
    first, second = await open_socket(server, notebook_id), await open_socket(server, notebook_id)
    for socket in (first, second):
        await socket.expect("snapshot")

    async with httpx.AsyncClient(base_url=server.url) as api:
        base = f"/api/notebooks/{notebook_id}"
        added = (await api.post(f"{base}/cells", json={"type": "python", "code": "b = a + 1\nb"})).json()["cell_id"]
        await api.put(f"{base}/cells/{cell}", json={"code": "a = 10"})
        await api.post(f"{base}/cells/{added}/move", json={"index": 0})
        await api.put(f"{base}/name", json={"name": "Shared"})
        await api.put(f"{base}/db", json={"connection_string": "postgresql://u:secret@db/x"})
    for socket in (first, second):
        created = await socket.expect("cell_created")
        assert created["cell"]["id"] == added
        assert created["cell"]["code"] == "b = a + 1\nb"
        assert created["index"] == 1
        graph = await socket.expect("graph")
        assert graph["cells"][added]["depends_on"] == [cell]
        updated = await socket.expect("cell_updated")
        assert updated["cell"] == {"id": cell, "type": "python", "code": "a = 10", "output_name": None, "revision": 1}
        assert (await socket.expect("cell_moved")) | {"seq": 0} == {
            "type": "cell_moved",
            "cell_id": added,
            "index": 0,
            "seq": 0,
        }
        renamed = await socket.expect("notebook_updated")
        assert renamed["notebook"]["name"] == "Shared"
        connected = await socket.expect("notebook_updated")
        assert connected["notebook"]["db_connection_set"] is True
    assert "secret" not in str(first.received)

    await first.send({"type": "run_cell", "cell_id": added})
    for socket in (first, second):
        output = await socket.expect("cell_output", cell_id=added)
        assert output["outputs"][0]["text"] == "11"

    async with httpx.AsyncClient(base_url=server.url) as api:
        await api.delete(f"/api/notebooks/{notebook_id}/cells/{added}")
    for socket in (first, second):
        assert (await socket.expect("cell_deleted"))["cell_id"] == added


async def test_deleting_the_notebook_tells_its_clients_and_closes_their_sockets(serve: Serve) -> None:
    server = serve()
    notebook_id, _ = await create(server, "a = 1")
    socket = await open_socket(server, notebook_id)
    await socket.expect("snapshot")
    async with httpx.AsyncClient(base_url=server.url) as api:
        assert (await api.delete(f"/api/notebooks/{notebook_id}")).status_code == 204
    assert (await socket.expect("notebook_deleted")) == {"type": "notebook_deleted", "notebook_id": notebook_id}
    with pytest.raises(ConnectionClosed):
        await socket.expect("no message comes after the close")
    assert socket.connection.close_code == 4404


@pytest.mark.parametrize(
    ("frame", "message"),
    [
        ("not json", "invalid message: Invalid JSON"),
        ("[1, 2]", "invalid message:"),
        ('{"type": "explode"}', "does not match any of the expected tags"),
        ('{"cell_id": "x"}', "Unable to extract tag using discriminator 'type'"),
        ('{"type": "run_cell"}', "invalid message: run_cell.cell_id: Field required"),
        ('{"type": "run_cell", "cell_id": 7}', "run_cell.cell_id: Input should be a valid string"),
        ('{"type": "interrupt", "extra": 1}', "interrupt.extra: Extra inputs are not permitted"),
        ('{"type": "run_cell", "cell_id": "nope"}', "no cell with id 'nope' in this notebook"),
        (b"\x00\x01", "binary frames are not understood"),
        ("x" * 70_000, "at most 65536 are accepted"),
    ],
)
async def test_a_bad_frame_gets_an_error_and_the_connection_stays_open(
    serve: Serve, frame: str | bytes, message: str
) -> None:
    server = serve()
    notebook_id, (cell,) = await create(server, "print('still here')")
    socket = await open_socket(server, notebook_id)
    await socket.send(frame)
    error = await socket.expect("error")
    assert message in error["message"]
    await socket.send({"type": "run_cell", "cell_id": cell})
    assert (await socket.expect("cell_stdout", cell_id=cell))["text"] == "still here\n"


async def test_sync_sends_a_fresh_snapshot(serve: Serve) -> None:
    server = serve()
    notebook_id, (cell,) = await create(server, "1 + 1")
    socket = await open_socket(server, notebook_id)
    await socket.send({"type": "run_cell", "cell_id": cell})
    await finished(socket, cell)
    await socket.send({"type": "sync"})
    view = (await socket.expect("snapshot"))["notebook"]
    assert view["cells"][0]["outputs"] == [{"kind": "text", "text": "2", "truncated": False}]
    assert view["kernel"]["state"] == "ready"
    assert view["seq"] == max(message.get("seq", 0) for message in socket.received)


async def test_run_all_and_restart_kernel(serve: Serve) -> None:
    server = serve()
    notebook_id, (first, second) = await create(server, "a = 1", "a + 1")
    socket = await open_socket(server, notebook_id)
    await socket.send({"type": "run_all"})
    await finished(socket, second)
    await socket.send({"type": "restart_kernel"})
    await socket.expect("kernel_status", state="restarting")
    assert (await socket.expect("cell_status", cell_id=first, stale=True))["status"] == "success"
    await socket.expect("kernel_status", state="ready")


async def refused(server: Server, notebook_id: str, **options: Any) -> InvalidStatus:
    with pytest.raises(InvalidStatus) as refusal:
        await open_socket(server, notebook_id, **options)
    return refusal.value


async def test_with_a_token_the_socket_requires_it(serve: Serve) -> None:
    server = serve(access_token=TOKEN)
    notebook_id, (cell,) = await create(server, "1", headers={"Authorization": f"Bearer {TOKEN}"})
    for options in (
        {},
        {"query": "?token=wrong"},
        {"subprotocols": ["notebook", "bearer.wrong"]},
        {"additional_headers": {"Authorization": "Bearer wrong"}},
    ):
        refusal = await refused(server, notebook_id, **options)
        assert refusal.response.status_code == 401, options
        assert b"access token" in refusal.response.body

    by_protocol = await open_socket(server, notebook_id, subprotocols=["notebook", f"bearer.{TOKEN}"])
    assert by_protocol.connection.subprotocol == "notebook", "the token is never echoed back as the protocol"
    by_query = await open_socket(server, notebook_id, query=f"?token={TOKEN}")
    by_header = await open_socket(server, notebook_id, additional_headers={"Authorization": f"Bearer {TOKEN}"})
    for socket in (by_protocol, by_query, by_header):
        await socket.send({"type": "run_cell", "cell_id": cell})
        await finished(socket, cell)
    assert (await refused(server, "nope", query=f"?token={TOKEN}")).response.status_code == 404


async def test_without_a_token_only_allowed_origins_may_connect(serve: Serve) -> None:
    server = serve(allowed_origins="https://notebook.example.com")
    notebook_id, _ = await create(server)
    for origin in ("https://notebook.example.com", f"http://127.0.0.1:{server.port}"):
        socket = await open_socket(server, notebook_id, origin=origin)
        await socket.expect("snapshot")
    no_origin = await open_socket(server, notebook_id)  # not a browser
    await no_origin.expect("snapshot")
    refusal = await refused(server, notebook_id, origin="https://evil.example")
    assert refusal.response.status_code == 403
    assert b"ALLOWED_ORIGINS" in refusal.response.body
    assert (await refused(server, "nope")).response.status_code == 404


async def test_deleting_a_running_cell_stops_it_first(serve: Serve) -> None:
    server = serve()
    notebook_id, (spin, reader) = await create(server, "n = 0\nwhile True:\n    n += 1", "n")
    socket = await open_socket(server, notebook_id)
    await socket.send({"type": "run_cell", "cell_id": spin})
    await finished(socket, spin, "running")
    async with httpx.AsyncClient(base_url=server.url, timeout=TIMEOUT) as api:
        assert (await api.delete(f"/api/notebooks/{notebook_id}/cells/{spin}")).status_code == 204
        cells = (await api.get(f"/api/notebooks/{notebook_id}")).json()["cells"]
    assert [cell["id"] for cell in cells] == [reader]
    await finished(socket, spin, "interrupted")
    assert (await socket.expect("cell_deleted"))["cell_id"] == spin


async def test_a_running_cell_that_ignores_interrupts_is_deleted_by_restarting_the_kernel(serve: Serve) -> None:
    server = serve()
    notebooks = server.app.state.notebooks
    notebooks.session_config = dataclasses.replace(notebooks.session_config, delete_grace=0.5)
    stubborn = (
        "import time\nwhile True:\n    try:\n        time.sleep(0.05)\n    except KeyboardInterrupt:\n        pass"
    )
    notebook_id, (kept, spin) = await create(server, "a = 1", stubborn)
    socket = await open_socket(server, notebook_id)
    await socket.send({"type": "run_cell", "cell_id": kept})
    await finished(socket, kept)
    await socket.send({"type": "run_cell", "cell_id": spin})
    await finished(socket, spin, "running")
    async with httpx.AsyncClient(base_url=server.url, timeout=TIMEOUT) as api:
        assert (await api.delete(f"/api/notebooks/{notebook_id}/cells/{spin}")).status_code == 204
    await socket.expect("kernel_status", state="restarting")
    assert (await socket.expect("cell_deleted"))["cell_id"] == spin
    assert socket.of_type("cell_status", cell_id=kept)[-1]["stale"] is True, "a new kernel: `a` must be run again"


async def test_the_cell_time_limit_interrupts_long_cells(serve: Serve) -> None:
    server = serve(cell_time_limit=0.5)
    notebook_id, (spin,) = await create(server, "while True:\n    pass")
    socket = await open_socket(server, notebook_id)
    await socket.send({"type": "run_cell", "cell_id": spin})
    error = (await socket.expect("cell_error", cell_id=spin))["error"]
    assert error["type"] == "TimeoutError"
    assert "time limit of 0.5 s" in error["message"]
    await finished(socket, spin, "error")


async def test_printing_outside_any_cell_reaches_clients_as_kernel_stdout(serve: Serve) -> None:
    server = serve()
    later = "import threading\nthreading.Timer(0.3, lambda: print('from a timer', flush=True)).start()"
    notebook_id, (cell,) = await create(server, later)
    socket = await open_socket(server, notebook_id)
    await socket.send({"type": "run_cell", "cell_id": cell})
    await finished(socket, cell)
    message = await socket.expect("kernel_stdout")
    assert message["text"] == "from a timer\n"
    assert message["stream"] == "stdout"
