from __future__ import annotations

from fastapi import APIRouter

from app.api.deps import SettingsDep
from app.models import Health

router = APIRouter(tags=["health"])


@router.get("/health", response_model=Health, summary="Liveness, and the version that is running")
def health(settings: SettingsDep) -> Health:
    return Health(version=settings.app_version)
