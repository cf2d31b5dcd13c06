"""The messages of the notebook WebSocket, both ways (docs/API.md says when each is sent).

They are published in the OpenAPI document as `ClientMessage` and `ServerMessage` (see app/main.py), so the
front end's types come from the same definitions as the REST bodies they embed.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter

from app.engine import CellStatus
from app.models import (
    Cell,
    CellError,
    CellGraph,
    CellOutput,
    CellSource,
    KernelState,
    Notebook,
    NotebookSummary,
    StreamName,
)

# -- what clients send ---------------------------------------------------------------------------------------------


class _ClientMessage(BaseModel):
    model_config = ConfigDict(extra="forbid")


class RunCellMessage(_ClientMessage):
    type: Literal["run_cell"]
    cell_id: str


class RunAllMessage(_ClientMessage):
    type: Literal["run_all"]


class InterruptMessage(_ClientMessage):
    type: Literal["interrupt"]


class RestartKernelMessage(_ClientMessage):
    type: Literal["restart_kernel"]


class SyncMessage(_ClientMessage):
    type: Literal["sync"]


ClientMessage = Annotated[
    RunCellMessage | RunAllMessage | InterruptMessage | RestartKernelMessage | SyncMessage,
    Field(discriminator="type"),
]
client_message: TypeAdapter[ClientMessage] = TypeAdapter(ClientMessage)

# -- what the server sends -----------------------------------------------------------------------------------------


class _ServerMessage(BaseModel):
    # `type` has a default to build messages by their class, yet is always sent: the schema says it is required.
    model_config = ConfigDict(json_schema_serialization_defaults_required=True)


class _EngineMessage(_ServerMessage):
    """One per engine event: a client that sees a gap in `seq` missed one."""

    seq: int


class SnapshotMessage(_ServerMessage):
    type: Literal["snapshot"] = "snapshot"
    notebook: Notebook


class CellStatusMessage(_EngineMessage):
    type: Literal["cell_status"] = "cell_status"
    cell_id: str
    status: CellStatus
    stale: bool
    ran_revision: int | None
    blocked_by: str | None
    duration: float | None


class CellStdoutMessage(_EngineMessage):
    type: Literal["cell_stdout"] = "cell_stdout"
    cell_id: str
    stream: StreamName
    text: str


class KernelStdoutMessage(_EngineMessage):
    type: Literal["kernel_stdout"] = "kernel_stdout"
    stream: StreamName
    text: str


class CellOutputMessage(_EngineMessage):
    type: Literal["cell_output"] = "cell_output"
    cell_id: str
    outputs: list[CellOutput]


class CellErrorMessage(_EngineMessage):
    type: Literal["cell_error"] = "cell_error"
    cell_id: str
    error: CellError


class GraphMessage(_EngineMessage):
    type: Literal["graph"] = "graph"
    cells: dict[str, CellGraph]


class CellCreatedMessage(_EngineMessage):
    type: Literal["cell_created"] = "cell_created"
    cell: Cell
    index: int | None


class CellUpdatedMessage(_EngineMessage):
    type: Literal["cell_updated"] = "cell_updated"
    cell: CellSource
    index: int | None


class CellMovedMessage(_EngineMessage):
    type: Literal["cell_moved"] = "cell_moved"
    cell_id: str
    index: int


class CellDeletedMessage(_EngineMessage):
    type: Literal["cell_deleted"] = "cell_deleted"
    cell_id: str


class KernelStatusMessage(_EngineMessage):
    type: Literal["kernel_status"] = "kernel_status"
    state: KernelState
    reason: str | None


class NotebookUpdatedMessage(_ServerMessage):
    type: Literal["notebook_updated"] = "notebook_updated"
    notebook: NotebookSummary


class NotebookDeletedMessage(_ServerMessage):
    type: Literal["notebook_deleted"] = "notebook_deleted"
    notebook_id: str


class MessageProblem(BaseModel):
    type: str
    loc: list[str | int]
    msg: str


class ErrorMessage(_ServerMessage):
    """The client's last message was refused; the connection stays open."""

    type: Literal["error"] = "error"
    message: str
    details: list[MessageProblem] = Field(default_factory=list, exclude_if=lambda value: not value)
    cell_id: str | None = Field(default=None, exclude_if=lambda value: value is None)


ServerMessage = Annotated[
    SnapshotMessage
    | CellStatusMessage
    | CellStdoutMessage
    | KernelStdoutMessage
    | CellOutputMessage
    | CellErrorMessage
    | GraphMessage
    | CellCreatedMessage
    | CellUpdatedMessage
    | CellMovedMessage
    | CellDeletedMessage
    | KernelStatusMessage
    | NotebookUpdatedMessage
    | NotebookDeletedMessage
    | ErrorMessage,
    Field(discriminator="type"),
]
server_message: TypeAdapter[ServerMessage] = TypeAdapter(ServerMessage)
