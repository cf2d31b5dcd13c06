"""Where a page of the audit log ends: a position in the log, and for CloudWatch an event id among those of the same
millisecond. Every cursor of this shape reads as a position, so a page never fails on one given by another sink."""

from __future__ import annotations

import re
from collections.abc import Iterable
from itertools import islice

from app.audit.events import AuditEvent

CURSOR_PATTERN = r"^[0-9]{1,20}(:[0-9A-Za-z]{1,64})?$"


class BadCursor(ValueError):
    """A `before` that is no `next_cursor` of an audit log."""

    def __init__(self, cursor: str) -> None:
        super().__init__(f"not a cursor of the audit log: {cursor!r}; pass a next_cursor it answered")


class AuditUnavailable(Exception):
    """The audit log's storage did not answer."""


def parse_cursor(cursor: str) -> tuple[int, str]:
    if not re.fullmatch(CURSOR_PATTERN, cursor):
        raise BadCursor(cursor)
    position, _, tiebreak = cursor.partition(":")
    return int(position), tiebreak


def newest_page(
    positioned: Iterable[tuple[int, AuditEvent]], notebook_id: str | None, limit: int
) -> tuple[list[AuditEvent], str | None]:
    """A page from events newest first, each with its position: the cursor of the next page is the position of the
    last one given, when there are more."""
    matching = (item for item in positioned if notebook_id is None or item[1].notebook_id == notebook_id)
    found = list(islice(matching, limit + 1))
    page = found[:limit]
    return [event for _, event in page], str(page[-1][0]) if len(found) > limit else None
