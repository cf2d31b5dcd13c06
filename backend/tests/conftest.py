"""Fixtures shared by several test folders: free loopback ports, the emulated S3 (moto) and a PostgreSQL server."""

from __future__ import annotations

import os
import urllib.request
import warnings
from collections.abc import Iterator

import pytest
from moto.server import ThreadedMotoServer

from .engine.postgres import PostgresServer, find_binaries
from .ports import free_port


@pytest.fixture(scope="session")
def moto_server() -> Iterator[str]:
    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    yield f"http://127.0.0.1:{port}"
    server.stop()


@pytest.fixture
def moto_endpoint(moto_server: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """The emulated AWS, reached through the standard variables only; emptied after each test."""
    monkeypatch.setenv("AWS_ENDPOINT_URL", moto_server)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    monkeypatch.delenv("AWS_PROFILE", raising=False)
    yield moto_server
    urllib.request.urlopen(urllib.request.Request(f"{moto_server}/moto-api/reset", method="POST")).close()


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    binaries = find_binaries()
    if binaries is None:
        message = (
            "PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/postgres): the SQL cell tests need it. "
            "Install the Debian package `postgresql` (.ci/run does)."
        )
        if os.environ.get("CI") == "true":
            pytest.fail(f"{message} In CI a skipped suite is a failure.")
        warnings.warn(f"SKIPPING SQL CELL TESTS: {message}", stacklevel=1)
        pytest.skip(f"SKIPPING SQL CELL TESTS: {message}")
    server = PostgresServer(binaries)
    server.start()
    yield server.url
    server.stop()
