"""Sign-in with an OpenID Connect provider: the authorization code flow with PKCE and a nonce (authlib checks the ID
token's signature, issuer, audience, expiry and nonce); the person it names is kept in the signed session cookie."""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from typing import Any

from authlib.integrations.starlette_client import OAuth, OAuthError
from starlette.requests import Request
from starlette.responses import Response

from app.core.config import Settings
from app.core.security import SESSION_CSRF, SESSION_USER

CALLBACK_PATH = "/api/auth/callback"
SESSION_NEXT = "next"


class SignInFailed(Exception):
    """The provider refused, or the answer did not check out: the person signs in again."""


def session_cookie(settings: Settings) -> tuple[str, bool]:
    """The cookie's name and whether it is Secure: `__Host-` binds a secure cookie to exactly this host and path."""
    secure = settings.public_url.startswith("https://")
    return ("__Host-session" if secure else "session"), secure


def safe_next(next_path: str | None) -> str:
    """Only a path of this site: an absolute or scheme-relative URL would make sign-in an open redirect."""
    if not next_path or not next_path.startswith("/") or next_path.startswith("//") or "\\" in next_path:
        return "/"
    return next_path


def user_of(claims: Mapping[str, Any], groups_claim: str) -> dict[str, object]:
    """What the session keeps of the ID token: the e-mail names a person when the provider vouches for it (people
    share with e-mails), else the provider's subject does."""
    email = claims.get("email") if claims.get("email_verified", True) is not False else None
    groups = claims.get(groups_claim) or []
    if isinstance(groups, str):
        groups = [groups]
    identity = email or str(claims["sub"])
    name = claims.get("name") or claims.get("preferred_username") or identity
    return {"id": identity, "name": str(name), "email": email, "groups": [str(group) for group in groups]}


class SignIn:
    def __init__(self, settings: Settings) -> None:
        assert settings.oidc_client_secret is not None
        self.groups_claim = settings.oidc_groups_claim
        self.redirect_uri = settings.public_url.rstrip("/") + CALLBACK_PATH
        oauth = OAuth()
        self.client = oauth.register(
            "idp",
            client_id=settings.oidc_client_id,
            client_secret=settings.oidc_client_secret.get_secret_value(),
            server_metadata_url=settings.oidc_issuer.rstrip("/") + "/.well-known/openid-configuration",
            client_kwargs={"scope": settings.oidc_scopes, "code_challenge_method": "S256"},
        )

    async def start(self, request: Request, next_path: str | None) -> Response:
        """Redirects to the provider; the state, nonce and PKCE verifier wait in the session for the callback."""
        request.session[SESSION_NEXT] = safe_next(next_path)
        try:
            response: Response = await self.client.authorize_redirect(request, self.redirect_uri)
        except Exception as error:  # discovery failed: the provider is down or OIDC_ISSUER is wrong
            raise SignInFailed(f"the identity provider could not be reached: {error}") from error
        return response

    async def finish(self, request: Request) -> str:
        """Signs the person in; returns where they were going. A new CSRF token comes with every sign-in."""
        try:
            token = await self.client.authorize_access_token(request)
        except OAuthError as error:
            raise SignInFailed(error.description or error.error) from error
        claims = token.get("userinfo")
        if not claims or "sub" not in claims:
            raise SignInFailed("the identity provider's answer named nobody (no ID token)")
        next_path = safe_next(request.session.get(SESSION_NEXT))
        user = user_of(claims, self.groups_claim)
        request.session.clear()  # nothing from before sign-in carries over into the signed-in session
        request.session[SESSION_USER] = user
        request.session[SESSION_CSRF] = secrets.token_urlsafe(32)
        return next_path
