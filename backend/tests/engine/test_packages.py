"""`%pip` in a cell, in a real kernel: pip runs on the kernel's own environment, its output is the cell's console,
and what it installs is importable by the next cells without a restart."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.engine import Cell, CellStatus, StatusEvent, StreamEvent

from ..wheels import WHEEL_PACKAGE, WHEEL_VALUE, build_wheel
from .conftest import MakeSession, run

pytestmark = pytest.mark.asyncio(loop_scope="module")


def console(session: object, cell_id: str) -> str:
    return "".join(chunk["text"] for chunk in session.states[cell_id].console)  # type: ignore[attr-defined]


async def test_an_installed_package_is_importable_by_the_next_cells(make_session: MakeSession, tmp_path: Path) -> None:
    build_wheel(tmp_path)
    session = await make_session(
        Cell("install", code=f"%pip install --no-index --find-links {tmp_path} {WHEEL_PACKAGE}"),
        Cell("use", code=f"import {WHEEL_PACKAGE}\n{WHEEL_PACKAGE}.VALUE"),
    )
    events = session.subscribe()
    await run(session, "install")
    assert session.states["install"].status is CellStatus.SUCCESS, session.states["install"].error
    assert f"Successfully installed {WHEEL_PACKAGE}-0.1" in console(session, "install")
    # Streamed while pip ran: its output came before the cell finished.
    seen = events.pending()
    streamed = [i for i, event in enumerate(seen) if isinstance(event, StreamEvent) and event.cell_id == "install"]
    finished = [i for i, event in enumerate(seen) if isinstance(event, StatusEvent) and event.status == "success"]
    assert streamed
    assert streamed[0] < finished[0]
    await run(session, "use")
    output = session.states["use"].output
    assert output is not None, session.states["use"].error
    assert output["text"] == str(WHEEL_VALUE)

    session.add_cell(Cell("listing", code="!pip list"))
    await run(session, "listing")
    assert WHEEL_PACKAGE in console(session, "listing")
    session.add_cell(Cell("remove", code=f"%pip uninstall -y {WHEEL_PACKAGE}"))
    await run(session, "remove")
    assert f"Successfully uninstalled {WHEEL_PACKAGE}-0.1" in console(session, "remove")


async def test_a_failed_install_is_the_cells_error(make_session: MakeSession, tmp_path: Path) -> None:
    session = await make_session(
        Cell("install", code=f"%pip install --no-index --find-links {tmp_path} no-such-package-here"),
        Cell("after", code="x = 1"),
    )
    await run(session, "install")
    state = session.states["install"]
    assert state.status is CellStatus.ERROR
    assert state.error is not None
    assert state.error["type"] == "PipError"
    assert state.error["message"] == (
        f"`pip install --no-index --find-links {tmp_path} no-such-package-here` failed with exit code 1: "
        "its output above says why"
    )
    assert "No matching distribution found for no-such-package-here" in console(session, "install")


async def test_packages_are_the_kernels_own_and_go_with_it(make_session: MakeSession, tmp_path: Path) -> None:
    build_wheel(tmp_path)
    session = await make_session(
        Cell("install", code=f"%pip install --no-index --find-links {tmp_path} {WHEEL_PACKAGE}"),
        Cell("use", code=f"import {WHEEL_PACKAGE}"),
    )
    await run(session, "install")
    assert session.states["install"].status is CellStatus.SUCCESS
    await session.restart_kernel()
    await run(session, "use")
    assert session.states["use"].error is not None
    assert session.states["use"].error["type"] == "ModuleNotFoundError"
