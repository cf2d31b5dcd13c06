"""Every successful change through the REST API goes to the audit log."""

from __future__ import annotations

import json
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.core.principal import LOCAL, Principal

CHANGES = frozenset({"POST", "PUT", "PATCH", "DELETE"})
# Signing in and out are recorded by the sign-in routes themselves, with what they learn.
NOT_RECORDED = "/api/auth/"
# Enough of a response to find the id of a notebook it made; the bodies that name one are short.
MAX_BODY_KEPT = 4096


def caller_of(scope: Scope) -> Principal | None:
    """Who asks (app.core.security.Authenticate decides, None: nobody known); without it, the local user."""
    principal: Principal | None = scope.get("state", {}).get("principal", LOCAL)
    return principal


class RecordChanges:
    """Records each POST, PUT, PATCH or DELETE under /api answered with a 2xx in app.state.audit: the action is the
    route's name (its operation id: update_cell, ...), with the notebook_id and the other path parameters (cell_id,
    version_id, ...) as detail. Never the request's body: it may hold a database password. The router notes the
    matched route and its parameters in the scope, which this shares, before the response starts."""

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

        answer = _Answer()

        async def record_then_send(message: Message) -> None:
            if answer.follow(message):
                _record(scope, answer)
            await send(message)

        await self.app(scope, receive, record_then_send)


class _Answer:
    """The response as it goes out: its status, and the start of its body, where a change whose path names no notebook
    (create_notebook, import_notebook) names the one it made."""

    def __init__(self) -> None:
        self.status = 0
        self.body = b""

    def follow(self, message: Message) -> bool:
        """Whether this message ends a successful response."""
        if message["type"] == "http.response.start":
            self.status = message["status"]
            return False
        if message["type"] != "http.response.body" or not 200 <= self.status < 300:
            return False
        if len(self.body) < MAX_BODY_KEPT:
            self.body += message.get("body", b"")
        return not message.get("more_body", False)

    def created_id(self) -> str | None:
        try:
            answer = json.loads(self.body)
        except ValueError:
            return None
        created = answer.get("notebook_id") if isinstance(answer, dict) else None
        return created if isinstance(created, str) else None


def _record(scope: Scope, answer: _Answer) -> None:
    name = getattr(scope.get("route"), "name", None)
    principal = caller_of(scope)
    if name is None or principal is None:
        return
    detail: dict[str, Any] = dict(scope.get("path_params", {}))
    notebook_id = detail.pop("notebook_id", None) or answer.created_id()
    scope["app"].state.audit.record(principal, name, notebook_id, detail)
