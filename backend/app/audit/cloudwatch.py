"""The audit log in a CloudWatch Logs group (AUDIT_LOG_GROUP): a stream of its own per server start, written in
batches within PutLogEvents' limits and read back with FilterLogEvents."""

from __future__ import annotations

import logging
import re
import socket
import time
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime
from typing import Any, TypedDict

import boto3
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError
from pydantic import ValidationError

from app.audit.cursors import AuditUnavailable, parse_cursor
from app.audit.events import AuditEvent, decode, encode

logger = logging.getLogger(__name__)

# PutLogEvents' limits: a batch holds at most 10,000 events and 1 MiB, counting 26 bytes per event besides its
# message, in time order and within 24 hours; one event is at most 256 KiB.
MAX_BATCH_EVENTS = 10_000
MAX_BATCH_BYTES = 1_048_576
EVENT_OVERHEAD = 26
MAX_EVENT_BYTES = 256 * 1024 - EVENT_OVERHEAD
MAX_BATCH_SPAN_MS = 24 * 3600 * 1000
MAX_EVENT_AGE_MS = 14 * 24 * 3600 * 1000
# Events kept for the next attempt while CloudWatch refuses them; past that, the oldest are given up (loudly).
MAX_PENDING = 100_000
# Reading goes back in time through windows that grow this much each step, until enough events are found.
FIRST_WINDOW_MS = 3600 * 1000
WINDOW_GROWTH = 4
_SAFE_ID = re.compile(r"[\w.-]+", re.ASCII)


class InputLogEvent(TypedDict):
    timestamp: int
    message: str


def stream_name(started: datetime, host: str) -> str:
    """The stream of one server start: when and where (stream names may not hold `:` or `*`)."""
    return re.sub(r"[:*]", "-", f"{started:%Y-%m-%dT%H-%M-%SZ}-{host}")


def batches(events: Sequence[AuditEvent]) -> Iterator[list[InputLogEvent]]:
    """The events in time order, cut into batches that PutLogEvents accepts."""
    batch: list[InputLogEvent] = []
    size = 0
    for event in sorted(events, key=lambda event: event.millis):
        message = encode(event)
        event_size = len(message.encode()) + EVENT_OVERHEAD
        if batch and (
            len(batch) == MAX_BATCH_EVENTS
            or size + event_size > MAX_BATCH_BYTES
            or event.millis - batch[0]["timestamp"] > MAX_BATCH_SPAN_MS
        ):
            yield batch
            batch, size = [], 0
        batch.append({"timestamp": event.millis, "message": message})
        size += event_size
    if batch:
        yield batch


def notebook_pattern(notebook_id: str | None) -> str | None:
    """FilterLogEvents' JSON pattern for one notebook's events; None (no pattern, filtered here) for an id the
    pattern syntax could misread."""
    if notebook_id is None or not _SAFE_ID.fullmatch(notebook_id):
        return None
    return f'{{ $.notebook_id = "{notebook_id}" }}'


class CloudWatchLog:
    def __init__(self, group: str, client: Any = None, stream: str | None = None) -> None:
        self.group = group
        self.stream = stream or stream_name(datetime.now(UTC), socket.gethostname())
        # The standard retry mode retries throttling and passing errors with backoff before a write counts as failed.
        self._client = client or boto3.client("logs", config=Config(retries={"mode": "standard"}))
        self._pending: list[AuditEvent] = []
        self._stream_made = False

    def write(self, events: Sequence[AuditEvent]) -> None:
        self._pending.extend(event for event in events if self._fits(event))
        if len(self._pending) > MAX_PENDING:
            dropped = len(self._pending) - MAX_PENDING
            del self._pending[:dropped]
            logger.error("audit log: CloudWatch Logs is unreachable; %d audit events given up", dropped)
        if not self._pending:
            return
        try:
            self._make_stream()
            self._pending.sort(key=lambda event: event.millis)
            for batch in batches(self._pending):
                answer = self._client.put_log_events(
                    logGroupName=self.group, logStreamName=self.stream, logEvents=batch
                )
                del self._pending[: len(batch)]
                if answer.get("rejectedLogEventsInfo"):
                    logger.error("audit log: CloudWatch Logs rejected events: %s", answer["rejectedLogEventsInfo"])
        except (BotoCoreError, ClientError) as error:
            logger.error(
                "audit log: could not write %d events to CloudWatch Logs group %s (retried with the next ones): %s",
                len(self._pending),
                self.group,
                error,
            )

    def read(self, notebook_id: str | None, limit: int, before: str | None) -> tuple[list[AuditEvent], str | None]:
        now = (int(time.time() * 1000) + 1, "")
        newest = now if before is None else min(now, parse_cursor(before))
        try:
            oldest = self._oldest()
            if oldest is None:
                return [], None
            found: list[tuple[tuple[int, str], AuditEvent]] = []
            end, span = newest[0], FIRST_WINDOW_MS
            while end >= oldest:
                start = max(oldest, end - span + 1)
                for key, event in self._filter(start, end, notebook_id):
                    if key < newest:
                        found.append((key, event))
                if len(found) > limit:
                    break
                end, span = start - 1, span * WINDOW_GROWTH
        except (BotoCoreError, ClientError) as error:
            raise AuditUnavailable(f"CloudWatch Logs group {self.group}: {error}") from error
        found.sort(key=lambda item: item[0], reverse=True)
        page = found[:limit]
        more = len(found) > limit
        return [event for _, event in page], "{}:{}".format(*page[-1][0]) if more else None

    def close(self) -> None:
        if self._pending:
            logger.error("audit log: %d events never reached CloudWatch Logs group %s", len(self._pending), self.group)

    def _fits(self, event: AuditEvent) -> bool:
        if len(encode(event).encode()) <= MAX_EVENT_BYTES:
            return True
        logger.error("audit log: an event over CloudWatch's 256 KiB is not sent: %s", event.action)
        return False

    def _make_stream(self) -> None:
        if self._stream_made:
            return
        try:
            self._client.create_log_stream(logGroupName=self.group, logStreamName=self.stream)
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") != "ResourceAlreadyExistsException":
                raise
        self._stream_made = True

    def _oldest(self) -> int | None:
        """A time before every event: the first stream's start (their names begin with it, so the first by name is the
        first made), less the 14 days by which PutLogEvents takes events from the past. DescribeLogStreams rather than
        DescribeLogGroups, which IAM grants on every group of the account or none."""
        streams = self._client.describe_log_streams(logGroupName=self.group, orderBy="LogStreamName", limit=1)
        if not streams["logStreams"]:
            return None  # no stream, no event
        return int(streams["logStreams"][0]["creationTime"]) - MAX_EVENT_AGE_MS

    def _filter(self, start: int, end: int, notebook_id: str | None) -> Iterator[tuple[tuple[int, str], AuditEvent]]:
        pattern = notebook_pattern(notebook_id)
        options = {"filterPattern": pattern} if pattern else {}
        pages = self._client.get_paginator("filter_log_events").paginate(
            logGroupName=self.group, startTime=start, endTime=end, **options
        )
        for page in pages:
            for item in page["events"]:
                try:
                    event = decode(item["message"])
                except ValidationError:
                    logger.warning("audit log: skipping CloudWatch event %s, which is no audit event", item["eventId"])
                    continue
                if notebook_id is None or event.notebook_id == notebook_id:
                    yield (int(item["timestamp"]), str(item["eventId"])), event
