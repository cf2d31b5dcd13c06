"""schemathesis against the app's own OpenAPI schema, through a real server: no input gives a server error, and every
response matches the schema. Half the generated cases aim at a notebook and cell that exist, to reach past the 404s."""

from __future__ import annotations

import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any, get_args

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from app.api.protocol import ServerMessage
from app.main import create_app

from .conftest import TOKEN, Server, make_settings

AUTH = {"Authorization": f"Bearer {TOKEN}"}
schema = schemathesis.openapi.from_dict(create_app(make_settings(Path("unused"))).openapi())


class Target:
    """A notebook with a cell, recreated whenever a generated case deleted it."""

    def __init__(self, url: str) -> None:
        self.api = httpx.Client(base_url=url, headers=AUTH)
        self.notebook_id = self.cell_id = ""

    def ids(self) -> dict[str, str]:
        view = self.api.get(f"/api/notebooks/{self.notebook_id}") if self.notebook_id else None
        cells = view.json()["cells"] if view is not None and view.status_code == 200 else None
        if cells is None:
            self.notebook_id = self.api.post("/api/notebooks").json()["notebook_id"]
        if not cells:
            self.cell_id = self.api.post(f"/api/notebooks/{self.notebook_id}/cells", json={}).json()["cell_id"]
        else:
            self.cell_id = cells[0]["id"]
        versions = self.api.get(f"/api/notebooks/{self.notebook_id}/versions", params={"limit": 1}).json()
        version_id = versions["versions"][0]["version_id"]
        return {"notebook_id": self.notebook_id, "cell_id": self.cell_id, "version_id": version_id}


@pytest.fixture(scope="module")
def target(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Server, Target]]:
    server = Server(create_app(make_settings(tmp_path_factory.mktemp("schemathesis"), access_token=TOKEN)))
    server.start()
    target = Target(server.url)
    yield server, target
    target.api.close()
    server.stop()


@schema.parametrize()
@settings(max_examples=30, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
def test_no_input_gives_a_server_error(case: Any, target: tuple[Server, Target]) -> None:
    server, existing = target
    parameters = case.path_parameters or {}
    if parameters and zlib.crc32(repr(sorted(parameters.items())).encode()) % 2:
        real = existing.ids()
        case.path_parameters = {name: real[name] for name in parameters}
    # An import's content is a file no schema describes: a schema-valid body can hold a broken one, refused with 422.
    # A table page names a table the kernel holds and its columns: schema-valid ones name none (410, 400).
    # A kernel size is any preset in the schema, but only those of the server's KERNEL_SIZES are taken (422).
    # Only a deleted notebook can be brought back: the existing one is refused (409).
    refusable = {
        "/api/notebooks/{notebook_id}/undelete",
        "/api/notebooks/import",
        "/api/notebooks/{notebook_id}/cells/{cell_id}/table",
        "/api/notebooks/{notebook_id}/kernel-size",
    }
    excluded = [positive_data_acceptance] if case.operation.path in refusable else []
    case.call_and_validate(base_url=server.url, headers=AUTH, excluded_checks=excluded)


def test_the_websocket_protocol_is_published_with_the_rest_bodies() -> None:
    schemas = schema.raw_schema["components"]["schemas"]
    for union, variants in [
        ("ServerMessage", {"snapshot": "SnapshotMessage", "cell_status": "CellStatusMessage", "error": "ErrorMessage"}),
        ("ClientMessage", {"run_cell": "RunCellMessage", "sync": "SyncMessage"}),
    ]:
        discriminator = schemas[union]["discriminator"]
        assert discriminator["propertyName"] == "type"
        for message_type, name in variants.items():
            assert discriminator["mapping"][message_type] == f"#/components/schemas/{name}"
            assert "type" in schemas[name]["required"]
        assert len(schemas[union]["oneOf"]) == len(discriminator["mapping"])
    assert len(schemas["ServerMessage"]["oneOf"]) == len(get_args(get_args(ServerMessage)[0]))
    assert schemas["SnapshotMessage"]["properties"]["notebook"] == {"$ref": "#/components/schemas/Notebook"}
    assert schemas["CellCreatedMessage"]["properties"]["cell"] == {"$ref": "#/components/schemas/Cell"}
    outputs = schemas["CellOutputMessage"]["properties"]["outputs"]["items"]
    assert outputs["discriminator"]["mapping"]["table"] == "#/components/schemas/TableOutput"
    assert schemas["Cell"]["properties"]["outputs"]["items"] == outputs
