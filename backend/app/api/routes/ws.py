from __future__ import annotations

from fastapi import APIRouter, WebSocket
from starlette.responses import JSONResponse

from app.api.deps import ServiceDep, SettingsDep
from app.api.ws.connection import NotebookConnection
from app.core.security import WS_PROTOCOL, origin_allowed, token_matches, websocket_token
from app.services.errors import NotebookNotFound

router = APIRouter()


@router.websocket("/ws/notebooks/{notebook_id}")
async def notebook_socket(websocket: WebSocket, notebook_id: str, settings: SettingsDep, service: ServiceDep) -> None:
    offered = list(websocket.scope.get("subprotocols", []))
    token = websocket_token(websocket.query_params.get("token"), offered, websocket.headers.get("authorization"))
    if not token_matches(settings.access_token, token):
        detail = "missing or wrong access token: offer the subprotocols `notebook` and `bearer.<token>`, or add ?token="
        await _refuse(websocket, 401, detail)
        return
    origin, host = websocket.headers.get("origin"), websocket.headers.get("host")
    if settings.access_token is None and not origin_allowed(origin, host, settings.allowed_origins):
        await _refuse(websocket, 403, f"pages from {origin} may not open this notebook: add it to ALLOWED_ORIGINS")
        return
    try:
        live = service.get(notebook_id)
    except NotebookNotFound as missing:
        await _refuse(websocket, 404, str(missing))
        return
    await websocket.accept(subprotocol=WS_PROTOCOL if WS_PROTOCOL in offered else None)
    await NotebookConnection(websocket, live, service).serve()


async def _refuse(websocket: WebSocket, status_code: int, detail: str) -> None:
    """An HTTP answer to the handshake when the server supports it; else accept and close with 4000 + status."""
    try:
        await websocket.send_denial_response(JSONResponse({"detail": detail}, status_code))
    except RuntimeError:
        await websocket.accept()
        await websocket.close(4000 + status_code, detail[:120])
