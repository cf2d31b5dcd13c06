from __future__ import annotations

from typing import Any

import boto3
from botocore.exceptions import BotoCoreError, ClientError
from pydantic import ValidationError

from app.storage.base import CorruptNotebook, LoadResult, NotebookVersion, VersionNotFound, VersionPage
from app.storage.documents import NotebookDocument, named

# GetObject's answers for a version that is not there, or is a delete marker (405), or is no version id at all.
MISSING_VERSION = {"NoSuchVersion", "NoSuchKey", "InvalidArgument", "MethodNotAllowed", "404", "405", "400"}


class S3Store:
    """One JSON object per notebook under a prefix. S3 acknowledges a PUT only once it is durable; the bucket is
    versioned (Terraform), so every saved version stays, and a delete only adds a delete marker, until the
    bucket's noncurrent-version retention removes them. The endpoint comes from the standard AWS_ENDPOINT_URL
    variables, credentials from the task role."""

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

    def versions(self, notebook_id: str, cursor: str | None = None, limit: int = 50) -> VersionPage:
        key = self._key(notebook_id)
        markers = {"KeyMarker": key, "VersionIdMarker": cursor} if cursor else {}
        page = self.client.list_object_versions(Bucket=self.bucket, Prefix=key, MaxKeys=limit, **markers)
        # The prefix also matches longer keys. S3 lists a key's versions and delete markers newest first, but the
        # SDK parses them into two lists, and LastModified may tie (whole seconds): the latest wins a tie.
        listed = [(item, False) for item in page.get("Versions", [])]
        listed += [(item, True) for item in page.get("DeleteMarkers", [])]
        listed.sort(key=lambda entry: (entry[0]["LastModified"], entry[0]["IsLatest"]), reverse=True)
        found = [
            NotebookVersion(item["VersionId"], item["LastModified"], 0 if marker else item["Size"], deleted=marker)
            for item, marker in listed
            if item["Key"] == key
        ]
        more = page.get("IsTruncated") and page.get("NextKeyMarker") == key
        return VersionPage(found, page["NextVersionIdMarker"] if more else None)

    def load_version(self, notebook_id: str, version_id: str) -> NotebookDocument:
        try:
            answer = self.client.get_object(Bucket=self.bucket, Key=self._key(notebook_id), VersionId=version_id)
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") in MISSING_VERSION:
                raise VersionNotFound(notebook_id, version_id) from None
            raise
        return named(NotebookDocument.model_validate_json(answer["Body"].read()), notebook_id)
