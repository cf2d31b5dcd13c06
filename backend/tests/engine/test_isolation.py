"""Attacks from a cell on what surrounds its kernel, each run for real: every test fails if the attack works.

The kernels come from the root launcher, as in the image: a uid of their own, limits, a private working directory.
"""

from __future__ import annotations

import ast
import asyncio
import contextlib
import os
import socket
import subprocess
import sys
import time
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from app.engine import Cell, KernelEvent, KernelOptions, NotebookSession, SessionConfig
from app.engine.kernel.hosts import LauncherHost
from app.engine.kernel.launcher import UID_BASE, UID_POOL

from .conftest import MakeSession, next_event, run

pytestmark = pytest.mark.asyncio(loop_scope="module")

BACKEND = Path(__file__).resolve().parents[2]
GONE_TIMEOUT = 15.0


def require_root() -> None:
    if os.geteuid() == 0:
        return
    message = (
        "Kernel isolation by uid needs root (the image's kernel launcher runs as root): run the backend tests as root "
        "(CI and the container do) to prove a cell cannot reach the server, the store or other kernels."
    )
    if os.environ.get("CI") == "true":
        pytest.fail(f"{message} In CI a skipped suite is a failure.")
    warnings.warn(f"SKIPPING KERNEL ISOLATION TESTS: {message}", stacklevel=2)
    pytest.skip(f"SKIPPING KERNEL ISOLATION TESTS: {message}")


@contextlib.contextmanager
def launcher(**settings: int) -> Iterator[tuple[LauncherHost, subprocess.Popen[bytes]]]:
    """The launcher half of `python -m app.engine.kernel.launcher`, with this process as its server."""
    require_root()
    server_end, launcher_end = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
    env = os.environ | {name.upper(): str(value) for name, value in settings.items()}
    process = subprocess.Popen(
        [sys.executable, "-m", "app.engine.kernel.launcher", "--serve", str(launcher_end.fileno())],
        pass_fds=[launcher_end.fileno()],
        cwd=BACKEND,
        env=env,
    )
    launcher_end.close()
    try:
        yield LauncherHost(server_end), process
    finally:
        server_end.shutdown(socket.SHUT_RDWR)
        server_end.close()
        process.wait(30)


@pytest.fixture(scope="module")
def launched() -> Iterator[tuple[LauncherHost, subprocess.Popen[bytes]]]:
    with launcher(kernel_memory_mb=600, kernel_processes=40, kernel_open_files=100) as found:
        yield found


@pytest.fixture
def config(launched: tuple[LauncherHost, subprocess.Popen[bytes]]) -> SessionConfig:
    return SessionConfig(kernel=KernelOptions(host=launched[0]))


async def value_of(session: NotebookSession, code: str) -> Any:
    """Runs `code` in a new cell; the value of its last expression (a literal)."""
    cell_id = f"c{len(session.notebook.cells)}"
    session.add_cell(Cell(cell_id, code=code))
    await run(session, cell_id)
    state = session.states[cell_id]
    assert state.output is not None, state.error
    return ast.literal_eval(state.output["text"])


async def error_of(session: NotebookSession, code: str) -> dict[str, Any]:
    cell_id = f"c{len(session.notebook.cells)}"
    session.add_cell(Cell(cell_id, code=code))
    await run(session, cell_id)
    error = session.states[cell_id].error
    assert error is not None, f"the cell succeeded: {session.states[cell_id].output}"
    return error


def attempt(action: str) -> str:
    """A cell that tries `action` (`os` is at hand) and says what happened: its error's type, or "done"."""
    return (
        "def _attempt():\n    import os\n    try:\n"
        f"        {action}\n"
        "    except OSError as error:\n        return type(error).__name__\n    return 'done'\n_attempt()"
    )


def gone(pid: int) -> bool:
    return not Path(f"/proc/{pid}").exists()


async def wait_gone(pids: list[int]) -> list[int]:
    deadline = time.monotonic() + GONE_TIMEOUT
    while time.monotonic() < deadline and not all(gone(pid) for pid in pids):
        await asyncio.sleep(0.05)
    return [pid for pid in pids if not gone(pid)]


# A child in a session of its own, and a daemon (double fork, setsid): neither is in the kernel's process group.
ESCAPE = """import os as _os, subprocess as _subprocess, time as _time
_escaped = _subprocess.Popen(["sleep", "300"], start_new_session=True).pid
_read, _write = _os.pipe()
if _os.fork() == 0:
    _os.setsid()
    if _os.fork() == 0:
        _os.write(_write, str(_os.getpid()).encode())
        _time.sleep(300)
    _os._exit(0)
_os.close(_write)
[_escaped, int(_os.read(_read, 32))]"""


async def test_each_kernel_has_a_uid_and_a_private_working_directory(
    make_session: MakeSession, config: SessionConfig
) -> None:
    first = await make_session(config=config)
    second = await make_session(config=config)
    uid, gid, groups, cwd, home = await value_of(
        first, "import os as _os\n(_os.getuid(), _os.getgid(), _os.getgroups(), _os.getcwd(), _os.environ['HOME'])"
    )
    assert UID_BASE <= uid < UID_BASE + UID_POOL
    assert gid == uid
    assert groups == []
    assert cwd == home
    assert oct(os.stat(cwd).st_mode & 0o777) == "0o700"
    assert os.stat(cwd).st_uid == uid
    assert await value_of(first, "open('data.txt', 'w').write('kept')\nopen('data.txt').read()") == "kept"
    other_uid = await value_of(second, "import os as _os\n_os.getuid()")
    assert other_uid != uid
    assert await value_of(second, attempt(f"open({cwd + '/data.txt'!r}).read()")) == "PermissionError"
    assert await value_of(second, attempt(f"os.listdir({cwd!r})")) == "PermissionError"


async def test_a_cell_cannot_read_the_memory_or_environment_of_the_server_or_the_launcher(
    make_session: MakeSession, config: SessionConfig, launched: tuple[LauncherHost, subprocess.Popen[bytes]]
) -> None:
    session = await make_session(config=config)
    for pid in (os.getpid(), launched[1].pid):
        for name in ("environ", "mem", "maps"):
            result = await value_of(session, attempt(f"open('/proc/{pid}/{name}', 'rb').read(64)"))
            assert result == "PermissionError", f"/proc/<{pid}>/{name}"


async def test_a_cell_cannot_signal_the_server_the_launcher_or_another_kernel(
    make_session: MakeSession, config: SessionConfig, launched: tuple[LauncherHost, subprocess.Popen[bytes]]
) -> None:
    session = await make_session(config=config)
    victim = await make_session(config=config)
    victim_pid = victim.kernel_pid
    assert victim_pid is not None
    for pid in (os.getpid(), launched[1].pid, victim_pid):
        assert await value_of(session, attempt(f"os.kill({pid}, 9)")) == "PermissionError"
    assert await value_of(session, attempt("os.kill(-1, 9)")) == "done", "kill(-1) reaches only its own uid"
    assert await value_of(victim, "1 + 1") == 2
    assert victim.kernel_pid == victim_pid


async def test_a_cell_cannot_read_files_that_are_not_world_readable(
    make_session: MakeSession, config: SessionConfig, tmp_path: Path
) -> None:
    store = tmp_path / "store"
    store.mkdir(mode=0o700)
    (store / "notebook.json").write_text("{}")
    session = await make_session(config=config)
    assert await value_of(session, attempt(f"open({str(store / 'notebook.json')!r}).read()")) == "PermissionError"


async def test_a_restart_ends_every_process_the_kernel_started(
    make_session: MakeSession, config: SessionConfig
) -> None:
    session = await make_session(config=config)
    pids = await value_of(session, ESCAPE)
    assert not [pid for pid in pids if gone(pid)], "the escaped processes run before the restart"
    await session.restart_kernel()
    assert await wait_gone(pids) == []


async def test_closing_the_session_ends_every_process_the_kernel_started(config: SessionConfig) -> None:
    session = NotebookSession(config=config)  # what deleting its notebook does
    await session.start()
    pids = await value_of(session, ESCAPE)
    kernel = session.kernel_pid
    assert kernel is not None
    await session.close()
    assert await wait_gone([*pids, kernel]) == []


async def test_memory_past_the_limit_is_a_clear_error(make_session: MakeSession, config: SessionConfig) -> None:
    session = await make_session(config=config)
    error = await error_of(session, "_block = bytearray(900 * 1024 * 1024)")
    assert error["type"] == "MemoryError"
    assert "memory limit of 600 MB" in error["message"]
    assert "KERNEL_MEMORY_MB" in error["message"]
    assert await value_of(session, "1 + 1") == 2, "the kernel survives"


async def test_forking_past_the_process_limit_is_a_clear_error(
    make_session: MakeSession, config: SessionConfig
) -> None:
    session = await make_session(config=config)
    error = await error_of(
        session,
        "import subprocess as _subprocess\n_children = [_subprocess.Popen(['sleep', '60']) for _ in range(100)]",
    )
    assert error["type"] == "BlockingIOError"
    assert "limit of 40 processes" in error["message"]
    assert "KERNEL_PROCESSES" in error["message"]


async def test_opening_past_the_file_limit_is_a_clear_error(make_session: MakeSession, config: SessionConfig) -> None:
    session = await make_session(config=config)
    error = await error_of(session, "_files = [open('many.txt', 'w') for _ in range(200)]")
    assert error["type"] == "OSError"
    assert "limit of 100 open files" in error["message"]
    assert "KERNEL_OPEN_FILES" in error["message"]


async def test_a_cell_cannot_raise_its_limits(make_session: MakeSession, config: SessionConfig) -> None:
    session = await make_session(config=config)
    raise_limit = "import resource as _r\n_r.setrlimit(_r.RLIMIT_AS, (_r.RLIM_INFINITY,) * 2)"
    assert (await error_of(session, raise_limit))["type"] == "ValueError"


async def test_a_kernel_past_its_cpu_time_is_killed_and_the_reason_names_the_limit(
    make_session: MakeSession,
) -> None:
    with launcher(kernel_cpu_seconds=3) as (host, _):
        session = await make_session(config=SessionConfig(kernel=KernelOptions(host=host)))
        events = session.subscribe()
        error = await error_of(session, "while True:\n    pass")
        restarting = await next_event(
            events, lambda event: isinstance(event, KernelEvent) and event.state == "restarting"
        )
        assert isinstance(restarting, KernelEvent)
        assert restarting.reason is not None
        assert "SIGXCPU" in restarting.reason
        assert "CPU time limit of 3 s" in restarting.reason
        assert "KERNEL_CPU_SECONDS" in error["message"]
        await session.close()


async def test_the_launcher_refuses_anything_but_its_requests() -> None:
    with launcher() as (host, process):
        host.send({"op": "spawn", "table_rows": 1, "text_limit": 1, "python": "/bin/sh"})
        assert process.wait(30) == 1, "it exits at once, its socket still open"
    with launcher() as (host, process):
        host.send({"op": "kill_pid", "pid": 1})
        assert process.wait(30) == 1


LOCAL_SERVER = """import asyncio, ctypes, logging, os
logging.basicConfig(format="%(message)s")
from app.engine.kernel.hosts import LocalHost
from app.engine.kernel.sandbox import KernelLimits

async def main():
    host = LocalHost(KernelLimits())
    for _ in range(2):
        spawned = await host.spawn(table_rows=1, text_limit=1)
        spawned.handle.kill()
        spawned.handle.wait()
        for fd in (spawned.stdin, spawned.stdout, spawned.stderr, spawned.messages):
            os.close(fd)
    print("dumpable:", ctypes.CDLL(None).prctl(3, 0, 0, 0, 0))  # PR_GET_DUMPABLE

asyncio.run(main())
"""


async def test_without_the_launcher_the_server_is_not_dumpable_and_warns_once() -> None:
    result = subprocess.run(
        [sys.executable, "-c", LOCAL_SERVER], cwd=BACKEND, capture_output=True, text=True, check=True, timeout=60
    )
    assert result.stdout == "dumpable: 0\n"
    assert result.stderr.count("KERNELS RUN AS THIS SERVER'S OWN USER") == 1, result.stderr
