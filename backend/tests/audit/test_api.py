"""The REST API's changes in the audit log, and GET /api/audit."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import replace
from pathlib import Path

import httpx
import pytest
import pytest_asyncio
from fastapi import FastAPI, Request, Response
from starlette.types import ASGIApp, Receive, Scope, Send

from app.api.routes import audit as audit_route
from app.audit import AuditEvent, AuditLog, AuditUnavailable, RecordChanges
from app.audit.memory import RecentEvents
from app.core.config import Settings
from app.core.principal import LOCAL
from app.main import create_app

from .conftest import ADA

pytestmark = pytest.mark.asyncio
SECRET = "postgresql://ada:hunter2@db.example.com/sales"


@pytest_asyncio.fixture
async def api(tmp_path: Path) -> AsyncIterator[httpx.AsyncClient]:
    settings = Settings(notebook_dir=tmp_path / "notebooks", notebook_bucket=None, audit_log_file=tmp_path / "audit")
    app = create_app(settings)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://localhost") as client:
            yield client


async def audit_actions(api: httpx.AsyncClient, **query: str) -> list[tuple[str, str | None, dict[str, object]]]:
    response = await api.get("/api/audit", params=query)
    assert response.status_code == 200, response.text
    return [(event["action"], event["notebook_id"], event["detail"]) for event in response.json()["events"]]


async def test_changes_are_recorded_with_their_route_and_path_but_never_their_body(
    api: httpx.AsyncClient, tmp_path: Path
) -> None:
    created = await api.post("/api/notebooks", json={"name": "Sales"})
    notebook_id = created.json()["notebook_id"]
    base = f"/api/notebooks/{notebook_id}"
    assert (await api.put(f"{base}/name", json={"name": "Sales 2026"})).status_code == 200
    cell_id = (await api.post(f"{base}/cells", json={"type": "python", "code": "x = 1"})).json()["cell_id"]
    assert (await api.put(f"{base}/cells/{cell_id}", json={"code": "x = 2"})).status_code == 200
    assert (await api.put(f"{base}/db", json={"connection_string": SECRET})).status_code == 200
    assert (await api.delete(f"{base}/cells/{cell_id}")).status_code == 204
    # Reads and refused changes are not recorded.
    assert (await api.get(base)).status_code == 200
    assert (await api.put(f"{base}/name", json={"name": " "})).status_code == 422
    assert (await api.delete(f"{base}/cells/nope")).status_code == 404
    assert (await api.put("/api/notebooks/nope/name", json={"name": "x"})).status_code == 404
    assert (await api.delete(base)).status_code == 204

    assert await audit_actions(api) == [
        ("delete_notebook", notebook_id, {}),
        ("delete_cell", notebook_id, {"cell_id": cell_id}),
        ("set_db_connection", notebook_id, {}),
        ("update_cell", notebook_id, {"cell_id": cell_id}),
        ("create_cell", notebook_id, {}),
        ("rename_notebook", notebook_id, {}),
        ("create_notebook", notebook_id, {}),  # the id it made, from the answer
    ]
    events = (await api.get("/api/audit", params={"limit": 1})).json()["events"]
    assert events[0]["actor"] == {"id": LOCAL.id, "name": LOCAL.name}
    text = (tmp_path / "audit").read_text()
    assert "hunter2" not in text
    assert "Sales" not in text
    assert "x = 2" not in text


async def test_the_log_is_read_a_page_at_a_time_and_by_notebook(api: httpx.AsyncClient) -> None:
    first = (await api.post("/api/notebooks", json={"name": "A"})).json()["notebook_id"]
    second = (await api.post("/api/notebooks", json={"name": "B"})).json()["notebook_id"]
    for name in ("A1", "A2", "A3"):
        await api.put(f"/api/notebooks/{first}/name", json={"name": name})
    await api.put(f"/api/notebooks/{second}/name", json={"name": "B1"})
    page = (await api.get("/api/audit", params={"notebook_id": first, "limit": 3})).json()
    assert [event["action"] for event in page["events"]] == ["rename_notebook"] * 3
    rest = (
        await api.get("/api/audit", params={"notebook_id": first, "limit": 3, "before": page["next_cursor"]})
    ).json()
    assert [event["action"] for event in rest["events"]] == ["create_notebook"]
    assert rest["next_cursor"] is None
    for bad in ({"limit": "0"}, {"limit": "501"}, {"before": "not a cursor"}):
        assert (await api.get("/api/audit", params=bad)).status_code == 422


def principal_from_header(app: ASGIApp) -> Callable[[Scope, Receive, Send], Awaitable[None]]:
    """Stands for app.core.security.Authenticate: `X-User: ada` is Ada, an admin unless `X-Admin: no`."""

    async def identify(scope: Scope, receive: Receive, send: Send) -> None:
        headers = dict(scope["headers"])
        admin = headers.get(b"x-admin") != b"no"
        principal = replace(ADA, admin=admin) if headers.get(b"x-user") == b"ada" else LOCAL
        scope.setdefault("state", {})["principal"] = principal
        await app(scope, receive, send)

    return identify


@pytest_asyncio.fixture
async def small() -> AsyncIterator[tuple[httpx.AsyncClient, RecentEvents]]:
    """A few routes behind the audit middleware, with callers told apart by a header."""
    app = FastAPI()
    memory = RecentEvents()
    app.state.audit = AuditLog([memory])
    app.include_router(audit_route.router, prefix="/api")

    @app.put("/api/notebooks/{notebook_id}/cells/{cell_id}")
    async def update_cell(notebook_id: str, cell_id: str, request: Request) -> dict[str, str]:
        await request.body()
        return {"cell_id": cell_id}

    @app.post("/api/auth/logout", status_code=204)
    async def logout() -> Response:
        return Response(status_code=204)

    app.add_middleware(RecordChanges)
    transport = httpx.ASGITransport(app=principal_from_header(app))
    async with httpx.AsyncClient(transport=transport, base_url="http://localhost") as client:
        yield client, memory
    app.state.audit.close()


async def test_the_caller_is_the_actor_and_sign_in_routes_are_left_to_themselves(
    small: tuple[httpx.AsyncClient, RecentEvents],
) -> None:
    client, memory = small
    await client.put("/api/notebooks/nb1/cells/c1", headers={"X-User": "ada", "X-Admin": "no"}, content=b"{}")
    await client.post("/api/auth/logout", headers={"X-User": "ada"})
    answer = (await client.get("/api/audit", headers={"X-User": "ada"})).json()
    assert [(event["actor"], event["action"], event["notebook_id"], event["detail"]) for event in answer["events"]] == [
        ({"id": ADA.id, "name": ADA.name}, "update_cell", "nb1", {"cell_id": "c1"})
    ]
    assert answer["next_cursor"] is None
    assert len(memory.read(None, 10, None)[0]) == 1


async def test_only_admins_read_the_log(small: tuple[httpx.AsyncClient, RecentEvents]) -> None:
    client, _ = small
    refused = await client.get("/api/audit", headers={"X-User": "ada", "X-Admin": "no"})
    assert refused.status_code == 403
    assert refused.json()["detail"].startswith("the audit log is for an admin")
    for query in ({}, {"notebook_id": "nb1"}):
        assert (await client.get("/api/audit", params=query, headers={"X-User": "ada"})).status_code == 200


async def test_a_storage_that_does_not_answer_is_a_503() -> None:
    class Unreachable(RecentEvents):
        def read(self, notebook_id: str | None, limit: int, before: str | None) -> tuple[list[AuditEvent], str | None]:
            raise AuditUnavailable("CloudWatch Logs group /audit: timed out")

    app = FastAPI()
    app.state.audit = AuditLog([Unreachable()])
    app.include_router(audit_route.router, prefix="/api")
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://localhost") as client:
        answer = await client.get("/api/audit")
    app.state.audit.close()
    assert answer.status_code == 503
    assert answer.json() == {"detail": "CloudWatch Logs group /audit: timed out"}


@pytest.mark.parametrize(("admin_users", "status"), [([], 403), (["service"], 200)])
async def test_the_access_token_reads_the_log_only_when_made_an_admin(
    tmp_path: Path, admin_users: list[str], status: int
) -> None:
    settings = Settings(
        notebook_dir=tmp_path / "notebooks",
        notebook_bucket=None,
        oidc_issuer="https://idp.example.com",
        oidc_client_id="notebook",
        oidc_client_secret="client-secret",
        session_secret="s" * 32,
        public_url="http://localhost",
        access_token="automation-token",
        admin_users=admin_users,
    )
    app = create_app(settings)
    headers = {"Authorization": "Bearer automation-token"}
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="http://localhost", headers=headers
        ) as client,
    ):
        notebook_id = (await client.post("/api/notebooks", json={"name": "Sales"})).json()["notebook_id"]
        answer = await client.get("/api/audit")
        assert answer.status_code == status, answer.text
        # Its own notebook's events it reads either way: it owns that notebook; not those of one it does not own.
        own = await client.get("/api/audit", params={"notebook_id": notebook_id})
        assert own.status_code == 200, own.text
        assert [event["action"] for event in own.json()["events"]] == ["create_notebook"]
        demo = next(item.id for item in app.state.notebooks.notebooks() if item.access.owner is None)
        other = await client.get("/api/audit", params={"notebook_id": demo})
        assert other.status_code == status
        if status == 403:
            assert other.json()["detail"] == "the audit log is for an admin or the notebook's owner only"
        if status == 200:
            [event] = answer.json()["events"]
            assert (event["actor"], event["action"], event["notebook_id"]) == (
                {"id": "service", "name": "Access token"},
                "create_notebook",
                notebook_id,
            )
