from __future__ import annotations

from typing import Annotated

from fastapi import Depends, HTTPException, status
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from starlette.requests import HTTPConnection

from app.core.config import Settings
from app.core.security import token_matches
from app.services.notebooks import NotebookService

_bearer = HTTPBearer(
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


def require_token(
    settings: Annotated[Settings, Depends(get_settings)],
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> None:
    if not token_matches(settings.access_token, credentials.credentials if credentials else None):
        raise HTTPException(
            status.HTTP_401_UNAUTHORIZED,
            "missing or wrong access token: send the server's ACCESS_TOKEN as `Authorization: Bearer <token>`",
            headers={"WWW-Authenticate": "Bearer"},
        )


SettingsDep = Annotated[Settings, Depends(get_settings)]
ServiceDep = Annotated[NotebookService, Depends(get_service)]
