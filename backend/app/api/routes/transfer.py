"""Export a notebook as a script, a Jupyter notebook or a static page; import one from a script or a Jupyter
notebook (app.services.export and app.services.import_ say how each format is written and read)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, HTTPException, Query, status
from fastapi.responses import Response

from app.api.deps import READER, PrincipalDep, ServiceDep
from app.api.responses import NOT_FOUND, NOT_SAVED, TOO_LARGE
from app.api.views import owner_for
from app.models import ExportParameters, NotebookCreated, NotebookImport
from app.services import export
from app.services.import_ import ImportFailed, from_content

router = APIRouter(prefix="/notebooks", tags=["notebooks"])

WRITERS = {"py": export.to_python, "ipynb": export.to_ipynb, "html": export.to_html}


@router.get(
    "/{notebook_id}/export",
    responses=NOT_FOUND | {200: {"content": {media: {} for media in export.MEDIA_TYPES.values()}}},
    response_class=Response,
    summary="The notebook as a Python script, a Jupyter notebook (.ipynb) or a static HTML page, as a download",
    dependencies=[READER],
)
def export_notebook(
    service: ServiceDep, notebook_id: str, parameters: Annotated[ExportParameters, Query()]
) -> Response:
    live = service.get(notebook_id)
    format = parameters.format
    headers = {
        "Content-Disposition": export.content_disposition(live.name, format),
        "X-Content-Type-Options": "nosniff",
    }
    if format == "html":
        headers["Content-Security-Policy"] = "sandbox allow-scripts; " + export.CSP
    return Response(WRITERS[format](export.exported(live)), media_type=export.MEDIA_TYPES[format], headers=headers)


@router.post(
    "/import",
    status_code=status.HTTP_201_CREATED,
    response_model=NotebookCreated,
    responses=TOO_LARGE | NOT_SAVED,
    summary="A new notebook from a Jupyter notebook (.ipynb) or a Python script",
)
async def import_notebook(service: ServiceDep, principal: PrincipalDep, body: NotebookImport) -> NotebookCreated:
    try:
        notebook = from_content(body.content, body.format)
    except ImportFailed as error:
        raise HTTPException(
            status.HTTP_422_UNPROCESSABLE_CONTENT,
            [{"type": "import_invalid", "loc": ["body", "content"], "msg": str(error)[:300]}],
        ) from None
    live = await service.create(body.name, notebook, owner=owner_for(principal))
    return NotebookCreated(notebook_id=live.id)
