"""Create backend/.venv from the pinned lock, only when it is missing or the lock changed.

Stdlib only: it runs before any virtualenv exists. A stamp (hash of the Python version and the lock files) is
written last, so an interrupted install is redone on the next run instead of leaving a half-built venv in use.
"""

from __future__ import annotations

import argparse
import hashlib
import shutil
import subprocess
import sys
import venv
from pathlib import Path

STAMP = ".bootstrap-stamp"


class BootstrapError(RuntimeError):
    """The virtualenv could not be built; the message says what to fix."""


def stamp_for(lock_files: list[Path], python_version: str) -> str:
    digest = hashlib.sha256(python_version.encode())
    for lock in lock_files:
        digest.update(lock.name.encode())
        digest.update(lock.read_bytes())
    return digest.hexdigest()


def venv_python(venv_dir: Path) -> Path:
    return venv_dir / "bin" / "python"


def is_current(venv_dir: Path, stamp: str) -> bool:
    marker = venv_dir / STAMP
    return venv_python(venv_dir).exists() and marker.exists() and marker.read_text().strip() == stamp


def bootstrap(venv_dir: Path, lock_files: list[Path], python_version: str = sys.version) -> bool:
    """Returns True when the venv was (re)built, False when it was already current."""
    missing = [str(lock) for lock in lock_files if not lock.exists()]
    if missing:
        raise BootstrapError(f"lock file not found: {', '.join(missing)}")
    stamp = stamp_for(lock_files, python_version)
    if is_current(venv_dir, stamp):
        return False
    # Rebuild from scratch: upgrading in place would keep packages the new lock dropped.
    shutil.rmtree(venv_dir, ignore_errors=True)
    venv.EnvBuilder(with_pip=True, clear=True).create(venv_dir)
    command = [str(venv_python(venv_dir)), "-m", "pip", "install", "--disable-pip-version-check", "--quiet"]
    for lock in lock_files:
        command += ["--require-hashes", "-r", str(lock)] if _has_hashes(lock) else ["-r", str(lock)]
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise BootstrapError(
            f"pip could not install {', '.join(lock.name for lock in lock_files)} into {venv_dir}:\n"
            f"{result.stderr.strip() or result.stdout.strip()}"
        )
    (venv_dir / STAMP).write_text(stamp + "\n")
    return True


def _has_hashes(lock: Path) -> bool:
    return "--hash=" in lock.read_text()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--venv", type=Path, default=Path("backend/.venv"))
    parser.add_argument("--lock", type=Path, action="append", default=None)
    args = parser.parse_args(argv)
    locks = args.lock or [Path("backend/requirements.lock")]
    try:
        built = bootstrap(args.venv, locks)
    except BootstrapError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    print(f"{args.venv}: {'created from ' + ', '.join(map(str, locks)) if built else 'up to date'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
