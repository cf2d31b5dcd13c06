from __future__ import annotations

from dataclasses import asdict

from fastapi import APIRouter, status

from app.api.deps import EDITOR, PrincipalDep, ServiceDep, SettingsDep
from app.api.responses import FORBIDDEN, NOT_FOUND
from app.core.kernel_sizes import KERNEL_SIZES
from app.models import KernelInfo, KernelList, KernelSizeOption, KernelSizes
from app.services.access import role_of

router = APIRouter(prefix="/kernels", tags=["kernels"])


@router.get(
    "",
    response_model=KernelList,
    summary="The running kernels of the notebooks the caller may read, most recently changed notebook first",
)
def list_kernels(service: ServiceDep, principal: PrincipalDep) -> KernelList:
    kernels = service.kernels()
    readable = {live.id for live in service.notebooks() if role_of(principal, live.access) is not None}
    return KernelList(kernels=[KernelInfo(**asdict(usage)) for usage in kernels if usage.notebook_id in readable])


@router.get("/sizes", response_model=KernelSizes, summary="The kernel sizes notebooks may choose, and where they run")
def kernel_sizes(settings: SettingsDep) -> KernelSizes:
    return KernelSizes(
        launcher=settings.kernel_launcher,
        default=settings.kernel_sizes[0],
        sizes=[
            KernelSizeOption(name=name, vcpus=KERNEL_SIZES[name].vcpus, memory_gib=KERNEL_SIZES[name].memory_gib)
            for name in settings.kernel_sizes
        ],
    )


@router.delete(
    "/{notebook_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=NOT_FOUND | FORBIDDEN,
    summary="Stop a notebook's kernel and every process it started",
    dependencies=[EDITOR],
)
async def stop_kernel(service: ServiceDep, notebook_id: str) -> None:
    await service.stop_kernel(notebook_id)
