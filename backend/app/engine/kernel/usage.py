"""What a kernel's processes use, read from /proc: the kernel's process and every process it started.

A kernel with a uid of its own (under the launcher) owns exactly the processes of that uid, whatever they did to
leave its process tree (setsid, a double fork). A kernel of the server's uid is the leader of a session of its own,
and its processes are that session's.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

_PROC = Path("/proc")
_PAGE_SIZE = os.sysconf("SC_PAGE_SIZE")
_T = TypeVar("_T")


def kernel_memory(pid: int) -> int | None:
    """Resident memory in bytes of the kernel `pid` and every process it started; None without /proc (not Linux) or
    once the kernel is gone."""
    uid = _field(_PROC / str(pid), _uid)
    if uid is None:
        return None
    # A uid of its own: the launcher's kernel. Else the server started it, as the leader of a session.
    key, value = (_uid, uid) if uid != os.getuid() else (_session, pid)
    processes = (entry for entry in _PROC.iterdir() if entry.name.isdigit())
    return sum(_field(process, _resident) or 0 for process in processes if _field(process, key) == value)


def _uid(process: Path) -> int:
    for line in (process / "status").read_text().splitlines():
        if line.startswith("Uid:"):
            return int(line.split()[1])  # the real uid, as the launcher's kill and RLIMIT_NPROC count
    raise ValueError("no Uid line")


def _session(process: Path) -> int:
    # The fields after the command name, which is in parentheses and may hold anything: state ppid pgrp session...
    return int((process / "stat").read_text().rpartition(")")[2].split()[3])


def _resident(process: Path) -> int:
    return int((process / "statm").read_text().split()[1]) * _PAGE_SIZE


def _field(process: Path, read: Callable[[Path], _T]) -> _T | None:
    """None when the process is gone (or ended while it was read)."""
    with contextlib.suppress(OSError, ValueError, IndexError):
        return read(process)
    return None
