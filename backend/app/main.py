"""The notebook service: `uvicorn app.main:app` (one worker: notebooks and their kernels live in this process)."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI, Request, status
from fastapi.exception_handlers import http_exception_handler
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import JSONResponse, Response
from pydantic import TypeAdapter
from starlette.exceptions import HTTPException
from starlette.middleware.sessions import SessionMiddleware
from starlette.routing import Match

from app.api.main import api_router, open_router
from app.api.protocol import client_message, server_message
from app.api.routes import health
from app.audit import RecordChanges, audit_log_from_settings
from app.core.config import Settings, get_settings
from app.core.hosts import TrustedHosts
from app.core.limits import BodyLimits
from app.core.logs import configure_logging
from app.core.problems import public_problems
from app.core.security import CSRF_HEADER, Authenticate
from app.core.sign_in import SignIn, session_cookie
from app.engine import KernelOptions, SessionConfig
from app.engine.kernel.credentials import CredentialsEndpoint
from app.engine.kernel.ecs import EcsHost
from app.engine.kernel.hosts import default_host
from app.engine.kernel.role import AssumedRole
from app.services.access import AccessDenied
from app.services.errors import CellNotFound, CodeTooLarge, NotebookIdTaken, NotebookNotFound, StorageFailed
from app.services.notebooks import NotebookService
from app.storage import VersionNotFound, store_from_settings


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        configure_logging()
        audit = app.state.audit = audit_log_from_settings(settings)
        credentials = None
        # Else kernels get no AWS credentials at all; kernels as ECS tasks get their task's role instead.
        if settings.kernel_role_arn and settings.kernel_launcher == "process":
            credentials = CredentialsEndpoint(AssumedRole(settings.kernel_role_arn), os.environ)
            credentials.start()
        config = SessionConfig(
            time_limit=settings.cell_time_limit or None, kernel=KernelOptions(credentials=credentials)
        )
        try:
            service = NotebookService(
                store_from_settings(settings), config, settings.kernel_idle_seconds, settings.kernel_sizes
            )
            await service.load()
            app.state.notebooks = service
            host = default_host()
            if isinstance(host, EcsHost):
                host.fill_warm_pool()  # notebooks opened from the start find warm kernel tasks
            try:
                yield
            finally:
                await service.close()
        finally:
            if credentials is not None:
                credentials.close()
            audit.close()  # last: what the shutdown recorded is written too

    app = FastAPI(
        title="Reactive notebook",
        version=settings.app_version,
        description="REST and WebSocket API of the notebook service; docs/API.md describes the WebSocket messages.",
        lifespan=lifespan,
        generate_unique_id_function=lambda route: (
            route.name
        ),  # operation ids are the function names: list_notebooks, ...
    )
    app.state.settings = settings
    app.state.sign_in = SignIn(settings) if settings.oidc_issuer else None
    # The last added runs first: the Host, then CORS (preflights carry no token), then the session cookie and who is
    # asking, all before any body is read; then the body's limits, before FastAPI decodes it.
    app.add_middleware(RecordChanges)  # innermost: sees the matched route and the final status
    app.add_middleware(BodyLimits)
    app.add_middleware(Authenticate, settings=settings)
    if settings.session_secret is not None and settings.oidc_issuer:
        name, secure = session_cookie(settings)
        app.add_middleware(
            SessionMiddleware,
            secret_key=settings.session_secret.get_secret_value(),
            session_cookie=name,
            max_age=round(settings.session_hours * 3600),
            same_site="lax",  # sent when following a link to the app (and the provider's redirect back), not by forms
            https_only=secure,
        )
    app.add_middleware(
        CORSMiddleware,
        allow_origins=settings.allowed_origins,
        allow_methods=["GET", "POST", "PUT", "DELETE"],
        allow_headers=["Authorization", "Content-Type", CSRF_HEADER],
        max_age=600,
    )
    app.add_middleware(TrustedHosts, allowed_hosts=settings.allowed_hosts)
    app.include_router(health.router)
    app.include_router(api_router, prefix="/api")
    app.include_router(open_router, prefix="/api")
    _handle_service_errors(app)
    _publish_protocol(app)
    return app


def _publish_protocol(app: FastAPI) -> None:
    """Adds the WebSocket messages to the OpenAPI document (which describes no WebSocket), as `ServerMessage` and
    `ClientMessage`, so that the front end's types are generated from them like those of the REST bodies."""
    generate = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is not None:
            return app.openapi_schema
        document = generate()  # also cached as app.openapi_schema, which the additions below complete
        unions, definitions = TypeAdapter.json_schemas(
            [("ServerMessage", "serialization", server_message), ("ClientMessage", "validation", client_message)],
            ref_template="#/components/schemas/{model}",
        )
        schemas = document.setdefault("components", {}).setdefault("schemas", {})
        schemas.update(definitions["$defs"] | schemas | {name: schema for (name, _), schema in unions.items()})
        return document

    app.openapi = openapi  # type: ignore[method-assign]


def _handle_service_errors(app: FastAPI) -> None:
    def detail(code: int) -> Callable[[Request, Exception], Awaitable[Response]]:
        async def handler(_request: Request, error: Exception) -> Response:
            return JSONResponse({"detail": str(error)}, code)

        return handler

    app.add_exception_handler(NotebookNotFound, detail(status.HTTP_404_NOT_FOUND))
    app.add_exception_handler(CellNotFound, detail(status.HTTP_404_NOT_FOUND))
    app.add_exception_handler(AccessDenied, detail(status.HTTP_403_FORBIDDEN))
    app.add_exception_handler(VersionNotFound, detail(status.HTTP_404_NOT_FOUND))
    app.add_exception_handler(NotebookIdTaken, detail(status.HTTP_409_CONFLICT))
    app.add_exception_handler(CodeTooLarge, detail(status.HTTP_413_CONTENT_TOO_LARGE))
    app.add_exception_handler(StorageFailed, detail(status.HTTP_503_SERVICE_UNAVAILABLE))

    async def invalid_request(_request: Request, error: Exception) -> Response:
        assert isinstance(error, RequestValidationError)
        return JSONResponse({"detail": public_problems(error.errors())}, status.HTTP_422_UNPROCESSABLE_CONTENT)

    app.add_exception_handler(RequestValidationError, invalid_request)

    async def http_error(request: Request, error: Exception) -> Response:
        assert isinstance(error, HTTPException)
        if error.status_code == status.HTTP_405_METHOD_NOT_ALLOWED:
            # Starlette names the methods of the first route with that path only; HTTP wants all of them.
            routes = [route for route in request.app.router.routes if route.matches(request.scope)[0] != Match.NONE]
            methods = sorted({method for route in routes for method in getattr(route, "methods", None) or ()})
            error.headers = {**(error.headers or {}), "Allow": ", ".join(methods)}
        return await http_exception_handler(request, error)

    app.add_exception_handler(HTTPException, http_error)


app = create_app()
