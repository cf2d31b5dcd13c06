"""The CloudWatch Logs group, against moto: a stream per server start, batches within PutLogEvents' limits, reads
newest first through FilterLogEvents, and writes that fail kept for the next attempt."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import boto3
import pytest

from app.audit import Actor, AuditEvent, AuditUnavailable, audit_log_from_settings
from app.audit import cloudwatch as audit_cloudwatch
from app.audit.cloudwatch import (
    EVENT_OVERHEAD,
    MAX_BATCH_BYTES,
    MAX_BATCH_EVENTS,
    CloudWatchLog,
    batches,
    notebook_pattern,
    stream_name,
)
from app.audit.events import encode
from app.core.config import Settings

from .conftest import ADA

GROUP = "/notebook/audit"
NOW = datetime.now(UTC).replace(microsecond=0)


def recent(number: int, notebook_id: str | None = "nb1", seconds: int = 1) -> AuditEvent:
    """The number-th of a sequence of events that ends now (CloudWatch takes none older than 14 days)."""
    time = NOW - timedelta(hours=10) + timedelta(seconds=number * seconds)
    return AuditEvent(time, Actor(ADA.id, ADA.name), "update_cell", notebook_id, {"cell_id": f"c{number}"})


@pytest.fixture
def logs(moto_endpoint: str) -> Any:
    client = boto3.client("logs")
    client.create_log_group(logGroupName=GROUP)
    return client


def stored(logs: Any) -> list[dict[str, Any]]:
    streams = logs.describe_log_streams(logGroupName=GROUP)["logStreams"]
    return [
        json.loads(item["message"])
        for stream in streams
        for item in logs.get_log_events(logGroupName=GROUP, logStreamName=stream["logStreamName"], startFromHead=True)[
            "events"
        ]
    ]


def test_a_server_start_writes_a_stream_named_by_time_and_host(logs: Any) -> None:
    sink = CloudWatchLog(GROUP, stream="2026-03-01T12-00-00Z-host")
    sink.write([recent(1), recent(2)])
    sink.close()
    [stream] = logs.describe_log_streams(logGroupName=GROUP)["logStreams"]
    assert stream["logStreamName"] == "2026-03-01T12-00-00Z-host"
    assert [line["detail"]["cell_id"] for line in stored(logs)] == ["c1", "c2"]
    assert stream_name(datetime(2026, 3, 1, 12, 0, 5, tzinfo=UTC), "ip-10-0-1-2.ec2:internal*") == (
        "2026-03-01T12-00-05Z-ip-10-0-1-2.ec2-internal-"
    )


def test_reads_go_newest_first_a_page_at_a_time_for_one_notebook_or_all(logs: Any) -> None:
    sink = CloudWatchLog(GROUP)
    sink.write([recent(number, "nb1" if number % 2 else "nb2") for number in range(30)])
    seen: list[str] = []
    cursor: str | None = None
    while True:
        events, cursor = sink.read(None, 7, cursor)
        seen += [str(found.detail["cell_id"]) for found in events]
        if cursor is None:
            break
    assert seen == [f"c{number}" for number in range(29, -1, -1)]
    one, cursor = sink.read("nb1", 10, None)
    rest, last = sink.read("nb1", 10, cursor)
    assert [found.detail["cell_id"] for found in one + rest] == [f"c{number}" for number in range(29, 0, -2)]
    assert last is None
    assert {found.notebook_id for found in one + rest} == {"nb1"}


def test_reads_reach_events_far_back_through_widening_windows(logs: Any) -> None:
    sink = CloudWatchLog(GROUP)
    # Hours apart, and events in the same millisecond (told apart by their event ids).
    sink.write([recent(number, seconds=4000) for number in range(8)] + [recent(0), recent(0)])
    events, cursor = sink.read(None, 4, None)
    older, last = sink.read(None, 10, cursor)
    assert [found.detail["cell_id"] for found in events + older] == [f"c{number}" for number in range(7, 0, -1)] + [
        "c0"
    ] * 3
    assert last is None


def test_one_notebook_is_asked_for_with_a_json_filter_pattern(logs: Any) -> None:
    sink = CloudWatchLog(GROUP, client=logs)
    sent: list[dict[str, Any]] = []
    logs.meta.events.register(
        "provide-client-params.logs.FilterLogEvents", lambda params, **_: sent.append(dict(params))
    )
    sink.write([recent(1)])
    sink.read("0f3a-b_c.d", 10, None)
    assert sent
    assert {params.get("filterPattern") for params in sent} == {'{ $.notebook_id = "0f3a-b_c.d" }'}
    sent.clear()
    sink.read('odd"id', 10, None)  # an id the pattern syntax could misread is filtered here only
    assert sent
    assert all("filterPattern" not in params for params in sent)
    assert notebook_pattern(None) is None


def test_an_empty_group_has_no_events_and_a_missing_one_is_unavailable(logs: Any) -> None:
    assert CloudWatchLog(GROUP).read(None, 10, None) == ([], None)
    with pytest.raises(AuditUnavailable, match="/notebook/missing"):
        CloudWatchLog("/notebook/missing").read(None, 10, None)


def test_batches_keep_within_put_log_events_limits(monkeypatch: pytest.MonkeyPatch) -> None:
    many = [recent(number % 50) for number in range(MAX_BATCH_EVENTS + 5)]
    assert sum(map(len, batches(many))) == len(many)
    with monkeypatch.context() as roomier:  # an event's JSON is too long to reach the count before the bytes
        roomier.setattr(audit_cloudwatch, "MAX_BATCH_BYTES", 10 * MAX_BATCH_BYTES)
        assert [len(batch) for batch in batches(many)] == [MAX_BATCH_EVENTS, 5]
    big = AuditEvent(NOW, Actor(ADA.id, ADA.name), "update_cell", "nb1", {"note": "x" * 200_000})
    size = len(encode(big).encode()) + EVENT_OVERHEAD
    cut = list(batches([big] * 6))
    assert [len(batch) for batch in cut] == [5, 1]
    assert all(
        sum(len(item["message"].encode()) + EVENT_OVERHEAD for item in batch) <= MAX_BATCH_BYTES for batch in cut
    )
    assert 5 * size <= MAX_BATCH_BYTES < 6 * size
    # In time order, and never spanning more than a day.
    days = [recent(0), recent(1, seconds=30 * 3600), recent(2, seconds=3600)]
    assert [[item["timestamp"] for item in batch] for batch in batches(days)] == [
        [days[0].millis, days[2].millis],
        [days[1].millis],
    ]


def test_a_large_backlog_goes_in_several_batches(logs: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(audit_cloudwatch, "MAX_BATCH_EVENTS", 3)
    sink = CloudWatchLog(GROUP, client=logs)
    calls: list[int] = []
    logs.meta.events.register(
        "provide-client-params.logs.PutLogEvents", lambda params, **_: calls.append(len(params["logEvents"]))
    )
    sink.write([recent(number) for number in range(8)])
    assert calls == [3, 3, 2]
    assert len(stored(logs)) == 8


def test_a_failed_write_is_logged_and_retried_with_the_next_batch(
    moto_endpoint: str, caplog: pytest.LogCaptureFixture
) -> None:
    sink = CloudWatchLog(GROUP)  # the group does not exist yet
    sink.write([recent(1)])
    assert f"could not write 1 events to CloudWatch Logs group {GROUP}" in caplog.text
    logs = boto3.client("logs")
    logs.create_log_group(logGroupName=GROUP)
    sink.write([recent(2)])
    assert [line["detail"]["cell_id"] for line in stored(logs)] == ["c1", "c2"]


def test_an_event_cloudwatch_cannot_take_is_dropped_loudly(logs: Any, caplog: pytest.LogCaptureFixture) -> None:
    sink = CloudWatchLog(GROUP)
    huge = AuditEvent(NOW, Actor(ADA.id, ADA.name), "update_cell", "nb1", {"note": "x" * 300_000})
    sink.write([huge, recent(1)])
    assert "over CloudWatch's 256 KiB" in caplog.text
    assert [line["detail"]["cell_id"] for line in stored(logs)] == ["c1"]


@pytest.mark.asyncio
async def test_with_a_file_and_a_group_both_get_every_event_and_reads_come_from_the_group(
    logs: Any, tmp_path: Path
) -> None:
    path = tmp_path / "audit.jsonl"
    audit = audit_log_from_settings(Settings(audit_log_file=path, audit_log_group=GROUP))
    audit.record(ADA, "rename_notebook", "nb1", {})
    events, _ = await audit.read(None, 10, None)
    audit.close()
    assert [found.action for found in events] == ["rename_notebook"]
    assert [line["action"] for line in stored(logs)] == ["rename_notebook"]
    assert [json.loads(line)["action"] for line in path.read_text().splitlines()] == ["rename_notebook"]
