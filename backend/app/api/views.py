"""What the API shows of a notebook, built from the engine's snapshot: the REST bodies, also sent in the WebSocket's
snapshot and messages, so that both agree by construction (docs/API.md explains every field)."""

from __future__ import annotations

from typing import Any

from pydantic import TypeAdapter

from app import models
from app.core.principal import Principal
from app.services.access import Access, Role
from app.services.live import LiveNotebook

output: TypeAdapter[models.CellOutput] = TypeAdapter(models.CellOutput)


def summary(live: LiveNotebook, role: Role) -> models.NotebookSummary:
    """As the caller with `role` sees it."""
    return models.NotebookSummary(
        id=live.id,
        name=live.name,
        created_at=live.created_at,
        updated_at=live.updated_at,
        cell_count=len(live.session.notebook.cells),
        db_connection_set=bool(live.session.notebook.connection_string),
        kernel_size=live.kernel_size,
        role=role.label,
        owner=live.access.owner,
    )


def notebook_view(live: LiveNotebook, role: Role) -> models.Notebook:
    snapshot = live.session.snapshot()
    graph = snapshot["graph"]["cells"]
    return models.Notebook(
        id=live.id,
        name=live.name,
        created_at=live.created_at,
        updated_at=live.updated_at,
        db_connection_set=bool(live.session.notebook.connection_string),
        kernel_size=live.kernel_size,
        seq=snapshot["seq"],
        role=role.label,
        owner=live.access.owner,
        kernel=models.Kernel(
            state=snapshot["kernel"]["state"],
            reason=snapshot["kernel"]["reason"],
            progress=snapshot["kernel"]["progress"],
        ),
        cells=[
            cell_view(cell, snapshot["cells"][cell["id"]], graph[cell["id"]]) for cell in snapshot["notebook"]["cells"]
        ],
    )


def cell_in_view(live: LiveNotebook, cell_id: str) -> models.Cell:
    """What notebook_view shows of one cell, built alone: an edit's answer must not cost a view of every cell."""
    session = live.session
    return cell_view(live.cell(cell_id).to_dict(), session.states[cell_id].to_dict(), session.graph.cell_dict(cell_id))


def cell_view(cell: dict[str, Any], state: dict[str, Any], graph: dict[str, Any] | None) -> models.Cell:
    console = state["console"]
    return models.Cell(
        **cell_source(cell).model_dump(),
        **graph_fields(graph).model_dump(),
        status=state["status"],
        stale=state["stale"],
        ran_revision=state["ran_revision"],
        blocked_by=state["blocked_by"],
        duration=state["duration"],
        stdout="".join(chunk["text"] for chunk in console),
        console=[models.ConsoleChunk(stream=chunk["name"], text=chunk["text"]) for chunk in console],
        console_truncated=state["console_truncated"],
        outputs=[] if state["output"] is None else [output.validate_python(state["output"])],
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


def access_view(access: Access) -> models.NotebookAccess:
    shares = [models.ShareEntry(kind=share.kind, name=share.name, role=share.role_name) for share in access.shares]
    return models.NotebookAccess(owner=access.owner, shares=shares)


def owner_for(principal: Principal) -> str | None:
    """Whom a new notebook belongs to: nobody without sign-in, so that turning sign-in on leaves them to admins."""
    return None if principal.kind == "local" else principal.id
