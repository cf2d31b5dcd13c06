from __future__ import annotations

from app.core.config import Settings
from app.storage.base import NotebookStore
from app.storage.files import FileStore
from app.storage.s3 import S3Store


def store_from_settings(settings: Settings) -> NotebookStore:
    if settings.notebook_bucket:
        return S3Store(settings.notebook_bucket, settings.notebook_prefix)
    return FileStore(settings.notebook_dir, settings.notebook_history_days)
