from __future__ import annotations

from typing import Any
from xml.etree import ElementTree

import boto3
from botocore.exceptions import BotoCoreError, ClientError
from pydantic import ValidationError

from app.storage.base import CorruptNotebook, DeletedNotebook, LoadResult, NotebookVersion, VersionNotFound, VersionPage
from app.storage.documents import NotebookDocument, named

# GetObject's answers for a version that is not there, or is a delete marker (405), or is no version id at all.
MISSING_VERSION = {"NoSuchVersion", "NoSuchKey", "InvalidArgument", "MethodNotAllowed", "404", "405", "400"}


LISTED_ORDER = "ListedOrder"


def _keep_listed_order(response_dict: dict[str, Any], customized_response_dict: dict[str, Any], **_: Any) -> None:
    """S3 lists a key's versions and delete markers newest first, interleaved; the SDK parses them into two lists,
    and their LastModified (whole seconds) cannot order the changes within a second: the listed order is read here
    from the answer itself, in botocore's documented event before the SDK parses it. (The emulator used in tests
    lists every version before every delete marker, so there only changes in different seconds are ordered.)"""
    if response_dict["status_code"] == 200:
        root = ElementTree.fromstring(response_dict["body"])
        listed = [element.text for element in root.iter() if element.tag.rpartition("}")[2] == "VersionId"]
        customized_response_dict[LISTED_ORDER] = listed


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
        self.client.meta.events.register("before-parse.s3.ListObjectVersions", _keep_listed_order)

    def _key(self, notebook_id: str) -> str:
        return f"{self.prefix}{notebook_id}.json"

    def load_all(self) -> LoadResult:
        result = LoadResult()
        paginator = self.client.get_paginator("list_objects_v2")
        for page in paginator.paginate(Bucket=self.bucket, Prefix=self.prefix):
            for item in page.get("Contents", []):
                key = item["Key"]
                notebook_id = self._notebook_id(key)
                if notebook_id is None:
                    continue
                try:
                    body = self.client.get_object(Bucket=self.bucket, Key=key)["Body"].read()
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

    def deleted(self) -> list[DeletedNotebook]:
        found = []
        paginator = self.client.get_paginator("list_object_versions")
        for page in paginator.paginate(Bucket=self.bucket, Prefix=self.prefix):
            for marker in page.get("DeleteMarkers", []):
                notebook_id = self._notebook_id(marker["Key"])
                if marker["IsLatest"] and notebook_id is not None:
                    found.append(DeletedNotebook(notebook_id, marker["LastModified"]))
        return sorted(found, key=lambda item: item.deleted_at, reverse=True)

    def _notebook_id(self, key: str) -> str | None:
        """The id a key under the prefix names, None for any other key."""
        name = key[len(self.prefix) :]
        return name.removesuffix(".json") if name.endswith(".json") and "/" not in name else None

    def versions(self, notebook_id: str, cursor: str | None = None, limit: int = 50) -> VersionPage:
        key = self._key(notebook_id)
        markers = {"KeyMarker": key, "VersionIdMarker": cursor} if cursor else {}
        try:
            page = self.client.list_object_versions(Bucket=self.bucket, Prefix=key, MaxKeys=limit, **markers)
        except ClientError as error:
            if cursor and error.response.get("Error", {}).get("Code") == "InvalidArgument":  # a cursor S3 never gave
                raise VersionNotFound(notebook_id, cursor) from None
            raise
        # The prefix also matches longer keys; the filter below keeps this key's entries only.
        listed = [(item, False) for item in page.get("Versions", [])]
        listed += [(item, True) for item in page.get("DeleteMarkers", [])]
        order = {version_id: index for index, version_id in enumerate(page[LISTED_ORDER])}
        listed.sort(key=lambda entry: (-entry[0]["LastModified"].timestamp(), order[entry[0]["VersionId"]]))
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
