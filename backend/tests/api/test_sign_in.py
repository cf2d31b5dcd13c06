"""Sign-in with an OpenID Connect provider (a real one on loopback): the session cookie, refusals of a callback that
does not check out, `next`, sign-out, CSRF and Origin checks on changes, the access token as the `service` principal,
the settings sign-in needs, and the WebSocket riding on the cookie."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

import httpx
import pytest
import pytest_asyncio
from fastapi import FastAPI
from pydantic import ValidationError
from websockets.exceptions import InvalidStatus

from app.core.config import Settings
from app.main import create_app

from .conftest import TIMEOUT, TOKEN, client_of, make_settings, open_socket
from .identity_provider import (
    SESSION_SECRET,
    IdentityProvider,
    browser_headers,
    local,
    provider_answer,
    running_provider,
    serving,
    sign_in,
)

pytestmark = pytest.mark.asyncio

EVIL = "https://evil.example"


@pytest.fixture(scope="module")
def provider() -> Iterator[IdentityProvider]:
    with running_provider() as provider:
        yield provider


@asynccontextmanager
async def started(settings: Settings) -> AsyncIterator[FastAPI]:
    app = create_app(settings)
    async with app.router.lifespan_context(app):
        yield app


@pytest_asyncio.fixture
async def app(tmp_path: Path, provider: IdentityProvider) -> AsyncIterator[FastAPI]:
    async with started(provider.settings(tmp_path / "notebooks")) as app:
        yield app


@pytest_asyncio.fixture
async def api(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    async with client_of(app) as api:
        yield api


def set_cookie(response: httpx.Response) -> tuple[str, dict[str, Any]]:
    """The one cookie the response sets: its name and attributes (lower-case names; flags as True)."""
    [header] = response.headers.get_list("set-cookie")
    name, _, rest = header.partition("=")
    attributes: dict[str, Any] = {}
    for part in rest.split(";")[1:]:
        key, _, value = part.strip().partition("=")
        attributes[key.lower()] = value or True
    assert SimpleCookie(header)[name]  # well-formed
    return name, attributes


def with_query(url: str, **changes: str) -> str:
    parts = urlsplit(url)
    return parts._replace(query=urlencode(dict(parse_qsl(parts.query)) | changes)).geturl()


async def test_signing_in_sets_an_http_only_lax_cookie_and_names_the_person(
    api: httpx.AsyncClient, provider: IdentityProvider
) -> None:
    before = await api.get("/api/auth/session")
    assert before.json() == {"mode": "oidc", "user": None, "csrf_token": None, "login_url": "/api/auth/login"}
    assert (await api.get("/api/notebooks")).status_code == 401

    callback = await api.get(local(await provider_answer(api, "carol")))
    assert callback.status_code == 302
    assert callback.headers["location"] == "/"
    name, attributes = set_cookie(callback)
    assert name == "session"
    assert attributes["httponly"] is True
    assert attributes["samesite"] == "lax"
    assert attributes["path"] == "/"
    assert "secure" not in attributes  # PUBLIC_URL is http: a Secure cookie would never come back

    after = (await api.get("/api/auth/session")).json()
    assert after["mode"] == "oidc"
    assert after["user"] == {
        "id": "carol@example.com",
        "name": "Carol",
        "email": "carol@example.com",
        "groups": ["data-team"],
        "admin": False,
    }
    assert len(after["csrf_token"]) >= 32
    assert (await api.get("/api/notebooks")).status_code == 200


async def test_an_admin_group_makes_an_admin(api: httpx.AsyncClient, provider: IdentityProvider) -> None:
    await sign_in(api, provider, "erin")
    assert (await api.get("/api/auth/session")).json()["user"]["admin"] is True


async def test_over_https_the_cookie_is_secure_and_bound_to_the_host(
    tmp_path: Path, provider: IdentityProvider
) -> None:
    settings = provider.settings(tmp_path / "notebooks", public_url="https://notebooks.example.com")
    async with (
        started(settings) as app,
        httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="https://localhost") as api,
    ):
        login = await api.get("/api/auth/login")
    assert login.status_code == 302
    assert "redirect_uri=https%3A%2F%2Fnotebooks.example.com%2Fapi%2Fauth%2Fcallback" in login.headers["location"]
    name, attributes = set_cookie(login)  # the state and PKCE verifier wait in it
    assert name == "__Host-session"
    assert attributes["secure"] is True
    assert attributes["httponly"] is True
    assert attributes["samesite"] == "lax"
    assert attributes["path"] == "/"
    assert "domain" not in attributes


async def test_a_callback_with_another_state_is_refused(api: httpx.AsyncClient) -> None:
    answer = await provider_answer(api)
    refused = await api.get(local(with_query(answer, state="forged")))
    assert refused.status_code == 400
    assert refused.json()["detail"].startswith("sign-in failed: ")
    assert "sign in again at /api/auth/login" in refused.json()["detail"]
    assert (await api.get("/api/auth/session")).json()["user"] is None


async def test_a_callback_replayed_is_refused(api: httpx.AsyncClient) -> None:
    answer = await provider_answer(api, "bob")
    assert (await api.get(local(answer))).status_code == 302
    await api.post(
        "/api/auth/logout", headers={"X-CSRF-Token": (await api.get("/api/auth/session")).json()["csrf_token"]}
    )
    replayed = await api.get(local(answer))
    assert replayed.status_code == 400
    assert replayed.json()["detail"].startswith("sign-in failed: ")
    assert (await api.get("/api/auth/session")).json()["user"] is None


async def test_a_callback_replayed_by_another_browser_is_refused(app: FastAPI, api: httpx.AsyncClient) -> None:
    answer = await provider_answer(api, "bob")
    async with client_of(app) as thief:
        stolen = await thief.get(local(answer))
        assert stolen.status_code == 400
        assert (await thief.get("/api/auth/session")).json()["user"] is None


async def test_the_provider_refusing_is_a_400_that_says_why(api: httpx.AsyncClient, provider: IdentityProvider) -> None:
    provider.refuse_with = "access_denied"
    try:
        answer = await provider_answer(api)
    finally:
        provider.refuse_with = None
    refused = await api.get(local(answer))
    assert refused.status_code == 400
    assert refused.json()["detail"] == "sign-in failed: the person declined; sign in again at /api/auth/login"
    assert (await api.get("/api/auth/session")).json()["user"] is None


async def test_sign_in_returns_to_the_page_asked_for(api: httpx.AsyncClient) -> None:
    answer = await provider_answer(api, next_path="/notebooks/abc?cell=1")
    callback = await api.get(local(answer))
    assert callback.headers["location"] == "/notebooks/abc?cell=1"


@pytest.mark.parametrize(
    "next_path", [EVIL, "//evil.example/x", "/\\evil.example", "javascript:alert(1)", "evil.example", ""]
)
async def test_sign_in_never_returns_to_another_site(app: FastAPI, next_path: str) -> None:
    async with client_of(app) as api:
        callback = await api.get(local(await provider_answer(api, next_path=next_path)))
    assert callback.status_code == 302
    assert callback.headers["location"] == "/"


async def test_signing_out_needs_the_csrf_token_and_ends_the_session(
    api: httpx.AsyncClient, provider: IdentityProvider
) -> None:
    csrf = await sign_in(api, provider, "bob")
    assert (await api.post("/api/auth/logout")).status_code == 403
    assert (await api.get("/api/auth/session")).json()["user"]["id"] == "bob@example.com"

    signed_out = await api.post("/api/auth/logout", headers={"X-CSRF-Token": csrf})
    assert signed_out.status_code == 204
    assert (await api.get("/api/auth/session")).json()["user"] is None
    assert (await api.get("/api/notebooks")).status_code == 401


async def test_changes_on_the_cookie_need_the_csrf_token_and_this_origin(
    api: httpx.AsyncClient, provider: IdentityProvider
) -> None:
    csrf = await sign_in(api, provider, "alice")
    body = {"name": "Sales"}
    missing = await api.post("/api/notebooks", json=body)
    assert missing.status_code == 403
    assert "X-CSRF-Token" in missing.json()["detail"]
    assert (await api.post("/api/notebooks", json=body, headers={"X-CSRF-Token": csrf[::-1]})).status_code == 403
    foreign = await api.post("/api/notebooks", json=body, headers={"X-CSRF-Token": csrf, "Origin": EVIL})
    assert foreign.status_code == 403
    assert EVIL in foreign.json()["detail"]
    assert (await api.get("/api/notebooks")).json()["notebooks"] == []  # none of them made one

    same_site = await api.post(
        "/api/notebooks", json=body, headers={"X-CSRF-Token": csrf, "Origin": "http://localhost"}
    )
    assert same_site.status_code == 201
    notebook_id = same_site.json()["notebook_id"]
    assert (await api.post("/api/notebooks", json=body, headers={"X-CSRF-Token": csrf})).status_code == 201
    assert (await api.get(f"/api/notebooks/{notebook_id}")).json()["role"] == "owner"
    assert (await api.get(f"/api/notebooks/{notebook_id}", headers={"Origin": EVIL})).status_code == 200


async def test_the_access_token_is_the_service_principal_with_its_own_notebooks(
    app: FastAPI, api: httpx.AsyncClient, provider: IdentityProvider
) -> None:
    csrf = await sign_in(api, provider, "alice")
    alices = (await api.post("/api/notebooks", json={"name": "Alice's"}, headers={"X-CSRF-Token": csrf})).json()
    async with client_of(app, headers={"Authorization": f"Bearer {TOKEN}"}) as service:
        who = (await service.get("/api/auth/session")).json()
        assert who["user"] == {"id": "service", "name": "Access token", "email": None, "groups": [], "admin": False}
        assert who["csrf_token"] is None
        made = (await service.post("/api/notebooks", json={"name": "Automation"})).json()  # no CSRF: not a cookie
        listed = (await service.get("/api/notebooks")).json()["notebooks"]
        assert [(item["id"], item["role"], item["owner"]) for item in listed] == [
            (made["notebook_id"], "owner", "service")
        ]
        assert (await service.get(f"/api/notebooks/{alices['notebook_id']}")).status_code == 404
    assert made["notebook_id"] not in {item["id"] for item in (await api.get("/api/notebooks")).json()["notebooks"]}


async def test_a_wrong_access_token_is_refused_even_with_a_session(
    api: httpx.AsyncClient, provider: IdentityProvider
) -> None:
    await sign_in(api, provider, "alice")
    refused = await api.get("/api/notebooks", headers={"Authorization": "Bearer wrong"})
    assert refused.status_code == 401
    assert refused.headers["www-authenticate"] == "Bearer"


async def test_without_sign_in_the_server_is_open_and_the_caller_the_local_admin(tmp_path: Path) -> None:
    async with started(make_settings(tmp_path / "notebooks")) as app, client_of(app) as api:
        session = (await api.get("/api/auth/session")).json()
        assert session == {
            "mode": "open",
            "user": {"id": "local", "name": "You", "email": None, "groups": [], "admin": True},
            "csrf_token": None,
            "login_url": None,
        }
        assert (await api.get("/api/auth/login")).status_code == 404
        [demo] = (await api.get("/api/notebooks")).json()["notebooks"]  # made before anyone owned anything
        assert demo["role"] == "owner"
        assert (await api.post("/api/notebooks", json={"name": "x"})).status_code == 201  # no CSRF token


async def test_without_sign_in_the_access_token_guards_as_before(tmp_path: Path) -> None:
    async with started(make_settings(tmp_path / "notebooks", access_token=TOKEN)) as app, client_of(app) as api:
        assert (await api.get("/api/auth/session")).json()["mode"] == "token"
        refused = await api.get("/api/notebooks")
        assert refused.status_code == 401
        assert "ACCESS_TOKEN" in refused.json()["detail"]
        bearer = {"Authorization": f"Bearer {TOKEN}"}
        assert len((await api.get("/api/notebooks", headers=bearer)).json()["notebooks"]) == 1
        session = (await api.get("/api/auth/session", headers=bearer)).json()
        assert session["user"]["id"] == "local"
        assert session["user"]["admin"] is True


SIGN_IN = {
    "oidc_issuer": "https://idp.example.com",
    "oidc_client_id": "notebook",
    "oidc_client_secret": "client-secret",
    "session_secret": SESSION_SECRET,
    "public_url": "https://notebooks.example.com",
}


@pytest.mark.parametrize(
    ("missing", "named"),
    [
        ("oidc_client_id", "OIDC_CLIENT_ID"),
        ("oidc_client_secret", "OIDC_CLIENT_SECRET"),
        ("session_secret", "SESSION_SECRET"),
        ("public_url", "PUBLIC_URL"),
    ],
)
async def test_sign_in_settings_must_be_complete(tmp_path: Path, missing: str, named: str) -> None:
    assert make_settings(tmp_path, **SIGN_IN).oidc_issuer
    with pytest.raises(ValidationError, match=f"OIDC_ISSUER needs {named} too"):
        make_settings(tmp_path, **(SIGN_IN | {missing: ""}))


async def test_a_short_session_secret_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValidationError, match="SESSION_SECRET must be at least 32 characters"):
        make_settings(tmp_path, **(SIGN_IN | {"session_secret": "s" * 31}))


async def test_the_websocket_rides_on_the_session_from_this_origin_only(
    tmp_path: Path, provider: IdentityProvider
) -> None:
    with serving(provider.settings(tmp_path / "notebooks")) as server:
        async with httpx.AsyncClient(base_url=server.url, timeout=TIMEOUT) as api:
            csrf = await sign_in(api, provider, "alice")
            made = await api.post("/api/notebooks", json={"name": "t"}, headers={"X-CSRF-Token": csrf})
            notebook_id = made.json()["notebook_id"]
            headers = browser_headers(api, server)

        with pytest.raises(InvalidStatus) as nobody:
            await open_socket(server, notebook_id, additional_headers={"Origin": server.url})
        assert nobody.value.response.status_code == 401

        with pytest.raises(InvalidStatus) as foreign:
            await open_socket(server, notebook_id, additional_headers=headers | {"Origin": EVIL})
        assert foreign.value.response.status_code == 403

        socket = await open_socket(server, notebook_id, additional_headers=headers)
        snapshot = await socket.expect("snapshot")
        assert snapshot["notebook"]["id"] == notebook_id
        assert snapshot["notebook"]["role"] == "owner"
        await socket.connection.close()


async def test_a_code_the_provider_will_not_exchange_is_a_400(tmp_path: Path, provider: IdentityProvider) -> None:
    settings = provider.settings(tmp_path / "notebooks", oidc_client_secret="not-the-client-secret")
    async with started(settings) as app, client_of(app) as api:
        refused = await api.get(local(await provider_answer(api)))
        assert refused.status_code == 400
        assert refused.json()["detail"].startswith("sign-in failed: ")
        assert (await api.get("/api/auth/session")).json()["user"] is None
