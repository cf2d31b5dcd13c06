"""A ceiling on request bodies, checked before they are read into memory: larger ones get 413."""

from __future__ import annotations

from fastapi import HTTPException, status
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

# A cell's code may be 1 MiB (app.services.notebooks.MAX_CODE_BYTES); JSON escaping can make its body several times larger.
MAX_BODY_BYTES = 8 * 1024 * 1024


def _too_large(limit: int) -> str:
    return f"the request body is larger than {limit} bytes"


class BodySizeLimit:
    def __init__(self, app: ASGIApp, max_bytes: int = MAX_BODY_BYTES) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope["headers"]).get(b"content-length", b"")
        if declared.isdigit() and int(declared) > self.max_bytes:
            response = JSONResponse({"detail": _too_large(self.max_bytes)}, status.HTTP_413_CONTENT_TOO_LARGE)
            await response(scope, receive, send)
            return
        received = 0

        async def counted() -> Message:
            nonlocal received
            message = await receive()
            received += len(message.get("body", b""))
            if received > self.max_bytes:  # a chunked body carries no length up front
                raise HTTPException(status.HTTP_413_CONTENT_TOO_LARGE, _too_large(self.max_bytes))
            return message

        await self.app(scope, counted, send)
