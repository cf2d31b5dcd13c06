"""The launcher's capabilities: the four it needs and no other, wherever root starts it.

In the container the task definition has already dropped the rest; run as root elsewhere (`npm start`, the tests)
root holds every capability. `keep_only_needed` drops the others from the bounding set (so that no exec gives them
back) and from the permitted, effective and inheritable sets, before the launcher does anything else.
"""

from __future__ import annotations

import ctypes
import os
from pathlib import Path

# linux/capability.h
CAP_CHOWN = 0
CAP_KILL = 5
CAP_SETGID = 6
CAP_SETUID = 7
CAP_SETPCAP = 8
# SETUID and SETGID: becoming a kernel's uid; CHOWN: handing a kernel its working directory; KILL: what the task
# definition keeps for the init process (docs/ARCHITECTURE.md, "Kernel isolation").
NEEDED = frozenset({CAP_CHOWN, CAP_KILL, CAP_SETGID, CAP_SETUID})

_PR_CAPBSET_READ = 23
_PR_CAPBSET_DROP = 24
_LINUX_CAPABILITY_VERSION_3 = 0x20080522


class _Header(ctypes.Structure):
    _fields_ = [("version", ctypes.c_uint32), ("pid", ctypes.c_int)]


class _Data(ctypes.Structure):
    _fields_ = [("effective", ctypes.c_uint32), ("permitted", ctypes.c_uint32), ("inheritable", ctypes.c_uint32)]


def _libc() -> ctypes.CDLL:
    return ctypes.CDLL(None, use_errno=True)


def _check(result: int, call: str) -> int:
    if result < 0:
        error = ctypes.get_errno()
        raise OSError(error, f"{call}: {os.strerror(error)}")
    return result


def last_cap() -> int:
    return int(Path("/proc/sys/kernel/cap_last_cap").read_text())


def mask(caps: frozenset[int] | set[int]) -> int:
    return sum(1 << cap for cap in caps)


def keep_only_needed() -> None:
    """Drops every capability but NEEDED from the bounding set, then from the permitted, effective and inheritable
    sets (which also empties the ambient set). The bounding set needs CAP_SETPCAP to shrink: without it (the
    container) it must already hold nothing else, or this refuses to go on."""
    libc = _libc()
    for cap in range(last_cap() + 1):
        if cap in NEEDED or _check(libc.prctl(_PR_CAPBSET_READ, cap, 0, 0, 0), "prctl(PR_CAPBSET_READ)") == 0:
            continue
        _check(libc.prctl(_PR_CAPBSET_DROP, cap, 0, 0, 0), f"prctl(PR_CAPBSET_DROP, {cap})")
    header = _Header(_LINUX_CAPABILITY_VERSION_3, 0)
    data = (_Data * 2)()
    _check(libc.capget(ctypes.byref(header), data), "capget")
    kept = mask(NEEDED)
    for index, word in enumerate(data):
        part = (kept >> (32 * index)) & 0xFFFFFFFF
        word.permitted &= part
        word.effective &= part
        word.inheritable = 0
    _check(libc.capset(ctypes.byref(header), data), "capset")


def held(pid: int | str = "self") -> dict[str, int]:
    """CapInh, CapPrm, CapEff, CapBnd and CapAmb of a process, from /proc/<pid>/status."""
    found: dict[str, int] = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        name, _, value = line.partition(":")
        if name.startswith("Cap"):
            found[name] = int(value.strip(), 16)
    return found
