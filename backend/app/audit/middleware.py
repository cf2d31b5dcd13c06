"""Every successful change through the REST API goes to the audit log."""

from __future__ import annotations

from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.core.principal import LOCAL, Principal

CHANGES = frozenset({"POST", "PUT", "PATCH", "DELETE"})
# Signing in and out are recorded by the sign-in routes themselves, with what they learn.
NOT_RECORDED = "/api/auth/"


def caller_of(scope: Scope) -> Principal | None:
    """Who asks (app.core.security.Authenticate decides, None: nobody known); without it, the local user."""
    principal: Principal | None = scope.get("state", {}).get("principal", LOCAL)
    return principal


class RecordChanges:
    """Records each POST, PUT or DELETE under /api answered with a 2xx in app.state.audit: the action is the route's
    name (its operation id: update_cell, ...), with the notebook_id and the other path parameters (cell_id,
    version_id, ...) as detail. Never the body: it may hold a database password. Runs after the routing (inside it),
    where the matched route is known."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path: str = scope.get("path", "")
        if (
            scope["type"] != "http"
            or scope["method"] not in CHANGES
            or not path.startswith("/api/")
            or path.startswith(NOT_RECORDED)
        ):
            await self.app(scope, receive, send)
            return

        async def record_then_send(message: Message) -> None:
            if message["type"] == "http.response.start" and 200 <= message["status"] < 300:
                _record(scope)
            await send(message)

        await self.app(scope, receive, record_then_send)


def _record(scope: Scope) -> None:
    name = getattr(scope.get("route"), "name", None)
    principal = caller_of(scope)
    if name is None or principal is None:
        return
    detail: dict[str, Any] = dict(scope.get("path_params", {}))
    notebook_id = detail.pop("notebook_id", None)
    scope["app"].state.audit.record(principal, name, notebook_id, detail)
