"""Attacks from a cell on AWS: with the server holding credentials of its own (moto), a cell gets the kernel role's,
named after its notebook, through the SDK's container credentials provider, and nothing else: not the server's
identity, not with another or an ended kernel's token, and no credentials at all without KERNEL_ROLE_ARN.

The kernels here share the test's uid (LocalHost): what they can get does not depend on uids. The last test runs
them through the root launcher, as in the image."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from botocore.config import Config

from app.engine import KernelOptions, NotebookSession, SessionConfig
from app.engine.kernel.credentials import CredentialsEndpoint
from app.engine.kernel.hosts import LocalHost
from app.engine.kernel.role import AssumedRole, CredentialsUnavailable, RoleCredentials
from app.engine.kernel.sandbox import KernelLimits

from ..ports import free_port
from .test_isolation import launcher, value_of

in_module_loop = pytest.mark.asyncio(loop_scope="module")

ROLE_NAME = "notebook-kernel"
TRUST = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "sts:*"}]}
# Cells define no names: several run in one notebook.
WHO_AM_I = "__import__('boto3').client('sts').get_caller_identity()['Arn']"
TOKEN = "__import__('os').environ['AWS_CONTAINER_AUTHORIZATION_TOKEN']"
ENVIRONMENT = "sorted(__import__('os').environ)"


def with_token(token: str) -> str:
    """A cell that asks for credentials with `token` instead of its own (in an SDK session of its own, its own token
    restored afterwards); what it got: an ARN or the error."""
    return (
        "def _with_token():\n    import os, boto3\n"
        "    own = os.environ['AWS_CONTAINER_AUTHORIZATION_TOKEN']\n"
        f"    os.environ['AWS_CONTAINER_AUTHORIZATION_TOKEN'] = {token!r}\n"
        "    try:\n        return boto3.session.Session().client('sts').get_caller_identity()['Arn']\n"
        "    except Exception as error:\n        return f'{type(error).__name__}: {error}'\n"
        "    finally:\n        os.environ['AWS_CONTAINER_AUTHORIZATION_TOKEN'] = own\n_with_token()"
    )


def assert_refused(got: str, status: int) -> None:
    """`got`: what `with_token` returned; the SDK's error names the endpoint's status."""
    assert got.startswith("CredentialRetrievalError"), got
    assert f"non 200 response {status}" in got, got


@pytest.fixture
def role_arn(moto_endpoint: str) -> str:
    return boto3.client("iam").create_role(RoleName=ROLE_NAME, AssumeRolePolicyDocument=json.dumps(TRUST))["Role"][
        "Arn"
    ]


@pytest.fixture
def endpoint(role_arn: str) -> Iterator[CredentialsEndpoint]:
    served = CredentialsEndpoint(AssumedRole(role_arn), os.environ)
    served.start()
    yield served
    served.close()


@pytest.fixture
def config(endpoint: CredentialsEndpoint) -> SessionConfig:
    return SessionConfig(kernel=KernelOptions(host=LocalHost(KernelLimits()), credentials=endpoint))


def assumed(name: str) -> str:
    return f"arn:aws:sts::123456789012:assumed-role/{ROLE_NAME}/notebook-{name}"


def fetch(endpoint: CredentialsEndpoint, token: str | None) -> tuple[int, dict[str, Any]]:
    """What the endpoint answers a request with `token` (None: no Authorization header)."""
    headers = {} if token is None else {"Authorization": token}
    try:
        with urllib.request.urlopen(urllib.request.Request(endpoint.url, headers=headers), timeout=10) as response:
            return response.status, json.load(response)
    except urllib.error.HTTPError as error:
        return error.code, json.load(error)


@in_module_loop
async def test_a_cell_is_the_kernel_role_of_its_notebook_never_the_server(
    endpoint: CredentialsEndpoint, config: SessionConfig
) -> None:
    server = boto3.client("sts").get_caller_identity()["Arn"]
    session = NotebookSession(config=config, name="nb1")
    try:
        await session.start()
        assert await value_of(session, WHO_AM_I) == assumed("nb1") != server
        env = await value_of(session, ENVIRONMENT)
        assert not {"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"} & set(env)
        assert await value_of(session, "__import__('os').environ['AWS_CONTAINER_CREDENTIALS_FULL_URI']") == endpoint.url
    finally:
        await session.close()


@in_module_loop
async def test_a_made_up_or_missing_token_gets_403(endpoint: CredentialsEndpoint, config: SessionConfig) -> None:
    session = NotebookSession(config=config, name="nb1")
    try:
        await session.start()
        own = await value_of(session, TOKEN)
        got = await value_of(session, with_token(own[:-1] + ("A" if own[-1] != "A" else "B")))
        assert_refused(got, 403)
        assert fetch(endpoint, None)[0] == 403
        assert fetch(endpoint, "")[0] == 403
        status, body = fetch(endpoint, own)
        assert status == 200
        assert set(body) == {"AccessKeyId", "SecretAccessKey", "Token", "Expiration"}
    finally:
        await session.close()


@in_module_loop
async def test_a_token_ends_with_its_kernel(endpoint: CredentialsEndpoint, config: SessionConfig) -> None:
    first, second = NotebookSession(config=config, name="nb1"), NotebookSession(config=config, name="nb2")
    try:
        await first.start()
        await second.start()
        before_restart = await value_of(first, TOKEN)
        await first.restart_kernel()
        after_restart = await value_of(first, TOKEN)
        assert after_restart != before_restart
        assert fetch(endpoint, before_restart)[0] == 403
        got = await value_of(first, with_token(before_restart))
        assert_refused(got, 403)
        assert await value_of(first, WHO_AM_I) == assumed("nb1")

        await first.close()  # a deleted notebook
        assert fetch(endpoint, after_restart)[0] == 403
        got = await value_of(second, with_token(after_restart))
        assert_refused(got, 403)
        assert await value_of(second, WHO_AM_I) == assumed("nb2")

        kernel_pid = second.kernel_pid
        assert kernel_pid is not None
        token = await value_of(second, TOKEN)
        os.kill(kernel_pid, signal.SIGKILL)  # a kernel that dies
        deadline = time.monotonic() + 15
        while fetch(endpoint, token)[0] != 403 and time.monotonic() < deadline:
            await asyncio.sleep(0.05)
        assert fetch(endpoint, token)[0] == 403
    finally:
        await first.close()
        await second.close()


@in_module_loop
async def test_without_a_kernel_role_a_cell_has_no_aws_credentials(moto_endpoint: str) -> None:
    assert boto3.client("sts").get_caller_identity()["Arn"]  # the server has some
    session = NotebookSession(config=SessionConfig(kernel=KernelOptions(host=LocalHost(KernelLimits()))))
    try:
        await session.start()
        env = await value_of(session, ENVIRONMENT)
        assert not [name for name in env if name.startswith("AWS_")]
        got = await value_of(
            session,
            "def _who():\n    import boto3\n    try:\n"
            "        return boto3.client('sts', region_name='us-east-1').get_caller_identity()['Arn']\n"
            "    except Exception as error:\n        return type(error).__name__\n_who()",
        )
        assert got == "NoCredentialsError"
    finally:
        await session.close()


@in_module_loop
async def test_sts_failures_are_errors_the_sdk_shows(role_arn: str) -> None:
    class Refused:
        def credentials(self, name: str) -> RoleCredentials:
            raise CredentialsUnavailable(f"STS refused to assume the kernel role for {name}", 502)

    served = CredentialsEndpoint(Refused(), os.environ)
    served.start()
    session = NotebookSession(
        config=SessionConfig(kernel=KernelOptions(host=LocalHost(KernelLimits()), credentials=served)), name="nb1"
    )
    try:
        await session.start()
        got = await value_of(session, with_token(await value_of(session, TOKEN)))
        assert_refused(got, 502)
        assert "STS refused" in got
    finally:
        await session.close()
        served.close()
    unreachable = boto3.client(
        "sts", endpoint_url=f"http://127.0.0.1:{free_port()}", config=Config(retries={"max_attempts": 1})
    )
    with pytest.raises(CredentialsUnavailable) as raised:
        AssumedRole(role_arn, unreachable).credentials("nb1")
    assert raised.value.status == 503


def test_credentials_are_cached_per_notebook_and_renewed_before_they_expire(role_arn: str) -> None:
    role = AssumedRole(role_arn)
    first = role.credentials("nb1")
    assert role.credentials("nb1") is first
    assert role.credentials("nb2").access_key_id != first.access_key_id
    assert first.secret_access_key not in repr(first)
    assert first.token not in repr(first)
    role._cache["nb1"] = RoleCredentials("old", "secret", "token", first.expiration.replace(year=2000))
    assert role.credentials("nb1").access_key_id not in ("old", first.access_key_id)


@in_module_loop
async def test_through_the_launcher_a_kernel_gets_its_role_and_cannot_read_another_kernels_token(
    endpoint: CredentialsEndpoint,
) -> None:
    with launcher() as (host, _):
        config = SessionConfig(kernel=KernelOptions(host=host, credentials=endpoint))
        first, second = NotebookSession(config=config, name="nb1"), NotebookSession(config=config, name="nb2")
        try:
            await first.start()
            await second.start()
            assert await value_of(first, WHO_AM_I) == assumed("nb1")
            assert await value_of(second, WHO_AM_I) == assumed("nb2")
            got = await value_of(
                second,
                "def _read():\n    try:\n"
                f"        return open('/proc/{first.kernel_pid}/environ').read()\n"
                "    except OSError as error:\n        return type(error).__name__\n_read()",
            )
            assert got == "PermissionError"
        finally:
            await first.close()
            await second.close()
