from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path

import boto3
import pytest

from app.storage import CellDocument, NotebookDocument
from app.storage.files import FileStore
from app.storage.s3 import S3Store


def notebook(notebook_id: str = "a" * 32, name: str = "Sales") -> NotebookDocument:
    now = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)
    return NotebookDocument(
        id=notebook_id,
        name=name,
        created_at=now,
        updated_at=now,
        db_connection="postgresql://u:p@db/x",
        cells=[
            CellDocument(id="c1", type="python", code="x = 1"),
            CellDocument(id="c2", type="sql", code="select {x}", output_name="df"),
        ],
    )


class TestFileStore:
    def test_round_trips_every_field(self, tmp_path: Path) -> None:
        store = FileStore(tmp_path)
        store.save(notebook())
        assert FileStore(tmp_path).load_all().notebooks == [notebook()]

    def test_overwrite_leaves_no_temp_files(self, tmp_path: Path) -> None:
        store = FileStore(tmp_path)
        store.save(notebook(name="one"))
        store.save(notebook(name="two"))
        assert sorted(path.name for path in tmp_path.iterdir()) == ["a" * 32 + ".json", "history"]
        assert len(list((tmp_path / "history" / ("a" * 32)).iterdir())) == 2
        assert store.load_all().notebooks[0].name == "two"

    def test_failed_write_keeps_the_previous_version(self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        store = FileStore(tmp_path)
        store.save(notebook(name="kept"))

        def broken_fsync(_fd: int) -> None:
            raise OSError("disk full")

        monkeypatch.setattr(os, "fsync", broken_fsync)
        with pytest.raises(OSError, match="disk full"):
            store.save(notebook(name="lost"))
        monkeypatch.undo()
        assert [doc.name for doc in store.load_all().notebooks] == ["kept"]
        assert sorted(path.name for path in tmp_path.iterdir()) == ["a" * 32 + ".json", "history"]
        assert [version.version_id for version in store.versions("a" * 32).versions] == [
            path.stem for path in (tmp_path / "history" / ("a" * 32)).iterdir()
        ]
        assert len(store.versions("a" * 32).versions) == 1

    def test_corrupt_files_are_reported_and_skipped(self, tmp_path: Path) -> None:
        store = FileStore(tmp_path)
        store.save(notebook())
        (tmp_path / "broken.json").write_text('{"id": "x", "name":')
        (tmp_path / "wrong.json").write_text('{"id": "y"}')
        result = store.load_all()
        assert [doc.id for doc in result.notebooks] == ["a" * 32]
        assert sorted(Path(item.location).name for item in result.corrupt) == ["broken.json", "wrong.json"]
        assert all(item.reason for item in result.corrupt)

    def test_a_copied_file_is_the_notebook_its_name_says(self, tmp_path: Path) -> None:
        store = FileStore(tmp_path)
        store.save(notebook())
        copy = "b" * 32
        (tmp_path / f"{copy}.json").write_bytes((tmp_path / ("a" * 32 + ".json")).read_bytes())
        loaded = {doc.id: doc for doc in store.load_all().notebooks}
        assert loaded == {"a" * 32: notebook(), copy: notebook(copy)}
        store.save(notebook(copy, name="renamed copy"))
        assert {doc.id: doc.name for doc in store.load_all().notebooks} == {"a" * 32: "Sales", copy: "renamed copy"}

    def test_temp_files_of_interrupted_writes_are_removed_when_the_store_opens(self, tmp_path: Path) -> None:
        FileStore(tmp_path).save(notebook())
        # What a save killed between writing and renaming leaves (the name save() gives it).
        (tmp_path / f".{'a' * 32}.k2j4x9.tmp").write_text('{"id": "a')
        (tmp_path / "notes.tmp").write_text("not ours")
        store = FileStore(tmp_path)
        assert sorted(path.name for path in tmp_path.iterdir()) == ["a" * 32 + ".json", "history", "notes.tmp"]
        assert store.load_all().notebooks == [notebook()]

    def test_a_save_interrupted_between_write_and_rename_leaves_no_temp_file(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        store = FileStore(tmp_path)

        def interrupted(_source: str, _target: Path) -> None:
            raise KeyboardInterrupt

        monkeypatch.setattr(os, "replace", interrupted)
        with pytest.raises(KeyboardInterrupt):
            store.save(notebook())
        assert list(tmp_path.glob("*.*")) == []
        assert store.versions("a" * 32).versions == []

    def test_delete_is_idempotent(self, tmp_path: Path) -> None:
        store = FileStore(tmp_path)
        store.save(notebook())
        store.delete("a" * 32)
        store.delete("a" * 32)
        assert store.load_all().notebooks == []


@pytest.fixture
def bucket(moto_endpoint: str) -> str:
    boto3.client("s3").create_bucket(Bucket="notebooks")
    return "notebooks"


class TestS3Store:
    def test_round_trips_and_lists_only_its_prefix(self, bucket: str) -> None:
        client = boto3.client("s3")
        client.put_object(Bucket=bucket, Key="other/zzz.json", Body=b"{}")
        client.put_object(Bucket=bucket, Key="nb/nested/zzz.json", Body=b"{}")
        store = S3Store(bucket, "nb/")
        store.save(notebook())
        stored = client.get_object(Bucket=bucket, Key="nb/" + "a" * 32 + ".json")
        assert stored["ContentType"] == "application/json"
        result = S3Store(bucket, "nb/").load_all()
        assert result.notebooks == [notebook()]
        assert result.corrupt == []

    def test_corrupt_objects_are_reported_and_skipped(self, bucket: str) -> None:
        boto3.client("s3").put_object(Bucket=bucket, Key="nb/bad.json", Body=b"not json")
        store = S3Store(bucket, "nb/")
        store.save(notebook())
        result = store.load_all()
        assert [doc.id for doc in result.notebooks] == ["a" * 32]
        assert [item.location for item in result.corrupt] == [f"s3://{bucket}/nb/bad.json"]

    def test_a_copied_object_is_the_notebook_its_key_says(self, bucket: str) -> None:
        client = boto3.client("s3")
        store = S3Store(bucket, "nb/")
        store.save(notebook())
        copy = "b" * 32
        client.copy_object(
            Bucket=bucket, Key=f"nb/{copy}.json", CopySource={"Bucket": bucket, "Key": f"nb/{'a' * 32}.json"}
        )
        assert sorted(doc.id for doc in store.load_all().notebooks) == ["a" * 32, copy]

    def test_delete(self, bucket: str) -> None:
        store = S3Store(bucket, "nb/")
        store.save(notebook())
        store.delete("a" * 32)
        assert store.load_all().notebooks == []
