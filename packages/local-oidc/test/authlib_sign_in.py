"""Signs in to the local provider as the notebook backend does, with authlib's Starlette client: PKCE S256, a nonce,
the ID token checked by authlib (signature against the JWKS, issuer, audience, expiry, nonce). Then signs out through
the provider's end_session endpoint and checks the returning state. Prints what authlib made of it, as JSON.

Usage: python authlib_sign_in.py ISSUER CLIENT_ID CLIENT_SECRET "Sign in as Alice Example"
"""

from __future__ import annotations

import json
import re
import sys
from urllib.parse import urljoin

import httpx2
from authlib.integrations.starlette_client import OAuth
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.sessions import SessionMiddleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route
from starlette.testclient import TestClient

APP = "http://127.0.0.1:8000"


def relying_party(issuer: str, client_id: str, client_secret: str) -> Starlette:
    oauth = OAuth()
    idp = oauth.register(
        "idp",
        client_id=client_id,
        client_secret=client_secret,
        server_metadata_url=issuer + "/.well-known/openid-configuration",
        client_kwargs={"scope": "openid profile email", "code_challenge_method": "S256"},
    )

    async def login(request: Request) -> Response:
        response: Response = await idp.authorize_redirect(request, APP + "/api/auth/callback")
        return response

    async def callback(request: Request) -> Response:
        token = await idp.authorize_access_token(request)
        request.session["id_token"] = token["id_token"]
        userinfo = await idp.userinfo(token=token)
        return JSONResponse({"id_token": dict(token["userinfo"]), "userinfo": dict(userinfo)})

    async def logout(request: Request) -> Response:
        response: Response = await idp.logout_redirect(
            request, post_logout_redirect_uri=APP + "/", id_token_hint=request.session.pop("id_token")
        )
        return response

    async def home(request: Request) -> Response:
        await idp.validate_logout_response(request)
        return JSONResponse({"signed_out": True})

    return Starlette(
        routes=[
            Route("/api/auth/login", login),
            Route("/api/auth/callback", callback),
            Route("/api/auth/logout", logout),
            Route("/", home),
        ],
        middleware=[Middleware(SessionMiddleware, secret_key="s" * 32)],
    )


def browse(app: TestClient, idp: httpx2.Client, url: str, form: dict[str, str] | None = None) -> httpx2.Response:
    """Follows redirects as a browser does, between the relying party (in process) and the provider (over HTTP)."""
    method = "POST" if form is not None else "GET"
    while True:
        client = app if url.startswith(APP) else idp
        response = client.request(method, url, data=form, follow_redirects=False)
        if not response.is_redirect:
            return response
        url, method, form = urljoin(url, response.headers["location"]), "GET", None


def click(page: httpx2.Response, button: str) -> tuple[str, dict[str, str]]:
    """The form a button submits, with its hidden fields and the button's own name and value."""
    html = page.text
    found = re.search(rf'<button[^>]*name="([^"]+)" value="([^"]+)">{re.escape(button)}</button>', html)
    action = re.search(r'<form[^>]*action="([^"]+)"', html)
    if not found or not action:
        raise SystemExit(f"no button {button!r} on {page.url}: {html}")
    fields = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', html))
    return urljoin(str(page.url), action.group(1)), {**fields, found.group(1): found.group(2)}


def main(issuer: str, client_id: str, client_secret: str, button: str) -> None:
    with TestClient(relying_party(issuer, client_id, client_secret), base_url=APP) as app, httpx2.Client() as idp:
        sign_in_page = browse(app, idp, APP + "/api/auth/login")
        signed_in = browse(app, idp, *click(sign_in_page, button))
        signed_in.raise_for_status()
        sign_out_page = browse(app, idp, APP + "/api/auth/logout")
        signed_out = browse(app, idp, *click(sign_out_page, "Sign out"))
        signed_out.raise_for_status()
        print(json.dumps({**signed_in.json(), **signed_out.json()}))


if __name__ == "__main__":
    main(*sys.argv[1:5])
