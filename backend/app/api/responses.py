"""The error answers each route can give, for the OpenAPI schema (clients and schemathesis rely on it)."""

from __future__ import annotations

from typing import Any

from app.models import EditConflict, ErrorDetail

Responses = dict[int | str, dict[str, Any]]

UNAUTHORIZED: Responses = {
    401: {"model": ErrorDetail, "description": "not signed in, or the ACCESS_TOKEN is set and not carried"}
}
FORBIDDEN: Responses = {
    403: {
        "model": ErrorDetail,
        "description": "the caller's role on the notebook is too low, or a signed-in change lacks its CSRF token",
    }
}
NOT_FOUND: Responses = {404: {"model": ErrorDetail, "description": "no notebook or cell with that id"}}
TOO_LARGE: Responses = {413: {"model": ErrorDetail, "description": "code over 1 MiB, or a body over 8 MiB"}}
NOT_SAVED: Responses = {
    503: {"model": ErrorDetail, "description": "the storage did not acknowledge the change; nothing changed"}
}
CONFLICT: Responses = {
    409: {"model": EditConflict, "description": "the cell is at another revision than the edit's; nothing changed"}
}
ID_TAKEN: Responses = {409: {"model": ErrorDetail, "description": "a notebook with that id exists"}}
