"""The access token: required on every /api request and WebSocket when ACCESS_TOKEN is set."""

from __future__ import annotations

import hmac
from urllib.parse import urlsplit

from fastapi import status
from fastapi.security.utils import get_authorization_scheme_param
from pydantic import SecretStr
from starlette.datastructures import Headers
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Receive, Scope, Send

# Browsers cannot set headers on a WebSocket: they offer the token as a subprotocol `bearer.<token>` next to
# `notebook` (the one the server selects), or as a `token` query parameter. Other clients may also send
# `Authorization: Bearer <token>`.
WS_PROTOCOL = "notebook"
WS_TOKEN_PREFIX = "bearer."


def token_matches(expected: SecretStr | None, presented: str | None) -> bool:
    if expected is None:
        return True
    if not presented:
        return False
    return hmac.compare_digest(expected.get_secret_value().encode(), presented.encode())


def websocket_token(query_token: str | None, offered_protocols: list[str], authorization: str | None) -> str | None:
    """Browsers offer it as a subprotocol or a query parameter; other clients may send the usual header."""
    for protocol in offered_protocols:
        if protocol.startswith(WS_TOKEN_PREFIX):
            return protocol[len(WS_TOKEN_PREFIX) :]
    scheme, token = get_authorization_scheme_param(authorization)
    if scheme.lower() == "bearer" and token:
        return token
    return query_token


def origin_allowed(origin: str | None, host: str | None, allowed_origins: list[str]) -> bool:
    """Whether a browser page may open the WebSocket when no token protects it (CORS does not cover WebSockets):
    same-origin pages and ALLOWED_ORIGINS may; clients that send no Origin are not browsers, so it does not apply."""
    if origin is None or "*" in allowed_origins or origin in allowed_origins:
        return True
    if not host:
        return False
    return urlsplit(origin).netloc.lower() == host.lower()


UNAUTHORIZED_DETAIL = "missing or wrong access token: send the server's ACCESS_TOKEN as `Authorization: Bearer <token>`"


class RequireToken:
    """Answers 401 to an /api request without the token before anything reads its body: a stranger's body is never
    parsed. The WebSocket checks the token itself (browsers cannot send an Authorization header with it)."""

    def __init__(self, app: ASGIApp, token: SecretStr | None) -> None:
        self.app = app
        self.token = token

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path: str = scope.get("path", "")
        if scope["type"] == "http" and (path == "/api" or path.startswith("/api/")):
            scheme, presented = get_authorization_scheme_param(Headers(scope=scope).get("authorization"))
            if not token_matches(self.token, presented if scheme.lower() == "bearer" else None):
                headers = {"WWW-Authenticate": "Bearer"}
                response = JSONResponse({"detail": UNAUTHORIZED_DETAIL}, status.HTTP_401_UNAUTHORIZED, headers)
                await response(scope, receive, send)
                return
        await self.app(scope, receive, send)
