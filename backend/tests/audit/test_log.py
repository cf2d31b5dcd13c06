"""The audit log itself: recording returns at once, a read sees what was recorded before it, closing writes the rest,
and with neither a file nor a log group the events go to the service's log and stay in memory."""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Sequence
from pathlib import Path

import pytest

from app.audit import AuditEvent, AuditLog, audit_log_from_settings
from app.audit.file import JsonLinesFile
from app.audit.memory import RecentEvents
from app.core.config import Settings

from .conftest import ADA, event

pytestmark = pytest.mark.asyncio


class SlowSink(RecentEvents):
    """Holds every write until released, as a storage that does not answer would."""

    def __init__(self) -> None:
        super().__init__()
        self.release = threading.Event()

    def write(self, events: Sequence[AuditEvent]) -> None:
        if events:
            assert self.release.wait(10)
        super().write(events)


class BrokenSink(RecentEvents):
    def write(self, events: Sequence[AuditEvent]) -> None:
        if events:
            raise OSError("disk full")


async def test_recording_never_waits_for_the_storage_and_closing_writes_everything() -> None:
    slow = SlowSink()
    audit = AuditLog([slow])
    started = time.monotonic()
    for number in range(100):
        audit.record(ADA, "update_cell", "nb1", {"cell_id": f"c{number}"})
    assert time.monotonic() - started < 1
    slow.release.set()
    audit.close()
    events, _ = slow.read(None, 1000, None)
    assert [found.detail["cell_id"] for found in events] == [f"c{number}" for number in range(99, -1, -1)]
    assert {(found.actor.id, found.actor.name, found.action, found.notebook_id) for found in events} == {
        ("ada@example.com", "Ada", "update_cell", "nb1")
    }


async def test_a_read_sees_every_event_recorded_before_it(tmp_path: Path) -> None:
    audit = AuditLog([JsonLinesFile(tmp_path / "audit.jsonl")])
    audit.record(ADA, "rename_notebook", "nb1", {})
    audit.record(ADA, "delete_cell", "nb1", {"cell_id": "c1"})
    events, cursor = await audit.read("nb1", 10, None)
    assert [found.action for found in events] == ["delete_cell", "rename_notebook"]
    assert cursor is None
    audit.close()


async def test_a_failing_sink_is_logged_and_does_not_stop_the_others(caplog: pytest.LogCaptureFixture) -> None:
    kept = RecentEvents()
    audit = AuditLog([BrokenSink(), kept])
    audit.record(ADA, "delete_notebook", "nb1", {})
    events, _ = await audit.read(None, 10, None)
    assert [found.action for found in events] == ["delete_notebook"]
    assert "BrokenSink could not write 1 events" in caplog.text
    audit.close()


async def test_reads_do_not_hold_up_the_event_loop() -> None:
    slow = SlowSink()
    audit = AuditLog([slow])
    audit.record(ADA, "update_cell", "nb1", {})
    reading = asyncio.create_task(audit.read(None, 10, None))
    await asyncio.sleep(0.05)  # the loop runs while the read waits for the write
    assert not reading.done()
    slow.release.set()
    events, _ = await reading
    assert len(events) == 1
    audit.close()


async def test_without_a_file_or_group_events_go_to_the_log_and_the_last_thousand_stay(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level("INFO", logger="app.audit")
    audit = audit_log_from_settings(Settings(audit_log_file=None, audit_log_group=""))
    for number in range(1005):
        audit.record(ADA, "update_cell", "nb1", {"cell_id": f"c{number}"})
    newest, cursor = await audit.read(None, 500, None)
    oldest, last = await audit.read(None, 500, cursor)
    assert [len(newest), len(oldest), last] == [500, 500, None]
    assert newest[0].detail == {"cell_id": "c1004"}
    assert oldest[-1].detail == {"cell_id": "c5"}
    assert '"action":"update_cell","notebook_id":"nb1","detail":{"cell_id":"c1004"}' in caplog.text
    audit.close()


async def test_the_memory_filters_by_notebook() -> None:
    memory = RecentEvents()
    memory.write([event(number, "nb1" if number % 2 else "nb2") for number in range(6)])
    first, cursor = memory.read("nb1", 2, None)
    rest, last = memory.read("nb1", 2, cursor)
    assert [found.detail["cell_id"] for found in first + rest] == ["c5", "c3", "c1"]
    assert last is None
