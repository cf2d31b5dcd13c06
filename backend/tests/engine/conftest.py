"""Fixtures for the engine tests: sessions on real kernel processes, and a throwaway PostgreSQL server."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable

import pytest_asyncio

from app.engine import Cell, Event, Notebook, NotebookSession, SessionConfig

# Generous: only reached when something hangs, so a broken engine fails the test instead of stalling the run.
SETTLE_TIMEOUT = 30.0

MakeSession = Callable[..., Awaitable[NotebookSession]]


async def settle(session: NotebookSession) -> None:
    await asyncio.wait_for(session.wait_idle(), SETTLE_TIMEOUT)


async def run(session: NotebookSession, *cell_ids: str) -> list[str]:
    planned = await session.run(cell_ids)
    await settle(session)
    return planned


async def next_event(events: AsyncIterator[Event], matches: Callable[[Event], bool]) -> Event:
    async def find() -> Event:
        async for event in events:
            if matches(event):
                return event
        raise AssertionError("the subscription ended before the expected event")

    return await asyncio.wait_for(find(), SETTLE_TIMEOUT)


@pytest_asyncio.fixture(loop_scope="module")
async def make_session() -> AsyncIterator[MakeSession]:
    """Builds started sessions and closes them (their kernels included) after the test."""
    sessions: list[NotebookSession] = []

    async def make(*cells: Cell, config: SessionConfig | None = None, connection_string: str = "") -> NotebookSession:
        session = NotebookSession(Notebook(list(cells), connection_string), config)
        sessions.append(session)
        await session.start()
        return session

    yield make
    for session in sessions:
        await session.close()
