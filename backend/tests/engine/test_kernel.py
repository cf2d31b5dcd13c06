"""The kernel process: streaming output, interrupts, crashes and restarts, time limits."""

from __future__ import annotations

import os
import signal
from pathlib import Path

import pytest

from app.engine import Cell, CellStatus, KernelEvent, SessionConfig, StreamEvent

from .conftest import MakeSession, next_event, run, settle

pytestmark = pytest.mark.asyncio(loop_scope="module")


def wait_for(flag: Path) -> str:
    return f"import os, time\nwhile not os.path.exists({str(flag)!r}):\n    time.sleep(0.005)\n"


async def test_output_is_streamed_while_the_cell_runs(make_session: MakeSession, tmp_path: Path) -> None:
    flag = tmp_path / "continue"
    session = await make_session(
        Cell(
            "talk",
            code="import sys, subprocess\n"
            "print('before', end='')\n"
            "print(' waiting', file=sys.stderr)\n" + wait_for(flag) + "os.write(1, b'raw fd\\n')\n"
            "subprocess.run(['echo', 'from a child process'], check=True)\n"
            "print('after')",
        )
    )
    events = session.subscribe()
    await session.run(["talk"])
    # The cell cannot finish before the flag exists: seeing its first output now proves it was streamed.
    first = await next_event(events, lambda event: isinstance(event, StreamEvent) and event.name == "stdout")
    assert first.to_dict() | {"seq": 0} == {
        "type": "stream",
        "seq": 0,
        "cell_id": "talk",
        "name": "stdout",
        "text": "before",
    }
    await next_event(events, lambda event: isinstance(event, StreamEvent) and event.name == "stderr")
    assert session.states["talk"].status is CellStatus.RUNNING
    flag.touch()
    await settle(session)
    console = session.states["talk"].console
    stdout = "".join(chunk["text"] for chunk in console if chunk["name"] == "stdout")
    assert stdout == "before" + "raw fd\n" + "from a child process\n" + "after\n", "written to fd 1, in order"
    assert "".join(chunk["text"] for chunk in console if chunk["name"] == "stderr") == " waiting\n"


async def test_the_kernel_environment_is_an_allow_list(
    make_session: MakeSession, monkeypatch: pytest.MonkeyPatch
) -> None:
    secrets = {
        "ACCESS_TOKEN": "server-secret",
        "AWS_SECRET_ACCESS_KEY": "aws-secret",
        "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI": "/v2/credentials/x",
        "NOTEBOOK_DIR": "/data/notebooks",
        "SOME_NEW_SETTING": "unknown",
    }
    for name, value in secrets.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("LC_TIME", "C.UTF-8")
    session = await make_session(Cell("env", code="import os\ndict(os.environ)"))
    await run(session, "env")
    output = session.states["env"].output
    assert output is not None, session.states["env"].error
    seen = eval(output["text"])  # the repr of a dict of strings
    assert not set(secrets) & set(seen)
    assert not [name for name in seen if name.startswith("AWS_")]
    assert seen["LC_TIME"] == "C.UTF-8"
    assert seen["HOME"] == seen["TMPDIR"] != os.environ.get("HOME")


async def test_interrupt_stops_the_cell_cancels_the_queue_and_keeps_the_namespace(make_session: MakeSession) -> None:
    session = await make_session(
        Cell("x", code="x = 7"),
        Cell("spin", code="y = 1\nprint('spinning', flush=True)\nwhile True:\n    pass"),
        Cell("after", code="z = y + 1"),
        Cell("read", code="x * 6"),
    )
    await run(session, "x")
    assert session.states["read"].output["text"] == "42"
    events = session.subscribe()
    await session.run(["spin"])
    await next_event(events, lambda event: isinstance(event, StreamEvent))  # its loop has begun
    pid = session.kernel_pid
    session.interrupt()
    await settle(session)
    spin = session.states["spin"]
    assert spin.status is CellStatus.INTERRUPTED
    assert spin.error["type"] == "KeyboardInterrupt"
    assert spin.error["traceback"][-1]["cell_id"] == "spin"
    assert session.states["after"].status is CellStatus.IDLE, "queued cells are cancelled"
    assert session.kernel_pid == pid
    await run(session, "read")
    assert session.states["read"].output["text"] == "42"


async def test_interrupt_between_cells_is_harmless(make_session: MakeSession) -> None:
    session = await make_session(Cell("a", code="a = 1"), Cell("b", code="a + 1"))
    await run(session, "a")
    pid = session.kernel_pid
    assert pid is not None
    os.kill(pid, signal.SIGINT)
    await run(session, "b")
    assert session.states["b"].output["text"] == "2"
    assert session.kernel_pid == pid


@pytest.mark.parametrize(
    ("code", "reason"),
    [
        ("import os\nos._exit(3)", "exited with code 3"),
        ("import ctypes\nctypes.string_at(0)", "killed by signal SIGSEGV"),
    ],
    ids=["os._exit", "segfault"],
)
async def test_a_crash_is_reported_and_the_kernel_restarts_empty(
    make_session: MakeSession, code: str, reason: str
) -> None:
    session = await make_session(
        Cell("x", code="x = 1"), Cell("crash", code=code), Cell("probe", code="'x' in globals()")
    )
    await run(session, "x")
    old_pid = session.kernel_pid
    events = session.subscribe()
    await run(session, "crash")
    crash = session.states["crash"]
    assert crash.status is CellStatus.ERROR
    assert crash.error["type"] == "KernelDied"
    assert reason in crash.error["message"]
    assert "empty namespace" in crash.error["message"]
    assert session.states["x"].stale, "every cell needs a re-run"
    kernel_states = [event.state for event in events.pending() if isinstance(event, KernelEvent)]
    assert kernel_states[:2] == ["restarting", "starting"]
    await run(session, "probe")
    assert session.states["probe"].output["text"] == "False"
    assert session.kernel_pid not in (None, old_pid)


async def test_a_segfault_leaves_its_fatal_error_in_the_cell_console(make_session: MakeSession) -> None:
    session = await make_session(Cell("crash", code="import ctypes\nctypes.string_at(0)"))
    await run(session, "crash")
    stderr = "".join(chunk["text"] for chunk in session.states["crash"].console if chunk["name"] == "stderr")
    assert "Fatal Python error: Segmentation fault" in stderr
    assert '<cell crash>", line 2' in stderr


async def test_a_kernel_killed_while_idle_is_restarted(make_session: MakeSession) -> None:
    session = await make_session(Cell("a", code="a = 1"), Cell("b", code="a + 1"))
    await run(session, "a")
    events = session.subscribe()
    pid = session.kernel_pid
    assert pid is not None
    os.kill(pid, signal.SIGKILL)
    restarting = await next_event(events, lambda event: isinstance(event, KernelEvent) and event.state == "restarting")
    assert "SIGKILL" in restarting.reason
    await next_event(events, lambda event: isinstance(event, KernelEvent) and event.state == "ready")
    assert session.states["a"].stale
    await run(session, "b")
    assert session.states["b"].output["text"] == "2", "the stale ancestor ran again first"


async def test_restart_on_request(make_session: MakeSession) -> None:
    session = await make_session(Cell("a", code="a = 1"))
    await run(session, "a")
    pid = session.kernel_pid
    await session.restart_kernel()
    assert session.kernel_pid not in (None, pid)
    assert session.states["a"].stale


async def test_time_limit_interrupts_with_a_clear_error(make_session: MakeSession) -> None:
    session = await make_session(
        Cell("x", code="x = 1"),
        Cell("slow", code="y = x\nwhile True:\n    pass"),
        Cell("after", code="y + 1"),
        Cell("other", code="x + 1"),
        config=SessionConfig(time_limit=0.3),
    )
    pid = session.kernel_pid
    await run(session, "slow", "other")
    slow = session.states["slow"]
    assert slow.status is CellStatus.ERROR
    assert slow.error["type"] == "TimeoutError"
    assert slow.error["message"] == "the cell ran longer than the time limit of 0.3 s and was interrupted"
    assert '<cell slow>", line 2' in slow.error["text"]  # where it was stopped
    assert session.states["after"].status is CellStatus.BLOCKED
    assert session.states["other"].output["text"] == "2", "the namespace survived"
    assert session.kernel_pid == pid


async def test_time_limit_restarts_a_kernel_that_ignores_the_interrupt(make_session: MakeSession) -> None:
    stubborn = "import time\nwhile True:\n    try:\n        time.sleep(10)\n    except KeyboardInterrupt:\n        pass"
    session = await make_session(
        Cell("stubborn", code=stubborn), config=SessionConfig(time_limit=0.3, interrupt_grace=0.3)
    )
    pid = session.kernel_pid
    await run(session, "stubborn")
    error = session.states["stubborn"].error
    assert error["type"] == "TimeoutError"
    assert "did not stop within 0.3 s of being interrupted, so the kernel was restarted" in error["message"]
    await session.start()
    assert session.kernel_pid not in (None, pid)
