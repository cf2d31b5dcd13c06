from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

from pydantic import ValidationError

from app.storage.base import CorruptNotebook, LoadResult
from app.storage.documents import NotebookDocument, named

# save() writes `.<id>.<random>.tmp` next to the notebooks; the leading dot keeps it out of load_all's `*.json`.
TEMP_PREFIX, TEMP_SUFFIX = ".", ".tmp"


class FileStore:
    """One JSON file per notebook. Writes go to a temp file that is fsynced and renamed over the old one, and the
    directory is fsynced, so a crash leaves either the old or the new version, never a torn file. The directory
    belongs to one server: the temp files a crash left behind are removed when the store is opened."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.description = f"directory {directory}"
        directory.mkdir(parents=True, exist_ok=True)
        for temp in directory.glob(f"{TEMP_PREFIX}*{TEMP_SUFFIX}"):
            with contextlib.suppress(FileNotFoundError):
                temp.unlink()

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

    def save(self, notebook: NotebookDocument) -> None:
        data = notebook.model_dump_json(indent=2).encode()
        handle, temp = tempfile.mkstemp(dir=self.directory, prefix=f"{TEMP_PREFIX}{notebook.id}.", suffix=TEMP_SUFFIX)
        try:
            with os.fdopen(handle, "wb") as file:
                file.write(data)
                file.flush()
                os.fsync(file.fileno())
            os.replace(temp, self._path(notebook.id))
        except BaseException:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(temp)
            raise
        self._sync_directory()

    def delete(self, notebook_id: str) -> None:
        with contextlib.suppress(FileNotFoundError):
            self._path(notebook_id).unlink()
        self._sync_directory()

    def _sync_directory(self) -> None:
        fd = os.open(self.directory, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _short(error: Exception) -> str:
    text = str(error).strip().splitlines()
    return text[0] if text else type(error).__name__
