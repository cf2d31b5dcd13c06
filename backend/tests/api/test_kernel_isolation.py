"""The image's start command, attacked from a notebook cell through the API: the server runs as its own user and is
not dumpable, a cell sees none of its secrets, cannot signal it or read its store, and deleting the notebook ends
every process the cell started. Each test fails if the attack works."""

from __future__ import annotations

import ast
import json
import os
import re
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest

from ..engine.test_isolation import ESCAPE, attempt, require_root
from ..ports import free_port
from .conftest import TOKEN, Socket, open_socket
from .processes import SERVER_UID, ServerProcess, server_store
from .test_container import DOCKERFILE

SECRETS = {
    "ACCESS_TOKEN": TOKEN,
    "AWS_ACCESS_KEY_ID": "AKIAEXAMPLE",
    "AWS_SECRET_ACCESS_KEY": "aws-secret",
    "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI": "/v2/credentials/task-role",
}
HEADERS = {"Authorization": f"Bearer {TOKEN}"}


class Served:
    def __init__(self, process: ServerProcess, store: Path) -> None:
        self.process = process
        self.store = store
        self.url = process.url
        self.ws_url = process.url.replace("http://", "ws://")
        self.pid = process.process.pid  # the launcher execs the server in place


@contextmanager
def image_server(tmp_path: Path, env: dict[str, str]) -> Iterator[Served]:
    """The image's start command (as root: the kernel launcher), with `env` and a notebook directory of its own."""
    require_root()
    command = json.loads(re.search(r"^CMD (.*)$", DOCKERFILE.read_text(), re.MULTILINE)[1])  # type: ignore[index]
    port = free_port()
    command[command.index("--host") + 1] = "127.0.0.1"
    command[command.index("--port") + 1] = str(port)
    with server_store(tmp_path) as store:
        settings = env | {"NOTEBOOK_DIR": str(store), "ALLOWED_HOSTS": "127.0.0.1"}
        process = ServerProcess(command, settings, tmp_path / "server.log", port)
        try:
            yield Served(process, store)
        finally:
            process.stop()


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    with image_server(tmp_path_factory.mktemp("isolation"), SECRETS) as found:
        yield found


async def notebook_with(served: Served, code: str) -> tuple[str, str]:
    async with httpx.AsyncClient(base_url=served.url, headers=HEADERS, timeout=30) as api:
        notebook_id = (await api.post("/api/notebooks", json={"name": "attack"})).json()["notebook_id"]
        response = await api.post(f"/api/notebooks/{notebook_id}/cells", json={"type": "python", "code": code})
    return notebook_id, response.json()["cell_id"]


async def run_cell(served: Served, code: str) -> tuple[str, Any]:
    """Runs `code` in a new notebook; its id and the value of the cell's last expression (a literal)."""
    notebook_id, cell_id = await notebook_with(served, code)
    socket: Socket = await open_socket(served, notebook_id, additional_headers=HEADERS)  # type: ignore[arg-type]
    try:
        await socket.expect("snapshot")
        await socket.send({"type": "run_cell", "cell_id": cell_id})
        status = await socket.expect("cell_status", cell_id=cell_id)
        while status["status"] not in ("success", "error"):
            status = await socket.expect("cell_status", cell_id=cell_id)
        outputs = socket.of_type("cell_output", cell_id=cell_id)
        assert status["status"] == "success", socket.received
        return notebook_id, ast.literal_eval(outputs[-1]["outputs"][0]["text"])
    finally:
        await socket.connection.close()


def status_of(pid: int) -> dict[str, str]:
    lines = Path(f"/proc/{pid}/status").read_text().splitlines()
    return dict(line.split(":\t", 1) for line in lines if ":\t" in line)


def test_the_server_runs_as_its_own_user_and_is_not_dumpable(served: Served) -> None:
    assert status_of(served.pid)["Name"] == "uvicorn"
    assert status_of(served.pid)["Uid"].split()[0] == str(SERVER_UID)
    # Not dumpable: its /proc files belong to root, not to its own uid.
    assert os.stat(f"/proc/{served.pid}/environ").st_uid == 0


@pytest.mark.asyncio(loop_scope="module")
async def test_a_cell_sees_none_of_the_servers_secrets(served: Served) -> None:
    _, seen = await run_cell(served, "import os as _os\nsorted(_os.environ)")
    assert not set(SECRETS) & set(seen)
    assert "NOTEBOOK_DIR" not in seen
    assert not [name for name in seen if name.startswith("AWS_")]


@pytest.mark.asyncio(loop_scope="module")
async def test_a_cell_cannot_read_the_server_or_signal_it(served: Served) -> None:
    for name in ("environ", "mem", "cmdline"):
        action = f"open('/proc/{served.pid}/{name}', 'rb').read(4096)"
        _, result = await run_cell(served, attempt(action))
        if name == "cmdline":
            assert result == "done", "what ps shows stays readable: the attempt itself works"
        else:
            assert result == "PermissionError", name
    _, result = await run_cell(served, attempt(f"os.kill({served.pid}, 9)"))
    assert result == "PermissionError"
    assert httpx.get(f"{served.url}/health").status_code == 200


@pytest.mark.asyncio(loop_scope="module")
async def test_a_cell_cannot_read_the_store(served: Served) -> None:
    stored = sorted(str(path) for path in served.store.iterdir())
    assert stored, "the notebooks of the earlier tests are stored"
    _, result = await run_cell(served, attempt(f"open({stored[0]!r}).read()"))
    assert result == "PermissionError"
    _, result = await run_cell(served, attempt(f"os.listdir({str(served.store)!r})"))
    assert result == "PermissionError"


@pytest.mark.asyncio(loop_scope="module")
async def test_deleting_the_notebook_ends_every_process_its_cells_started(served: Served) -> None:
    notebook_id, pids = await run_cell(served, ESCAPE)
    assert all(Path(f"/proc/{pid}").exists() for pid in pids)
    async with httpx.AsyncClient(base_url=served.url, headers=HEADERS) as api:
        assert (await api.delete(f"/api/notebooks/{notebook_id}")).status_code == 204
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline and any(Path(f"/proc/{pid}").exists() for pid in pids):
        time.sleep(0.05)
    assert [pid for pid in pids if Path(f"/proc/{pid}").exists()] == []
