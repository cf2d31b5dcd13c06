"""Nothing acknowledged is lost: write through the API, kill -9 the server, start it again, read it all back.
With files (NOTEBOOK_DIR) and with S3 (NOTEBOOK_BUCKET, through moto)."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import boto3
import httpx
import pytest

from ..ports import free_port
from .processes import ServerProcess

StartServer = Callable[[], ServerProcess]


@pytest.fixture
def start_server(tmp_path: Path) -> Iterator[Callable[[dict[str, str]], StartServer]]:
    started: list[ServerProcess] = []

    def configure(env: dict[str, str]) -> StartServer:
        def start() -> ServerProcess:
            port = free_port()
            command = [sys.executable, "-m", "uvicorn", "app.main:app", "--host", "127.0.0.1", "--port", str(port)]
            server = ServerProcess(command, env, tmp_path / "server.log", port)
            started.append(server)
            return server

        return start

    yield configure
    for server in started:
        server.kill()


def write_everything(api: httpx.Client) -> dict[str, Any]:
    """Many kinds of change, each acknowledged; returns what must be there afterwards."""

    def ok(response: httpx.Response) -> dict[str, Any]:
        assert response.is_success, response.text
        return response.json() if response.content else {}

    (demo,) = ok(api.get("/api/notebooks"))["notebooks"]
    notebook_id = ok(api.post("/api/notebooks", json={"name": "Draft"}))["notebook_id"]
    cells = f"/api/notebooks/{notebook_id}/cells"
    first = ok(api.post(cells, json={"type": "python", "code": "x = 1"}))["cell_id"]
    query = ok(api.post(cells, json={"type": "sql", "code": "select {x}", "output_name": "result"}))["cell_id"]
    gone = ok(api.post(cells, json={"type": "python", "code": "print(x)"}))["cell_id"]
    last = ok(api.post(cells, json={"type": "python", "code": "x + 1", "after_cell_id": first}))["cell_id"]
    ok(api.put(f"{cells}/{first}", json={"code": "x = 42"}))
    ok(api.post(f"{cells}/{query}/move", json={"index": 0}))
    ok(api.delete(f"{cells}/{gone}"))
    ok(api.put(f"/api/notebooks/{notebook_id}/db", json={"connection_string": "postgresql://u:p@db/x"}))
    ok(api.put(f"/api/notebooks/{notebook_id}/name", json={"name": "Durable"}))
    ok(api.delete(f"/api/notebooks/{demo['id']}"))
    second = ok(api.post("/api/notebooks", json={"name": "Second"}))["notebook_id"]
    return {
        notebook_id: {
            "name": "Durable",
            "db_connection_set": True,
            "cells": [
                (query, "sql", "select {x}", "result"),
                (first, "python", "x = 42", None),
                (last, "python", "x + 1", None),
            ],
        },
        second: {"name": "Second", "db_connection_set": False, "cells": []},
    }


def read_everything(api: httpx.Client) -> dict[str, Any]:
    found = {}
    for item in api.get("/api/notebooks").json()["notebooks"]:
        view = api.get(f"/api/notebooks/{item['id']}").json()
        found[item["id"]] = {
            "name": view["name"],
            "db_connection_set": view["db_connection_set"],
            "cells": [(c["id"], c["type"], c["code"], c["output_name"]) for c in view["cells"]],
        }
    return found


def kill_and_restart(start: StartServer) -> None:
    server = start()
    with httpx.Client(base_url=server.url, timeout=30) as api:
        expected = write_everything(api)
    server.kill()

    restarted = start()
    with httpx.Client(base_url=restarted.url, timeout=30) as api:
        assert read_everything(api) == expected, "the demo is not created again: the storage was not empty"


def test_files_survive_kill_9(tmp_path: Path, start_server: Callable[[dict[str, str]], StartServer]) -> None:
    directory = tmp_path / "notebooks"
    kill_and_restart(start_server({"NOTEBOOK_DIR": str(directory)}))
    left = sorted(path.suffix for path in directory.iterdir() if path.is_file())
    assert left == [".json", ".json"], "no temporary file is left"


def test_s3_survives_kill_9(moto_endpoint: str, start_server: Callable[[dict[str, str]], StartServer]) -> None:
    boto3.client("s3").create_bucket(Bucket="notebooks")
    env = {
        "NOTEBOOK_BUCKET": "notebooks",
        "NOTEBOOK_PREFIX": "team/",
        "AWS_ENDPOINT_URL": moto_endpoint,
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": "us-east-1",
    }
    kill_and_restart(start_server(env))
    keys = [item["Key"] for item in boto3.client("s3").list_objects_v2(Bucket="notebooks")["Contents"]]
    assert len(keys) == 2
    assert all(key.startswith("team/") and key.endswith(".json") for key in keys)
