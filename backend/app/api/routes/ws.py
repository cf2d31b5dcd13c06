from __future__ import annotations

from fastapi import APIRouter, WebSocket
from starlette.responses import JSONResponse

from app.api.deps import ServiceDep, SettingsDep
from app.api.ws.connection import NotebookConnection
from app.core.security import WS_PROTOCOL, origin_allowed, unauthorized_detail
from app.services.access import Role, authorize
from app.services.errors import NotebookNotFound

router = APIRouter()
WS_UNAUTHORIZED = (
    "missing or wrong access token: offer the subprotocols `notebook` and `bearer.<token>`, or add ?token="
)


@router.websocket("/ws/notebooks/{notebook_id}")
async def notebook_socket(websocket: WebSocket, notebook_id: str, settings: SettingsDep, service: ServiceDep) -> None:
    principal = websocket.scope["state"]["principal"]  # app.core.security.Authenticate
    if principal is None:
        await _refuse(websocket, 401, WS_UNAUTHORIZED if not settings.oidc_issuer else unauthorized_detail(settings))
        return
    origin, host = websocket.headers.get("origin"), websocket.headers.get("host")
    # A token cannot be sent by another site's page; a cookie is sent by any page, so the page's origin is checked.
    if websocket.scope["state"]["signed_in_by"] != "token" and not origin_allowed(origin, host, settings.page_origins):
        await _refuse(websocket, 403, f"pages from {origin} may not open this notebook: add it to ALLOWED_ORIGINS")
        return
    try:
        live = service.get(notebook_id)
        authorize(principal, live.access, Role.VIEWER, "reading it", notebook_id)
    except NotebookNotFound as missing:
        await _refuse(websocket, 404, str(missing))
        return
    offered = list(websocket.scope.get("subprotocols", []))
    await websocket.accept(subprotocol=WS_PROTOCOL if WS_PROTOCOL in offered else None)
    await NotebookConnection(websocket, live, service, principal, websocket.app.state.audit).serve()


async def _refuse(websocket: WebSocket, status_code: int, detail: str) -> None:
    """An HTTP answer to the handshake when the server supports it; else accept and close with 4000 + status."""
    try:
        await websocket.send_denial_response(JSONResponse({"detail": detail}, status_code))
    except RuntimeError:
        await websocket.accept()
        await websocket.close(4000 + status_code, detail[:120])
