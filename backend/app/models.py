"""The API's request and response bodies (the OpenAPI schema is generated from them; docs/API.md explains them)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, JsonValue, StringConstraints
from pydantic_core import PydanticCustomError

from app.audit import CURSOR_PATTERN
from app.core.kernel_sizes import KernelSizeName
from app.core.security import CSRF_HEADER
from app.engine import CellStatus, CellTypeName, StaticErrorKind
from app.services.version_diff import CellChangeKind, LineKind

MAX_NAME_LENGTH = 200
MAX_CONNECTION_STRING_LENGTH = 4096

KernelState = Literal["starting", "ready", "restarting", "stopped"]
# The limits hold for the value as sent, as the OpenAPI schema states them, and the surrounding whitespace is removed
# afterwards: checked after trimming, "   " would pass the schema's minLength and fail here, and a name padded past the
# schema's maxLength would pass here.
NotebookName = Annotated[
    str,
    StringConstraints(min_length=1, max_length=MAX_NAME_LENGTH, pattern=r"\S"),
    AfterValidator(str.strip),
    Field(description="not blank; the whitespace around it is removed"),
]
OutputName = Annotated[str, StringConstraints(max_length=MAX_NAME_LENGTH)]
StreamName = Literal["stdout", "stderr"]
RoleName = Literal["owner", "editor", "viewer"]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


def _json_integer(value: object) -> object:
    """JSON Schema's integer: 3 and 3.0, never true or "3" (which pydantic would take as 1 and 3)."""
    if (
        isinstance(value, bool)
        or not isinstance(value, int | float)
        or (isinstance(value, float) and not value.is_integer())
    ):
        raise PydanticCustomError("int_type", "Input should be a valid integer")
    return int(value)


# For request bodies: what the OpenAPI document calls an integer is exactly what is accepted.
JsonInteger = Annotated[int, BeforeValidator(_json_integer)]
# The bound comes before the validator, or the OpenAPI document would show pydantic's `ge` instead of `minimum`.
NonNegativeJsonInteger = Annotated[int, Field(ge=0), BeforeValidator(_json_integer)]


class Health(BaseModel):
    status: Literal["ok"] = "ok"
    version: str


class NotebookSummary(BaseModel):
    id: str
    name: str
    created_at: datetime
    updated_at: datetime
    cell_count: int
    db_connection_set: bool
    kernel_size: KernelSizeName = Field(
        description="the size preset the notebook's next kernel gets (see GET /api/kernels/sizes)"
    )
    role: RoleName = Field(description="what the caller may do: viewers read, editors also change and run")
    owner: str | None = Field(description="who made it (an e-mail); null: made before sign-in, admins only")


class NotebookList(BaseModel):
    notebooks: list[NotebookSummary]


class VersionPageQuery(Strict):
    cursor: str | None = Field(None, description="the `next_cursor` of the previous page; absent: the newest")
    limit: int = Field(50, ge=1, le=100, description="versions per page")


class NotebookVersionSummary(BaseModel):
    version_id: str
    saved_at: datetime
    deleted: bool = Field(description="the notebook was deleted here: this entry has no document")
    name: str | None = Field(description="the notebook's name in this version; null for a deletion")
    cell_count: int | None = Field(description="null for a deletion")


class NotebookVersionList(BaseModel):
    versions: list[NotebookVersionSummary] = Field(description="newest first")
    next_cursor: str | None = Field(description="pass as `cursor` for the next, older page; null: this is the last")


class VersionCell(BaseModel):
    id: str
    type: CellTypeName
    code: str
    output_name: str | None


class NotebookVersion(BaseModel):
    version_id: str
    name: str
    cells: list[VersionCell]


class VersionDiffQuery(Strict):
    base: str | None = Field(
        None, description="the version to compare with; absent: the notebook as it is now (what a restore changes)"
    )


class LineRun(BaseModel):
    kind: LineKind
    lines: list[str] = Field(description="consecutive lines of this kind, without their line breaks")


class CellChange(BaseModel):
    id: str
    change: CellChangeKind = Field(
        description="`added`: only in the version; `removed`: only in the base; `changed`: its type, output name or "
        "code differs"
    )
    moved: bool = Field(description="in both, but the version puts it elsewhere relative to the cells both have")
    base: VersionCell | None = Field(description="the cell in the base; null when the version adds it")
    version: VersionCell | None = Field(description="the cell in the version; null when the version removes it")
    lines: list[LineRun] = Field(description="the base's code turned into the version's, line by line")


class NotebookVersionDiff(BaseModel):
    version_id: str
    base_version_id: str | None = Field(description="null: compared with the notebook as it is now")
    name: str = Field(description="the notebook's name in the version")
    base_name: str
    cells: list[CellChange] = Field(
        description="in the version's order, each removed cell after the one it followed in the base"
    )


class DeletedNotebookSummary(BaseModel):
    id: str
    name: str = Field(description="its name when it was deleted")
    deleted_at: datetime


class DeletedNotebookList(BaseModel):
    notebooks: list[DeletedNotebookSummary] = Field(description="most recently deleted first")


class NotebookCreate(Strict):
    name: NotebookName = "Untitled notebook"


class NotebookCreated(BaseModel):
    notebook_id: str


class ExportParameters(Strict):
    format: Literal["py", "ipynb", "html"] = Field(
        description="py: a script to run with python; ipynb: a Jupyter notebook; html: a static page"
    )


class NotebookImport(Strict):
    name: NotebookName
    format: Literal["ipynb", "py"]
    content: str = Field(description="the file's text: a Jupyter notebook (nbformat 4) or a Python script")


class NotebookRename(Strict):
    name: NotebookName


class DbConnection(Strict):
    # "" removes the connection. Stored with the notebook, never returned by the API.
    connection_string: Annotated[
        str, StringConstraints(max_length=MAX_CONNECTION_STRING_LENGTH), AfterValidator(str.strip)
    ] = Field(description='the whitespace around it is removed; "" (or only whitespace) removes the connection')


class DbConnectionState(BaseModel):
    db_connection_set: bool


class KernelSizeChoice(Strict):
    kernel_size: KernelSizeName = Field(description="one of the sizes GET /api/kernels/sizes lists")


class KernelSizeSet(BaseModel):
    kernel_size: KernelSizeName
    applies_at_next_start: bool = Field(
        description="the notebook's kernel runs with its former size: the new one applies once it restarts"
    )


class KernelSizeOption(BaseModel):
    name: KernelSizeName
    vcpus: float = Field(description="virtual CPUs of a kernel task of this size")
    memory_gib: float = Field(description="memory of a kernel task of this size, in GiB")


class KernelSizes(BaseModel):
    launcher: Literal["process", "ecs"] = Field(
        description="where kernels run (KERNEL_LAUNCHER): `ecs`, each in an ECS task of its notebook's size; "
        "`process`, in the server's own task, whatever the size (it applies once kernels run on ECS)"
    )
    default: KernelSizeName = Field(description="the size of a notebook that chose none")
    sizes: list[KernelSizeOption] = Field(description="the sizes notebooks may choose (KERNEL_SIZES), in its order")


class ConsoleChunk(BaseModel):
    stream: StreamName
    text: str


class TableRows(BaseModel):
    columns: list[str] = Field(description="labels of the columns shown (the first 200)")
    dtypes: list[str]
    index: list[JsonValue]
    rows: list[list[JsonValue]]


class TableOutput(TableRows):
    """A pandas DataFrame or Series: its first rows and columns, and the full size."""

    kind: Literal["table"]
    table_id: str = Field(description="names this display of the frame to the table route, which pages the whole frame")
    total_rows: int
    total_columns: int
    truncated: bool = Field(description="rows or columns were left out (fewer than total_rows / total_columns)")


class TablePage(TableRows):
    """Rows of a displayed DataFrame after filtering and sorting (GET .../cells/{cell_id}/table)."""

    table_id: str
    offset: int = Field(description="position of the first row of `rows` among the matching rows")
    total_rows: int = Field(description="rows matching the filters: all the frame's rows when there are none")


class PlotlyOutput(BaseModel):
    kind: Literal["plotly"]
    spec: dict[str, JsonValue] = Field(description="the figure's JSON, for Plotly.react")


class ImageOutput(BaseModel):
    """A matplotlib figure (PNG), or a value's `_repr_png_` / `_repr_jpeg_`."""

    kind: Literal["image"]
    mime: Literal["image/png", "image/jpeg"]
    data: str = Field(description="base64")


class HtmlOutput(BaseModel):
    """A value's `_repr_html_` (or text/html in its `_repr_mimebundle_`): untrusted, shown in a sandboxed iframe."""

    kind: Literal["html"]
    html: str
    truncated: bool = Field(description="cut at the rich output limit (1,000,000 characters)")


class MarkdownOutput(BaseModel):
    """A value's `_repr_markdown_` (or text/markdown): rendered and sanitized by the client."""

    kind: Literal["markdown"]
    markdown: str
    truncated: bool = Field(description="cut at the rich output limit (1,000,000 characters)")


class SvgOutput(BaseModel):
    """A value's `_repr_svg_` (or image/svg+xml): untrusted, shown as an image, never as live DOM."""

    kind: Literal["svg"]
    svg: str


class JsonOutput(BaseModel):
    """A value's `_repr_json_` (or application/json)."""

    kind: Literal["json"]
    data: JsonValue


class TextOutput(BaseModel):
    kind: Literal["text"]
    text: str
    truncated: bool = Field(description="part of the repr was left out: shortened (`...`) or cut at the text limit")


CellOutput = Annotated[
    TableOutput | PlotlyOutput | ImageOutput | HtmlOutput | MarkdownOutput | SvgOutput | JsonOutput | TextOutput,
    Field(discriminator="kind"),
]


class TracebackFrame(BaseModel):
    cell_id: str | None = Field(description="the cell the line belongs to; null for library code")
    filename: str
    line: int | None
    name: str
    code: str | None


class CellError(BaseModel):
    type: str = Field(description="the exception's type, or the engine's: KernelDied, CycleError, ...")
    message: str
    traceback: list[TracebackFrame]
    text: str = Field(description="the formatted traceback, to show as is")


class StaticError(BaseModel):
    kind: StaticErrorKind
    message: str
    line: int | None
    column: int | None
    cells: list[str]
    names: list[str]


class CellSource(BaseModel):
    id: str
    type: CellTypeName
    code: str
    output_name: str | None = Field(description="SQL cells: the Python variable that receives the result; else null")
    revision: int = Field(
        description="counts the changes of the cell's source; an update may name the one it is based on"
    )


class CellGraph(BaseModel):
    defines: list[str]
    references: list[str]
    depends_on: list[str] = Field(description="ids of the cells defining names this cell reads")
    static_errors: list[StaticError] = Field(description="problems found without running; the cell cannot run")


class Cell(CellGraph, CellSource):
    status: CellStatus
    stale: bool = Field(description="the current code has not run successfully in the current kernel")
    ran_revision: int | None = Field(
        description="the revision of the code the last run executed; null: never ran. Below `revision`: the code "
        "was edited since; equal while stale: only its inputs or the kernel changed"
    )
    blocked_by: str | None = Field(description="status blocked: the ancestor cell that failed or is stale")
    duration: float | None = Field(description="seconds the last finished run took")
    stdout: str = Field(description="everything the last run printed, stdout and stderr interleaved")
    console: list[ConsoleChunk] = Field(description="what the last run printed, in order, split by stream")
    console_truncated: bool = Field(description="the oldest console text was dropped to keep the console limit")
    outputs: list[CellOutput]
    error: CellError | None


class Kernel(BaseModel):
    state: KernelState
    reason: str | None = Field(
        default=None, description="why the kernel is in this state: it died, or was stopped (idle, or on request)"
    )
    progress: str | None = Field(
        default=None, description="while it starts and that takes long (an ECS task), how far it is; see kernel_status"
    )


class KernelInfo(BaseModel):
    notebook_id: str
    notebook_name: str
    pid: int | None = Field(description="the kernel's process; null while it starts")
    state: KernelState
    memory_bytes: int | None = Field(
        description="resident memory of the kernel's process and every process it started; null where unknown"
    )
    age_seconds: float | None = Field(description="seconds since the kernel started; null while it starts")
    idle_seconds: float = Field(description="seconds since a client last used the notebook")
    clients: int = Field(description="WebSockets connected to the notebook")


class KernelList(BaseModel):
    kernels: list[KernelInfo]


class Notebook(BaseModel):
    id: str
    name: str
    created_at: datetime
    updated_at: datetime
    db_connection_set: bool
    kernel_size: KernelSizeName = Field(description="the size preset the notebook's next kernel gets")
    seq: int = Field(description="the last event included; WebSocket messages with a larger seq follow it")
    role: RoleName = Field(description="what the caller may do: viewers read, editors also change and run")
    owner: str | None = Field(description="who made it (an e-mail); null: made before sign-in, admins only")
    kernel: Kernel
    cells: list[Cell]


class CellCreate(Strict):
    type: CellTypeName = "python"
    after_cell_id: str | None = Field(default=None, description="insert after this cell; absent or null: at the end")
    code: str = ""
    output_name: OutputName | None = Field(default=None, description="SQL cells; kept but unused for Python cells")


class CellCreated(BaseModel):
    cell_id: str


class CellUpdate(Strict):
    revision: NonNegativeJsonInteger | None = Field(
        default=None,
        description="the cell's revision this edit is based on: if the cell is at another one, nothing changes and "
        "the answer is 409 with the current cell. Absent or null: the edit applies to whatever the cell holds",
    )
    code: str | None = None
    type: CellTypeName | None = None
    output_name: OutputName | None = Field(
        default=None, description='SQL cells; "" restores the default name; kept but unused for Python cells'
    )


class CellMove(Strict):
    index: NonNegativeJsonInteger = Field(description="the cell's new 0-based position; past the end means last")


class CellOrder(BaseModel):
    cell_ids: list[str]


class ShareEntry(Strict):
    kind: Literal["user", "group"]
    name: Annotated[str, StringConstraints(min_length=1, max_length=320, pattern=r"^\S+$")] = Field(
        description="a person's e-mail (as the identity provider gives it) or a group's name"
    )
    role: Literal["editor", "viewer"]


class NotebookAccess(BaseModel):
    owner: str | None = Field(description="null: made before sign-in; only admins can see and share it")
    shares: list[ShareEntry]


class AccessUpdate(Strict):
    shares: list[ShareEntry] = Field(max_length=200, description="replaces every share; the owner stays")


class SessionUser(BaseModel):
    id: str = Field(description="the e-mail when the identity provider gives one, else its subject")
    name: str
    email: str | None
    groups: list[str]
    admin: bool = Field(description="owner of every notebook, reader of the audit log")


class AuthSession(BaseModel):
    mode: Literal["oidc", "token", "open"] = Field(
        description="oidc: people sign in; token: the ACCESS_TOKEN is asked for; open: nothing is asked"
    )
    user: SessionUser | None = Field(description="who is signed in (oidc), the token's principal, or null")
    csrf_token: str | None = Field(description=f"send as the {CSRF_HEADER} header with every change (oidc)")
    login_url: str | None = Field(description="where to send the browser to sign in (oidc)")


class ErrorDetail(BaseModel):
    detail: str


class EditConflict(BaseModel):
    detail: str
    cell: Cell = Field(description="the cell as it is now, to show or merge with the refused edit")


class AuditActor(BaseModel):
    id: str = Field(description="an e-mail, the identity provider's subject, `service` (the access token) or `local`")
    name: str


class AuditEvent(BaseModel):
    time: datetime
    actor: AuditActor
    action: str = Field(
        description="the REST route's operation id (update_cell, restore_version, set_access, ...), the WebSocket's "
        "run_cell, run_all, interrupt or restart_kernel, or sign_in, sign_out"
    )
    notebook_id: str | None
    detail: dict[str, JsonValue] = Field(description="the other path parameters (cell_id, version_id); never a body")


class AuditEventList(BaseModel):
    events: list[AuditEvent] = Field(description="newest first")
    next_cursor: str | None = Field(description="pass as `before` for the next, older page; null: this is the last")


class AuditQuery(Strict):
    notebook_id: str | None = Field(None, description="only this notebook's events")
    limit: int = Field(100, ge=1, le=500, description="events per page")
    before: str | None = Field(
        None, pattern=CURSOR_PATTERN, description="the `next_cursor` of the previous page; absent: the newest"
    )
