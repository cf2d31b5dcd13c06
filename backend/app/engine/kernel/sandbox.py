"""What confines a kernel wherever it runs: its limits, the environment it may see, and the server it cannot read.

Shared by the launcher (which also gives each kernel a uid of its own) and by a server that starts its kernels itself
(not root: a developer's machine).
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import resource
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

# How a kernel process starts: the worker's entry point, found through PYTHONPATH = the package root.
PACKAGE_ROOT = str(Path(__file__).resolve().parents[3])
BOOT = "import sys; from app.engine.kernel.worker import main; main(sys.argv[1:])"

# The environment variable naming the server's descriptor of the launcher's socket.
LAUNCHER_FD_ENV = "KERNEL_LAUNCHER_FD"

_PR_SET_DUMPABLE = 4
_PR_SET_NO_NEW_PRIVS = 38
# Seconds between the CPU limit's SIGXCPU (which a cell can ignore) and the kernel's SIGKILL.
CPU_GRACE_SECONDS = 5

# The only variables of the server's environment a kernel sees: never credentials (ACCESS_TOKEN, AWS_*, the
# container's AWS_CONTAINER_CREDENTIALS_RELATIVE_URI), nor where the notebooks are stored.
_INHERITED = ("PATH", "LANG", "LANGUAGE", "TZ", "TERM")
_INHERITED_PREFIXES = ("LC_",)
# What the server may add for one kernel (see `credentials`): where and with which token of its own it gets the kernel
# role's credentials, and the non-secret region and endpoints. Anything else in a spawn request is refused.
GRANTABLE = (
    "AWS_CONTAINER_CREDENTIALS_FULL_URI",
    "AWS_CONTAINER_AUTHORIZATION_TOKEN",
    "AWS_REGION",
    "AWS_DEFAULT_REGION",
)
GRANTABLE_PREFIXES = ("AWS_ENDPOINT_URL",)


@dataclass(frozen=True)
class KernelLimits:
    """What each kernel may use; 0 means no limit. Named after the settings that set them."""

    memory_mb: int = 1024
    processes: int = 256
    cpu_seconds: int = 3600
    open_files: int = 1024

    def to_dict(self) -> dict[str, int]:
        return asdict(self)

    @classmethod
    def from_dict(cls, values: Mapping[str, Any]) -> KernelLimits:
        return cls(**{name: int(values[name]) for name in ("memory_mb", "processes", "cpu_seconds", "open_files")})

    @classmethod
    def from_settings(cls) -> KernelLimits:
        from app.core.config import get_settings

        settings = get_settings()
        return cls(
            memory_mb=settings.kernel_memory_mb,
            processes=settings.kernel_processes,
            cpu_seconds=settings.kernel_cpu_seconds,
            open_files=settings.kernel_open_files,
        )


def kernel_environment(
    source: Mapping[str, str], *, home: str, granted: Mapping[str, str] | None = None
) -> dict[str, str]:
    """The kernel's whole environment: an allow-list of `source`, what the server `granted` it (names of GRANTABLE
    only: ValueError otherwise), and its own home and temporary directory."""
    granted = granted or {}
    refused = sorted(name for name in granted if not is_grantable(name))
    if refused:
        raise ValueError(f"a kernel may not be given {', '.join(refused)}")
    env = {name: value for name, value in source.items() if name in _INHERITED or name.startswith(_INHERITED_PREFIXES)}
    return (
        env
        | dict(granted)
        | {
            "HOME": home,
            "TMPDIR": home,
            "PYTHONPATH": PACKAGE_ROOT,
            "PYTHONUNBUFFERED": "1",
            "MPLBACKEND": "Agg",
            "MPLCONFIGDIR": os.path.join(home, ".matplotlib"),
        }
    )


def is_grantable(name: str) -> bool:
    return name in GRANTABLE or name.startswith(GRANTABLE_PREFIXES)


def confine(limits: KernelLimits, *, own_uid: bool) -> None:
    """Runs in the kernel's process before any user code: hard limits (a cell cannot raise them back), and no privilege
    gained through a set-uid program. The process limit counts every process of the uid, so it only applies when the
    kernel has a uid of its own: on a developer's machine it would count their whole session."""
    _set_limit(resource.RLIMIT_AS, limits.memory_mb * 1024 * 1024)
    _set_limit(resource.RLIMIT_NOFILE, limits.open_files)
    if limits.cpu_seconds:
        resource.setrlimit(resource.RLIMIT_CPU, (limits.cpu_seconds, limits.cpu_seconds + CPU_GRACE_SECONDS))
    if own_uid:
        _set_limit(resource.RLIMIT_NPROC, limits.processes)
    os.umask(0o077)
    forbid_new_privileges()


def forbid_new_privileges() -> None:
    """No set-uid program (su, mount...) runs with more than this process has: what root dropped stays dropped."""
    prctl(_PR_SET_NO_NEW_PRIVS, 1)


def _set_limit(which: int, value: int) -> None:
    if value:
        resource.setrlimit(which, (value, value))


def count_tasks(uid: int) -> int:
    """Processes (zombies included) whose real uid is `uid`, each counted with its threads, as RLIMIT_NPROC counts."""
    count = 0
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            with contextlib.suppress(OSError), open(f"/proc/{entry.name}/status") as status:
                fields = dict(line.split(":", 1) for line in status if ":" in line)
                if int(fields["Uid"].split()[0]) == uid:
                    count += int(fields.get("Threads", "1"))
    return count


def make_undumpable() -> bool:
    """Makes /proc/<this process>/environ, mem, maps... root's, so that no process of the same uid can read the
    server's secrets from them or attach a debugger to it. Execve resets it: every process must do it itself.
    False where there is no prctl (not Linux)."""
    return prctl(_PR_SET_DUMPABLE, 0)


def prctl(option: int, value: int) -> bool:
    """False where there is no prctl (not Linux)."""
    function = getattr(ctypes.CDLL(None, use_errno=True), "prctl", None)
    if function is None:
        return False
    if function(option, value, 0, 0, 0) != 0:
        error = ctypes.get_errno()
        raise OSError(error, f"prctl({option}, {value}): {os.strerror(error)}")
    return True
