"""Without a file or a log group: each event goes to the service's own log, and the last ones stay in memory so that
GET /api/audit still answers (until the server stops)."""

from __future__ import annotations

import logging
import threading
from collections import deque
from collections.abc import Sequence

from app.audit.cursors import newest_page, parse_cursor
from app.audit.events import AuditEvent, encode

logger = logging.getLogger("app.audit")
KEPT = 1000


class RecentEvents:
    def __init__(self, kept: int = KEPT) -> None:
        self._events: deque[tuple[int, AuditEvent]] = deque(maxlen=kept)
        self._count = 0  # events ever written: the cursor is an event's number
        self._lock = threading.Lock()

    def write(self, events: Sequence[AuditEvent]) -> None:
        with self._lock:
            for event in events:
                self._count += 1
                self._events.append((self._count, event))
        for event in events:
            logger.info("%s", encode(event))

    def read(self, notebook_id: str | None, limit: int, before: str | None) -> tuple[list[AuditEvent], str | None]:
        end = parse_cursor(before)[0] if before is not None else None
        with self._lock:
            numbered = list(self._events)
        newest = ((number, event) for number, event in reversed(numbered) if end is None or number < end)
        return newest_page(newest, notebook_id, limit)

    def close(self) -> None:
        """Nothing is held open."""
