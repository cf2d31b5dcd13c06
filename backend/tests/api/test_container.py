"""The container image, without a Docker engine: its start command and health check run here as written in the
Dockerfile, and the runtime lock it installs pins exactly what the tested virtualenv holds."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import tomllib
from importlib import metadata
from pathlib import Path

import httpx

from app.__main__ import server_command

from ..ports import free_port
from .processes import BACKEND, ServerProcess, server_store

DOCKERFILE = BACKEND / "Dockerfile"
IMAGE_COMMAND = server_command("0.0.0.0", 8000)  # `python -m app` starts the server the same way


def instructions() -> list[tuple[str, str]]:
    text = re.sub(r"\\\n", " ", DOCKERFILE.read_text())
    lines = [line.strip() for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]
    return [(line.split(None, 1)[0].upper(), line.split(None, 1)[1]) for line in lines]


def only(name: str) -> str:
    (value,) = [argument for instruction, argument in instructions() if instruction == name]
    return value


def test_the_image_start_command_serves_and_passes_its_health_check(tmp_path: Path) -> None:
    command = json.loads(only("CMD"))
    assert command == IMAGE_COMMAND
    # As in the image (WORKDIR holds app/, uvicorn from PATH), but on loopback and a free port: this machine is shared.
    port = free_port()
    local = [*command]
    local[local.index("--host") + 1] = "127.0.0.1"
    local[local.index("--port") + 1] = str(port)
    health_check = json.loads(only("HEALTHCHECK").split(" CMD ", 1)[1])
    probe = [part.replace("127.0.0.1:8000/", f"127.0.0.1:{port}/") for part in health_check]
    assert probe != health_check, "the health check asks the port the server listens on"

    with server_store(tmp_path) as store:
        server = ServerProcess(local, {"NOTEBOOK_DIR": str(store)}, tmp_path / "server.log", port)
        try:
            assert subprocess.run(probe, env=server.env, capture_output=True, check=False, timeout=30).returncode == 0
        finally:
            server.kill()
    refused = subprocess.run(probe, env=server.env, capture_output=True, text=True, check=False, timeout=30)
    assert refused.returncode != 0, "a stopped server fails the health check"
    assert "Connection refused" in refused.stderr


def test_python_m_app_serves_on_the_configured_port(tmp_path: Path) -> None:
    port = free_port()
    with server_store(tmp_path) as store:  # as root the launcher runs the server as SERVER_UID
        env = {"PORT": str(port), "NOTEBOOK_DIR": str(store), "APP_VERSION": "abc123"}
        server = ServerProcess([sys.executable, "-m", "app"], env, tmp_path / "server.log", port)
        try:
            assert httpx.get(f"{server.url}/health").json() == {"status": "ok", "version": "abc123"}
        finally:
            server.stop()
    assert "Application shutdown complete" in server.log.read_text(), "SIGTERM shuts it down gracefully"


def test_the_image_runs_its_server_as_a_non_root_user_from_a_slim_python_3_11() -> None:
    assert only("FROM").startswith("python:3.11-slim")
    # Root only for the kernel launcher, which starts the server as --user (numeric, so the platform can check it).
    assert "USER" not in [instruction for instruction, _ in instructions()]
    command = json.loads(only("CMD"))
    assert command[:4] == ["python", "-m", "app.engine.kernel.launcher", "--user"]
    user, group = command[4].split(":")
    assert user.isdigit()
    assert group.isdigit()
    assert int(user) != 0
    assert int(group) != 0


def test_dependencies_install_from_the_runtime_lock_before_the_code_is_copied() -> None:
    copies = [argument for instruction, argument in instructions() if instruction == "COPY"]
    assert copies == ["requirements-runtime.lock ./", "app ./app"], "the dependency layer must not depend on the code"
    (install,) = [argument for instruction, argument in instructions() if instruction == "RUN" and "pip" in argument]
    assert "--require-hashes" in install
    assert "-r requirements-runtime.lock" in install
    ignored = (BACKEND / ".dockerignore").read_text().splitlines()
    assert {"*", "!requirements-runtime.lock", "!app"} <= set(ignored)


def pins(lock: Path) -> dict[str, tuple[str, frozenset[str]]]:
    """name -> (version, hashes) of a `uv pip compile --generate-hashes` lock."""
    found: dict[str, tuple[str, frozenset[str]]] = {}
    for block in re.split(r"\n(?=\S)", lock.read_text()):
        match = re.match(r"([A-Za-z0-9_.\-]+)(?:\[[^\]]*\])?==(\S+)", block)
        if match:
            name = re.sub(r"[-_.]+", "-", match[1]).lower()
            found[name] = (match[2], frozenset(re.findall(r"--hash=(sha256:[0-9a-f]{64})", block)))
    return found


def test_the_runtime_lock_is_the_dev_lock_without_dev_tools() -> None:
    runtime = pins(BACKEND / "requirements-runtime.lock")
    development = pins(BACKEND / "requirements.lock")
    assert all(hashes for _, hashes in runtime.values()), "every runtime pin carries its hashes"
    assert {name: pin for name, pin in runtime.items() if development.get(name) != pin} == {}, (
        "regenerate requirements-runtime.lock with the command at its top"
    )
    project = tomllib.loads((BACKEND / "pyproject.toml").read_text())["project"]
    wanted = {re.split(r"[\[=<>~!]", item)[0].lower().replace("_", "-") for item in project["dependencies"]}
    assert wanted <= set(runtime)
    assert not {"pytest", "ruff", "moto", "schemathesis"} & set(runtime), "test tools stay out of the image"
    installed = {name: metadata.version(name) for name in runtime}
    assert installed == {name: version for name, (version, _) in runtime.items()}, "the venv tests what ships"
