"""Presence: who has the notebook open and which cells they edit, told to everyone connected on every change."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
import pytest_asyncio

from .conftest import TIMEOUT, Server, Socket, open_socket
from .identity_provider import IdentityProvider, browser_headers, running_provider, serving, sign_in

pytestmark = pytest.mark.asyncio

ALICE, BOB = "alice@example.com", "bob@example.com"


@pytest.fixture(scope="module")
def provider() -> Iterator[IdentityProvider]:
    with running_provider() as provider:
        yield provider


@dataclass
class Room:
    """Alice's notebook of two cells, shared with Bob as a viewer; tabs open on it as either of them."""

    server: Server
    notebook_id: str
    cell_ids: list[str]
    clients: dict[str, httpx.AsyncClient]
    tabs: list[Socket] = field(default_factory=list)

    async def open(self, person: str) -> Socket:
        socket = await open_socket(
            self.server, self.notebook_id, additional_headers=browser_headers(self.clients[person], self.server)
        )
        self.tabs.append(socket)
        await socket.expect("snapshot")
        return socket


@pytest_asyncio.fixture
async def room(tmp_path: Path, provider: IdentityProvider) -> AsyncIterator[Room]:
    with serving(provider.settings(tmp_path / "notebooks")) as server:
        clients = {person: httpx.AsyncClient(base_url=server.url, timeout=TIMEOUT) for person in ("alice", "bob")}
        try:
            csrf = {"X-CSRF-Token": await sign_in(clients["alice"], provider, "alice")}
            await sign_in(clients["bob"], provider, "bob")
            alice = clients["alice"]
            notebook_id = (await alice.post("/api/notebooks", json={"name": "t"}, headers=csrf)).json()["notebook_id"]
            cells = f"/api/notebooks/{notebook_id}/cells"
            cell_ids = [
                (await alice.post(cells, json={"code": code}, headers=csrf)).json()["cell_id"]
                for code in ("a = 1", "b = 2")
            ]
            shares = {"shares": [{"kind": "user", "name": BOB, "role": "viewer"}]}
            assert (
                await alice.put(f"/api/notebooks/{notebook_id}/access", json=shares, headers=csrf)
            ).status_code == 200
            room = Room(server, notebook_id, cell_ids, clients)
            yield room
            for tab in room.tabs:
                await tab.connection.close()
        finally:
            for client in clients.values():
                await client.aclose()


async def people_become(socket: Socket, expected: list[dict[str, Any]]) -> None:
    """Reads `presence` messages until one lists exactly these people (each message tells everyone, in the order
    they came)."""
    while (await socket.expect("presence"))["people"] != expected:
        pass


def person(email: str, *cell_ids: str) -> dict[str, Any]:
    return {"id": email, "name": email.split("@")[0].capitalize(), "cell_ids": list(cell_ids)}


async def test_everyone_connected_sees_everyone(room: Room) -> None:
    alice = await room.open("alice")
    await people_become(alice, [person(ALICE)])
    bob = await room.open("bob")
    await people_become(bob, [person(ALICE), person(BOB)])
    await people_become(alice, [person(ALICE), person(BOB)])


async def test_the_cell_someone_edits_is_told_to_all(room: Room) -> None:
    alice, bob = await room.open("alice"), await room.open("bob")
    first, second = room.cell_ids
    await bob.send({"type": "presence", "cell_id": first})
    await people_become(alice, [person(ALICE), person(BOB, first)])
    await people_become(bob, [person(ALICE), person(BOB, first)])

    await bob.send({"type": "presence", "cell_id": second})
    await people_become(alice, [person(ALICE), person(BOB, second)])
    await bob.send({"type": "presence", "cell_id": None})
    await people_become(alice, [person(ALICE), person(BOB)])


async def test_a_cell_that_does_not_exist_is_refused(room: Room) -> None:
    alice, bob = await room.open("alice"), await room.open("bob")
    await bob.send({"type": "presence", "cell_id": "nope"})
    error = await bob.expect("error")
    assert error["message"] == "no cell with id 'nope' in this notebook"
    assert error["cell_id"] == "nope"

    await bob.send({"type": "presence", "cell_id": room.cell_ids[0]})  # the next change shows no trace of it
    await people_become(alice, [person(ALICE), person(BOB, room.cell_ids[0])])
    assert all("nope" not in entry["cell_ids"] for message in alice.of_type("presence") for entry in message["people"])


async def test_leaving_takes_the_person_off(room: Room) -> None:
    alice, bob = await room.open("alice"), await room.open("bob")
    await bob.send({"type": "presence", "cell_id": room.cell_ids[0]})
    await people_become(alice, [person(ALICE), person(BOB, room.cell_ids[0])])
    await bob.connection.close()
    await people_become(alice, [person(ALICE)])


async def test_two_tabs_of_one_person_are_one_entry(room: Room) -> None:
    first_tab, second_tab = await room.open("alice"), await room.open("alice")
    bob = await room.open("bob")
    await people_become(bob, [person(ALICE), person(BOB)])
    first, second = room.cell_ids
    await first_tab.send({"type": "presence", "cell_id": first})
    await second_tab.send({"type": "presence", "cell_id": second})
    await people_become(bob, [person(ALICE, first, second), person(BOB)])

    await first_tab.connection.close()  # one tab closed: she is still here, in the other's cell
    await people_become(bob, [person(ALICE, second), person(BOB)])
    await second_tab.connection.close()
    await people_become(bob, [person(BOB)])
