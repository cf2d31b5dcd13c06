from __future__ import annotations

import contextlib
import itertools
import os
import re
import secrets
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from pydantic import ValidationError

from app.storage.base import CorruptNotebook, DeletedNotebook, LoadResult, NotebookVersion, VersionNotFound, VersionPage
from app.storage.documents import NotebookDocument, named

# save() writes `.<id>.<random>.tmp` next to the notebooks; the leading dot keeps it out of load_all's `*.json`.
TEMP_PREFIX, TEMP_SUFFIX = ".", ".tmp"
# history/<notebook id>/<version id><suffix>: a saved document, or the record of a deletion.
HISTORY = "history"
SAVED, DELETED = ".json", ".deleted"
# The save's time in nanoseconds, then a random part: ids sort by age, and two saves in one tick never collide.
VERSION_ID = re.compile(r"[0-9]{20}[0-9a-f]{8}")


class FileStore:
    """One JSON file per notebook. Writes go to a temp file that is fsynced and renamed over the old one, and the
    directory is fsynced, so a crash leaves either the old or the new version, never a torn file. The directory
    belongs to one server: the temp files a crash left behind are removed when the store is opened.

    Every saved document is also kept, append-only, in the notebook's history folder (a hard link to the file the
    save renames into place, so a save writes its data once), and a deletion is recorded there as the newest entry:
    like a versioned S3 bucket, whose delete marker hides the notebook while its versions stay, until they expire
    `history_days` after they were replaced (checked when the store is opened)."""

    def __init__(self, directory: Path, history_days: int = 90) -> None:
        self.directory = directory
        self.description = f"directory {directory}"
        directory.mkdir(parents=True, exist_ok=True)
        for temp in directory.glob(f"{TEMP_PREFIX}*{TEMP_SUFFIX}"):
            with contextlib.suppress(FileNotFoundError):
                temp.unlink()
        self._expire(time.time_ns() - history_days * 86_400 * 10**9)

    def _expire(self, before_ns: int) -> None:
        """As the bucket's lifecycle rule does: a version expires once it was replaced (or deleted) before
        `before_ns`, and a deletion goes once nothing is left before it."""
        for history in (self.directory / HISTORY).glob("*/"):
            entries = sorted(path for path in history.iterdir() if VERSION_ID.fullmatch(path.stem))
            for entry, successor in itertools.pairwise(entries):
                if int(successor.stem[:20]) < before_ns:
                    entry.unlink()
            if entries[-1:] and entries[-1].suffix == DELETED and len(list(history.iterdir())) == 1:
                entries[-1].unlink()
            with contextlib.suppress(OSError):
                history.rmdir()  # only when empty

    def _path(self, notebook_id: str) -> Path:
        return self.directory / f"{notebook_id}.json"

    def load_all(self) -> LoadResult:
        result = LoadResult()
        for path in sorted(self.directory.glob("*.json")):
            try:
                result.notebooks.append(named(NotebookDocument.model_validate_json(path.read_bytes()), path.stem))
            except (OSError, ValidationError) as error:
                result.corrupt.append(CorruptNotebook(str(path), _short(error)))
        return result

    def _history(self, notebook_id: str) -> Path:
        if notebook_id.startswith(".") or Path(notebook_id).name != notebook_id:  # ids come from URLs
            return self.directory / HISTORY / ".none"
        return self.directory / HISTORY / notebook_id

    def save(self, notebook: NotebookDocument) -> None:
        data = notebook.model_dump_json(indent=2).encode()
        history = self._history(notebook.id)
        history.mkdir(parents=True, exist_ok=True)
        version = history / f"{_new_version_id()}{SAVED}"
        handle, temp = tempfile.mkstemp(dir=self.directory, prefix=f"{TEMP_PREFIX}{notebook.id}.", suffix=TEMP_SUFFIX)
        try:
            with os.fdopen(handle, "wb") as file:
                file.write(data)
                file.flush()
                os.fsync(file.fileno())
            os.link(temp, version)
            os.replace(temp, self._path(notebook.id))
        except BaseException:
            for leftover in (temp, version):
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(leftover)
            raise
        _sync(history)
        _sync(self.directory)

    def delete(self, notebook_id: str) -> None:
        current = self._path(notebook_id)
        if current.exists():
            history = self._history(notebook_id)
            history.mkdir(parents=True, exist_ok=True)
            (history / f"{_new_version_id()}{DELETED}").touch()
            _sync(history)
        with contextlib.suppress(FileNotFoundError):
            current.unlink()
        _sync(self.directory)

    def deleted(self) -> list[DeletedNotebook]:
        found = []
        for history in (self.directory / HISTORY).glob("*/"):
            newest = self.versions(history.name, limit=1).versions
            if newest and newest[0].deleted and not self._path(history.name).exists():
                found.append(DeletedNotebook(history.name, newest[0].saved_at))
        return sorted(found, key=lambda item: item.deleted_at, reverse=True)

    def versions(self, notebook_id: str, cursor: str | None = None, limit: int = 50) -> VersionPage:
        history = self._history(notebook_id)
        entries = sorted(history.iterdir(), reverse=True) if history.is_dir() else []
        found: list[NotebookVersion] = []
        for path in entries:
            version_id, suffix = path.stem, path.suffix
            if not VERSION_ID.fullmatch(version_id) or suffix not in (SAVED, DELETED):
                continue
            if cursor is not None and version_id >= cursor:
                continue
            if len(found) == limit:
                return VersionPage(found, found[-1].version_id)
            deleted = suffix == DELETED
            size = 0 if deleted else path.stat().st_size
            found.append(NotebookVersion(version_id, _saved_at(version_id), size, deleted))
        return VersionPage(found, None)

    def load_version(self, notebook_id: str, version_id: str) -> NotebookDocument:
        if not VERSION_ID.fullmatch(version_id):
            raise VersionNotFound(notebook_id, version_id)
        try:
            data = (self._history(notebook_id) / f"{version_id}{SAVED}").read_bytes()
        except FileNotFoundError:
            raise VersionNotFound(notebook_id, version_id) from None
        return named(NotebookDocument.model_validate_json(data), notebook_id)


def _new_version_id() -> str:
    return f"{time.time_ns():020d}{secrets.token_hex(4)}"


def _saved_at(version_id: str) -> datetime:
    return datetime.fromtimestamp(int(version_id[:20]) / 1e9, UTC)


def _sync(directory: Path) -> None:
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _short(error: Exception) -> str:
    text = str(error).strip().splitlines()
    return text[0] if text else type(error).__name__
