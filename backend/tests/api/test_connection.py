"""A WebSocket client slower than its notebook: the backlog is replaced by a snapshot, and nothing after it is lost."""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime
from typing import Any

import pytest

from app.api.ws import connection
from app.api.ws.connection import NotebookConnection
from app.audit import AuditLog
from app.audit.memory import RecentEvents
from app.core.principal import LOCAL
from app.engine import Cell, Notebook, NotebookSession
from app.services.notebooks import LiveNotebook

from .conftest import TIMEOUT

pytestmark = pytest.mark.asyncio


class SlowSocket:
    """Sends only while `flowing` is set; the client says nothing until told to leave."""

    def __init__(self) -> None:
        self.sent: list[dict[str, Any]] = []
        self.flowing = asyncio.Event()
        self.leave = asyncio.Event()

    async def send_text(self, text: str) -> None:
        await self.flowing.wait()
        self.sent.append(json.loads(text))

    async def receive(self) -> dict[str, Any]:
        await self.leave.wait()
        return {"type": "websocket.disconnect", "code": 1000}

    async def close(self, code: int, reason: str) -> None:
        raise AssertionError(f"closed with {code}: {reason}")


class NoKernel:
    def warm(self, live: LiveNotebook) -> None:
        pass  # the test only edits: no kernel is needed


async def test_a_slow_client_gets_a_fresh_snapshot_instead_of_the_backlog(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(connection, "OUTBOX_LIMIT", 20)
    now = datetime.now(UTC)
    session = NotebookSession(Notebook([Cell("a", code="x = 0")]))
    live = LiveNotebook("nb", "Slow", now, now, session)
    socket = SlowSocket()
    serving = asyncio.create_task(
        NotebookConnection(socket, live, NoKernel(), LOCAL, AuditLog([RecentEvents()])).serve()
    )  # type: ignore[arg-type]
    await asyncio.sleep(0)
    for value in range(1, 40):  # each edit is two events (the cell, the graph): far more than the outbox holds
        session.update_cell("a", code=f"x = {value}")
        await asyncio.sleep(0)
    socket.flowing.set()
    session.update_cell("a", code="x = 'last'")
    async with asyncio.timeout(TIMEOUT):
        while not any(message.get("cell", {}).get("code") == "x = 'last'" for message in socket.sent):
            await asyncio.sleep(0.01)
    socket.leave.set()
    await asyncio.wait_for(serving, TIMEOUT)

    snapshots = [index for index, message in enumerate(socket.sent) if message["type"] == "snapshot"]
    assert len(snapshots) >= 2, "the backlog was replaced by a snapshot"
    latest = socket.sent[snapshots[-1]]["notebook"]
    after = socket.sent[snapshots[-1] + 1 :]
    assert [message["seq"] for message in after] == list(range(latest["seq"] + 1, latest["seq"] + 1 + len(after)))
    assert len(socket.sent) < 2 * 40, "most of the backlog was dropped"
    assert live.watchers == set(), "the connection stopped listening when the client left"
