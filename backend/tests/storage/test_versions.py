"""Both stores keep every saved version of a notebook and survive its deletion alike."""

from __future__ import annotations

from pathlib import Path

import boto3
import pytest

from app.storage import NotebookStore, VersionNotFound
from app.storage.files import FileStore
from app.storage.s3 import S3Store
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


def test_a_deletion_keeps_the_versions_and_is_listed_first(store: NotebookStore) -> None:
    store.save(notebook(name="kept"))
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
