"""The endpoint that serves each kernel the kernel role's credentials, the way every AWS SDK looks for them in a
container: the kernel's environment names it (AWS_CONTAINER_CREDENTIALS_FULL_URI, on 127.0.0.1) with a token of that
kernel only (AWS_CONTAINER_AUTHORIZATION_TOKEN), which stops working when the kernel ends.

A small HTTP server in the server process, on loopback only, in threads of its own (never on the event loop).
"""

from __future__ import annotations

import hmac
import http.server
import json
import logging
import secrets
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from .role import CredentialsUnavailable, RoleCredentials

logger = logging.getLogger(__name__)

PATH = "/kernel-role-credentials"
# Non-secret settings of the server that a kernel given credentials also gets, so its SDK reaches the same AWS.
_FORWARDED = ("AWS_REGION", "AWS_DEFAULT_REGION")
_FORWARDED_PREFIXES = ("AWS_ENDPOINT_URL",)


class CredentialsSource(Protocol):
    def credentials(self, name: str) -> RoleCredentials:
        """The credentials of the notebook `name`; raises CredentialsUnavailable."""


@dataclass(frozen=True, eq=False)
class Grant:
    """One kernel's right to credentials, for the notebook `name`. `environment`: what its process gets."""

    name: str
    token: str
    environment: dict[str, str]

    def __repr__(self) -> str:  # never the token in a log
        return f"Grant(name={self.name!r})"


class CredentialsEndpoint:
    def __init__(self, source: CredentialsSource, server_environment: Mapping[str, str]) -> None:
        self._source = source
        self._forwarded = {
            name: value
            for name, value in server_environment.items()
            if name in _FORWARDED or name.startswith(_FORWARDED_PREFIXES)
        }
        self._grants: list[Grant] = []
        self._lock = threading.Lock()
        self._server = _Server(("127.0.0.1", 0), _Handler)
        self._server.endpoint = self
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}{PATH}"

    def start(self) -> None:
        self._thread = threading.Thread(target=self._server.serve_forever, name="kernel-credentials", daemon=True)
        self._thread.start()

    def close(self) -> None:
        if self._thread is not None:
            self._server.shutdown()
            self._thread.join()
        self._server.server_close()
        with self._lock:
            self._grants.clear()

    def grant(self, name: str) -> Grant:
        """A new token for one kernel of the notebook `name`; valid until `revoke`."""
        token = secrets.token_urlsafe(32)
        environment = self._forwarded | {
            "AWS_CONTAINER_CREDENTIALS_FULL_URI": self.url,
            "AWS_CONTAINER_AUTHORIZATION_TOKEN": token,
        }
        grant = Grant(name, token, environment)
        with self._lock:
            self._grants.append(grant)
        return grant

    def revoke(self, grant: Grant) -> None:
        with self._lock:
            self._grants = [live for live in self._grants if live is not grant]

    def holder(self, token: str) -> Grant | None:
        """The live grant of `token`, compared in constant time with every one (no early exit)."""
        presented = token.encode()
        found = None
        with self._lock:
            grants = list(self._grants)
        for grant in grants:
            if hmac.compare_digest(presented, grant.token.encode()):
                found = grant
        return found

    def answer(self, path: str, authorization: str | None) -> tuple[int, dict[str, Any]]:
        if path != PATH:
            return 404, {"code": "NotFound", "message": f"kernel credentials are served at {PATH} only"}
        grant = self.holder(authorization or "")
        if grant is None:
            return 403, {
                "code": "AccessDenied",
                "message": "this token is not a running kernel's: a kernel's token ends with the kernel",
            }
        try:
            return 200, self._source.credentials(grant.name).to_container_response()
        except CredentialsUnavailable as error:
            logger.error("kernel credentials for notebook %s: %s", grant.name, error)
            return error.status, {"code": "KernelRoleUnavailable", "message": str(error)}


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
    endpoint: CredentialsEndpoint


class _Handler(http.server.BaseHTTPRequestHandler):
    server: _Server

    def do_GET(self) -> None:
        status, body = self.server.endpoint.answer(self.path, self.headers.get("Authorization"))
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format: str, *args: Any) -> None:
        """Nothing goes to stderr; errors are logged by `answer`, without the token."""
