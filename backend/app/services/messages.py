"""What the API shows of a notebook: its view (REST and the WebSocket snapshot) and the WebSocket messages.

Views are built from the engine's snapshot and messages from its events, so both agree by construction; see
docs/API.md for every field.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter

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


def summary(live: LiveNotebook) -> dict[str, Any]:
    return {
        "id": live.id,
        "name": live.name,
        "created_at": live.created_at,
        "updated_at": live.updated_at,
        "cell_count": len(live.session.notebook.cells),
        "db_connection_set": bool(live.session.notebook.connection_string),
    }


def notebook_view(live: LiveNotebook) -> dict[str, Any]:
    snapshot = live.session.snapshot()
    graph = snapshot["graph"]["cells"]
    view = summary(live)
    del view["cell_count"]
    return view | {
        "seq": snapshot["seq"],
        "kernel": {"state": snapshot["kernel"]["state"]},
        "cells": [
            cell_view(cell, snapshot["cells"][cell["id"]], graph[cell["id"]]) for cell in snapshot["notebook"]["cells"]
        ],
    }


def cell_view(cell: dict[str, Any], state: dict[str, Any], graph: dict[str, Any] | None) -> dict[str, Any]:
    console = state["console"]
    return {
        "id": cell["id"],
        "type": cell["type"],
        "code": cell["code"],
        "output_name": cell.get("output_name"),
        "status": state["status"],
        "stale": state["stale"],
        "blocked_by": state["blocked_by"],
        "duration": state["duration"],
        "stdout": "".join(chunk["text"] for chunk in console),
        "console": [{"stream": chunk["name"], "text": chunk["text"]} for chunk in console],
        "outputs": [] if state["output"] is None else [state["output"]],
        "error": state["error"],
        **graph_fields(graph),
    }


def graph_fields(graph: dict[str, Any] | None) -> dict[str, Any]:
    graph = graph or {}
    return {
        "defines": graph.get("defines", []),
        "references": graph.get("references", []),
        "depends_on": graph.get("parents", []),
        "static_errors": graph.get("errors", []),
    }


def event_message(event: Event) -> dict[str, Any]:
    """Every engine event becomes exactly one message carrying its `seq`, so a client can tell it missed none."""
    match event:
        case StatusEvent():
            body: dict[str, Any] = {
                "type": "cell_status",
                "cell_id": event.cell_id,
                "status": event.status.value,
                "stale": event.stale,
                "blocked_by": event.blocked_by,
                "duration": event.duration,
            }
        case StreamEvent(cell_id=None):
            body = {"type": "kernel_stdout", "stream": event.name, "text": event.text}
        case StreamEvent():
            body = {"type": "cell_stdout", "cell_id": event.cell_id, "stream": event.name, "text": event.text}
        case OutputEvent():
            body = {"type": "cell_output", "cell_id": event.cell_id, "outputs": [event.output]}
        case ErrorEvent():
            body = {"type": "cell_error", "cell_id": event.cell_id, "error": event.error}
        case GraphEvent():
            body = {"type": "graph", "cells": {key: graph_fields(value) for key, value in event.graph["cells"].items()}}
        case CellEvent(action="added"):
            cell = cell_view(event.cell, CellState().to_dict(), None)
            body = {"type": "cell_created", "cell": cell, "index": event.index}
        case CellEvent(action="updated"):
            body = {"type": "cell_updated", "cell": {"output_name": None, **event.cell}, "index": event.index}
        case CellEvent(action="moved"):
            body = {"type": "cell_moved", "cell_id": event.cell["id"], "index": event.index}
        case CellEvent(action="removed"):
            body = {"type": "cell_deleted", "cell_id": event.cell["id"]}
        case KernelEvent():
            body = {"type": "kernel_status", "state": event.state, "reason": event.reason}
        case _:
            raise TypeError(f"no WebSocket message for engine event {event.type!r}")
    return body | {"seq": event.seq}


# -- what clients send ---------------------------------------------------------------------------------------------


class _ClientMessage(BaseModel):
    model_config = ConfigDict(extra="forbid")


class RunCell(_ClientMessage):
    type: Literal["run_cell"]
    cell_id: str


class RunAll(_ClientMessage):
    type: Literal["run_all"]


class Interrupt(_ClientMessage):
    type: Literal["interrupt"]


class RestartKernel(_ClientMessage):
    type: Literal["restart_kernel"]


class Sync(_ClientMessage):
    type: Literal["sync"]


ClientMessage = Annotated[RunCell | RunAll | Interrupt | RestartKernel | Sync, Field(discriminator="type")]
client_message: TypeAdapter[ClientMessage] = TypeAdapter(ClientMessage)
