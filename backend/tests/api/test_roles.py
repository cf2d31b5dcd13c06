"""Roles on notebooks, route by route and message by message. The routes come from the app itself and the WebSocket
messages from the protocol's union, so a new one is tested (or fails for lacking a need) without editing this file.

Alice owns the notebook; Bob is a viewer (shared with him); Carol an editor (shared with her group `data-team`); Dave a
stranger; Erin an admin (group `admins`)."""

from __future__ import annotations

import asyncio
import typing
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
import pytest_asyncio
from fastapi import FastAPI, routing
from fastapi.dependencies.models import Dependant
from websockets.exceptions import ConnectionClosed, InvalidStatus

from app.api.deps import NotebookRole
from app.api.protocol import ClientMessage, client_message
from app.main import create_app
from app.services.access import Role
from app.services.errors import NotebookNotFound

from .conftest import TIMEOUT, Socket, client_of, make_settings, open_socket
from .identity_provider import IdentityProvider, browser_headers, running_provider, serving, sign_in

pytestmark = pytest.mark.asyncio

PEOPLE = ("alice", "bob", "carol", "dave", "erin")
ROLES: dict[str, Role | None] = {
    "alice": Role.OWNER,
    "bob": Role.VIEWER,
    "carol": Role.EDITOR,
    "dave": None,
    "erin": Role.OWNER,
}
SHARES = [
    {"kind": "user", "name": "bob@example.com", "role": "viewer"},
    {"kind": "group", "name": "data-team", "role": "editor"},
]
# Routes that name a notebook yet authorize in the service: a deleted notebook is not live, so no dependency can
# look up its access.
AUTHORIZED_IN_THE_SERVICE = {"undelete"}
# Enough for the allowed calls to do what they say; a route not listed gets none (then a 422 is fine: the need was
# met before the request was validated).
BODIES: dict[str, Any] = {
    "rename_notebook": {"name": "Renamed"},
    "set_db_connection": {"connection_string": ""},
    "set_access": {"shares": SHARES},
    "create_cell": {"code": "y = 2"},
    "update_cell": {"code": "x = 3"},
    "move_cell": {"index": 0},
    "set_kernel_size": {"kernel_size": "small"},
}
ARTICLES = {Role.VIEWER: "a", Role.EDITOR: "an"}
QUERIES: dict[str, dict[str, str]] = {"export_notebook": {"format": "py"}}


def roles_of(dependant: Dependant) -> Iterator[NotebookRole]:
    for dependency in dependant.dependencies:
        if isinstance(dependency.call, NotebookRole):
            yield dependency.call
        yield from roles_of(dependency)


@dataclass(frozen=True)
class NotebookRoute:
    name: str
    method: str
    path: str
    needs: tuple[Role, ...]  # of each NotebookRole dependency


def notebook_routes() -> list[NotebookRoute]:
    """Every REST route whose path names a notebook, however deep the routers that include it."""
    app = create_app(make_settings(Path("unused")))  # never started: only its routes are read
    return [
        NotebookRoute(route.name, method, route.path, tuple(role.needed for role in roles_of(route.dependant)))
        for route in routing.iter_route_contexts(app.routes)
        if isinstance(route.original_route, routing.APIRoute)
        and route.path.startswith("/api/")
        and "{notebook_id}" in route.path
        for method in sorted(route.methods or ())
    ]


ROUTES = notebook_routes()
CHECKED = [route for route in ROUTES if route.name not in AUTHORIZED_IN_THE_SERVICE]


def route_id(route: NotebookRoute) -> str:
    return f"{route.method} {route.path}"


def test_every_notebook_route_names_the_role_it_needs() -> None:
    assert len(ROUTES) > 10
    lacking = [route_id(route) for route in CHECKED if not route.needs]
    assert lacking == [], "notebook routes without a NotebookRole dependency (app.api.deps.needs)"
    assert {route.name for route in ROUTES} >= AUTHORIZED_IN_THE_SERVICE  # the exception is still a route


def test_the_routes_need_the_roles_the_contract_gives() -> None:
    needs = {route.name: max(route.needs) for route in CHECKED}
    assert needs["get_notebook"] == needs["list_versions"] == needs["export_notebook"] == Role.VIEWER
    assert needs["update_cell"] == needs["rename_notebook"] == needs["restore_version"] == Role.EDITOR
    assert needs["set_db_connection"] == needs["set_kernel_size"] == needs["stop_kernel"] == Role.EDITOR
    assert needs["set_access"] == needs["delete_notebook"] == Role.OWNER


@pytest.fixture(scope="module")
def provider() -> Iterator[IdentityProvider]:
    with running_provider() as provider:
        yield provider


@dataclass
class World:
    """Alice's notebook, shared; each person signs in (a client of their own) when first asked for."""

    app: FastAPI
    provider: IdentityProvider
    notebook_id: str = ""
    cell_id: str = ""
    clients: dict[str, tuple[httpx.AsyncClient, str]] = field(default_factory=dict)  # with the CSRF token

    async def client(self, person: str) -> httpx.AsyncClient:
        if person not in self.clients:
            client = client_of(self.app)
            self.clients[person] = client, await sign_in(client, self.provider, person)
        return self.clients[person][0]

    async def get(self, person: str, url: str) -> httpx.Response:
        return await (await self.client(person)).get(url)

    async def call(self, person: str, method: str, url: str, **options: Any) -> httpx.Response:
        client = await self.client(person)
        return await client.request(method, url, headers={"X-CSRF-Token": self.clients[person][1]}, **options)

    async def make(self, person: str, name: str) -> str:
        made = await self.call(person, "POST", "/api/notebooks", json={"name": name})
        assert made.status_code == 201, made.text
        notebook_id: str = made.json()["notebook_id"]
        return notebook_id

    async def share(self, person: str, notebook_id: str, shares: list[dict[str, str]]) -> httpx.Response:
        return await self.call(person, "PUT", f"/api/notebooks/{notebook_id}/access", json={"shares": shares})

    async def listed(self, person: str, url: str = "/api/notebooks", key: str = "notebooks") -> list[str]:
        answer = await self.get(person, url)
        assert answer.status_code == 200, answer.text
        return sorted(item.get("id") or item["notebook_id"] for item in answer.json()[key])


@pytest_asyncio.fixture
async def world(tmp_path: Path, provider: IdentityProvider) -> AsyncIterator[World]:
    app = create_app(provider.settings(tmp_path / "notebooks"))
    async with app.router.lifespan_context(app):
        world = World(app, provider)
        try:
            world.notebook_id = await world.make("alice", "Shared")
            cells = f"/api/notebooks/{world.notebook_id}/cells"
            world.cell_id = (await world.call("alice", "POST", cells, json={"code": "x = 1"})).json()["cell_id"]
            assert (await world.share("alice", world.notebook_id, SHARES)).status_code == 200
            yield world
        finally:
            for client, _ in world.clients.values():
                await client.aclose()


async def route_url(world: World, route: NotebookRoute) -> str:
    fillers = {"notebook_id": world.notebook_id, "cell_id": world.cell_id}
    if "{version_id}" in route.path:
        versions = await world.get("alice", f"/api/notebooks/{world.notebook_id}/versions")
        fillers["version_id"] = versions.json()["versions"][-1]["version_id"]
    return route.path.format_map(fillers)


@pytest.mark.parametrize("person", PEOPLE)
@pytest.mark.parametrize("route", CHECKED, ids=route_id)
async def test_each_route_refuses_exactly_those_whose_role_is_too_low(
    world: World, route: NotebookRoute, person: str
) -> None:
    needed = max(route.needs)
    url = await route_url(world, route)
    method = route.method
    body = {"json": BODIES[route.name]} if route.name in BODIES else {}
    answer = await world.call(person, method, url, params=QUERIES.get(route.name), **body)
    role = ROLES[person]
    if role is None:
        assert answer.status_code == 404, answer.text
        assert answer.json()["detail"] == str(NotebookNotFound(world.notebook_id))  # nothing about what it is
    elif role < needed:
        assert answer.status_code == 403, answer.text
        assert answer.json()["detail"].startswith(f"you are {ARTICLES[role]} {role.label} of this notebook; ")
        assert needed.label in answer.json()["detail"]
    else:
        assert answer.status_code not in (401, 403), answer.text
        if answer.status_code == 404:
            assert answer.json()["detail"] != str(NotebookNotFound(world.notebook_id))


async def test_lists_show_each_person_their_notebooks_with_their_role(world: World) -> None:
    daves = await world.make("dave", "Dave's")
    mine = {world.notebook_id}
    assert await world.listed("alice") == sorted(mine)
    assert await world.listed("bob") == sorted(mine)
    assert await world.listed("carol") == sorted(mine)
    assert await world.listed("dave") == [daves]
    everything = await world.listed("erin")
    assert {world.notebook_id, daves} < set(everything)  # and the demo notebook, which nobody owns
    roles = {
        person: {
            item["id"]: (item["role"], item["owner"])
            for item in (await world.get(person, "/api/notebooks")).json()["notebooks"]
        }
        for person in PEOPLE
    }
    assert roles["bob"][world.notebook_id] == ("viewer", "alice@example.com")
    assert roles["carol"][world.notebook_id] == ("editor", "alice@example.com")
    assert roles["erin"][daves] == ("owner", "dave@example.com")
    assert (await world.get("bob", f"/api/notebooks/{world.notebook_id}")).json()["role"] == "viewer"


async def test_notebooks_made_before_sign_in_are_for_admins_only(world: World) -> None:
    [demo] = set(await world.listed("erin")) - {world.notebook_id}
    for person in ("alice", "bob", "carol", "dave"):
        assert demo not in await world.listed(person)
        assert (await world.get(person, f"/api/notebooks/{demo}")).status_code == 404
    seen = (await world.get("erin", f"/api/notebooks/{demo}")).json()
    assert (seen["role"], seen["owner"]) == ("owner", None)

    assert (
        await world.share("erin", demo, [{"kind": "user", "name": "dave@example.com", "role": "viewer"}])
    ).status_code == 200
    assert demo in await world.listed("dave")


async def test_running_kernels_are_listed_to_those_who_may_read_their_notebook(world: World) -> None:
    service = world.app.state.notebooks
    await service.get(world.notebook_id).session.start()
    assert world.notebook_id in {kernel.notebook_id for kernel in service.kernels()}
    for person, role in ROLES.items():
        listed = await world.listed(person, "/api/kernels", "kernels")
        assert listed == ([world.notebook_id] if role is not None else []), person


async def test_deleted_notebooks_are_listed_to_their_owners_and_admins(world: World) -> None:
    daves = await world.make("dave", "Dave's")
    for person, notebook_id in (("alice", world.notebook_id), ("dave", daves)):
        assert (await world.call(person, "DELETE", f"/api/notebooks/{notebook_id}")).status_code == 204
    deleted = "/api/notebooks/deleted"
    assert await world.listed("alice", deleted) == [world.notebook_id]
    assert await world.listed("dave", deleted) == [daves]
    assert await world.listed("bob", deleted) == []
    assert await world.listed("carol", deleted) == []
    assert set(await world.listed("erin", deleted)) == {world.notebook_id, daves}

    undelete = f"/api/notebooks/{world.notebook_id}/undelete"
    assert (await world.call("dave", "POST", undelete)).status_code == 404
    assert (await world.call("bob", "POST", undelete)).status_code == 403
    assert (await world.call("carol", "POST", undelete)).status_code == 403
    back = await world.call("alice", "POST", undelete)
    assert back.status_code == 200, back.text
    assert await world.listed("bob") == [world.notebook_id]  # the shares came back with it


async def test_only_the_owner_or_an_admin_shares(world: World) -> None:
    access = f"/api/notebooks/{world.notebook_id}/access"
    expected = {"owner": "alice@example.com", "shares": SHARES}
    assert (await world.get("bob", access)).json() == expected
    refused = await world.share(
        "carol", world.notebook_id, [*SHARES, {"kind": "user", "name": "dave@example.com", "role": "editor"}]
    )
    assert refused.status_code == 403
    assert "only its owner or an admin" in refused.json()["detail"]
    assert (await world.get("alice", access)).json() == expected

    by_admin = await world.share(
        "erin", world.notebook_id, [*SHARES, {"kind": "user", "name": "DAVE@example.com", "role": "viewer"}]
    )
    assert by_admin.status_code == 200
    assert by_admin.json()["owner"] == "alice@example.com"  # sharing never changes the owner
    assert (await world.get("dave", f"/api/notebooks/{world.notebook_id}")).json()["role"] == "viewer"


async def test_removing_a_share_hides_the_notebook_at_once(world: World) -> None:
    url = f"/api/notebooks/{world.notebook_id}"
    assert (await world.get("bob", url)).status_code == 200
    assert (await world.share("alice", world.notebook_id, SHARES[1:])).status_code == 200
    assert (await world.get("bob", url)).status_code == 404
    assert world.notebook_id not in await world.listed("bob")
    assert (await world.get("carol", url)).status_code == 200


# -- the WebSocket -------------------------------------------------------------------------------------------------

MESSAGES = typing.get_args(typing.get_args(ClientMessage)[0])
FILLERS = {"request_id": 1, "code": "x", "cursor": 0}


def sample(message_class: type[Any], cell_id: str) -> dict[str, Any]:
    """A valid message of that class: its type, and fillers for its other fields."""
    fields = message_class.model_fields
    message = {"type": typing.get_args(fields["type"].annotation)[0]}
    message |= {name: cell_id if name == "cell_id" else FILLERS[name] for name in fields if name != "type"}
    client_message.validate_python(message)
    return message


def test_viewers_may_send_only_what_reads() -> None:
    refused = {typing.get_args(cls.model_fields["type"].annotation)[0] for cls in MESSAGES if cls.needs > Role.VIEWER}
    assert refused == {"run_cell", "run_all", "interrupt", "restart_kernel", "complete", "inspect"}


async def until_present(socket: Socket, person: str, cell_ids: list[str]) -> None:
    """Reads `presence` messages until one shows the person in those cells."""
    while True:
        people = {entry["id"]: entry["cell_ids"] for entry in (await socket.expect("presence"))["people"]}
        if people.get(person) == cell_ids:
            return


@dataclass
class Served:
    notebook_id: str
    cell_id: str
    sockets: dict[str, Socket]
    share: Callable[[list[dict[str, str]]], Awaitable[int]]  # as Alice: the status
    stranger: Callable[[], Awaitable[Socket]]  # Dave opens the notebook


@pytest_asyncio.fixture
async def served(tmp_path: Path, provider: IdentityProvider) -> AsyncIterator[Served]:
    with serving(provider.settings(tmp_path / "notebooks")) as server:
        async with (
            httpx.AsyncClient(base_url=server.url, timeout=TIMEOUT) as alice,
            httpx.AsyncClient(base_url=server.url, timeout=TIMEOUT) as bob,
            httpx.AsyncClient(base_url=server.url, timeout=TIMEOUT) as carol,
            httpx.AsyncClient(base_url=server.url, timeout=TIMEOUT) as dave,
        ):
            csrf = {"X-CSRF-Token": await sign_in(alice, provider, "alice")}
            await sign_in(bob, provider, "bob")
            await sign_in(carol, provider, "carol")
            await sign_in(dave, provider, "dave")
            notebook_id = (await alice.post("/api/notebooks", json={"name": "t"}, headers=csrf)).json()["notebook_id"]
            cells = f"/api/notebooks/{notebook_id}/cells"
            cell_id = (await alice.post(cells, json={"code": "print('ran')"}, headers=csrf)).json()["cell_id"]

            async def share(shares: list[dict[str, str]]) -> int:
                access = f"/api/notebooks/{notebook_id}/access"
                return (await alice.put(access, json={"shares": shares}, headers=csrf)).status_code

            assert await share(SHARES) == 200
            sockets = {
                person: await open_socket(server, notebook_id, additional_headers=browser_headers(client, server))
                for person, client in (("bob", bob), ("carol", carol))
            }

            async def stranger() -> Socket:
                return await open_socket(server, notebook_id, additional_headers=browser_headers(dave, server))

            try:
                yield Served(notebook_id, cell_id, sockets, share, stranger)
            finally:
                for socket in sockets.values():
                    await socket.connection.close()


async def test_a_viewer_is_refused_every_message_that_runs_and_nothing_runs(served: Served) -> None:
    bob = served.sockets["bob"]
    await bob.expect("snapshot")
    for message_class in MESSAGES:
        message = sample(message_class, served.cell_id)
        await bob.send(message)
        if message_class.needs > Role.VIEWER:
            error = await bob.expect("error")
            assert "viewer" in error["message"], message
            if "cell_id" in message:
                assert error["cell_id"] == served.cell_id
        elif message["type"] == "sync":
            await bob.expect("snapshot")
        elif message["type"] == "presence":
            await until_present(bob, "bob@example.com", [served.cell_id])
        else:
            pytest.fail(f"no expectation for a viewer's {message['type']}")
    await bob.send({"type": "sync"})
    snapshot = await bob.expect("snapshot")
    [cell] = snapshot["notebook"]["cells"]
    assert cell["outputs"] == []
    assert cell["stdout"] == ""
    assert bob.of_type("cell_status") == bob.of_type("completions") == bob.of_type("inspection") == []


async def test_an_editor_runs_cells(served: Served) -> None:
    carol = served.sockets["carol"]
    await carol.send({"type": "run_cell", "cell_id": served.cell_id})
    await carol.expect("cell_status", cell_id=served.cell_id, status="success")
    assert carol.of_type("error") == []


async def test_removing_a_viewers_share_closes_his_socket(served: Served) -> None:
    bob = served.sockets["bob"]
    await bob.expect("snapshot")
    assert await served.share(SHARES[1:]) == 200
    with pytest.raises(ConnectionClosed) as closed:
        await asyncio.wait_for(bob.expect("never"), TIMEOUT)
    assert closed.value.rcvd is not None
    assert closed.value.rcvd.code == 4403
    carol = served.sockets["carol"]
    await carol.send({"type": "sync"})
    await carol.expect("snapshot")  # the others stay


async def test_a_stranger_cannot_open_the_socket(served: Served) -> None:
    with pytest.raises(InvalidStatus) as refused:
        await served.stranger()
    assert refused.value.response.status_code == 404
    assert served.notebook_id in refused.value.response.body.decode()
