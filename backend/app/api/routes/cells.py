from __future__ import annotations

from fastapi import APIRouter, status
from fastapi.responses import JSONResponse

from app.api.deps import EDITOR, ServiceDep
from app.api.responses import CONFLICT, FORBIDDEN, NOT_FOUND, NOT_SAVED, TOO_LARGE
from app.api.views import cell_in_view
from app.engine import CellType
from app.models import Cell, CellCreate, CellCreated, CellMove, CellOrder, CellUpdate, EditConflict
from app.services.errors import CellConflict

router = APIRouter(
    prefix="/notebooks/{notebook_id}/cells",
    tags=["cells"],
    responses=NOT_FOUND | FORBIDDEN | TOO_LARGE | NOT_SAVED,
    dependencies=[EDITOR],
)


@router.post("", status_code=status.HTTP_201_CREATED, response_model=CellCreated, summary="Add a cell")
async def create_cell(service: ServiceDep, notebook_id: str, body: CellCreate) -> CellCreated:
    cell_id = await service.add_cell(
        notebook_id,
        cell_type=CellType(body.type),
        code=body.code,
        output_name=body.output_name,
        after_cell_id=body.after_cell_id,
    )
    return CellCreated(cell_id=cell_id)


@router.put(
    "/{cell_id}",
    response_model=Cell,
    responses=CONFLICT,
    summary="Change a cell's code, type or SQL output name; it runs when asked",
)
async def update_cell(service: ServiceDep, notebook_id: str, cell_id: str, body: CellUpdate) -> Cell | JSONResponse:
    try:
        await service.update_cell(
            notebook_id,
            cell_id,
            code=body.code,
            cell_type=CellType(body.type) if body.type else None,
            output_name=body.output_name,
            revision=body.revision,
        )
    except CellConflict as conflict:
        # The current cell comes with the refusal, so the client can show it next to the edit it keeps.
        answer = EditConflict(detail=str(conflict), cell=cell_in_view(service.get(notebook_id), cell_id))
        return JSONResponse(answer.model_dump(mode="json"), status.HTTP_409_CONFLICT)
    return cell_in_view(service.get(notebook_id), cell_id)


@router.post("/{cell_id}/move", response_model=CellOrder, summary="Move a cell to another position")
async def move_cell(service: ServiceDep, notebook_id: str, cell_id: str, body: CellMove) -> CellOrder:
    return CellOrder(cell_ids=await service.move_cell(notebook_id, cell_id, body.index))


@router.delete("/{cell_id}", status_code=status.HTTP_204_NO_CONTENT, summary="Delete a cell; its dependents re-run")
async def delete_cell(service: ServiceDep, notebook_id: str, cell_id: str) -> None:
    await service.delete_cell(notebook_id, cell_id)
