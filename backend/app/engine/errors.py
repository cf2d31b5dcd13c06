"""Exceptions the engine raises for conditions its callers expect and handle (not bugs)."""

from __future__ import annotations


class SessionClosed(Exception):
    """The session was closed (its notebook deleted, or the server stopping): it runs no more cells."""

    def __init__(self) -> None:
        super().__init__("the session is closed")
