from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, status
from starlette.exceptions import HTTPException
from starlette.requests import HTTPConnection

from app.api.deps import get_service
from app.api.responses import Responses
from app.audit import AuditLog, AuditUnavailable, caller_of
from app.audit.events import encode
from app.core.principal import Principal
from app.models import AuditEvent, AuditEventList, AuditQuery, ErrorDetail
from app.services.access import Role, role_of
from app.services.errors import NotebookNotFound

router = APIRouter(tags=["audit"])

NOT_ALLOWED: Responses = {403: {"model": ErrorDetail, "description": "the caller may not read the audit log"}}
UNAVAILABLE: Responses = {503: {"model": ErrorDetail, "description": "the audit log's storage did not answer"}}


def may_read_audit(principal: Principal, notebook_id: str | None, connection: HTTPConnection) -> bool:
    """Admins read all of it; a notebook's owner reads that notebook's events while it exists."""
    if principal.admin:
        return True
    if notebook_id is None:
        return False
    try:
        live = get_service(connection).get(notebook_id)
    except NotebookNotFound:
        return False
    return role_of(principal, live.access) == Role.OWNER


def _audit_log(connection: HTTPConnection) -> AuditLog:
    audit: AuditLog = connection.app.state.audit
    return audit


@router.get(
    "/audit",
    response_model=AuditEventList,
    responses=NOT_ALLOWED | UNAVAILABLE,
    summary="Who ran, edited, shared or restored what, and when: newest first, a page at a time",
)
async def read_audit(
    connection: HTTPConnection,
    audit: Annotated[AuditLog, Depends(_audit_log)],
    query: Annotated[AuditQuery, Query()],
) -> AuditEventList:
    principal = caller_of(connection.scope)
    if principal is None or not may_read_audit(principal, query.notebook_id, connection):
        needed = "an admin" if query.notebook_id is None else "an admin or the notebook's owner"
        raise HTTPException(status.HTTP_403_FORBIDDEN, f"the audit log is for {needed} only")
    try:
        events, next_cursor = await audit.read(query.notebook_id, query.limit, query.before)
    except AuditUnavailable as error:
        raise HTTPException(status.HTTP_503_SERVICE_UNAVAILABLE, str(error)) from None
    return AuditEventList(
        events=[AuditEvent.model_validate_json(encode(event)) for event in events], next_cursor=next_cursor
    )
