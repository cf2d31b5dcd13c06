"""Who is asking, decided for every /api request and WebSocket before any body is read.

Three ways in: a signed-in person (the session cookie, see app.core.sign_in), the access token (automation: the smoke
test, scripts), or nobody at all when neither sign-in nor a token is configured. Requests that ride on the cookie must
also prove they come from this app's pages: a CSRF token in a header on every change, and an allowed Origin."""

from __future__ import annotations

import hmac
from dataclasses import replace
from typing import Literal
from urllib.parse import urlsplit

from fastapi import status
from fastapi.security.utils import get_authorization_scheme_param
from pydantic import SecretStr
from starlette.datastructures import Headers, QueryParams
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Receive, Scope, Send

from app.core.config import Settings
from app.core.principal import LOCAL, SERVICE_ID, Principal
from app.services.access import is_admin

# Browsers cannot set headers on a WebSocket: they offer the token as a subprotocol `bearer.<token>` next to
# `notebook` (the one the server selects), or as a `token` query parameter. Other clients may also send
# `Authorization: Bearer <token>`.
WS_PROTOCOL = "notebook"
WS_TOKEN_PREFIX = "bearer."
CSRF_HEADER = "X-CSRF-Token"
SESSION_USER = "user"
SESSION_CSRF = "csrf"
# Reached before anyone is known: the page asks what to show, then signs in.
PUBLIC_PATHS = frozenset({"/api/auth/session", "/api/auth/login", "/api/auth/callback"})
UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})

SignedInBy = Literal["token", "session", "nothing"]


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
    """Whether a browser page may send this (CORS does not cover WebSockets or simple form posts): same-origin pages
    and ALLOWED_ORIGINS may; clients that send no Origin are not browsers, so it does not apply."""
    if origin is None or "*" in allowed_origins or origin in allowed_origins:
        return True
    if not host:
        return False
    return urlsplit(origin).netloc.lower() == host.lower()


def principal_from_session(session: dict[str, object], settings: Settings) -> Principal | None:
    user = session.get(SESSION_USER)
    if not isinstance(user, dict):
        return None
    email, groups = user.get("email"), user.get("groups")
    principal = Principal(
        id=str(user["id"]),
        name=str(user["name"]),
        kind="user",
        email=email if isinstance(email, str) else None,
        groups=frozenset(str(group) for group in groups) if isinstance(groups, list) else frozenset(),
    )
    # Decided at each request, so a change of ADMIN_USERS or ADMIN_GROUPS applies at the next deploy.
    admin = is_admin(principal, settings.admin_users, settings.admin_groups)
    return replace(principal, admin=admin)


def service_principal(settings: Settings) -> Principal:
    principal = Principal(id=SERVICE_ID, name="Access token", kind="service")
    return replace(principal, admin=is_admin(principal, settings.admin_users, ()))


def unauthorized_detail(settings: Settings) -> str:
    if settings.oidc_issuer:
        return "not signed in: sign in at /api/auth/login, or send the server's ACCESS_TOKEN as `Authorization: Bearer`"
    return "missing or wrong access token: send the server's ACCESS_TOKEN as `Authorization: Bearer <token>`"


def identify(scope: Scope, settings: Settings) -> tuple[Principal | None, SignedInBy]:
    headers = Headers(scope=scope)
    if scope["type"] == "websocket":
        query = QueryParams(scope.get("query_string", b""))
        presented = websocket_token(
            query.get("token"), list(scope.get("subprotocols", [])), headers.get("authorization")
        )
    else:
        scheme, token = get_authorization_scheme_param(headers.get("authorization"))
        presented = token if scheme.lower() == "bearer" and token else None
    signed_in = bool(settings.oidc_issuer)
    if not signed_in and settings.access_token is None:
        return LOCAL, "nothing"
    if presented:  # a wrong token never falls back to the cookie: the caller meant the token
        if not token_matches(settings.access_token, presented) or settings.access_token is None:
            return None, "token"
        return (service_principal(settings) if signed_in else LOCAL), "token"
    if signed_in:
        principal = principal_from_session(scope.get("session", {}), settings)
        return principal, "session"
    return None, "token"


class Authenticate:
    """Sets scope["state"]["principal"] (None: nobody known) and ["signed_in_by"]. Answers 401 to an /api request
    from nobody, and 403 to a change riding on the cookie without the CSRF token or from another site's page, before
    anything reads its body. WebSocket routes refuse for themselves (app.api.routes.ws)."""

    def __init__(self, app: ASGIApp, settings: Settings) -> None:
        self.app = app
        self.settings = settings

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path: str = scope.get("path", "")
        if scope["type"] not in ("http", "websocket") or not (path == "/api" or path.startswith("/api/")):
            await self.app(scope, receive, send)
            return
        principal, signed_in_by = identify(scope, self.settings)
        state = scope.setdefault("state", {})
        state["principal"], state["signed_in_by"] = principal, signed_in_by
        if scope["type"] == "http" and path not in PUBLIC_PATHS:
            refusal = self._refusal(scope, principal, signed_in_by)
            if refusal is not None:
                await refusal(scope, receive, send)
                return
        await self.app(scope, receive, send)

    def _refusal(self, scope: Scope, principal: Principal | None, signed_in_by: SignedInBy) -> JSONResponse | None:
        if principal is None:
            detail = unauthorized_detail(self.settings)
            return JSONResponse({"detail": detail}, status.HTTP_401_UNAUTHORIZED, {"WWW-Authenticate": "Bearer"})
        if signed_in_by != "session" or scope["method"] not in UNSAFE_METHODS:
            return None
        headers = Headers(scope=scope)
        expected = str(scope.get("session", {}).get(SESSION_CSRF, ""))
        presented = headers.get(CSRF_HEADER, "")
        if not expected or not hmac.compare_digest(expected.encode(), presented.encode()):
            detail = f"missing or wrong {CSRF_HEADER} header: send the csrf_token of GET /api/auth/session with changes"
            return JSONResponse({"detail": detail}, status.HTTP_403_FORBIDDEN)
        origin = headers.get("origin")
        if not origin_allowed(origin, headers.get("host"), self.settings.page_origins):
            detail = f"pages from {origin} may not change notebooks here: add it to ALLOWED_ORIGINS"
            return JSONResponse({"detail": detail}, status.HTTP_403_FORBIDDEN)
        return None
