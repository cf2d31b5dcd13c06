from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from app.api.deps import EDITOR, READER, PrincipalDep, ServiceDep
from app.api.responses import FORBIDDEN, ID_TAKEN, NOT_FOUND, NOT_SAVED
from app.api.views import notebook_view
from app.models import (
    CellChange,
    DeletedNotebookList,
    DeletedNotebookSummary,
    LineRun,
    Notebook,
    NotebookVersion,
    NotebookVersionDiff,
    NotebookVersionList,
    NotebookVersionSummary,
    VersionCell,
    VersionDiffQuery,
    VersionPageQuery,
)
from app.services.access import Role
from app.storage.documents import CellDocument

# Before the notebooks' routes: /notebooks/deleted is no notebook id.
router = APIRouter(prefix="/notebooks", tags=["history"])


@router.get(
    "/deleted",
    response_model=DeletedNotebookList,
    responses=NOT_SAVED,
    summary="Deleted notebooks the caller may bring back (their owners and admins), until the storage's retention "
    "removes them",
)
async def list_deleted(service: ServiceDep, principal: PrincipalDep) -> DeletedNotebookList:
    return DeletedNotebookList(
        notebooks=[
            DeletedNotebookSummary(id=item.notebook_id, name=name, deleted_at=item.deleted_at)
            for item, name in await service.deleted(principal)
        ]
    )


@router.post(
    "/{notebook_id}/undelete",
    response_model=Notebook,
    responses=NOT_FOUND | FORBIDDEN | ID_TAKEN | NOT_SAVED,
    summary="Bring back a deleted notebook as it was last saved (its owner or an admin)",
)
async def undelete(service: ServiceDep, notebook_id: str, principal: PrincipalDep) -> Notebook:
    return notebook_view(await service.undelete(notebook_id, principal), Role.OWNER)


@router.get(
    "/{notebook_id}/versions",
    response_model=NotebookVersionList,
    responses=NOT_FOUND | NOT_SAVED,
    summary="The notebook's saved versions, newest first, a page at a time",
    dependencies=[READER],
)
async def list_versions(
    service: ServiceDep,
    notebook_id: str,
    page: Annotated[VersionPageQuery, Query()],
) -> NotebookVersionList:
    found, next_cursor = await service.versions(notebook_id, page.cursor, page.limit)
    return NotebookVersionList(
        versions=[
            NotebookVersionSummary(
                version_id=version.version_id,
                saved_at=version.saved_at,
                deleted=version.deleted,
                name=document.name if document else None,
                cell_count=len(document.cells) if document else None,
            )
            for version, document in found
        ],
        next_cursor=next_cursor,
    )


@router.get(
    "/{notebook_id}/versions/{version_id}",
    response_model=NotebookVersion,
    responses=NOT_FOUND | NOT_SAVED,
    summary="One saved version of the notebook: its name and cells",
    dependencies=[READER],
)
async def get_version(service: ServiceDep, notebook_id: str, version_id: str) -> NotebookVersion:
    document = await service.version(notebook_id, version_id)
    return NotebookVersion(version_id=version_id, name=document.name, cells=[_cell(c) for c in document.cells])


@router.get(
    "/{notebook_id}/versions/{version_id}/diff",
    response_model=NotebookVersionDiff,
    responses=NOT_FOUND | NOT_SAVED,
    summary="What the version changes against another version or, by default, the notebook as it is now",
    dependencies=[READER],
)
async def diff_version(
    service: ServiceDep, notebook_id: str, version_id: str, query: Annotated[VersionDiffQuery, Query()]
) -> NotebookVersionDiff:
    version, base_name, changes = await service.compare(notebook_id, version_id, query.base)
    return NotebookVersionDiff(
        version_id=version_id,
        base_version_id=query.base,
        name=version.name,
        base_name=base_name,
        cells=[
            CellChange(
                id=change.id,
                change=change.kind,
                moved=change.moved,
                base=None if change.base is None else _cell(change.base),
                version=None if change.version is None else _cell(change.version),
                lines=[LineRun(kind=run.kind, lines=run.lines) for run in change.lines],
            )
            for change in changes
        ],
    )


@router.post(
    "/{notebook_id}/versions/{version_id}/restore",
    response_model=Notebook,
    responses=NOT_FOUND | FORBIDDEN | NOT_SAVED,
    summary="Replace the notebook's cells with the version's (saved as a new version)",
)
async def restore_version(
    service: ServiceDep, notebook_id: str, version_id: str, role: Annotated[Role, EDITOR]
) -> Notebook:
    await service.restore(notebook_id, version_id)
    return notebook_view(service.get(notebook_id), role)


def _cell(cell: CellDocument) -> VersionCell:
    return VersionCell(id=cell.id, type=cell.type, code=cell.code, output_name=cell.output_name)
