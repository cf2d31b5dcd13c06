"""`python -m app` as root starts as the image does: the server as its own user, each kernel as a uid of its own
(not the server's), and no process beyond the launcher's four capabilities. Fails if it bypasses the launcher."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.__main__ import server_command
from app.engine.kernel.capabilities import NEEDED, held, mask
from app.engine.kernel.launcher import UID_BASE, UID_POOL

from ..engine.test_isolation import require_root
from ..ports import free_port
from .processes import SERVER_UID, ServerProcess, server_store
from .test_kernel_isolation import SECRETS, Served, run_cell, status_of


def test_python_m_app_execs_the_image_command_on_loopback() -> None:
    command = server_command("127.0.0.1", 8123)
    assert command[:5] == ["python", "-m", "app.engine.kernel.launcher", "--user", f"{SERVER_UID}:{SERVER_UID}"]
    assert command[command.index("--host") + 1] == "127.0.0.1"
    assert command[command.index("--port") + 1] == "8123"


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    require_root()
    tmp_path = tmp_path_factory.mktemp("python-m-app")
    port = free_port()
    with server_store(tmp_path) as store:
        env = SECRETS | {"PORT": str(port), "NOTEBOOK_DIR": str(store), "ALLOWED_HOSTS": "127.0.0.1"}
        process = ServerProcess([sys.executable, "-m", "app"], env, tmp_path / "server.log", port)
        try:
            yield Served(process, store)
        finally:
            process.stop()


@pytest.mark.asyncio(loop_scope="module")
async def test_python_m_app_as_root_gives_each_kernel_a_uid_of_its_own(served: Served) -> None:
    assert status_of(served.pid)["Uid"].split()[0] == str(SERVER_UID), "the server runs as its own user"
    _, (uid, pid) = await run_cell(served, "import os as _os\n(_os.getuid(), _os.getpid())")
    assert UID_BASE <= uid < UID_BASE + UID_POOL
    assert uid != SERVER_UID
    (launcher,) = [int(child) for child in Path(f"/proc/{served.pid}/task/{served.pid}/children").read_text().split()]
    for process in (served.pid, launcher, pid):
        assert {name: value for name, value in held(process).items() if value & ~mask(NEEDED)} == {}, process
    assert held(pid)["CapEff"] == 0
    assert os.stat(f"/proc/{served.pid}/environ").st_uid == 0, "the server is not dumpable"
