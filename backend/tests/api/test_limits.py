"""The limits the OpenAPI schema states, those docs/API.md's limits table states, and what the server does, compared so
they cannot drift apart: for every constrained field of every request body, a value just inside the schema's limit is
accepted and one just outside gets 422."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import httpx
import pytest

from app.main import create_app

from .conftest import Server, make_settings, open_socket
from .test_rest import new_cell, new_notebook

DOCS = Path(__file__).resolve().parents[3] / "docs" / "API.md"
OPENAPI = create_app(make_settings(Path("unused"))).openapi()
SCHEMAS: dict[str, Any] = OPENAPI["components"]["schemas"]


def documented_limits() -> dict[str, int]:
    """docs/API.md's limits table: what → the first number of its limit."""
    table = DOCS.read_text().split("## Limits", 1)[1]
    limits = {}
    for what, limit in re.findall(r"^\| ([^|]+?) \| ([\d,]+) [^|]*\|", table, re.MULTILINE):
        limits[what] = int(limit.replace(",", ""))
    return limits


def resolve(schema: dict[str, Any]) -> dict[str, Any]:
    if "$ref" in schema:
        return SCHEMAS[schema["$ref"].rsplit("/", 1)[1]]
    if "anyOf" in schema:  # T | None: the constraints are T's
        return resolve(next(branch for branch in schema["anyOf"] if branch.get("type") != "null"))
    return schema


def inside(schema: dict[str, Any]) -> Any:
    """A value the schema accepts, for the fields a body requires."""
    schema = resolve(schema)
    if "enum" in schema:
        return schema["enum"][0]
    return int(schema.get("minimum", 0)) if schema["type"] == "integer" else "a"


def conforms(schema: dict[str, Any], value: Any) -> bool:
    """Whether the value meets the schema's limits (those the constrained fields of this API use)."""
    if isinstance(value, int):
        return value >= schema.get("minimum", value)
    return (
        schema.get("minLength", 0) <= len(value) <= schema.get("maxLength", len(value))
        and re.search(schema.get("pattern", ""), value) is not None
    )


def candidates(schema: dict[str, Any]) -> list[Any]:
    """Values at and just past each limit, bare and padded with whitespace: a server that trimmed before checking, or
    refused what the schema allows, answers one of them differently from the schema."""
    if schema["type"] == "integer":
        return [int(schema["minimum"]) - 1, int(schema["minimum"])]
    longest = schema.get("maxLength", 3)
    return ["", " ", "a", " a ", " " * longest, "a" * longest, " " + "a" * longest, "a" * (longest + 1)]


def constrained_fields() -> list[tuple[str, str, str, Any, bool]]:
    """(method, path, field, value, accepted by the schema) for every constrained field of every request body."""
    cases = []
    for path, operations in OPENAPI["paths"].items():
        for method, operation in operations.items():
            if "requestBody" not in operation:
                continue
            body = resolve(operation["requestBody"]["content"]["application/json"]["schema"])
            for field, schema in body["properties"].items():
                schema = resolve(schema)
                if {"minLength", "maxLength", "pattern", "minimum", "maximum"} & schema.keys():
                    assert "maximum" not in schema, "candidates() knows no maximum yet"
                    cases += [(method, path, field, value, conforms(schema, value)) for value in candidates(schema)]
    return cases


CASES = constrained_fields()


def short(part: Any) -> str:
    text = repr(part)
    return text if len(text) <= 50 else f"{text[:6]}...({len(part)} characters)"


def test_every_constrained_field_is_covered() -> None:
    covered = {(path, field) for _, path, field, _, _ in CASES}
    assert {
        ("/api/notebooks", "name"),
        ("/api/notebooks/{notebook_id}/name", "name"),
        ("/api/notebooks/{notebook_id}/db", "connection_string"),
        ("/api/notebooks/{notebook_id}/cells", "output_name"),
        ("/api/notebooks/{notebook_id}/cells/{cell_id}", "output_name"),
        ("/api/notebooks/{notebook_id}/cells/{cell_id}", "revision"),
        ("/api/notebooks/{notebook_id}/cells/{cell_id}/move", "index"),
    } <= covered


@pytest.mark.asyncio
@pytest.mark.parametrize(("method", "path", "field", "value", "accepted"), CASES, ids=short)
async def test_the_server_enforces_the_schema(
    api: httpx.AsyncClient, method: str, path: str, field: str, value: Any, accepted: bool
) -> None:
    notebook_id = await new_notebook(api)
    cell_id = await new_cell(api, notebook_id)
    body_schema = resolve(OPENAPI["paths"][path][method]["requestBody"]["content"]["application/json"]["schema"])
    body = {name: inside(body_schema["properties"][name]) for name in body_schema.get("required", [])}
    if path == "/api/notebooks/import":  # a file the format can read, so that only the field under test can fail
        body["content"] = '{"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": []}'
    url = path.format(notebook_id=notebook_id, cell_id=cell_id)
    response = await api.request(method, url, json=body | {field: value})
    if accepted:
        assert response.status_code != 422, response.text  # 409 (a revision of another cell state) is no refusal
    else:
        assert response.status_code == 422, response.text
        assert response.json()["detail"][0]["loc"] == ["body", field]


def test_the_documented_limits_are_the_schemas() -> None:
    limits = documented_limits()
    for schema, field in [("NotebookCreate", "name"), ("NotebookRename", "name")]:
        assert SCHEMAS[schema]["properties"][field]["maxLength"] == limits["notebook name, SQL output name"]
    for schema in ["CellCreate", "CellUpdate"]:
        assert (
            resolve(SCHEMAS[schema]["properties"]["output_name"])["maxLength"]
            == limits["notebook name, SQL output name"]
        )
    assert SCHEMAS["DbConnection"]["properties"]["connection_string"]["maxLength"] == limits["connection string"]


@pytest.mark.asyncio
async def test_names_and_connection_strings_are_stored_trimmed(api: httpx.AsyncClient) -> None:
    notebook_id = await new_notebook(api, "  Sales  ")
    assert (await api.get(f"/api/notebooks/{notebook_id}")).json()["name"] == "Sales"
    renamed = await api.put(f"/api/notebooks/{notebook_id}/name", json={"name": " " + "b" * 199})
    assert renamed.json()["name"] == "b" * 199
    cleared = await api.put(f"/api/notebooks/{notebook_id}/db", json={"connection_string": "   "})
    assert cleared.json() == {"db_connection_set": False}


@pytest.mark.asyncio
async def test_a_websocket_frame_at_the_documented_limit_is_read_and_one_past_it_refused(serve: Any) -> None:
    limit = documented_limits()["a WebSocket frame from the client"]
    server: Server = serve()
    async with httpx.AsyncClient(base_url=server.url) as api:
        notebook_id = await new_notebook(api)
    socket = await open_socket(server, notebook_id)
    await socket.expect("snapshot")
    sync = '{"type": "sync"}'
    await socket.send(sync.ljust(limit))  # JSON allows the trailing whitespace
    await socket.expect("snapshot")
    await socket.send(sync.ljust(limit + 1))
    assert f"at most {limit} are accepted" in (await socket.expect("error"))["message"]
    await socket.connection.close()
