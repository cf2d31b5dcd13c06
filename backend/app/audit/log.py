"""The audit log: who ran, edited, shared or restored what, and when. Recording never waits for storage: events go
through a queue to a thread that writes them, and closing writes whatever is still queued."""

from __future__ import annotations

import asyncio
import logging
import queue
import threading
from collections.abc import Mapping, Sequence
from typing import Protocol

from app.audit.cloudwatch import CloudWatchLog
from app.audit.events import AuditEvent
from app.audit.file import JsonLinesFile
from app.audit.memory import RecentEvents
from app.core.config import Settings
from app.core.principal import Principal

logger = logging.getLogger(__name__)
# How often the writer wakes without new events, to retry what a sink could not write.
RETRY_SECONDS = 5.0
# How long a read waits for the events recorded before it to be written.
FLUSH_SECONDS = 5.0


class AuditSink(Protocol):
    def write(self, events: Sequence[AuditEvent]) -> None: ...

    def read(self, notebook_id: str | None, limit: int, before: str | None) -> tuple[list[AuditEvent], str | None]: ...

    def close(self) -> None: ...


class AuditLog:
    """Writes to every sink; reads from the last one."""

    def __init__(self, sinks: Sequence[AuditSink]) -> None:
        if not sinks:
            raise ValueError("an audit log needs somewhere to write")
        self._sinks = list(sinks)
        self._queue: queue.SimpleQueue[AuditEvent | threading.Event | None] = queue.SimpleQueue()
        self._writer = threading.Thread(target=self._write_until_closed, name="audit-log", daemon=True)
        self._writer.start()

    def record(self, actor: Principal, action: str, notebook_id: str | None, detail: Mapping[str, object]) -> None:
        """Safe from any thread or the event loop; returns at once."""
        self._queue.put(AuditEvent.now(actor, action, notebook_id, detail))

    async def read(
        self, notebook_id: str | None = None, limit: int = 100, before: str | None = None
    ) -> tuple[list[AuditEvent], str | None]:
        """Newest first, `limit` at most, older than the cursor `before` (a `next_cursor` given earlier); also the
        cursor of the next page, None after the last. Raises BadCursor, AuditUnavailable."""
        await asyncio.to_thread(self.flush)
        return await asyncio.to_thread(self._sinks[-1].read, notebook_id, limit, before)

    def flush(self, timeout: float = FLUSH_SECONDS) -> bool:
        """Waits until the events recorded so far are written (or their sinks failed); False after `timeout`."""
        written = threading.Event()
        self._queue.put(written)
        return written.wait(timeout)

    def close(self) -> None:
        self._queue.put(None)
        self._writer.join()
        for sink in self._sinks:
            sink.close()

    def _write_until_closed(self) -> None:
        closing = False
        while not closing:
            try:
                items = [self._queue.get(timeout=RETRY_SECONDS)]
            except queue.Empty:
                items = []
            while True:
                try:
                    items.append(self._queue.get_nowait())
                except queue.Empty:
                    break
            self._write([item for item in items if isinstance(item, AuditEvent)])
            for item in items:
                if isinstance(item, threading.Event):
                    item.set()
            closing = any(item is None for item in items)

    def _write(self, events: list[AuditEvent]) -> None:
        for sink in self._sinks:
            try:
                sink.write(events)
            except Exception:
                logger.exception("audit log: %s could not write %d events", type(sink).__name__, len(events))


def audit_log_from_settings(settings: Settings) -> AuditLog:
    """AUDIT_LOG_FILE, AUDIT_LOG_GROUP or both (read from the group, which outlives any one server); neither: the
    service's own log, and the last events in memory."""
    sinks: list[AuditSink] = []
    if settings.audit_log_file is not None:
        sinks.append(JsonLinesFile(settings.audit_log_file))
    if settings.audit_log_group:
        sinks.append(CloudWatchLog(settings.audit_log_group))
    return AuditLog(sinks or [RecentEvents()])
