"""The kernel size presets: the CPU and memory of a notebook's kernel when it runs as an ECS task of its own.

The one table of them: the ECS launcher sizes its tasks from it and the API publishes it (GET /api/kernels/sizes).
A kernel in a process of the server (KERNEL_LAUNCHER=process) shares the server's task whatever its size.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

KernelSizeName = Literal["small", "medium", "large"]


@dataclass(frozen=True)
class KernelSize:
    cpu: int  # ECS CPU units: 1024 is one vCPU
    memory: int  # MiB

    @property
    def vcpus(self) -> float:
        return self.cpu / 1024

    @property
    def memory_gib(self) -> float:
        return self.memory / 1024


# Each a CPU and memory pair Fargate accepts.
KERNEL_SIZES: dict[KernelSizeName, KernelSize] = {
    "small": KernelSize(cpu=512, memory=1024),
    "medium": KernelSize(cpu=1024, memory=4096),
    "large": KernelSize(cpu=2048, memory=8192),
}

# KERNEL_SIZES unless set: the large preset costs enough that a deployment opts in to it.
DEFAULT_ALLOWED_SIZES: tuple[KernelSizeName, ...] = ("small", "medium")


def size_in_effect(chosen: str | None, allowed: Sequence[KernelSizeName]) -> KernelSizeName:
    """The size a notebook's next kernel gets: its chosen one while allowed, else the first allowed (the default).
    A size taken off KERNEL_SIZES after a notebook chose it thus falls back without editing the notebook."""
    for name in allowed:
        if name == chosen:
            return name
    return allowed[0]
