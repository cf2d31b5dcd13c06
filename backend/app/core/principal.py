"""Who is asking: a signed-in person, the access token's service principal, or the local user without sign-in."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from starlette.requests import HTTPConnection

PrincipalKind = Literal["user", "service", "local"]
SERVICE_ID = "service"
LOCAL_ID = "local"


@dataclass(frozen=True)
class Principal:
    id: str  # the e-mail when the identity provider gives one, else its `sub`
    name: str
    kind: PrincipalKind
    email: str | None = None
    groups: frozenset[str] = field(default_factory=frozenset)
    admin: bool = False

    def is_named(self, name: str) -> bool:
        """Whether a share or an admin entry names this principal (e-mails compare without case)."""
        return name.casefold() in {self.id.casefold(), (self.email or self.id).casefold()}


# Without sign-in there is one user, who may do everything (the access token, if set, guards the door).
LOCAL = Principal(id=LOCAL_ID, name="You", kind="local", admin=True)


def principal_of(connection: HTTPConnection) -> Principal:
    """Set by app.core.security.Authenticate on every /api request and WebSocket before any route runs."""
    principal: Principal = connection.scope["state"]["principal"]
    return principal
