from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends
from fastapi.security import APIKeyCookie, HTTPBearer
from starlette.requests import HTTPConnection

from app.core.config import Settings
from app.core.principal import Principal, principal_of
from app.services.access import Role, authorize
from app.services.notebooks import NotebookService

# Declare the schemes in the OpenAPI document; app.core.security.Authenticate enforces them, before the body is read.
bearer = HTTPBearer(
    auto_error=False,
    description="The server's ACCESS_TOKEN, as `Authorization: Bearer <token>` (automation); not needed when it is "
    "unset and sign-in is off.",
)
session_cookie = APIKeyCookie(
    name="__Host-session",
    auto_error=False,
    description="The sign-in session (`session` over plain HTTP), set by GET /api/auth/callback; changes also need "
    "the X-CSRF-Token header.",
)


# From an HTTPConnection, so that WebSocket routes get them like the others.
def get_settings(connection: HTTPConnection) -> Settings:
    settings: Settings = connection.app.state.settings
    return settings


def get_service(connection: HTTPConnection) -> NotebookService:
    service: NotebookService = connection.app.state.notebooks
    return service


SettingsDep = Annotated[Settings, Depends(get_settings)]
ServiceDep = Annotated[NotebookService, Depends(get_service)]
PrincipalDep = Annotated[Principal, Depends(principal_of)]


class NotebookRole:
    """A route's need on the notebook its path names: the caller's role there, or 404 for someone who may not read
    it and 403 for a role too low. Tests find every route's need through this dependency."""

    def __init__(self, needed: Role, doing: str) -> None:
        self.needed = needed
        self.doing = doing

    def __call__(self, connection: HTTPConnection, notebook_id: str) -> Role:
        live = get_service(connection).get(notebook_id)
        return authorize(principal_of(connection), live.access, self.needed, self.doing, notebook_id)


def needs(needed: Role, doing: str) -> Any:
    return Depends(NotebookRole(needed, doing))


READER = needs(Role.VIEWER, "reading it")
ReaderDep = Annotated[Role, READER]
EDITOR = needs(Role.EDITOR, "changing or running it")
OWNER = needs(Role.OWNER, "sharing or deleting it")
