"""A throwaway PostgreSQL server for the SQL cell tests: a private data directory on a free loopback port.

The Debian package's binaries live in /usr/lib/postgresql/<version>/bin. PostgreSQL refuses to run as root, so as
root the server runs as the `postgres` user the package creates.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import tempfile
import time
from pathlib import Path

import psycopg

from ..ports import free_port

POSTGRES_ROOT = Path("/usr/lib/postgresql")


def find_binaries() -> Path | None:
    """The bin directory of the newest installed PostgreSQL, or None."""
    found = [path.parent for path in POSTGRES_ROOT.glob("*/bin/postgres")]
    if found:
        return max(found, key=lambda path: int(path.parent.name) if path.parent.name.isdigit() else 0)
    on_path = shutil.which("postgres")
    return Path(on_path).parent if on_path else None


class PostgresServer:
    def __init__(self, binaries: Path) -> None:
        self.binaries = binaries
        self.port = free_port()
        self.data_dir = Path(tempfile.mkdtemp(prefix="engine-tests-pg-"))
        self.url = f"postgresql://postgres@127.0.0.1:{self.port}/postgres"
        self._process: subprocess.Popen[bytes] | None = None
        self._user = "postgres" if os.geteuid() == 0 else None

    def start(self, timeout: float = 30.0) -> None:
        if self._user:
            shutil.chown(self.data_dir, self._user, self._user)
        self._run(
            "initdb",
            "--pgdata",
            str(self.data_dir),
            "--username=postgres",
            "--auth=trust",
            "--encoding=UTF8",
            "--no-sync",
        )
        # A file, not a pipe: nobody reads the log while tests run, and a full pipe would stall the server.
        self.log = self.data_dir / "server.log"
        with self.log.open("wb") as log:
            self._process = subprocess.Popen(
                [
                    str(self.binaries / "postgres"),
                    "-D",
                    str(self.data_dir),
                    "-p",
                    str(self.port),
                    "-h",
                    "127.0.0.1",
                    "-k",
                    str(self.data_dir),
                    "-c",
                    "fsync=off",
                    "-c",
                    "full_page_writes=off",
                ],
                stdout=log,
                stderr=subprocess.STDOUT,
                user=self._user,
            )
        deadline = time.monotonic() + timeout
        while True:
            try:
                psycopg.connect(self.url, connect_timeout=2).close()
                return
            except psycopg.OperationalError as error:
                if self._process.poll() is not None:
                    raise RuntimeError(f"PostgreSQL exited while starting:\n{self.log.read_text()}") from error
                if time.monotonic() > deadline:
                    self.stop()
                    raise RuntimeError(f"PostgreSQL did not accept connections within {timeout} s") from error
                time.sleep(0.1)

    def stop(self) -> None:
        if self._process is not None and self._process.poll() is None:
            self._process.send_signal(signal.SIGINT)  # "fast" shutdown: disconnect clients, stop
            try:
                self._process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()
        with contextlib.suppress(OSError):
            shutil.rmtree(self.data_dir)

    def _run(self, program: str, *args: str) -> None:
        result = subprocess.run(
            [str(self.binaries / program), *args], capture_output=True, text=True, user=self._user, check=False
        )
        if result.returncode != 0:
            raise RuntimeError(f"{program} failed ({result.returncode}):\n{result.stderr}")
