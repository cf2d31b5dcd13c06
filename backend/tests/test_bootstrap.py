"""The virtualenv bootstrap that `npm test` and `npm start` rely on: built once, rebuilt only when the lock changes."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "bootstrap_venv.py"
spec = importlib.util.spec_from_file_location("bootstrap_venv", SCRIPT)
assert spec
assert spec.loader
bootstrap_venv = importlib.util.module_from_spec(spec)
sys.modules["bootstrap_venv"] = bootstrap_venv
spec.loader.exec_module(bootstrap_venv)


@pytest.fixture
def lock(tmp_path: Path) -> Path:
    path = tmp_path / "requirements.lock"
    path.write_text("# nothing to install: the test needs no network\n")
    return path


def test_stamp_changes_with_lock_content_and_python(lock: Path) -> None:
    first = bootstrap_venv.stamp_for([lock], "3.11.7")
    assert bootstrap_venv.stamp_for([lock], "3.11.7") == first
    assert bootstrap_venv.stamp_for([lock], "3.12.0") != first
    lock.write_text("# changed\n")
    assert bootstrap_venv.stamp_for([lock], "3.11.7") != first


def test_builds_once_then_reuses_until_the_lock_changes(tmp_path: Path, lock: Path) -> None:
    venv_dir = tmp_path / "venv"
    assert bootstrap_venv.bootstrap(venv_dir, [lock]) is True
    assert bootstrap_venv.venv_python(venv_dir).exists()
    marker = venv_dir / "left-by-old-build"
    marker.write_text("x")

    assert bootstrap_venv.bootstrap(venv_dir, [lock]) is False
    assert marker.exists(), "an up-to-date venv must be left alone"

    lock.write_text("# a new pin\n")
    assert bootstrap_venv.bootstrap(venv_dir, [lock]) is True
    assert not marker.exists(), "a changed lock rebuilds the venv from scratch"


def test_failed_install_reports_pip_error_and_is_retried(tmp_path: Path, lock: Path) -> None:
    venv_dir = tmp_path / "venv"
    lock.write_text(f"{tmp_path / 'no-such-package'}\n")
    with pytest.raises(bootstrap_venv.BootstrapError, match=r"pip could not install requirements\.lock"):
        bootstrap_venv.bootstrap(venv_dir, [lock])
    assert not (venv_dir / bootstrap_venv.STAMP).exists()

    lock.write_text("# fixed\n")
    assert bootstrap_venv.bootstrap(venv_dir, [lock]) is True


def test_missing_lock_is_named(tmp_path: Path) -> None:
    with pytest.raises(bootstrap_venv.BootstrapError, match=r"lock file not found: .*missing\.lock"):
        bootstrap_venv.bootstrap(tmp_path / "venv", [tmp_path / "missing.lock"])


def test_command_line_reports_state(tmp_path: Path, lock: Path, capsys: pytest.CaptureFixture[str]) -> None:
    venv_dir = tmp_path / "venv"
    assert bootstrap_venv.main(["--venv", str(venv_dir), "--lock", str(lock)]) == 0
    assert bootstrap_venv.main(["--venv", str(venv_dir), "--lock", str(lock)]) == 0
    assert capsys.readouterr().out.splitlines()[-1].endswith("up to date")
    assert bootstrap_venv.main(["--venv", str(venv_dir), "--lock", str(tmp_path / "gone.lock")]) == 1
    assert "lock file not found" in capsys.readouterr().err


def test_the_repository_lock_is_hash_pinned() -> None:
    text = (Path(__file__).resolve().parents[1] / "requirements.lock").read_text()
    pins = [line for line in text.splitlines() if line and not line.startswith((" ", "#"))]
    assert pins, "requirements.lock lists no packages"
    assert all("==" in pin for pin in pins), [pin for pin in pins if "==" not in pin]
    assert "--hash=sha256:" in text
