"""The app under test: in-process through httpx (REST), or served by a real uvicorn on a loopback port."""

from __future__ import annotations

import asyncio
import json
import threading
import time
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import pytest_asyncio
import uvicorn
from fastapi import FastAPI
from websockets.asyncio.client import ClientConnection, connect

from app.api.protocol import server_message
from app.core.config import Settings
from app.main import create_app

from ..ports import free_port

# Generous: only reached when something hangs, so a broken server fails the test instead of stalling the run.
TIMEOUT = 30.0
TOKEN = "s3cret-token"


def make_settings(directory: Path, **overrides: Any) -> Settings:
    return Settings(**({"notebook_dir": directory, "notebook_bucket": None, "app_version": "test-sha"} | overrides))


@pytest_asyncio.fixture
async def app(tmp_path: Path) -> AsyncIterator[FastAPI]:
    """The app in this process, started (which creates the demo notebook in an empty directory)."""
    app = create_app(make_settings(tmp_path / "notebooks"))
    async with app.router.lifespan_context(app):
        yield app


@pytest_asyncio.fixture
async def api(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    async with client_of(app) as client:
        yield client


def client_of(app: FastAPI, **options: Any) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://localhost", **options)


class Server:
    """uvicorn serving the app on 127.0.0.1 in a thread with its own event loop, as in production."""

    def __init__(self, app: FastAPI, log_level: str = "warning") -> None:
        self.app = app
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.ws_url = f"ws://127.0.0.1:{self.port}"
        config = uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level=log_level, lifespan="on")
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(target=self._server.run, name=f"uvicorn-{self.port}", daemon=True)

    def start(self) -> None:
        self._thread.start()
        while not self._server.started:
            if not self._thread.is_alive():
                raise RuntimeError("uvicorn stopped while starting; see the log above")
            time.sleep(0.02)

    def stop(self) -> None:
        self._server.should_exit = True
        self._thread.join(TIMEOUT)


@pytest.fixture
def serve(tmp_path: Path) -> Iterator[Callable[..., Server]]:
    """Starts servers with the given settings overrides; stops them after the test."""
    servers: list[Server] = []

    def start(**overrides: Any) -> Server:
        server = Server(create_app(make_settings(tmp_path / f"notebooks-{len(servers)}", **overrides)))
        servers.append(server)
        server.start()
        return server

    yield start
    for server in servers:
        server.stop()


class Socket:
    """A WebSocket client that keeps every message it received, for assertions on what came and in which order.

    Every message must be a `ServerMessage` that serializes back to what was received: the published protocol is the
    one on the wire."""

    def __init__(self, connection: ClientConnection) -> None:
        self.connection = connection
        self.received: list[dict[str, Any]] = []

    async def send(self, message: dict[str, Any] | str | bytes) -> None:
        await self.connection.send(message if isinstance(message, str | bytes) else json.dumps(message))

    async def expect(self, message_type: str, **fields: Any) -> dict[str, Any]:
        """The next message of that type whose fields have those values (others are kept in `received`)."""

        async def find() -> dict[str, Any]:
            while True:
                text = await self.connection.recv()
                message = json.loads(text)
                assert json.loads(server_message.dump_json(server_message.validate_json(text))) == message
                self.received.append(message)
                if message["type"] == message_type and all(message.get(k) == v for k, v in fields.items()):
                    return message

        return await asyncio.wait_for(find(), TIMEOUT)

    def of_type(self, message_type: str, **fields: Any) -> list[dict[str, Any]]:
        return [
            message
            for message in self.received
            if message["type"] == message_type and all(message.get(k) == v for k, v in fields.items())
        ]


async def open_socket(server: Server, notebook_id: str, **options: Any) -> Socket:
    query = options.pop("query", "")
    connection = await connect(
        f"{server.ws_url}/api/ws/notebooks/{notebook_id}{query}", open_timeout=TIMEOUT, **options
    )
    return Socket(connection)
