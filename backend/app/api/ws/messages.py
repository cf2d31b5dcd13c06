"""The WebSocket messages a notebook's engine events and changes become (app/api/protocol.py defines them)."""

from __future__ import annotations

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
    NotebookDeletedMessage,
    NotebookUpdatedMessage,
    PeopleMessage,
    Person,
    ServerMessage,
)
from app.api.views import cell_source, cell_view, graph_fields, output, summary
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
from app.services.access import Role
from app.services.live import LiveNotebook, NotebookChange


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
                ran_revision=event.ran_revision,
                blocked_by=event.blocked_by,
                duration=event.duration,
            )
        case StreamEvent(cell_id=None):
            return KernelStdoutMessage(seq=seq, stream=event.name, text=event.text)
        case StreamEvent(cell_id=str(cell_id)):
            return CellStdoutMessage(seq=seq, cell_id=cell_id, stream=event.name, text=event.text)
        case OutputEvent():
            return CellOutputMessage(seq=seq, cell_id=event.cell_id, outputs=[output.validate_python(event.output)])
        case ErrorEvent():
            return CellErrorMessage(seq=seq, cell_id=event.cell_id, error=models.CellError.model_validate(event.error))
        case GraphEvent():
            cells = {key: graph_fields(value) for key, value in event.cells.items()}
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
            return KernelStatusMessage(seq=seq, state=event.state, reason=event.reason, progress=event.progress)
        case _:
            raise TypeError(f"no WebSocket message for engine event {event.type!r}")


def change_message(live: LiveNotebook, change: NotebookChange, role: Role) -> ServerMessage:
    """As a client whose principal has `role` sees it."""
    match change:
        case (
            NotebookChange.RENAMED
            | NotebookChange.CONNECTION_SET
            | NotebookChange.KERNEL_SIZE_SET
            | NotebookChange.ACCESS_SET
        ):
            return NotebookUpdatedMessage(notebook=summary(live, role))
        case NotebookChange.DELETED:
            return NotebookDeletedMessage(notebook_id=live.id)
        case NotebookChange.PRESENCE:
            return PeopleMessage(people=people(live))


def people(live: LiveNotebook) -> list[Person]:
    """One entry per person however many tabs they have open, in the order they came."""
    found: dict[str, Person] = {}
    for principal, cell_id in live.presence.values():
        person = found.setdefault(principal.id, Person(id=principal.id, name=principal.name, cell_ids=[]))
        if cell_id is not None and cell_id not in person.cell_ids:
            person.cell_ids.append(cell_id)
    return list(found.values())
