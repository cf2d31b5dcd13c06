"""`%pip` in a cell: pip (or uv, when the kernel finds it) on a virtual environment of the kernel's own.

The environment lives in the kernel's home, its working directory: writable by the kernel alone, and removed with
it, so what a cell installs lasts as long as the kernel. Its site-packages holds a `.pth` naming the kernel's own
import path, so pip sees the service's packages as installed (a dependency already there is not fetched again) and
the kernel imports the new packages after the service's: an installed package never replaces one the service runs
with. Its output is the cell's: the command writes to the kernel's captured descriptors.
"""

from __future__ import annotations

import importlib
import os
import shlex
import shutil
import site
import subprocess
import sys
import sysconfig
import venv
from collections.abc import Sequence
from pathlib import Path
from types import SimpleNamespace

from .execute import ReportedError

_ENVIRONMENT = ".notebook-packages"


def run_pip(arguments: Sequence[str]) -> None:
    """What a `%pip` line runs (its arguments checked by `magics`): raises ReportedError when the command fails."""
    python, packages = _environment(Path.home() / _ENVIRONMENT)
    command = pip_command(python, list(arguments), shutil.which("uv"))
    returncode = subprocess.run(command, stdin=subprocess.DEVNULL, check=False).returncode
    importlib.invalidate_caches()  # the import system caches directory listings: new modules must be found
    site.addsitedir(str(packages))
    if returncode != 0:
        raise ReportedError(
            "PipError",
            f"`pip {shlex.join(arguments)}` failed with exit code {returncode}: its output above says why",
        )


def pip_command(python: Path, arguments: list[str], uv: str | None) -> list[str]:
    """The command running pip's `arguments` on the environment of `python`: uv's pip when there is uv (much faster),
    else the kernel's own pip."""
    if uv is not None:
        return [uv, "pip", arguments[0], "--python", str(python), *arguments[1:]]
    return [sys.executable, "-m", "pip", "--python", str(python), "--disable-pip-version-check", *arguments]


def _environment(directory: Path) -> tuple[Path, Path]:
    """The environment's interpreter and site-packages, made on first use."""
    packages = Path(sysconfig.get_path("purelib", vars={"base": str(directory), "platbase": str(directory)}))
    python = directory / "bin" / "python"
    if not python.exists():
        _KernelsOwn(with_pip=False, symlinks=True).create(directory)
        own_path = [entry for entry in sys.path if entry and Path(entry).is_dir()]
        (packages / "_kernel.pth").write_text("".join(f"{entry}\n" for entry in own_path))
    return python, packages


class _KernelsOwn(venv.EnvBuilder):
    """An environment of the very interpreter the kernel runs (`venv` would take the base one under the service's
    virtualenv): its `python` runs `sys.executable`, and finds its standard library where the kernel found its own."""

    def ensure_directories(self, env_dir: str | bytes | os.PathLike[str] | os.PathLike[bytes]) -> SimpleNamespace:
        context = super().ensure_directories(env_dir)
        context.executable = sys.executable
        context.python_dir = _home()
        return context


def _home() -> str:
    """The `home` of the kernel's interpreter: its virtualenv's, or its own directory."""
    config = Path(sys.prefix) / "pyvenv.cfg"
    if config.is_file():
        for line in config.read_text().splitlines():
            key, _, value = line.partition("=")
            if key.strip() == "home":
                return value.strip()
    return str(Path(sys.executable).parent)
