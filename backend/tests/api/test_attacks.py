"""Attacks on the API: bodies built to crash the server, stall it or make it echo them, a rebound Host (DNS
rebinding), a token fished out of the logs, a redirect to another host. Each test fails when its attack works."""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest
from fastapi import FastAPI
from pydantic import ValidationError
from websockets.asyncio.client import connect
from websockets.exceptions import InvalidStatus

from app.core.limits import MAX_JSON_DEPTH, MAX_JSON_VALUES
from app.core.problems import MAX_PROBLEMS
from app.main import create_app

from .conftest import TIMEOUT, TOKEN, Server, client_of, make_settings, open_socket
from .test_rest import new_cell, new_notebook
from .test_websocket import create

pytestmark = pytest.mark.asyncio

Serve = Callable[..., Server]
JSON = {"content-type": "application/json"}
AUTH = {"Authorization": f"Bearer {TOKEN}"}
NON_FINITE = ["NaN", "Infinity", "-Infinity", "1e400"]
MARKER = "echo-marker-7f3a"
REBOUND = "rebound.example"


def body_fields(schema: dict[str, Any], schemas: dict[str, Any]) -> set[str]:
    if "$ref" in schema:
        return body_fields(schemas[schema["$ref"].rsplit("/", 1)[-1]], schemas)
    options = schema.get("anyOf", []) + schema.get("oneOf", []) + schema.get("allOf", [])
    return set(schema.get("properties", {})).union(*(body_fields(option, schemas) for option in options))


def json_body_operations(app: FastAPI) -> list[tuple[str, str, list[str]]]:
    """(method, path, body fields) of every operation taking a JSON body, read from the OpenAPI document, so that
    a new route is attacked as soon as it exists."""
    document = app.openapi()
    schemas = document["components"]["schemas"]
    found = []
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            content = operation.get("requestBody", {}).get("content", {})
            if "application/json" in content:
                fields = sorted(body_fields(content["application/json"]["schema"], schemas))
                found.append((method, path, fields))
    return found


OPERATIONS = json_body_operations(create_app(make_settings(Path("unused"))))


async def test_the_attacks_reach_every_json_route() -> None:
    assert {(method, path) for method, path, _ in OPERATIONS} >= {
        ("post", "/api/notebooks"),
        ("put", "/api/notebooks/{notebook_id}/name"),
        ("put", "/api/notebooks/{notebook_id}/db"),
        ("post", "/api/notebooks/{notebook_id}/cells"),
        ("put", "/api/notebooks/{notebook_id}/cells/{cell_id}"),
        ("post", "/api/notebooks/{notebook_id}/cells/{cell_id}/move"),
    }
    assert all(fields for _, _, fields in OPERATIONS), "each body's fields are attacked one by one"


async def concrete(api: httpx.AsyncClient, path: str) -> str:
    """The path with real ids, so that each attack reaches its route's validation."""
    notebook_id = await new_notebook(api)
    return path.format(notebook_id=notebook_id, cell_id=await new_cell(api, notebook_id))


def problems_of(response: httpx.Response) -> list[dict[str, Any]]:
    assert response.status_code == 422, response.text
    problems: list[dict[str, Any]] = response.json()["detail"]
    assert all(set(problem) == {"type", "loc", "msg"} for problem in problems), "no input, no ctx"
    return problems


@pytest.mark.parametrize(("method", "path", "fields"), OPERATIONS, ids=[f"{m} {p}" for m, p, _ in OPERATIONS])
async def test_non_finite_numbers_are_422_naming_the_field(
    api: httpx.AsyncClient, method: str, path: str, fields: list[str]
) -> None:
    url = await concrete(api, path)
    for literal in NON_FINITE:
        for field in fields:
            for body, loc in (
                (f'{{"{field}": {literal}}}', ["body", field]),
                (f'{{"{field}": [1, {{"deep": {literal}}}]}}', ["body", field, 1, "deep"]),
            ):
                response = await api.request(method, url, content=body, headers=JSON)
                assert problems_of(response) == [
                    {"type": "finite_number", "loc": loc, "msg": "Input should be a finite number"}
                ], body
        bare = await api.request(method, url, content=literal, headers=JSON)
        assert [problem["loc"] for problem in problems_of(bare)] == [["body"]]


@pytest.mark.parametrize(("method", "path", "fields"), OPERATIONS, ids=[f"{m} {p}" for m, p, _ in OPERATIONS])
async def test_validation_errors_never_echo_the_body(
    api: httpx.AsyncClient, method: str, path: str, fields: list[str]
) -> None:
    url = await concrete(api, path)
    for field in fields:
        response = await api.request(method, url, json={field: {"value": MARKER}, "unknown": MARKER})
        assert ["body", field] in [problem["loc"] for problem in problems_of(response)]
        assert MARKER not in response.text


async def test_validation_errors_are_few_and_short(api: httpx.AsyncClient) -> None:
    many = await api.post("/api/notebooks", json={f"k{index}": MARKER for index in range(MAX_JSON_VALUES // 2)})
    assert len(problems_of(many)) == MAX_PROBLEMS
    assert MARKER not in many.text
    many_nans = await api.post("/api/notebooks", content="[" + ",".join(["NaN"] * 500) + "]", headers=JSON)
    assert len(problems_of(many_nans)) == MAX_PROBLEMS
    long_key = await api.post("/api/notebooks", json={"k" * 1_000_000: 1})
    assert problems_of(long_key)[0]["type"] == "extra_forbidden"
    assert len(long_key.content) < 1_000


@pytest.mark.parametrize(
    ("body", "problem_type"),
    [
        (b"[" * (MAX_JSON_DEPTH + 1) + b"]" * (MAX_JSON_DEPTH + 1), "json_too_deep"),
        (b"[" * 100_000 + b"]" * 100_000, "json_too_deep"),  # past Python's recursion limit
        (json.dumps([0] * MAX_JSON_VALUES).encode(), "json_too_large"),
        (b'{"name": ' + b"9" * 5_000 + b"}", "json_invalid"),  # more digits than Python converts to an int
        (b'{"name": "\xff"}', "json_invalid"),
        (b'{"name": ', "json_invalid"),
    ],
    ids=["deep", "deeper than recursion", "many values", "huge int", "not UTF-8", "truncated"],
)
async def test_bodies_json_cannot_hold_are_422(api: httpx.AsyncClient, body: bytes, problem_type: str) -> None:
    response = await api.post("/api/notebooks", content=body, headers=JSON)
    assert [problem["type"] for problem in problems_of(response)] == [problem_type]


@pytest.mark.parametrize(
    "content_type", ["application/json; charset=utf-8", "Application/JSON", "application/merge-patch+json", None]
)
async def test_every_body_fastapi_decodes_as_json_is_checked(api: httpx.AsyncClient, content_type: str | None) -> None:
    headers = {"content-type": content_type} if content_type else {}
    response = await api.post("/api/notebooks", content=b'{"name": NaN}', headers=headers)
    assert [problem["type"] for problem in problems_of(response)] == ["finite_number"]


async def test_a_body_of_many_keys_is_refused_small_while_health_answers(serve: Serve) -> None:
    server = serve()
    body = ("{" + ",".join(f'"k{index}":0' for index in range(500_001)) + "}").encode()
    async with httpx.AsyncClient(base_url=server.url, timeout=TIMEOUT) as api:
        attack = asyncio.create_task(api.post("/api/notebooks", content=body, headers=JSON))
        waits: list[float] = []
        while not attack.done():
            started = time.monotonic()
            assert (await api.get("/health")).status_code == 200
            waits.append(time.monotonic() - started)
        response = await attack
    assert waits, "/health was asked while the body was handled"
    assert max(waits) < 1.0, f"/health waited {max(waits):.2f} s: the event loop was blocked"
    assert problems_of(response) == [
        {"type": "json_too_large", "loc": ["body"], "msg": f"more than {MAX_JSON_VALUES} JSON values"}
    ]
    assert len(response.content) < 1_000


async def test_without_the_token_the_body_is_never_read(tmp_path: Path) -> None:
    app = create_app(make_settings(tmp_path, access_token=TOKEN))
    read = False

    async def body() -> AsyncIterator[bytes]:
        nonlocal read
        read = True
        yield b'{"name": NaN}'

    async with app.router.lifespan_context(app), client_of(app) as api:
        refused = await api.post("/api/notebooks", content=body(), headers=JSON)
        oversized = await api.post("/api/notebooks", headers={**JSON, "content-length": str(2**40)})
    assert refused.status_code == 401
    assert not read
    assert oversized.status_code == 401, "the token is checked before the body's size"


@pytest.mark.parametrize("token", [None, TOKEN], ids=["no token", "token"])
async def test_a_rebound_host_is_refused_but_health_answers_any(tmp_path: Path, token: str | None) -> None:
    app = create_app(make_settings(tmp_path, access_token=token))
    async with app.router.lifespan_context(app), client_of(app, headers=AUTH) as api:
        for path in ("/api/notebooks", "/openapi.json", "/docs"):
            for host in (REBOUND, f"{REBOUND}:8000", "localhost.rebound.example", "127.0.0.1.rebound.example"):
                refused = await api.get(path, headers={"Host": host})
                assert refused.status_code == 400, (path, host)
                assert "ALLOWED_HOSTS" in refused.json()["detail"]
        for host in ("localhost", "LOCALHOST:8000", "127.0.0.1:8080", "[::1]:8000"):
            assert (await api.get("/api/notebooks", headers={"Host": host})).status_code == 200, host
        for host in (REBOUND, "10.0.1.23:8000"):  # the load balancer's health checker uses the task's IP
            assert (await api.get("/health", headers={"Host": host})).status_code == 200


async def test_allowed_hosts_replace_the_loopback_names(tmp_path: Path) -> None:
    app = create_app(make_settings(tmp_path, allowed_hosts="notebook.example.com, internal-alb.example"))
    async with app.router.lifespan_context(app), client_of(app) as api:
        for host, expected in (("notebook.example.com", 200), ("internal-alb.example:80", 200), ("localhost", 400)):
            assert (await api.get("/api/notebooks", headers={"Host": host})).status_code == expected, host
    with pytest.raises(ValidationError, match=r"not URLs: https://notebook\.example\.com"):
        make_settings(tmp_path, allowed_hosts="https://notebook.example.com")


@pytest.mark.parametrize("token", [None, TOKEN], ids=["no token", "token"])
async def test_a_rebound_host_cannot_open_the_websocket(serve: Serve, token: str | None) -> None:
    server = serve(access_token=token)
    notebook_id, _ = await create(server, headers=AUTH)
    options: dict[str, Any] = {"subprotocols": ["notebook", f"bearer.{TOKEN}"]}
    rebound = f"{REBOUND}:{server.port}"
    with pytest.raises(InvalidStatus) as refusal:
        # A page of the rebound name: same origin as far as Origin and Host tell.
        await connect(
            f"ws://{rebound}/api/ws/notebooks/{notebook_id}",
            host="127.0.0.1",
            port=server.port,
            origin=f"http://{rebound}",  # type: ignore[arg-type]
            open_timeout=TIMEOUT,
            **options,
        )
    assert refusal.value.response.status_code == 400
    assert b"ALLOWED_HOSTS" in refusal.value.response.body
    trusted = await open_socket(server, notebook_id, origin=f"http://127.0.0.1:{server.port}", **options)
    await trusted.expect("snapshot")


async def test_websocket_errors_never_echo_the_frame(serve: Serve) -> None:
    server = serve()
    notebook_id, _ = await create(server)
    socket = await open_socket(server, notebook_id)
    await socket.send('{"type": "run_cell", "cell_id": NaN}')
    assert (await socket.expect("error"))["details"][0]["loc"][-1] == "cell_id"
    many_keys = {"type": "sync"} | {f"k{index}": MARKER for index in range(2_000)}
    await socket.send(many_keys)
    error = await socket.expect("error")
    assert len(error["details"]) == MAX_PROBLEMS
    assert MARKER not in json.dumps(error)


class Collected(logging.Handler):
    def __init__(self) -> None:
        super().__init__()
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(record.getMessage())


@contextmanager
def uvicorn_log() -> Iterator[Collected]:
    """What uvicorn logs about requests, as its own handlers write it (after the loggers' filters). Attached once the
    server's configuration is made: making it replaces the loggers' handlers."""
    collected = Collected()
    loggers = [logging.getLogger(name) for name in ("uvicorn.access", "uvicorn.error")]
    for logger in loggers:
        logger.addHandler(collected)
    try:
        yield collected
    finally:
        for logger in loggers:
            logger.removeHandler(collected)


async def test_the_token_never_reaches_the_log(tmp_path: Path) -> None:
    server = Server(create_app(make_settings(tmp_path, access_token=TOKEN)), log_level="info")
    with uvicorn_log() as collected:
        server.start()
        try:
            notebook_id, _ = await create(server, headers=AUTH)
            async with httpx.AsyncClient(base_url=server.url, headers=AUTH, timeout=TIMEOUT) as api:
                assert (await api.get(f"/api/notebooks?token={TOKEN}")).status_code == 200
                assert (await api.get(f"/api/notebooks?a=1&%74oken={TOKEN}")).status_code == 200
            socket = await open_socket(server, notebook_id, query=f"?token={TOKEN}")
            await socket.expect("snapshot")
            await socket.connection.close()
            with pytest.raises(InvalidStatus):
                await open_socket(server, "nope", query=f"?token={TOKEN}")
        finally:
            server.stop()
    log = "\n".join(collected.lines)
    assert '"GET /api/notebooks?token=[redacted] HTTP/1.1" 200' in log
    assert '"GET /api/notebooks?a=1&%74oken=[redacted] HTTP/1.1" 200' in log
    assert f'"WebSocket /api/ws/notebooks/{notebook_id}?token=[redacted]" [accepted]' in log
    assert '"WebSocket /api/ws/notebooks/nope?token=[redacted]" 404' in log
    assert TOKEN not in log


async def test_a_trailing_slash_redirect_never_points_to_an_untrusted_host(api: httpx.AsyncClient) -> None:
    rebound = await api.get("/api/notebooks/", headers={"Host": REBOUND})
    assert rebound.status_code == 400
    assert "location" not in rebound.headers
    trusted = await api.get("/api/notebooks/")
    assert trusted.status_code in (307, 308)
    assert urlsplit(trusted.headers["location"]).hostname in (None, "localhost")
