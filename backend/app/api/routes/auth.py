from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request, status
from fastapi.responses import RedirectResponse, Response
from starlette.exceptions import HTTPException

from app.api.deps import PrincipalDep, SettingsDep
from app.api.responses import UNAUTHORIZED, Responses
from app.core.principal import Principal
from app.core.security import SESSION_CSRF, principal_from_session
from app.core.sign_in import SignIn, SignInFailed
from app.models import AuthSession, ErrorDetail, SessionUser

# Answered to anyone: what to show before sign-in, and sign-in itself (app.core.security.PUBLIC_PATHS).
public_router = APIRouter(prefix="/auth", tags=["auth"])
router = APIRouter(prefix="/auth", tags=["auth"])
LOGIN_PATH = "/api/auth/login"
NOT_CONFIGURED: Responses = {404: {"model": ErrorDetail, "description": "sign-in is off (no OIDC_ISSUER)"}}


def _sign_in(request: Request) -> SignIn:
    sign_in: SignIn | None = request.app.state.sign_in
    if sign_in is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "sign-in is not configured on this server (OIDC_ISSUER)")
    return sign_in


@public_router.get(
    "/session", response_model=AuthSession, summary="How this server signs people in, and who is signed in"
)
def get_session(request: Request, settings: SettingsDep) -> AuthSession:
    principal: Principal | None = request.scope["state"]["principal"]
    user = (
        SessionUser(
            id=principal.id,
            name=principal.name,
            email=principal.email,
            groups=sorted(principal.groups),
            admin=principal.admin,
        )
        if principal is not None
        else None
    )
    if settings.oidc_issuer:
        csrf = request.session.get(SESSION_CSRF) if principal is not None and principal.kind == "user" else None
        return AuthSession(mode="oidc", user=user, csrf_token=csrf, login_url=LOGIN_PATH)
    if settings.access_token is not None:
        return AuthSession(mode="token", user=user, csrf_token=None, login_url=None)
    return AuthSession(mode="open", user=user, csrf_token=None, login_url=None)


@public_router.get(
    "/login",
    status_code=status.HTTP_302_FOUND,
    response_class=RedirectResponse,
    summary="Start signing in: redirects to the identity provider",
    responses=NOT_CONFIGURED
    | {502: {"model": ErrorDetail, "description": "the identity provider could not be reached"}},
)
async def login(
    request: Request, next: Annotated[str | None, Query(description="the page to return to, a path")] = None
) -> Response:
    try:
        return await _sign_in(request).start(request, next)
    except SignInFailed as failed:
        raise HTTPException(status.HTTP_502_BAD_GATEWAY, str(failed)) from None


@public_router.get(
    "/callback",
    status_code=status.HTTP_302_FOUND,
    response_class=RedirectResponse,
    summary="Where the identity provider returns: signs the person in, then redirects to the page they wanted",
    responses=NOT_CONFIGURED
    | {400: {"model": ErrorDetail, "description": "the provider refused, or its answer did not check out"}},
)
async def callback(request: Request, settings: SettingsDep) -> Response:
    try:
        next_path = await _sign_in(request).finish(request)
    except SignInFailed as failed:
        detail = f"sign-in failed: {failed}; sign in again at {LOGIN_PATH}"
        raise HTTPException(status.HTTP_400_BAD_REQUEST, detail) from None
    principal = principal_from_session(request.session, settings)
    request.app.state.audit.record(principal, "sign_in", None, {})
    return RedirectResponse(next_path, status.HTTP_302_FOUND)


@router.post(
    "/logout",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=UNAUTHORIZED | NOT_CONFIGURED,
    summary="Sign out: ends the session on this server",
)
def logout(request: Request, principal: PrincipalDep) -> None:
    _sign_in(request)
    request.session.clear()
    request.app.state.audit.record(principal, "sign_out", None, {})
