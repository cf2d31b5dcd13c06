from __future__ import annotations

from typing import Any

import boto3
from botocore.exceptions import BotoCoreError, ClientError
from pydantic import ValidationError

from app.storage.base import CorruptNotebook, LoadResult
from app.storage.documents import NotebookDocument, named


class S3Store:
    """One JSON object per notebook under a prefix. S3 acknowledges a PUT only once it is durable; the bucket is
    versioned (Terraform), so an overwritten notebook can still be recovered. The endpoint comes from the standard
    AWS_ENDPOINT_URL variables, credentials from the task role."""

    def __init__(self, bucket: str, prefix: str, client: Any = None) -> None:
        self.bucket = bucket
        self.prefix = prefix
        self.description = f"s3://{bucket}/{prefix}"
        self.client = client or boto3.client("s3")

    def _key(self, notebook_id: str) -> str:
        return f"{self.prefix}{notebook_id}.json"

    def load_all(self) -> LoadResult:
        result = LoadResult()
        paginator = self.client.get_paginator("list_objects_v2")
        for page in paginator.paginate(Bucket=self.bucket, Prefix=self.prefix):
            for item in page.get("Contents", []):
                key = item["Key"]
                if not key.endswith(".json") or "/" in key[len(self.prefix) :]:
                    continue
                try:
                    body = self.client.get_object(Bucket=self.bucket, Key=key)["Body"].read()
                    notebook_id = key[len(self.prefix) : -len(".json")]
                    result.notebooks.append(named(NotebookDocument.model_validate_json(body), notebook_id))
                except (ClientError, BotoCoreError, ValidationError) as error:
                    result.corrupt.append(CorruptNotebook(f"s3://{self.bucket}/{key}", str(error).splitlines()[0]))
        return result

    def save(self, notebook: NotebookDocument) -> None:
        self.client.put_object(
            Bucket=self.bucket,
            Key=self._key(notebook.id),
            Body=notebook.model_dump_json(indent=2).encode(),
            ContentType="application/json",
        )

    def delete(self, notebook_id: str) -> None:
        self.client.delete_object(Bucket=self.bucket, Key=self._key(notebook_id))
