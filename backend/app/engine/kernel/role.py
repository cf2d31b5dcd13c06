"""The kernel role's credentials: STS AssumeRole made with the server's own credentials, one session per notebook
(its RoleSessionName names the notebook, so CloudTrail shows which notebook acted), cached until shortly before they
expire."""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import boto3
from botocore.exceptions import BotoCoreError, ClientError

# Role chaining (the server's own credentials are a role's) caps a session at one hour.
SESSION_SECONDS = 3600
# An SDK refreshes credentials from 15 minutes before they expire: what it is served must last longer than that.
REFRESH_BEFORE = timedelta(minutes=20)
_SESSION_NAME_CHARACTERS = re.compile(r"[^\w+=,.@-]")


class CredentialsUnavailable(Exception):
    """The kernel role's credentials could not be had. `status`: 502 when STS refused, 503 when it was not reached
    or the server has no credentials of its own."""

    def __init__(self, message: str, status: int) -> None:
        super().__init__(message)
        self.status = status


@dataclass(frozen=True)
class RoleCredentials:
    access_key_id: str
    secret_access_key: str
    token: str
    expiration: datetime

    def to_container_response(self) -> dict[str, str]:
        """The body the SDKs' container credentials provider expects."""
        return {
            "AccessKeyId": self.access_key_id,
            "SecretAccessKey": self.secret_access_key,
            "Token": self.token,
            "Expiration": self.expiration.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        }

    def __repr__(self) -> str:  # never the secret in a log or a traceback
        return f"RoleCredentials(access_key_id={self.access_key_id!r}, expiration={self.expiration.isoformat()})"


def session_name(name: str) -> str:
    """A valid RoleSessionName (2-64 of [\\w+=,.@-]) for the notebook `name`."""
    return _SESSION_NAME_CHARACTERS.sub("-", f"notebook-{name}")[:64]


class AssumedRole:
    def __init__(self, role_arn: str, client: Any = None) -> None:
        self.role_arn = role_arn
        self._client = client
        self._lock = threading.Lock()
        self._locks: dict[str, threading.Lock] = {}
        self._cache: dict[str, RoleCredentials] = {}

    def credentials(self, name: str) -> RoleCredentials:
        """The notebook `name`'s credentials, fresh for at least REFRESH_BEFORE. Safe from any thread; one notebook's
        AssumeRole does not wait for another's."""
        with self._lock:
            now = datetime.now(UTC)
            self._cache = {key: value for key, value in self._cache.items() if value.expiration > now}
            lock = self._locks.setdefault(name, threading.Lock())
        with lock:
            cached = self._cache.get(name)
            if cached is not None and cached.expiration - datetime.now(UTC) > REFRESH_BEFORE:
                return cached
            fresh = self._assume(session_name(name))
            with self._lock:
                self._cache[name] = fresh
            return fresh

    def _assume(self, role_session_name: str) -> RoleCredentials:
        try:
            if self._client is None:
                self._client = boto3.client("sts")
            response = self._client.assume_role(
                RoleArn=self.role_arn, RoleSessionName=role_session_name, DurationSeconds=SESSION_SECONDS
            )
        except ClientError as error:
            message = f"STS refused to assume the kernel role {self.role_arn}: {error}"
            raise CredentialsUnavailable(message, 502) from None
        except BotoCoreError as error:
            message = f"could not assume the kernel role {self.role_arn}: {error}"
            raise CredentialsUnavailable(message, 503) from None
        credentials = response["Credentials"]
        expiration = credentials["Expiration"]
        return RoleCredentials(
            credentials["AccessKeyId"],
            credentials["SecretAccessKey"],
            credentials["SessionToken"],
            expiration if expiration.tzinfo else expiration.replace(tzinfo=UTC),
        )
