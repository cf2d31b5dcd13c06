from __future__ import annotations

from typing import Annotated

from fastapi import Depends
from fastapi.security import HTTPBearer
from starlette.requests import HTTPConnection

from app.core.config import Settings
from app.services.notebooks import NotebookService

# Declares the scheme in the OpenAPI document; app.core.security.RequireToken enforces it, before the body is read.
bearer = HTTPBearer(
    auto_error=False,
    description="The server's ACCESS_TOKEN, as `Authorization: Bearer <token>`; not needed when it is unset.",
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
