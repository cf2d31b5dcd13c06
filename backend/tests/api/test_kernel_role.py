"""The image's start command with KERNEL_ROLE_ARN, attacked from a notebook cell: the server holds credentials of
its own (moto); a cell, a uid of its own under the kernel launcher, is the kernel role in a session named after its
notebook, never the server. tests/engine/test_kernel_role.py attacks the tokens themselves."""

from __future__ import annotations

import json
from collections.abc import Iterator

import boto3
import pytest

from .test_kernel_isolation import SECRETS, Served, image_server, run_cell

TRUST = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "sts:*"}]}
# As on Fargate, where the task's environment names the Region twice.
SERVER_CREDENTIALS = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_REGION": "us-east-1",
    "AWS_DEFAULT_REGION": "us-east-1",
}


@pytest.fixture(scope="module")
def role_arn(moto_server: str) -> str:
    iam = boto3.client("iam", endpoint_url=moto_server, **_credentials())
    role = iam.create_role(RoleName="notebook-kernel-api", AssumeRolePolicyDocument=json.dumps(TRUST))
    return str(role["Role"]["Arn"])


@pytest.fixture(scope="module")
def served_with_role(tmp_path_factory: pytest.TempPathFactory, moto_server: str, role_arn: str) -> Iterator[Served]:
    env = SECRETS | SERVER_CREDENTIALS | {"AWS_ENDPOINT_URL": moto_server, "KERNEL_ROLE_ARN": role_arn}
    env.pop("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI")  # the server's credentials are the keys above
    with image_server(tmp_path_factory.mktemp("kernel-role"), env) as found:
        yield found


def _credentials() -> dict[str, str]:
    return {"aws_access_key_id": "testing", "aws_secret_access_key": "testing", "region_name": "us-east-1"}


@pytest.mark.asyncio(loop_scope="module")
async def test_a_cell_is_the_kernel_role_in_a_session_named_after_its_notebook(
    served_with_role: Served, moto_server: str
) -> None:
    server = boto3.client("sts", endpoint_url=moto_server, **_credentials()).get_caller_identity()["Arn"]
    notebook_id, seen = await run_cell(
        served_with_role, "__import__('boto3').client('sts').get_caller_identity()['Arn']"
    )
    assert seen == f"arn:aws:sts::123456789012:assumed-role/notebook-kernel-api/notebook-{notebook_id}"
    assert seen != server


@pytest.mark.asyncio(loop_scope="module")
async def test_a_cell_sees_its_endpoint_and_token_and_none_of_the_servers_secrets(
    served_with_role: Served, moto_server: str
) -> None:
    _, seen = await run_cell(served_with_role, "dict(__import__('os').environ)")
    aws = {name: value for name, value in seen.items() if name.startswith("AWS_")}
    assert set(aws) == {
        "AWS_CONTAINER_CREDENTIALS_FULL_URI",
        "AWS_CONTAINER_AUTHORIZATION_TOKEN",
        "AWS_ENDPOINT_URL",
        "AWS_REGION",
        "AWS_DEFAULT_REGION",
    }
    assert aws["AWS_CONTAINER_CREDENTIALS_FULL_URI"].startswith("http://127.0.0.1:")
    assert aws["AWS_ENDPOINT_URL"] == moto_server
    assert not set(SECRETS.values()) & set(seen.values())
