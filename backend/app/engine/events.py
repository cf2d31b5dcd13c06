"""What a notebook session tells its subscribers, in order, each event numbered.

Every event has `to_dict()` giving a JSON-ready object with a `type` and a `seq`; a subscriber that sees a gap (or
an overflow) resynchronises from `NotebookSession.snapshot()`, whose `seq` says which events it already includes.
"""

from __future__ import annotations

import asyncio
from collections import deque
from dataclasses import dataclass, fields
from enum import Enum, StrEnum
from typing import Any, ClassVar, Literal

StreamName = Literal["stdout", "stderr"]
KernelState = Literal["starting", "ready", "restarting", "stopped"]


class CellStatus(StrEnum):
    IDLE = "idle"
    QUEUED = "queued"
    RUNNING = "running"  # also means: the previous output, error and console of the cell are cleared
    SUCCESS = "success"
    ERROR = "error"
    BLOCKED = "blocked"  # an ancestor failed or cannot run
    INTERRUPTED = "interrupted"


@dataclass(kw_only=True)
class Event:
    type: ClassVar[str]
    seq: int = 0

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"type": self.type}
        for item in fields(self):
            value = getattr(self, item.name)
            data[item.name] = value.value if isinstance(value, Enum) else value
        return data


@dataclass(kw_only=True)
class StatusEvent(Event):
    type: ClassVar[str] = "status"
    cell_id: str
    status: CellStatus
    stale: bool  # the cell's current code has not run successfully in the current kernel
    ran_revision: int | None = None  # the revision of the code the last run executed; None: never ran
    blocked_by: str | None = None
    duration: float | None = None  # seconds, once the cell finished


@dataclass(kw_only=True)
class StreamEvent(Event):
    type: ClassVar[str] = "stream"
    cell_id: str | None  # None: the kernel printed while no cell was running
    name: StreamName
    text: str


@dataclass(kw_only=True)
class OutputEvent(Event):
    """`output` is {"kind": "table" | "plotly" | "image" | "text", ...}; the shapes are in the engine's README."""

    type: ClassVar[str] = "output"
    cell_id: str
    output: dict[str, Any]


@dataclass(kw_only=True)
class ErrorEvent(Event):
    """`error` is {"type", "message", "traceback": [{"cell_id", "filename", "line", "name", "code"}], "text"}."""

    type: ClassVar[str] = "error"
    cell_id: str
    error: dict[str, Any]


@dataclass(kw_only=True)
class GraphEvent(Event):
    """Published after a change of the notebook moved some cells in the graph: their entries of `Graph.to_dict()`
    ("defines", "references", "errors", "parents", "children"); other cells' entries are as before."""

    type: ClassVar[str] = "graph"
    cells: dict[str, dict[str, Any]]


@dataclass(kw_only=True)
class CellEvent(Event):
    type: ClassVar[str] = "cell"
    action: Literal["added", "updated", "removed", "moved"]
    cell: dict[str, Any]
    index: int | None = None


@dataclass(kw_only=True)
class KernelEvent(Event):
    type: ClassVar[str] = "kernel"
    state: KernelState
    pid: int | None = None
    reason: str | None = None
    progress: str | None = None  # while it starts, where that takes long: "ECS task PENDING (12 s)"


class SubscriptionOverflow(Exception):
    """The subscriber fell too far behind; it should take a fresh snapshot and subscribe again."""


class Subscription:
    """An async iterator of events; close it when done (or use `async with`)."""

    def __init__(self, bus: EventBus, limit: int) -> None:
        self._bus = bus
        self.limit = limit
        self._queue: deque[Event] = deque()
        self._wakeup = asyncio.Event()
        self.closed = False
        self.overflowed = False

    def _push(self, event: Event) -> None:
        if self.closed:
            return
        if len(self._queue) >= self.limit:
            self.overflowed = True
            self._queue.clear()
            self.close()
            return
        self._queue.append(event)
        self._wakeup.set()

    def pending(self) -> list[Event]:
        """Takes every queued event without waiting."""
        events = list(self._queue)
        self._queue.clear()
        return events

    def close(self) -> None:
        self.closed = True
        self._bus.unsubscribe(self)
        self._wakeup.set()

    def __aiter__(self) -> Subscription:
        return self

    async def __anext__(self) -> Event:
        while not self._queue:
            if self.closed:
                if self.overflowed:
                    raise SubscriptionOverflow(f"more than {self.limit} events were waiting for this subscriber")
                raise StopAsyncIteration
            self._wakeup.clear()
            await self._wakeup.wait()
        return self._queue.popleft()

    async def __aenter__(self) -> Subscription:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        self.close()


class EventBus:
    def __init__(self, limit: int) -> None:
        self._subscribers: set[Subscription] = set()
        self._limit = limit
        self.seq = 0

    def subscribe(self) -> Subscription:
        subscription = Subscription(self, self._limit)
        self._subscribers.add(subscription)
        return subscription

    def unsubscribe(self, subscription: Subscription) -> None:
        self._subscribers.discard(subscription)

    def publish(self, event: Event) -> None:
        self.seq += 1
        event.seq = self.seq
        for subscription in list(self._subscribers):
            subscription._push(event)

    def close(self) -> None:
        for subscription in list(self._subscribers):
            subscription.close()
