"""What a kernel's processes use, read from /proc: the kernel's process and everything it started.

Every host starts a kernel in a session of its own (setsid), so its processes are those of the session it leads,
wherever they were reparented to (a double-forked child included) and whichever uid they run as.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

_PROC = Path("/proc")
_PAGE_SIZE = os.sysconf("SC_PAGE_SIZE")


def session_memory(leader: int) -> int | None:
    """Resident memory in bytes of every process in the session `leader` leads; None without /proc (not Linux)."""
    if not _PROC.is_dir():
        return None
    total = 0
    for entry in _PROC.iterdir():
        if not entry.name.isdigit():
            continue
        with contextlib.suppress(OSError, ValueError, IndexError):  # the process may end while it is read
            # Fields after the command name, which is in parentheses and may hold spaces: state ppid pgrp session...
            fields = (entry / "stat").read_text().rpartition(")")[2].split()
            if int(fields[3]) == leader:
                total += int((entry / "statm").read_text().split()[1]) * _PAGE_SIZE
    return total
