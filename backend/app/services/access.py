"""Who may do what to a notebook: its owner, the people and groups it is shared with, and the deployment's admins."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import IntEnum
from typing import Literal

from app.core.principal import Principal
from app.services.errors import NotebookNotFound

ShareKind = Literal["user", "group"]
ShareRole = Literal["editor", "viewer"]  # ownership is not shared


class Role(IntEnum):
    """Each role may do what the ones below it may."""

    VIEWER = 1  # reads code, outputs and versions
    EDITOR = 2  # edits, runs, restores versions, sets the database and kernel size
    OWNER = 3  # shares and deletes

    @property
    def label(self) -> Literal["viewer", "editor", "owner"]:
        return _LABELS[self]

    @classmethod
    def named(cls, label: str) -> Role:
        return cls[label.upper()]


_LABELS: dict[Role, Literal["viewer", "editor", "owner"]] = {
    Role.VIEWER: "viewer",
    Role.EDITOR: "editor",
    Role.OWNER: "owner",
}


@dataclass(frozen=True)
class Share:
    kind: ShareKind
    name: str  # an e-mail (or the identity provider's subject) for a user; the group's name for a group
    role: Role

    @property
    def role_name(self) -> ShareRole:
        return "editor" if self.role >= Role.EDITOR else "viewer"

    def names(self, principal: Principal) -> bool:
        if self.kind == "group":
            return self.name in principal.groups
        return principal.is_named(self.name)


@dataclass(frozen=True)
class Access:
    owner: str | None = None  # None: made before sign-in was on; only admins see it until one shares it
    shares: tuple[Share, ...] = field(default_factory=tuple)


def role_of(principal: Principal, access: Access) -> Role | None:
    """The principal's role on a notebook with this access; None: it may not even know the notebook exists."""
    if principal.admin or (access.owner is not None and principal.is_named(access.owner)):
        return Role.OWNER
    return max((share.role for share in access.shares if share.names(principal)), default=None)


def is_admin(principal: Principal, admin_users: Iterable[str], admin_groups: Iterable[str]) -> bool:
    return any(principal.is_named(user) for user in admin_users) or not principal.groups.isdisjoint(admin_groups)


class AccessDenied(PermissionError):
    """The principal may read the notebook but its role is too low for what it asked (404 is for the others)."""

    def __init__(self, role: Role, needed: Role, doing: str) -> None:
        you_are = f"you are {'an' if role == Role.EDITOR else 'a'} {role.label} of this notebook"
        super().__init__(
            f"{you_are}; {doing} needs an {needed.label} or above: ask its owner to share it with you as {needed.label}"
            if needed != Role.OWNER
            else f"{you_are}; only its owner or an admin may {doing}"
        )
        self.role = role
        self.needed = needed


def authorize(principal: Principal, access: Access, needed: Role, doing: str, notebook_id: str) -> Role:
    """The principal's role, if it is `needed` or above. A principal with no role is told the notebook does not
    exist, as it is for an id that exists nowhere: ids are not secrets, but what they name is."""
    role = role_of(principal, access)
    if role is None:
        raise NotebookNotFound(notebook_id)
    if role < needed:
        raise AccessDenied(role, needed, doing)
    return role
