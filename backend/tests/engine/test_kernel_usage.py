"""The memory a kernel uses counts every process it started: in its session when it shares the server's uid, every
process of its uid under the launcher (a child that left with setsid included); and %pip works as the kernel's uid."""

from __future__ import annotations

import ast
import os
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.engine import Cell, CellStatus, KernelOptions, NotebookSession, SessionConfig
from app.engine.kernel.hosts import LauncherHost
from app.engine.kernel.usage import kernel_memory

from ..wheels import WHEEL_PACKAGE, WHEEL_VALUE, build_wheel
from .conftest import MakeSession, run
from .test_isolation import launcher

pytestmark = pytest.mark.asyncio(loop_scope="module")

CHILD_MB = 64


def child_holding_memory(new_session: bool) -> str:
    """A cell starting a process that holds CHILD_MB of written memory; its value is the child's pid."""
    hold = f"b = b'x' * ({CHILD_MB} << 20); print('ready', flush=True); import time; time.sleep(120)"
    return (
        "import subprocess as _subprocess, sys as _sys\n"
        f"_child = _subprocess.Popen([_sys.executable, '-c', {hold!r}], stdout=_subprocess.PIPE, "
        f"start_new_session={new_session})\n"
        "_child.stdout.readline()\n"
        "_child.pid"
    )


def resident(pid: int) -> int:
    return int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * os.sysconf("SC_PAGE_SIZE")


async def memory_with_child(session: NotebookSession, new_session: bool) -> tuple[int, int]:
    """The kernel's own resident memory, and what kernel_memory counts for it, once its child holds its memory."""
    session.add_cell(Cell("child", code=child_holding_memory(new_session)))
    await run(session, "child")
    assert session.states["child"].status is CellStatus.SUCCESS, session.states["child"].error
    pid = session.kernel_pid
    assert pid is not None
    counted = kernel_memory(pid)
    assert counted is not None
    return resident(pid), counted


async def test_a_kernel_of_the_servers_uid_counts_its_sessions_processes(make_session: MakeSession) -> None:
    own, counted = await memory_with_child(await make_session(), new_session=False)
    assert counted >= own + CHILD_MB * 2**20


@pytest.fixture(scope="module")
def launched() -> Iterator[LauncherHost]:
    with launcher() as (host, _):
        yield host


async def test_a_kernel_with_a_uid_of_its_own_counts_every_process_of_it(
    make_session: MakeSession, launched: LauncherHost
) -> None:
    session = await make_session(config=SessionConfig(kernel=KernelOptions(host=launched)))
    own, counted = await memory_with_child(session, new_session=True)
    assert counted >= own + CHILD_MB * 2**20


async def test_pip_installs_as_the_kernels_own_uid(make_session: MakeSession, launched: LauncherHost) -> None:
    with tempfile.TemporaryDirectory() as directory:  # readable by the kernel's uid, unlike pytest's tmp_path
        wheels = Path(directory)
        wheels.chmod(0o755)
        build_wheel(wheels).chmod(0o644)
        session = await make_session(
            Cell("install", code=f"%pip install --no-index --find-links {wheels} {WHEEL_PACKAGE}"),
            Cell("use", code=f"import {WHEEL_PACKAGE}, os\n({WHEEL_PACKAGE}.VALUE, os.getuid())"),
            config=SessionConfig(kernel=KernelOptions(host=launched)),
        )
        await run(session, "install", "use")
    assert session.states["install"].status is CellStatus.SUCCESS, session.states["install"].error
    output = session.states["use"].output
    assert output is not None, session.states["use"].error
    value, uid = ast.literal_eval(output["text"])
    assert value == WHEEL_VALUE
    assert uid != os.getuid()


async def test_a_process_that_is_gone_has_no_memory() -> None:
    process = subprocess.Popen(["true"])
    process.wait()
    assert kernel_memory(process.pid) is None
