"""What the API shows of a notebook: its view (REST and the WebSocket snapshot) and the WebSocket messages.

Views are built from the engine's snapshot and messages from its events, so both agree by construction; see
docs/API.md for every field.
"""

from __future__ import annotations

from typing import Any

from pydantic import TypeAdapter

from app import models
from app.api.protocol import (
    CellCreatedMessage,
    CellDeletedMessage,
    CellErrorMessage,
    CellMovedMessage,
    CellOutputMessage,
    CellStatusMessage,
    CellStdoutMessage,
    CellUpdatedMessage,
    GraphMessage,
    KernelStatusMessage,
    KernelStdoutMessage,
    ServerMessage,
)
from app.engine import (
    CellEvent,
    CellState,
    ErrorEvent,
    Event,
    GraphEvent,
    KernelEvent,
    OutputEvent,
    StatusEvent,
    StreamEvent,
)
from app.services.live import LiveNotebook

_output: TypeAdapter[models.CellOutput] = TypeAdapter(models.CellOutput)


def summary(live: LiveNotebook) -> models.NotebookSummary:
    return models.NotebookSummary(
        id=live.id,
        name=live.name,
        created_at=live.created_at,
        updated_at=live.updated_at,
        cell_count=len(live.session.notebook.cells),
        db_connection_set=bool(live.session.notebook.connection_string),
    )


def notebook_view(live: LiveNotebook) -> models.Notebook:
    snapshot = live.session.snapshot()
    graph = snapshot["graph"]["cells"]
    return models.Notebook(
        id=live.id,
        name=live.name,
        created_at=live.created_at,
        updated_at=live.updated_at,
        db_connection_set=bool(live.session.notebook.connection_string),
        seq=snapshot["seq"],
        kernel=models.Kernel(state=snapshot["kernel"]["state"]),
        cells=[
            cell_view(cell, snapshot["cells"][cell["id"]], graph[cell["id"]]) for cell in snapshot["notebook"]["cells"]
        ],
    )


def cell_view(cell: dict[str, Any], state: dict[str, Any], graph: dict[str, Any] | None) -> models.Cell:
    console = state["console"]
    return models.Cell(
        **cell_source(cell).model_dump(),
        **graph_fields(graph).model_dump(),
        status=state["status"],
        stale=state["stale"],
        blocked_by=state["blocked_by"],
        duration=state["duration"],
        stdout="".join(chunk["text"] for chunk in console),
        console=[models.ConsoleChunk(stream=chunk["name"], text=chunk["text"]) for chunk in console],
        outputs=[] if state["output"] is None else [_output.validate_python(state["output"])],
        error=None if state["error"] is None else models.CellError.model_validate(state["error"]),
    )


def cell_source(cell: dict[str, Any]) -> models.CellSource:
    return models.CellSource.model_validate({"output_name": None, **cell})


def graph_fields(graph: dict[str, Any] | None) -> models.CellGraph:
    graph = graph or {}
    return models.CellGraph.model_validate(
        {
            "defines": graph.get("defines", []),
            "references": graph.get("references", []),
            "depends_on": graph.get("parents", []),
            "static_errors": graph.get("errors", []),
        }
    )


def event_message(event: Event) -> ServerMessage:
    """Every engine event becomes exactly one message carrying its `seq`, so a client can tell it missed none."""
    seq = event.seq
    match event:
        case StatusEvent():
            return CellStatusMessage(
                seq=seq,
                cell_id=event.cell_id,
                status=event.status,
                stale=event.stale,
                blocked_by=event.blocked_by,
                duration=event.duration,
            )
        case StreamEvent(cell_id=None):
            return KernelStdoutMessage(seq=seq, stream=event.name, text=event.text)
        case StreamEvent(cell_id=str(cell_id)):
            return CellStdoutMessage(seq=seq, cell_id=cell_id, stream=event.name, text=event.text)
        case OutputEvent():
            return CellOutputMessage(seq=seq, cell_id=event.cell_id, outputs=[_output.validate_python(event.output)])
        case ErrorEvent():
            return CellErrorMessage(seq=seq, cell_id=event.cell_id, error=models.CellError.model_validate(event.error))
        case GraphEvent():
            cells = {key: graph_fields(value) for key, value in event.graph["cells"].items()}
            return GraphMessage(seq=seq, cells=cells)
        case CellEvent(action="added"):
            cell = cell_view(event.cell, CellState().to_dict(), None)
            return CellCreatedMessage(seq=seq, cell=cell, index=event.index)
        case CellEvent(action="updated"):
            return CellUpdatedMessage(seq=seq, cell=cell_source(event.cell), index=event.index)
        case CellEvent(action="moved", index=int(index)):
            return CellMovedMessage(seq=seq, cell_id=event.cell["id"], index=index)
        case CellEvent(action="removed"):
            return CellDeletedMessage(seq=seq, cell_id=event.cell["id"])
        case KernelEvent():
            return KernelStatusMessage(seq=seq, state=event.state, reason=event.reason)
        case _:
            raise TypeError(f"no WebSocket message for engine event {event.type!r}")
