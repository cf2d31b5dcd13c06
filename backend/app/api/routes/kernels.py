from __future__ import annotations

from dataclasses import asdict

from fastapi import APIRouter, status

from app.api.deps import ServiceDep
from app.api.responses import NOT_FOUND
from app.models import KernelInfo, KernelList

router = APIRouter(prefix="/kernels", tags=["kernels"])


@router.get("", response_model=KernelList, summary="Every running kernel, most recently changed notebook first")
def list_kernels(service: ServiceDep) -> KernelList:
    return KernelList(kernels=[KernelInfo(**asdict(usage)) for usage in service.kernels()])


@router.delete(
    "/{notebook_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=NOT_FOUND,
    summary="Stop a notebook's kernel and every process it started",
)
async def stop_kernel(service: ServiceDep, notebook_id: str) -> None:
    await service.stop_kernel(notebook_id)
