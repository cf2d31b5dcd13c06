from __future__ import annotations

from fastapi import APIRouter, Security

from app.api.deps import bearer
from app.api.responses import UNAUTHORIZED
from app.api.routes import audit, cells, history, kernels, notebooks, tables, transfer, ws

api_router = APIRouter(dependencies=[Security(bearer)], responses=UNAUTHORIZED)
api_router.include_router(audit.router)
api_router.include_router(transfer.router)
api_router.include_router(history.router)
api_router.include_router(notebooks.router)
api_router.include_router(cells.router)
api_router.include_router(tables.router)
api_router.include_router(kernels.router)

# The WebSocket checks the token itself: browsers cannot send an Authorization header with it.
ws_router = APIRouter()
ws_router.include_router(ws.router)
