"""The access token: required on every /api request and WebSocket when ACCESS_TOKEN is set."""

from __future__ import annotations

import hmac
from urllib.parse import urlsplit

from fastapi.security.utils import get_authorization_scheme_param
from pydantic import SecretStr

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
