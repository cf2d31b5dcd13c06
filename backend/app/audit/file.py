"""The audit log as a JSON-lines file (AUDIT_LOG_FILE): appended to only, one event per line, readable by its owner
only. Read from its end, newest first; the cursor is the byte offset of the oldest line a page answered."""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import BinaryIO

from pydantic import ValidationError

from app.audit.cursors import newest_page, parse_cursor
from app.audit.events import AuditEvent, decode, encode

logger = logging.getLogger(__name__)
BLOCK = 64 * 1024


class JsonLinesFile:
    def __init__(self, path: Path) -> None:
        self.path = path
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        self._fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)

    def write(self, events: Sequence[AuditEvent]) -> None:
        if events:
            data = "".join(encode(event) + "\n" for event in events).encode()
            # O_APPEND: each write lands whole at the end; a short write (a full disk) raises instead of tearing lines.
            written = os.write(self._fd, data)
            if written != len(data):
                raise OSError(f"wrote {written} of {len(data)} bytes of audit events to {self.path}")
            os.fsync(self._fd)

    def read(self, notebook_id: str | None, limit: int, before: str | None) -> tuple[list[AuditEvent], str | None]:
        with self.path.open("rb") as file:
            size = file.seek(0, os.SEEK_END)
            end = size if before is None else min(size, parse_cursor(before)[0])
            parsed = ((offset, _parse(line, offset)) for offset, line in _lines_backwards(file, end))
            return newest_page(((offset, event) for offset, event in parsed if event is not None), notebook_id, limit)

    def close(self) -> None:
        os.close(self._fd)


def _parse(line: bytes, offset: int) -> AuditEvent | None:
    try:
        return decode(line)
    except ValidationError:
        logger.warning("audit log: skipping the line at byte %d, which is no event", offset)
        return None


def _lines_backwards(file: BinaryIO, end: int) -> Iterator[tuple[int, bytes]]:
    """The whole lines before byte `end`, last first, each with the offset it starts at."""
    position, buffer, trailing = end, b"", True
    while position > 0:
        start = max(0, position - BLOCK)
        file.seek(start)
        buffer = file.read(position - start) + buffer
        position = start
        if trailing:  # text after the last newline is a line still being written: no event yet
            cut = buffer.rfind(b"\n") + 1
            buffer, trailing = buffer[:cut], cut == 0
        # The first line may begin in a block not read yet.
        newline = buffer.find(b"\n")
        keep = 0 if position == 0 else len(buffer) if newline == -1 else newline + 1
        whole, buffer = buffer[keep:], buffer[:keep]
        offset = position + keep + len(whole)
        for line in reversed(whole.split(b"\n")[:-1]):
            offset -= len(line) + 1
            yield offset, line
