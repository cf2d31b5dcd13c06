from __future__ import annotations

from fastapi import APIRouter, Security

from app.api.deps import bearer, session_cookie
from app.api.responses import UNAUTHORIZED
from app.api.routes import audit, auth, cells, history, kernels, notebooks, tables, transfer, ws

api_router = APIRouter(dependencies=[Security(bearer), Security(session_cookie)], responses=UNAUTHORIZED)
api_router.include_router(auth.router)
api_router.include_router(audit.router)
api_router.include_router(transfer.router)
api_router.include_router(history.router)
api_router.include_router(notebooks.router)
api_router.include_router(cells.router)
api_router.include_router(tables.router)
api_router.include_router(kernels.router)

# Routes that decide for themselves who may use them: sign-in (anyone), and the WebSocket (browsers cannot send an
# Authorization header with it).
open_router = APIRouter()
open_router.include_router(auth.public_router)
open_router.include_router(ws.router)
