"""A tiny wheel built in a test's directory: `%pip install` tests need a package without the network."""

from __future__ import annotations

import base64
import hashlib
import zipfile
from pathlib import Path

WHEEL_PACKAGE = "shipwheel"
WHEEL_VALUE = 4242


def build_wheel(directory: Path, version: str = "0.1") -> Path:
    """`shipwheel-<version>`, a pure-Python module with VALUE = WHEEL_VALUE, in `directory`."""
    directory.mkdir(parents=True, exist_ok=True)
    info = f"{WHEEL_PACKAGE}-{version}.dist-info"
    files = {
        f"{WHEEL_PACKAGE}/__init__.py": f"VALUE = {WHEEL_VALUE}\n",
        f"{info}/METADATA": f"Metadata-Version: 2.1\nName: {WHEEL_PACKAGE}\nVersion: {version}\n",
        f"{info}/WHEEL": "Wheel-Version: 1.0\nGenerator: tests\nRoot-Is-Purelib: true\nTag: py3-none-any\n",
    }
    record = [f"{name},sha256={_digest(text)},{len(text.encode())}" for name, text in files.items()]
    files[f"{info}/RECORD"] = "\n".join([*record, f"{info}/RECORD,,"]) + "\n"
    path = directory / f"{WHEEL_PACKAGE}-{version}-py3-none-any.whl"
    with zipfile.ZipFile(path, "w") as wheel:
        for name, text in files.items():
            wheel.writestr(name, text)
    return path


def _digest(text: str) -> str:
    return base64.urlsafe_b64encode(hashlib.sha256(text.encode()).digest()).rstrip(b"=").decode()
