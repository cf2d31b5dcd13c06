"""The JSON-lines file: appended to, read back newest first a page at a time, one notebook's events alone."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest

from app.audit import BadCursor
from app.audit import file as audit_file
from app.audit.file import JsonLinesFile

from .conftest import event


def test_the_file_and_its_directory_are_made_readable_by_the_owner_only(tmp_path: Path) -> None:
    path = tmp_path / "logs" / "audit" / "events.jsonl"
    sink = JsonLinesFile(path)
    sink.write([event(1)])
    sink.close()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    line = json.loads(path.read_text())
    assert line == {
        "time": "2026-03-01T12:00:01Z",
        "actor": {"id": "ada@example.com", "name": "Ada"},
        "action": "update_cell",
        "notebook_id": "nb1",
        "detail": {"cell_id": "c1"},
    }


def test_events_are_appended_one_a_line_and_kept_across_restarts(tmp_path: Path) -> None:
    path = tmp_path / "audit.jsonl"
    first = JsonLinesFile(path)
    first.write([event(1), event(2)])
    first.close()
    second = JsonLinesFile(path)
    second.write([event(3)])
    assert [line["detail"]["cell_id"] for line in map(json.loads, path.read_text().splitlines())] == ["c1", "c2", "c3"]
    events, cursor = second.read(None, 10, None)
    assert events == [event(3), event(2), event(1)]
    assert cursor is None
    second.close()


@pytest.mark.parametrize("block", [7, 64 * 1024])  # lines across block boundaries, and all in one block
def test_pages_go_back_in_time_without_gaps_or_repeats(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, block: int
) -> None:
    monkeypatch.setattr(audit_file, "BLOCK", block)
    sink = JsonLinesFile(tmp_path / "audit.jsonl")
    sink.write([event(number) for number in range(25)])
    pages: list[list[int]] = []
    cursor: str | None = None
    while True:
        events, cursor = sink.read(None, 10, cursor)
        pages.append([int(str(found.detail["cell_id"])[1:]) for found in events])
        if cursor is None:
            break
    assert pages == [list(range(24, 14, -1)), list(range(14, 4, -1)), list(range(4, -1, -1))]
    sink.close()


def test_a_notebook_s_events_alone(tmp_path: Path) -> None:
    sink = JsonLinesFile(tmp_path / "audit.jsonl")
    sink.write([event(number, "nb1" if number % 3 == 0 else "nb2") for number in range(12)])
    first, cursor = sink.read("nb1", 2, None)
    assert [found.detail["cell_id"] for found in first] == ["c9", "c6"]
    rest, last = sink.read("nb1", 2, cursor)
    assert [found.detail["cell_id"] for found in rest] == ["c3", "c0"]
    assert last is None
    assert sink.read("nb3", 5, None) == ([], None)
    sink.close()


def test_an_exact_page_has_no_next_cursor(tmp_path: Path) -> None:
    sink = JsonLinesFile(tmp_path / "audit.jsonl")
    sink.write([event(1), event(2)])
    assert sink.read(None, 2, None) == ([event(2), event(1)], None)
    assert sink.read(None, 5, None) == ([event(2), event(1)], None)
    sink.close()


def test_a_line_being_written_or_broken_is_skipped(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    path = tmp_path / "audit.jsonl"
    sink = JsonLinesFile(path)
    sink.write([event(1)])
    with path.open("a") as file:
        file.write("not json\n")
    sink.write([event(2)])
    with path.open("a") as file:
        file.write('{"time": "2026-03-01T1')  # a write still under way: no newline yet
    assert sink.read(None, 10, None) == ([event(2), event(1)], None)
    assert "which is no event" in caplog.text
    sink.close()


def test_a_cursor_is_a_position_before_which_to_read(tmp_path: Path) -> None:
    sink = JsonLinesFile(tmp_path / "audit.jsonl")
    sink.write([event(1), event(2)])
    assert sink.read(None, 10, "99999999") == ([event(2), event(1)], None)  # past the end: from the end
    assert sink.read(None, 10, "0") == ([], None)
    with pytest.raises(BadCursor):
        sink.read(None, 10, "-1")
    sink.close()
