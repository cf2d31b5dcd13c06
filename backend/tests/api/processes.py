"""The service as a separate process, as it runs in production, for tests that kill it or run its start command."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

BACKEND = Path(__file__).resolve().parents[2]
VENV_BIN = Path(sys.executable).parent
START_TIMEOUT = 60.0
# The service's own settings come from each test only.
_SETTINGS = {"ACCESS_TOKEN", "ALLOWED_ORIGINS", "NOTEBOOK_BUCKET", "NOTEBOOK_DIR", "NOTEBOOK_PREFIX", "PORT"}


SERVER_UID = 10001  # the image's `--user` for the server, under the kernel launcher


@contextmanager
def server_store(tmp_path: Path) -> Iterator[Path]:
    """A notebook directory the server can use when the launcher runs it as SERVER_UID (when root: as in the image,
    the directory is the server's alone); pytest's own temporary directories are closed to other users."""
    if os.geteuid() != 0:
        yield tmp_path / "notebooks"
        return
    store = Path(tempfile.mkdtemp(prefix="notebook-store-"))
    os.chown(store, SERVER_UID, SERVER_UID)
    try:
        yield store
    finally:
        shutil.rmtree(store, ignore_errors=True)


class ServerProcess:
    def __init__(self, command: list[str], env: dict[str, str], log: Path, port: int) -> None:
        self.url = f"http://127.0.0.1:{port}"
        self.log = log
        # PATH first: the image runs `uvicorn` from PATH, here the virtualenv's.
        inherited = {key: value for key, value in os.environ.items() if key not in _SETTINGS}
        self.env = {**inherited, "PATH": f"{VENV_BIN}{os.pathsep}{os.environ.get('PATH', '')}", **env}
        with log.open("ab") as output:
            self.process = subprocess.Popen(command, cwd=BACKEND, env=self.env, stdout=output, stderr=output)
        self._wait_healthy()

    def _wait_healthy(self) -> None:
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the server exited with {self.process.returncode}:\n{self.log.read_text()}")
            try:
                if httpx.get(f"{self.url}/health", timeout=2).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            time.sleep(0.1)
        self.kill()
        raise RuntimeError(f"the server was not healthy within {START_TIMEOUT} s:\n{self.log.read_text()}")

    def kill(self) -> None:
        """kill -9: no shutdown handler runs, nothing is flushed."""
        if self.process.poll() is None:
            os.kill(self.process.pid, signal.SIGKILL)
        self.process.wait()

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(START_TIMEOUT)
            except subprocess.TimeoutExpired:
                self.kill()
