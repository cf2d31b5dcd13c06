"""Only requests addressed to one of ALLOWED_HOSTS reach the app: a DNS name an attacker controls that resolves to
this server (DNS rebinding) makes a browser send its pages' requests here, with that name as Host."""

from __future__ import annotations

from urllib.parse import urlsplit

from fastapi import status
from starlette.datastructures import Headers
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Receive, Scope, Send

# The load balancer's health checker addresses the task by its private IP, which no setting can know in advance.
# The answer is the version only, so any Host may have it.
ANY_HOST_PATHS = frozenset({"/health"})


def host_name(host: str) -> str | None:
    """`Example.com:8080` → `example.com`, `[::1]:8000` → `::1`; None when it is no host at all."""
    try:
        return urlsplit(f"//{host.strip()}").hostname or None
    except ValueError:  # an unbalanced `[`
        return None


class TrustedHosts:
    def __init__(self, app: ASGIApp, allowed_hosts: list[str]) -> None:
        self.app = app
        self.allow_any = "*" in allowed_hosts
        self.allowed = {name for name in map(host_name, allowed_hosts) if name}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if self.allow_any or scope["type"] not in ("http", "websocket") or scope["path"] in ANY_HOST_PATHS:
            await self.app(scope, receive, send)
            return
        host = Headers(scope=scope).get("host", "")
        if host_name(host) in self.allowed:
            await self.app(scope, receive, send)
            return
        detail = f"the Host header {host[:100]!r} is not one of this server's names: add it to ALLOWED_HOSTS"
        await JSONResponse({"detail": detail}, status.HTTP_400_BAD_REQUEST)(scope, receive, send)
