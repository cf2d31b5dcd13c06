"""The messages of the notebook WebSocket, both ways (docs/API.md says when each is sent).

They are published in the OpenAPI document as `ClientMessage` and `ServerMessage` (see app/main.py), so the
front end's types come from the same definitions as the REST bodies they embed.
"""

from __future__ import annotations

from typing import Annotated, ClassVar, Literal, Self

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, model_validator

from app.engine import CellStatus
from app.models import (
    Cell,
    CellError,
    CellGraph,
    CellOutput,
    CellSource,
    JsonInteger,
    KernelState,
    NonNegativeJsonInteger,
    Notebook,
    NotebookSummary,
    StreamName,
)
from app.services.access import Role

# -- what clients send ---------------------------------------------------------------------------------------------


class _ClientMessage(BaseModel):
    model_config = ConfigDict(extra="forbid")
    # The role on the notebook a client needs to send it; a lower one gets an `error`.
    needs: ClassVar[Role] = Role.EDITOR
    doing: ClassVar[str] = "running cells"


class RunCellMessage(_ClientMessage):
    type: Literal["run_cell"]
    cell_id: str


class RunAllMessage(_ClientMessage):
    type: Literal["run_all"]


class InterruptMessage(_ClientMessage):
    doing = "interrupting a run"
    type: Literal["interrupt"]


class RestartKernelMessage(_ClientMessage):
    doing = "restarting the kernel"
    type: Literal["restart_kernel"]


class SyncMessage(_ClientMessage):
    needs = Role.VIEWER
    type: Literal["sync"]


class PresenceMessage(_ClientMessage):
    """Which cell this client edits now (null: none), for the others to see."""

    needs = Role.VIEWER
    type: Literal["presence"]
    cell_id: str | None


class _AssistRequest(_ClientMessage):
    """Asks about the code being edited in a cell, which need not be saved yet. It runs in the kernel: editors only."""

    doing = "asking the kernel about code"

    request_id: JsonInteger = Field(description="Chosen by the client; the reply carries it")
    cell_id: str
    code: str
    cursor: NonNegativeJsonInteger = Field(description="Offset in `code`, in Unicode code points (not UTF-16 units)")

    @model_validator(mode="after")
    def _cursor_in_code(self) -> Self:
        if self.cursor > len(self.code):
            raise ValueError(f"cursor {self.cursor} is past the end of the code ({len(self.code)} characters)")
        return self


class CompleteMessage(_AssistRequest):
    type: Literal["complete"]


class InspectMessage(_AssistRequest):
    """Hover docs and signature help at the cursor."""

    type: Literal["inspect"]


ClientMessage = Annotated[
    RunCellMessage
    | RunAllMessage
    | InterruptMessage
    | RestartKernelMessage
    | SyncMessage
    | PresenceMessage
    | CompleteMessage
    | InspectMessage,
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
    progress: str | None = Field(
        default=None,
        description='while the kernel starts and that takes long (KERNEL_LAUNCHER=ecs), how far it is, e.g. "ECS task '
        'PENDING (12 s)" or "connecting to the kernel (40 s)"; null otherwise',
    )


class NotebookUpdatedMessage(_ServerMessage):
    type: Literal["notebook_updated"] = "notebook_updated"
    notebook: NotebookSummary


class NotebookDeletedMessage(_ServerMessage):
    type: Literal["notebook_deleted"] = "notebook_deleted"
    notebook_id: str


class CompletionItem(BaseModel):
    label: str
    kind: str = Field(
        description="Jedi's type (module, class, function, instance, keyword...), or table / column in SQL"
    )
    detail: str | None = None


class CompletionsMessage(_ServerMessage):
    """Answers `complete`. Empty with a `reason` when the kernel cannot answer now (not started, or stuck)."""

    type: Literal["completions"] = "completions"
    request_id: int
    cell_id: str
    start: int = Field(description="Code-point offset where the text the items replace starts (up to the cursor)")
    items: list[CompletionItem]
    reason: str | None = None


class NameDoc(BaseModel):
    name: str
    full_name: str | None
    kind: str
    signatures: list[str]
    doc: str


class SignatureHelp(BaseModel):
    label: str
    params: list[str]
    active: int | None = Field(description="Index in `params` of the argument at the cursor")
    doc: str


class InspectionMessage(_ServerMessage):
    """Answers `inspect`: what the name at the cursor is, and the signatures of the call around it."""

    type: Literal["inspection"] = "inspection"
    request_id: int
    cell_id: str
    docs: list[NameDoc]
    signatures: list[SignatureHelp]
    reason: str | None = None


class Person(BaseModel):
    id: str = Field(description="an e-mail, or the identity provider's subject")
    name: str
    cell_ids: list[str] = Field(description="the cells this person edits now, in any of their tabs")


class PeopleMessage(_ServerMessage):
    """Everyone with the notebook open; sent when someone comes, leaves or moves to another cell."""

    type: Literal["presence"] = "presence"
    people: list[Person]


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
    | CompletionsMessage
    | InspectionMessage
    | PeopleMessage
    | ErrorMessage,
    Field(discriminator="type"),
]
server_message: TypeAdapter[ServerMessage] = TypeAdapter(ServerMessage)
