"""A kernel that cannot start is told as the kernel's state, with why (an ECS task's stopped reason, say), whether a
cell was to run or the notebook was only opened."""

from __future__ import annotations

from collections.abc import Mapping

import pytest

from app.engine import Cell, CellStatus, KernelEvent, KernelOptions, Notebook, NotebookSession, SessionConfig
from app.engine.kernel.hosts import Progress, Spawned

pytestmark = pytest.mark.asyncio

ECS_SAYS = "the kernel task stopped before running: CannotPullContainerError: pull access denied (exit code 1)"
WHY = f"the kernel could not start: {ECS_SAYS}"


class RefusingHost:
    """A host whose kernels never start, as an ECS task that stops while it is provisioned; it tells progress first."""

    async def spawn(
        self,
        *,
        table_rows: int,
        text_limit: int,
        env: Mapping[str, str] | None = None,
        notebook_id: str = "",
        size: str | None = None,
        on_progress: Progress | None = None,
    ) -> Spawned:
        if on_progress is not None:
            on_progress("ECS task PROVISIONING (0 s)")
        raise OSError(ECS_SAYS)


def refused_session() -> NotebookSession:
    return NotebookSession(Notebook([Cell("a", code="1")]), SessionConfig(kernel=KernelOptions(host=RefusingHost())))


def kernel_events(events: list[object]) -> list[tuple[str, str | None, str | None]]:
    return [(event.state, event.reason, event.progress) for event in events if isinstance(event, KernelEvent)]


async def test_a_run_whose_kernel_cannot_start_leaves_the_kernel_stopped_with_the_reason() -> None:
    session = refused_session()
    events = session.subscribe()
    await session.run(["a"])
    await session.wait_idle()
    kernel = session.snapshot()["kernel"]
    assert (kernel["state"], kernel["reason"], kernel["progress"]) == ("stopped", WHY, None)
    assert kernel_events(list(events.pending())) == [
        ("starting", None, None),
        ("starting", None, "ECS task PROVISIONING (0 s)"),
        ("stopped", WHY, None),
    ]
    assert session.states["a"].status is CellStatus.ERROR  # the cell says so too
    await session.close()


async def test_a_start_on_opening_that_fails_says_why_and_the_next_start_clears_it() -> None:
    session = refused_session()
    with pytest.raises(OSError, match="CannotPullContainerError"):
        await session.start()
    assert (session.kernel_state, session.snapshot()["kernel"]["reason"]) == ("stopped", WHY)
    events = session.subscribe()
    with pytest.raises(OSError, match="CannotPullContainerError"):
        await session.start()
    assert kernel_events(list(events.pending())) == [
        ("starting", None, None),
        ("starting", None, "ECS task PROVISIONING (0 s)"),
        ("stopped", WHY, None),
    ]
    await session.close()
