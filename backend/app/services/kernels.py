"""The notebooks' kernels as a whole: what each one uses, and stopping those no client has used for a while."""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable
from dataclasses import dataclass

from app.engine.events import KernelState
from app.engine.kernel.usage import kernel_memory
from app.services.live import LiveNotebook

logger = logging.getLogger(__name__)

STOPPED_ON_REQUEST = "the kernel was stopped from the kernels panel: run the cells again"
_LONGEST_CHECK_INTERVAL = 30.0


@dataclass(frozen=True)
class KernelUsage:
    notebook_id: str
    notebook_name: str
    pid: int | None  # None while it starts
    state: KernelState
    memory_bytes: int | None  # resident memory of its processes; None where the system does not tell
    age_seconds: float | None  # since it started; None while it starts
    idle_seconds: float  # since a client last used the notebook
    clients: int  # connected WebSockets


def kernel_usage(notebooks: Iterable[LiveNotebook]) -> list[KernelUsage]:
    """The kernels that are running or starting, in the order of `notebooks`."""
    now = time.monotonic()
    usage = []
    for live in notebooks:
        session = live.session
        if session.kernel_state == "stopped":
            continue
        pid, started = session.kernel_pid, session.kernel_started_at
        usage.append(
            KernelUsage(
                notebook_id=live.id,
                notebook_name=live.name,
                pid=pid,
                state=session.kernel_state,
                memory_bytes=kernel_memory(pid) if pid is not None and session.kernel_local else None,
                age_seconds=now - started if started is not None else None,
                idle_seconds=now - live.last_used,
                clients=len(live.watchers),
            )
        )
    return usage


def idle_reason(idle_seconds: float) -> str:
    return (
        f"the kernel was stopped after {_duration(idle_seconds)} without use (KERNEL_IDLE_SECONDS): run the cells again"
    )


async def stop_idle_kernels(notebooks: Iterable[LiveNotebook], idle_seconds: float) -> None:
    """Stops the kernel of each notebook that has no client and ran nothing for `idle_seconds`. A running cell is
    use: its notebook is idle from when it finishes."""
    now = time.monotonic()
    for live in list(notebooks):
        session = live.session
        if session.busy:
            live.touch()
        elif session.kernel_state != "stopped" and not live.watchers and now - live.last_used >= idle_seconds:
            logger.info("stopping the kernel of notebook %s: unused for %g s", live.id, now - live.last_used)
            await session.stop_kernel(idle_reason(idle_seconds))


def check_interval(idle_seconds: float) -> float:
    """How often idleness is checked: a kernel is stopped at most a quarter of the limit late."""
    return min(idle_seconds / 4, _LONGEST_CHECK_INTERVAL)


def _duration(seconds: float) -> str:
    if seconds >= 60 and seconds % 60 == 0:
        minutes = int(seconds // 60)
        return f"{minutes} minute{'s' if minutes != 1 else ''}"
    return f"{seconds:g} s"
