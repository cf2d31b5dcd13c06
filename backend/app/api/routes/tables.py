from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, HTTPException, Query, status
from pydantic import TypeAdapter, ValidationError

from app.api.deps import READER, ServiceDep
from app.api.responses import NOT_FOUND, Responses
from app.engine import MAX_PAGE_ROWS, TableError, TableQuery
from app.models import ErrorDetail, TablePage

MAX_FILTER_CHARACTERS = 1000

router = APIRouter(prefix="/notebooks/{notebook_id}/cells/{cell_id}/table", tags=["cells"], responses=NOT_FOUND)

_STATUS = {
    "gone": status.HTTP_410_GONE,
    "busy": status.HTTP_409_CONFLICT,
    "invalid": status.HTTP_400_BAD_REQUEST,
}
TABLE_PROBLEMS: Responses = {
    409: {"model": ErrorDetail, "description": "the kernel is running a cell: try again when it finishes"},
    410: {
        "model": ErrorDetail,
        "description": "the frame is no longer in the kernel (the cell ran again or changed, the kernel restarted)",
    },
    400: {"model": ErrorDetail, "description": "an unknown column, or filters the frame's values cannot take"},
}
_filters: TypeAdapter[dict[str, str]] = TypeAdapter(dict[str, str])


@router.get(
    "",
    response_model=TablePage,
    responses=TABLE_PROBLEMS,
    summary="A page of the DataFrame a cell displayed, filtered and sorted over all its rows",
    dependencies=[READER],
)
async def table_page(
    service: ServiceDep,
    notebook_id: str,
    cell_id: str,
    table_id: Annotated[str, Query(description="the table output's table_id")],
    offset: Annotated[int, Query(ge=0, description="matching rows to skip")] = 0,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE_ROWS, description="rows to return")] = 100,
    sort: Annotated[str | None, Query(description="the column to sort by: stable, missing values last")] = None,
    descending: bool = False,
    filter: Annotated[
        str, Query(max_length=MAX_FILTER_CHARACTERS, description="rows with this text in any column, in any case")
    ] = "",
    filters: Annotated[
        str | None,
        Query(
            max_length=16 * MAX_FILTER_CHARACTERS,
            description='a JSON object of column to text, e.g. {"city": "par"}: rows with the text in each column',
        ),
    ] = None,
) -> TablePage:
    live = service.get(notebook_id)
    live.cell(cell_id)
    query = TableQuery(
        table_id=table_id,
        offset=offset,
        limit=limit,
        sort=sort,
        descending=descending,
        text=filter,
        filters=tuple(_column_filters(filters).items()),
    )
    try:
        page = await live.session.table_page(cell_id, query)
    except TableError as refused:
        headers = {"Retry-After": "1"} if refused.problem == "busy" else None
        raise HTTPException(_STATUS[refused.problem], str(refused), headers) from None
    return TablePage.model_validate(page)


def _column_filters(filters: str | None) -> dict[str, str]:
    if filters is None:
        return {}
    try:
        parsed = _filters.validate_json(filters)
    except ValidationError:
        raise HTTPException(
            status.HTTP_400_BAD_REQUEST,
            'filters must be a JSON object of column label to text, e.g. {"city": "par"}',
        ) from None
    return {column: text for column, text in parsed.items() if text}
