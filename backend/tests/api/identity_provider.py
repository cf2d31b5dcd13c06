"""A small OpenID Connect provider on a loopback port, for the backend's sign-in to talk to as it would to Cognito:
discovery, its signing key, an authorization endpoint that signs in at once whoever the test names (`login_hint`),
and a token endpoint that checks the client, the PKCE verifier and the code (once) before it answers an RS256 ID token.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

import httpx
from joserfc import jwt
from joserfc.jwk import RSAKey
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.routing import Route

from app.core.config import Settings
from app.main import create_app

from .conftest import TIMEOUT, TOKEN, Server, make_settings

CLIENT_ID = "notebook"
CLIENT_SECRET = "client-secret"
SESSION_SECRET = "a-session-secret-of-at-least-32-characters"


@dataclass(frozen=True)
class User:
    sub: str
    email: str
    name: str
    groups: tuple[str, ...] = ()


USERS = {
    "alice": User("sub-alice", "alice@example.com", "Alice"),
    "bob": User("sub-bob", "bob@example.com", "Bob"),
    "carol": User("sub-carol", "carol@example.com", "Carol", ("data-team",)),
    "dave": User("sub-dave", "dave@example.com", "Dave"),
    "erin": User("sub-erin", "erin@example.com", "Erin", ("admins",)),
}


@dataclass
class _Grant:
    user: User
    redirect_uri: str
    nonce: str | None
    challenge: str


@dataclass
class IdentityProvider:
    client_id: str = CLIENT_ID
    client_secret: str = CLIENT_SECRET
    users: dict[str, User] = field(default_factory=lambda: dict(USERS))
    # Set to make the authorization endpoint answer this OAuth error instead of a code.
    refuse_with: str | None = None
    _codes: dict[str, _Grant] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.key = RSAKey.generate_key(2048, parameters={"kid": "test-key", "use": "sig", "alg": "RS256"})
        app = Starlette(
            routes=[
                Route("/.well-known/openid-configuration", self._discovery),
                Route("/jwks", self._jwks),
                Route("/authorize", self._authorize),
                Route("/token", self._token, methods=["POST"]),
            ]
        )
        self.server = Server(app)  # type: ignore[arg-type]  # uvicorn serves any ASGI app
        self.url = self.server.url

    def _discovery(self, _request: Request) -> Response:
        return JSONResponse(
            {
                "issuer": self.url,
                "authorization_endpoint": f"{self.url}/authorize",
                "token_endpoint": f"{self.url}/token",
                "jwks_uri": f"{self.url}/jwks",
                "response_types_supported": ["code"],
                "subject_types_supported": ["public"],
                "id_token_signing_alg_values_supported": ["RS256"],
                "code_challenge_methods_supported": ["S256"],
                "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
            }
        )

    def _jwks(self, _request: Request) -> Response:
        return JSONResponse({"keys": [self.key.as_dict(private=False)]})

    def _authorize(self, request: Request) -> Response:
        query = request.query_params
        redirect_uri, state = query["redirect_uri"], query.get("state", "")
        if query.get("client_id") != self.client_id or query.get("code_challenge_method") != "S256":
            return JSONResponse({"error": "invalid_request"}, 400)
        if self.refuse_with is not None:
            answer = {"error": self.refuse_with, "error_description": "the person declined", "state": state}
            return RedirectResponse(f"{redirect_uri}?{urlencode(answer)}", 302)
        code = secrets.token_urlsafe(16)
        user = self.users[query.get("login_hint", "alice")]
        self._codes[code] = _Grant(user, redirect_uri, query.get("nonce"), query["code_challenge"])
        return RedirectResponse(f"{redirect_uri}?{urlencode({'code': code, 'state': state})}", 302)

    async def _token(self, request: Request) -> Response:
        form = dict(parse_qsl((await request.body()).decode()))  # without python-multipart, which forms need
        client_id, client_secret = form.get("client_id"), form.get("client_secret")
        scheme, _, credentials = request.headers.get("authorization", "").partition(" ")
        if scheme.lower() == "basic":
            client_id, _, client_secret = base64.b64decode(credentials).decode().partition(":")
        if client_id != self.client_id or not hmac.compare_digest(str(client_secret), self.client_secret):
            return JSONResponse({"error": "invalid_client"}, 401)
        grant = self._codes.pop(str(form.get("code")), None)  # a code is good once
        if grant is None or form.get("redirect_uri") != grant.redirect_uri:
            return JSONResponse({"error": "invalid_grant", "error_description": "unknown or used code"}, 400)
        digest = hashlib.sha256(str(form.get("code_verifier", "")).encode()).digest()
        if base64.urlsafe_b64encode(digest).rstrip(b"=").decode() != grant.challenge:
            return JSONResponse({"error": "invalid_grant", "error_description": "PKCE verifier mismatch"}, 400)
        now = int(time.time())
        user = grant.user
        claims: dict[str, Any] = {
            "iss": self.url,
            "aud": self.client_id,
            "sub": user.sub,
            "iat": now,
            "exp": now + 300,
            "email": user.email,
            "email_verified": True,
            "name": user.name,
            "groups": list(user.groups),
        }
        if grant.nonce is not None:
            claims["nonce"] = grant.nonce
        id_token = jwt.encode({"alg": "RS256", "kid": self.key.kid}, claims, self.key)
        return JSONResponse(
            {"access_token": secrets.token_urlsafe(16), "token_type": "Bearer", "expires_in": 300, "id_token": id_token}
        )

    def settings(self, directory: Path, **overrides: Any) -> Settings:
        """The backend's settings for signing in here; ERIN (group `admins`) is an admin."""
        return make_settings(
            directory,
            **{
                "oidc_issuer": self.url,
                "oidc_client_id": self.client_id,
                "oidc_client_secret": self.client_secret,
                "session_secret": SESSION_SECRET,
                "public_url": "http://localhost",
                "admin_groups": ["admins"],
                "access_token": TOKEN,
            }
            | overrides,
        )


@contextmanager
def running_provider() -> Iterator[IdentityProvider]:
    provider = IdentityProvider()
    provider.server.start()
    try:
        yield provider
    finally:
        provider.server.stop()


def local(url: str) -> str:
    """A URL of the app as the path and query its client asks for (the app's clients have their own base URL)."""
    parts = urlsplit(url)
    return f"{parts.path}?{parts.query}" if parts.query else parts.path


async def provider_answer(api: httpx.AsyncClient, user: str = "alice", next_path: str | None = None) -> str:
    """Starts signing in and lets the provider sign `user` in: the callback URL it sends the browser back to."""
    login = await api.get("/api/auth/login", params={} if next_path is None else {"next": next_path})
    assert login.status_code == 302, login.text
    async with httpx.AsyncClient(timeout=TIMEOUT) as browser:
        answer = await browser.get(f"{login.headers['location']}&{urlencode({'login_hint': user})}")
    assert answer.status_code == 302, answer.text
    return str(answer.headers["location"])


async def sign_in(api: httpx.AsyncClient, provider: IdentityProvider, user: str = "alice") -> str:
    """Signs `user` in through `provider` with this client's cookies; returns the session's CSRF token."""
    callback = await api.get(local(await provider_answer(api, user)))
    assert callback.status_code == 302, callback.text
    session = (await api.get("/api/auth/session")).json()
    assert session["user"]["email"] == provider.users[user].email
    token: str = session["csrf_token"]
    return token


@contextmanager
def serving(settings: Settings) -> Iterator[Server]:
    """The app with these settings on a loopback port, as in production (WebSockets need a real server)."""
    server = Server(create_app(settings))
    server.start()
    try:
        yield server
    finally:
        server.stop()


def browser_headers(api: httpx.AsyncClient, server: Server) -> dict[str, str]:
    """What a page of the app sends with its WebSocket: the session cookie of `api`, and its own origin."""
    cookie = "; ".join(f"{name}={value}" for name, value in api.cookies.items())
    return {"Cookie": cookie, "Origin": server.url}
