from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Body, status
from fastapi.exceptions import RequestValidationError

from app.api.deps import EDITOR, OWNER, READER, PrincipalDep, ReaderDep, ServiceDep
from app.api.responses import FORBIDDEN, NOT_FOUND, NOT_SAVED, TOO_LARGE
from app.api.views import access_view, notebook_view, owner_for, summary
from app.models import (
    AccessUpdate,
    DbConnection,
    DbConnectionState,
    KernelSizeChoice,
    KernelSizeSet,
    Notebook,
    NotebookAccess,
    NotebookCreate,
    NotebookCreated,
    NotebookList,
    NotebookRename,
    NotebookSummary,
)
from app.services.access import Role, Share, role_of
from app.services.errors import KernelSizeNotOffered

router = APIRouter(prefix="/notebooks", tags=["notebooks"])


@router.get("", response_model=NotebookList, summary="Every notebook, most recently changed first")
def list_notebooks(service: ServiceDep, principal: PrincipalDep) -> NotebookList:
    """Only those the caller may read."""
    roles = ((live, role_of(principal, live.access)) for live in service.notebooks())
    return NotebookList(notebooks=[summary(live, role) for live, role in roles if role is not None])


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    response_model=NotebookCreated,
    responses=TOO_LARGE | NOT_SAVED,
    summary="A new, empty notebook",
)
async def create_notebook(
    service: ServiceDep, principal: PrincipalDep, body: Annotated[NotebookCreate | None, Body()] = None
) -> NotebookCreated:
    live = await service.create((body or NotebookCreate()).name, owner=owner_for(principal))
    return NotebookCreated(notebook_id=live.id)


@router.get(
    "/{notebook_id}",
    response_model=Notebook,
    responses=NOT_FOUND,
    summary="A notebook with its cells and their last results",
)
def get_notebook(service: ServiceDep, notebook_id: str, role: ReaderDep) -> Notebook:
    return notebook_view(service.get(notebook_id), role)


@router.put(
    "/{notebook_id}/name",
    response_model=NotebookSummary,
    responses=NOT_FOUND | FORBIDDEN | TOO_LARGE | NOT_SAVED,
    summary="Rename a notebook",
)
async def rename_notebook(
    service: ServiceDep, notebook_id: str, body: NotebookRename, role: Annotated[Role, EDITOR]
) -> NotebookSummary:
    await service.rename(notebook_id, body.name)
    return summary(service.get(notebook_id), role)


@router.put(
    "/{notebook_id}/db",
    response_model=DbConnectionState,
    responses=NOT_FOUND | FORBIDDEN | TOO_LARGE | NOT_SAVED,
    summary="Set (or, with an empty string, remove) the PostgreSQL connection of the SQL cells",
    dependencies=[EDITOR],
)
async def set_db_connection(service: ServiceDep, notebook_id: str, body: DbConnection) -> DbConnectionState:
    return DbConnectionState(db_connection_set=await service.set_connection(notebook_id, body.connection_string))


@router.put(
    "/{notebook_id}/kernel-size",
    response_model=KernelSizeSet,
    responses=NOT_FOUND | FORBIDDEN | NOT_SAVED,
    summary="Choose the size preset of the notebook's kernel; a running kernel keeps its size until it restarts",
    dependencies=[EDITOR],
)
async def set_kernel_size(service: ServiceDep, notebook_id: str, body: KernelSizeChoice) -> KernelSizeSet:
    try:
        waits = await service.set_kernel_size(notebook_id, body.kernel_size)
    except KernelSizeNotOffered as error:  # the request is invalid for this server, as an unknown size is for all
        problem = {"type": "literal_error", "loc": ("body", "kernel_size"), "msg": str(error)}
        raise RequestValidationError([problem]) from None
    return KernelSizeSet(kernel_size=body.kernel_size, applies_at_next_start=waits)


@router.delete(
    "/{notebook_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=NOT_FOUND | FORBIDDEN | NOT_SAVED,
    summary="Delete a notebook and its kernel (its owner or an admin can bring it back for a while)",
    dependencies=[OWNER],
)
async def delete_notebook(service: ServiceDep, notebook_id: str) -> None:
    await service.delete(notebook_id)


@router.get(
    "/{notebook_id}/access",
    response_model=NotebookAccess,
    responses=NOT_FOUND,
    summary="Who owns the notebook and whom it is shared with",
    dependencies=[READER],
)
def get_access(service: ServiceDep, notebook_id: str) -> NotebookAccess:
    return access_view(service.get(notebook_id).access)


@router.put(
    "/{notebook_id}/access",
    response_model=NotebookAccess,
    responses=NOT_FOUND | FORBIDDEN | NOT_SAVED,
    summary="Share the notebook: replaces every share (a person by e-mail or a group, as editor or viewer)",
    dependencies=[OWNER],
)
async def set_access(service: ServiceDep, notebook_id: str, body: AccessUpdate) -> NotebookAccess:
    shares = [Share(entry.kind, entry.name, Role.named(entry.role)) for entry in body.shares]
    return access_view(await service.set_access(notebook_id, shares))
