"""Benchmark of one cell edit in a 10,000-cell notebook (`npm run bench -- notebook-edit`).

The edit is what PUT /api/notebooks/{id}/cells/{cell_id} does: the service's update (a copy of the notebook, the
save to a file store in a temporary directory, the engine's graph update and events) and the cell view it answers
with. Its anchor, measured in the same run, is one JSON round trip of the same notebook's stored document
(serialize and parse): a save must serialize the whole notebook anyway, so an edit costing a small multiple of it
does no work beyond linear. The longest stall of the event loop during the edits is printed too: that is how long
a /health request could wait behind an edit. So is the engine's share (NotebookSession.update_cell alone), both for an
edit that keeps every cell's names (the graph is reused) and for one that rewires an edge (the graph is updated),
and the engine's share of adding, moving and deleting a cell.
"""

from __future__ import annotations

import asyncio
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from functools import partial
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "backend"))

from app.api.views import cell_in_view
from app.engine import Cell, Notebook, NotebookSession, SessionConfig
from app.services.convert import StoredCells, to_document
from app.services.notebooks import NotebookService
from app.storage import NotebookDocument
from app.storage.files import FileStore

CELLS = 10_000
REPEATS = 9
TARGET_MS = 100.0


def cells(count: int) -> list[Cell]:
    """Short dependency chains: every tenth cell starts one, the others read the cell before."""
    return [
        Cell(
            f"c{index}",
            code=f"v{index} = v{index - 1} + 1" if index % 10 else f"v{index} = {index}",
        )
        for index in range(count)
    ]


async def edit_ms(count: int, rewire: bool = False) -> tuple[list[float], float]:
    """Timings of REPEATS edits of the middle cell, and the longest event-loop stall seen meanwhile; `rewire`: each
    edit changes which cell the edited one reads (see `code`)."""
    with tempfile.TemporaryDirectory() as directory:
        service = NotebookService(FileStore(Path(directory)), SessionConfig())
        live = await service.create("bench", Notebook(cells(count)))
        middle = middle_of(count)
        target = f"c{middle}"
        stall = 0.0
        stop = asyncio.Event()

        async def watch_loop() -> None:
            nonlocal stall
            while not stop.is_set():
                before = time.perf_counter()
                await asyncio.sleep(0)
                stall = max(stall, time.perf_counter() - before)

        watcher = asyncio.create_task(watch_loop())
        timings = []
        for repeat in range(REPEATS):
            started = time.perf_counter()
            await service.update_cell(live.id, target, code=code(middle, repeat, rewire))
            cell_in_view(live, target)
            timings.append((time.perf_counter() - started) * 1000)
        stop.set()
        await watcher
        await service.close()
        return timings, stall * 1000


def code(middle: int, repeat: int, rewire: bool) -> str:
    """A new value for the middle cell; `rewire`: it also reads another cell than before, so the graph's edges
    change (a value edit keeps them, and the graph is reused)."""
    source = middle - 1 - repeat % 2 * 1000 if rewire else middle - 1
    return f"v{middle} = {f'v{source}' if source >= 0 else 0} + {repeat}"


def middle_of(count: int) -> int:
    """A cell in the middle of a chain, reading the cell before it."""
    return min(count // 2 + 1, count - 1)


def engine_ms(count: int, rewire: bool = False) -> list[float]:
    """The engine's update alone (NotebookSession.update_cell)."""
    session = NotebookSession(Notebook(cells(count)))
    middle = middle_of(count)
    timings = []
    for repeat in range(REPEATS):
        started = time.perf_counter()
        session.update_cell(f"c{middle}", code=code(middle, repeat, rewire))
        timings.append((time.perf_counter() - started) * 1000)
    return timings


def structure_ms(count: int) -> dict[str, float]:
    """The engine's share of adding a cell in the middle, moving it and deleting it (medians)."""
    session = NotebookSession(Notebook(cells(count)))
    timings: dict[str, list[float]] = {"add": [], "move": [], "delete": []}
    for repeat in range(REPEATS):
        cell = Cell(f"added{repeat}", code=f"w = v{count // 3}")
        for kind, step in (
            ("add", partial(session.add_cell, cell, count // 2)),
            ("move", partial(session.move_cell, cell.id, count // 4)),
            ("delete", partial(asyncio.run, session.delete_cell(cell.id))),
        ):
            started = time.perf_counter()
            step()
            timings[kind].append((time.perf_counter() - started) * 1000)
    return {kind: statistics.median(values) for kind, values in timings.items()}


def round_trip_ms(count: int) -> list[float]:
    now = datetime.now(UTC)
    document = to_document("bench", "bench", now, now, Notebook(cells(count)), StoredCells())
    timings = []
    for _ in range(REPEATS):
        started = time.perf_counter()
        NotebookDocument.model_validate_json(document.model_dump_json(indent=2))
        timings.append((time.perf_counter() - started) * 1000)
    return timings


def main() -> None:
    print(f"notebook-edit: one cell edit in a {CELLS:,}-cell notebook (service + answer), median of {REPEATS}")
    anchor = statistics.median(round_trip_ms(CELLS))
    for rewire, kind in ((False, "a new value"), (True, "a new value read from another cell")):
        edits, stall = asyncio.run(edit_ms(CELLS, rewire))
        edit = statistics.median(edits)
        engine = statistics.median(engine_ms(CELLS, rewire))
        verdict = "meets" if edit < TARGET_MS else "MISSES"
        print(f"  edit to {kind}:")
        print(f"    whole edit:                  {edit:8.1f} ms  (target < {TARGET_MS:g} ms: {verdict})")
        print(f"    ratio to the anchor:         {edit / anchor:8.1f}x")
        print(f"    of which the engine's update:{engine:8.1f} ms")
        print(f"    longest event-loop stall:    {stall:8.1f} ms  (how long a /health request could wait)")
    print(f"  anchor, JSON round trip of the notebook's document (this run): {anchor:.1f} ms")
    structure = ", ".join(f"{kind} {ms:.1f} ms" for kind, ms in structure_ms(CELLS).items())
    print(f"  the engine's update for a cell added in the middle, moved and deleted: {structure}")
    small = statistics.median(asyncio.run(edit_ms(1))[0])
    print(f"  for scale, the same edit in a 1-cell notebook: {small:.2f} ms")


if __name__ == "__main__":
    main()
