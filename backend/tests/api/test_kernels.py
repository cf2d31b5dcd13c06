"""The kernels of the notebooks: listed with what they use, stopped on request, and stopped by themselves once no
client has used them for KERNEL_IDLE_SECONDS, the next open starting a fresh one."""

from __future__ import annotations

import asyncio
import os
import time
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from .conftest import TIMEOUT, Server, open_socket
from .test_websocket import create, finished

pytestmark = pytest.mark.asyncio

Serve = Callable[..., Server]


async def kernels(server: Server) -> list[dict[str, Any]]:
    async with httpx.AsyncClient(base_url=server.url, timeout=TIMEOUT) as api:
        response = await api.get("/api/kernels")
    assert response.status_code == 200
    listed: list[dict[str, Any]] = response.json()["kernels"]
    return listed


async def until(condition: Callable[[], Any], what: str) -> None:
    deadline = time.monotonic() + TIMEOUT
    while not await condition():
        assert time.monotonic() < deadline, f"timed out waiting until {what}"
        await asyncio.sleep(0.05)


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another uid's (under the launcher): it exists
        return True
    return True


async def test_a_kernel_is_listed_with_its_notebook_and_usage_and_stops_on_request(serve: Serve) -> None:
    server = serve()
    notebook_id, (cell,) = await create(server, "import subprocess\nprint(subprocess.Popen(['sleep', '60']).pid)")
    socket = await open_socket(server, notebook_id)
    await socket.expect("snapshot")
    await socket.send({"type": "run_cell", "cell_id": cell})
    await finished(socket, cell)
    (kernel,) = [kernel for kernel in await kernels(server) if kernel["notebook_id"] == notebook_id]
    assert kernel["notebook_name"] == "t"
    assert kernel["state"] == "ready"
    assert kernel["clients"] == 1
    assert kernel["memory_bytes"] > 10 * 1024 * 1024  # a Python process with its child
    assert 0 < kernel["age_seconds"] < TIMEOUT
    assert 0 <= kernel["idle_seconds"] < TIMEOUT
    pid = kernel["pid"]
    child = int(socket.of_type("cell_stdout", cell_id=cell)[0]["text"])

    async with httpx.AsyncClient(base_url=server.url, timeout=TIMEOUT) as api:
        assert (await api.delete(f"/api/kernels/{notebook_id}")).status_code == 204
        missing = await api.delete("/api/kernels/no-such-notebook")
    assert missing.status_code == 404
    status = await socket.expect("kernel_status", state="stopped")
    assert status["reason"] == "the kernel was stopped from the kernels panel: run the cells again"
    assert socket.of_type("cell_status", cell_id=cell)[-1]["stale"] is True
    assert notebook_id not in [kernel["notebook_id"] for kernel in await kernels(server)]
    assert not alive(pid)

    async def child_ended() -> bool:
        return not alive(child)

    await until(child_ended, "the process the kernel started ends with it")  # reaped by whoever adopted it

    await socket.send({"type": "run_cell", "cell_id": cell})
    await finished(socket, cell)
    (fresh,) = [kernel for kernel in await kernels(server) if kernel["notebook_id"] == notebook_id]
    assert fresh["pid"] != pid
    await socket.connection.close()


async def test_a_kernel_no_client_uses_is_stopped_and_the_next_open_starts_a_fresh_one(serve: Serve) -> None:
    server = serve(kernel_idle_seconds=1)
    notebook_id, (cell,) = await create(server, "x = 1")
    socket = await open_socket(server, notebook_id)
    await socket.expect("snapshot")
    await socket.send({"type": "run_cell", "cell_id": cell})
    await finished(socket, cell)
    (kernel,) = [kernel for kernel in await kernels(server) if kernel["notebook_id"] == notebook_id]

    await asyncio.sleep(2)  # a connected client keeps it, however long
    assert notebook_id in [kernel["notebook_id"] for kernel in await kernels(server)]

    await socket.connection.close()

    async def gone() -> bool:
        return notebook_id not in [kernel["notebook_id"] for kernel in await kernels(server)]

    await until(gone, "the idle kernel is stopped")
    assert not alive(kernel["pid"])

    socket = await open_socket(server, notebook_id)
    snapshot = (await socket.expect("snapshot"))["notebook"]
    reason = "the kernel was stopped after 1 s without use (KERNEL_IDLE_SECONDS): run the cells again"
    assert snapshot["kernel"] == {"state": "stopped", "reason": reason, "progress": None}
    (stored,) = snapshot["cells"]
    assert stored["stale"] is True
    assert stored["status"] == "success", "the cell keeps what its last run showed"
    ready = await socket.expect("kernel_status", state="ready")
    assert ready["reason"] == reason, "the fresh kernel still says why the cells are stale"
    await socket.send({"type": "run_cell", "cell_id": cell})
    await finished(socket, cell)
    assert socket.of_type("kernel_status")[-1]["reason"] is None
    await socket.connection.close()


async def test_stopping_a_notebook_without_a_kernel_changes_nothing(serve: Serve) -> None:
    server = serve()
    notebook_id, _ = await create(server, "x = 1")
    async with httpx.AsyncClient(base_url=server.url, timeout=TIMEOUT) as api:
        assert (await api.delete(f"/api/kernels/{notebook_id}")).status_code == 204
        notebook = (await api.get(f"/api/notebooks/{notebook_id}")).json()
    assert notebook["kernel"] == {"state": "stopped", "reason": None, "progress": None}
