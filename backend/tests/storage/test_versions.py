"""Both stores keep every saved version of a notebook and survive its deletion alike."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError

from app.storage import NotebookStore, VersionNotFound
from app.storage.files import FileStore
from app.storage.s3 import S3Store, _keep_listed_order
from tests.storage.test_stores import notebook

NOTEBOOK = "a" * 32


@pytest.fixture(params=["files", "s3"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> NotebookStore:
    if request.param == "files":
        return FileStore(tmp_path)
    request.getfixturevalue("moto_endpoint")
    client = boto3.client("s3")
    client.create_bucket(Bucket="notebooks")
    client.put_bucket_versioning(Bucket="notebooks", VersioningConfiguration={"Status": "Enabled"})
    return S3Store("notebooks", "nb/")


@pytest.fixture
def next_second(store: NotebookStore) -> Callable[[], None]:
    """S3's times are whole seconds, and the emulator lists a key's delete markers after its versions instead of
    in the order of the changes: a deletion and a save are ordered there only when made in different seconds."""
    return (lambda: time.sleep(1.05)) if isinstance(store, S3Store) else (lambda: None)


def test_every_save_is_a_version_newest_first(store: NotebookStore) -> None:
    for name in ("one", "two", "three"):
        store.save(notebook(name=name))
    page = store.versions(NOTEBOOK)
    assert page.cursor is None
    assert [store.load_version(NOTEBOOK, v.version_id).name for v in page.versions] == ["three", "two", "one"]
    assert all(v.size > 0 and not v.deleted for v in page.versions)
    assert page.versions[0].saved_at >= page.versions[-1].saved_at


def test_versions_come_in_pages(store: NotebookStore) -> None:
    for name in "abcde":
        store.save(notebook(name=name))
    names: list[str] = []
    cursor: str | None = None
    pages = 0
    while True:
        page = store.versions(NOTEBOOK, cursor, limit=2)
        pages += 1
        names += [store.load_version(NOTEBOOK, v.version_id).name for v in page.versions]
        if page.cursor is None:
            break
        cursor = page.cursor
    assert names == list("edcba")
    assert pages == 3


def test_a_version_is_the_document_saved_then(store: NotebookStore) -> None:
    store.save(notebook())
    store.save(notebook(name="later").model_copy(update={"cells": []}))
    oldest = store.versions(NOTEBOOK).versions[-1]
    assert store.load_version(NOTEBOOK, oldest.version_id) == notebook()


def test_a_deletion_keeps_the_versions_and_is_listed_first(
    store: NotebookStore, next_second: Callable[[], None]
) -> None:
    store.save(notebook(name="kept"))
    next_second()
    store.delete(NOTEBOOK)
    assert store.load_all().notebooks == []
    deletion, saved = store.versions(NOTEBOOK).versions
    assert deletion.deleted
    assert deletion.size == 0
    assert not saved.deleted
    assert store.load_version(NOTEBOOK, saved.version_id).name == "kept"
    with pytest.raises(VersionNotFound):
        store.load_version(NOTEBOOK, deletion.version_id)


def test_unknown_versions_are_not_found(store: NotebookStore) -> None:
    store.save(notebook())
    version = store.versions(NOTEBOOK).versions[0].version_id
    for unknown in ("nope", "../" + NOTEBOOK, "0" * 28):
        with pytest.raises(VersionNotFound, match="no saved version"):
            store.load_version(NOTEBOOK, unknown)
    with pytest.raises(VersionNotFound):
        store.load_version("b" * 32, version)
    assert store.versions("b" * 32).versions == []


def test_other_notebooks_versions_stay_apart(store: NotebookStore) -> None:
    store.save(notebook())
    store.save(notebook("b" * 32, name="other"))
    assert len(store.versions(NOTEBOOK).versions) == 1
    assert [store.load_version("b" * 32, v.version_id).name for v in store.versions("b" * 32).versions] == ["other"]


def test_deleted_notebooks_are_listed_until_saved_again(store: NotebookStore, next_second: Callable[[], None]) -> None:
    store.save(notebook())
    store.save(notebook("b" * 32))
    store.save(notebook("c" * 32))
    next_second()
    store.delete(NOTEBOOK)
    store.delete("c" * 32)
    deleted = store.deleted()
    assert sorted(item.notebook_id for item in deleted) == [NOTEBOOK, "c" * 32]
    assert deleted[0].deleted_at >= deleted[1].deleted_at  # S3 times are whole seconds: these two may tie
    newest_saved = next(v for v in store.versions(NOTEBOOK).versions if not v.deleted)
    next_second()
    store.save(store.load_version(NOTEBOOK, newest_saved.version_id))
    assert [item.notebook_id for item in store.deleted()] == ["c" * 32]
    assert sorted(doc.id for doc in store.load_all().notebooks) == [NOTEBOOK, "b" * 32]
    assert [v.deleted for v in store.versions(NOTEBOOK).versions] == [False, True, False]


# The interleaved order of a real ListObjectVersions answer (the shape of the AWS documentation's example).
LISTED = b"""<?xml version="1.0" encoding="UTF-8"?>
<ListVersionsResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">
  <Name>notebooks</Name><Prefix>nb/k.json</Prefix><KeyMarker></KeyMarker><VersionIdMarker></VersionIdMarker>
  <MaxKeys>50</MaxKeys><IsTruncated>false</IsTruncated>
  <Version><Key>nb/k.json</Key><VersionId>restored</VersionId><IsLatest>true</IsLatest>
    <LastModified>2026-01-02T03:04:05.000Z</LastModified><Size>10</Size></Version>
  <DeleteMarker><Key>nb/k.json</Key><VersionId>deletion</VersionId><IsLatest>false</IsLatest>
    <LastModified>2026-01-02T03:04:05.000Z</LastModified></DeleteMarker>
  <Version><Key>nb/k.json</Key><VersionId>first</VersionId><IsLatest>false</IsLatest>
    <LastModified>2026-01-02T03:04:05.000Z</LastModified><Size>9</Size></Version>
</ListVersionsResult>"""


class DocumentedListing:
    """An S3 client answering ListObjectVersions with the answer above, as the SDK gives it after its hooks ran."""

    meta = SimpleNamespace(events=SimpleNamespace(register=lambda *_args, **_kwargs: None))

    def list_object_versions(self, **_: Any) -> dict[str, Any]:
        tick = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)
        key = {"Key": "nb/k.json", "LastModified": tick}
        page: dict[str, Any] = {
            "IsTruncated": False,
            "Versions": [
                key | {"VersionId": "restored", "IsLatest": True, "Size": 10},
                key | {"VersionId": "first", "IsLatest": False, "Size": 9},
            ],
            "DeleteMarkers": [key | {"VersionId": "deletion", "IsLatest": False}],
        }
        _keep_listed_order({"status_code": 200, "body": LISTED}, page)
        return page


def test_s3_changes_within_one_second_keep_the_order_s3_lists_them_in() -> None:
    page = S3Store("notebooks", "nb/", DocumentedListing()).versions("k")
    assert [(v.version_id, v.deleted) for v in page.versions] == [
        ("restored", False),
        ("deletion", True),
        ("first", False),
    ]


def test_ids_that_name_other_folders_have_no_versions(tmp_path: Path) -> None:
    store = FileStore(tmp_path / "notebooks")
    store.save(notebook())
    version = store.versions(NOTEBOOK).versions[0].version_id
    for outside in ("..", ".", f"history/../{NOTEBOOK}"):
        assert store.versions(outside).versions == []
        with pytest.raises(VersionNotFound):
            store.load_version(outside, version)


def test_the_file_store_expires_replaced_versions_as_the_bucket_does(tmp_path: Path) -> None:
    store = FileStore(tmp_path)
    store.save(notebook(name="old"))
    store.save(notebook(name="current"))
    store.save(notebook("b" * 32, name="deleted"))
    store.delete("b" * 32)
    store.save(notebook("c" * 32, name="kept"))
    store.delete("c" * 32)
    history = tmp_path / "history"
    day = 86_400 * 10**9

    def age(notebook_id: str, days: int) -> None:
        """Makes every entry of the notebook's history `days` older, as its id (the save time) says."""
        for path in (history / notebook_id).iterdir():
            path.rename(path.with_name(f"{int(path.stem[:20]) - days * day:020d}{path.stem[20:]}{path.suffix}"))

    age(NOTEBOOK, 31)
    age("b" * 32, 31)
    age("c" * 32, 29)
    reopened = FileStore(tmp_path, history_days=30)
    assert [reopened.load_version(NOTEBOOK, v.version_id).name for v in reopened.versions(NOTEBOOK).versions] == [
        "current"
    ]
    assert not (history / ("b" * 32)).exists(), "the deletion goes with the last version before it"
    assert [item.notebook_id for item in reopened.deleted()] == ["c" * 32]
    assert [doc.name for doc in reopened.load_all().notebooks] == ["current"]


class RefusedCursor(DocumentedListing):
    def list_object_versions(self, **_: Any) -> dict[str, Any]:
        # S3's answer to a VersionIdMarker it never gave (the emulator lists nothing instead).
        raise ClientError({"Error": {"Code": "InvalidArgument", "Message": "Invalid version id specified"}}, "List")


def test_a_cursor_s3_refuses_is_an_unknown_version() -> None:
    with pytest.raises(VersionNotFound, match="no saved version 'bogus'"):
        S3Store("notebooks", "nb/", RefusedCursor()).versions("k", "bogus")
