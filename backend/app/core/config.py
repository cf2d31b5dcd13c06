"""Settings from the environment (the ECS task definition sets them; locally, defaults for development)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Annotated

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

LOCAL_DEV_ORIGINS = ["http://localhost:5173", "http://127.0.0.1:5173"]
LOOPBACK_HOSTS = ["localhost", "127.0.0.1", "[::1]"]


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="", case_sensitive=False, extra="ignore")

    port: int = Field(default=8000, ge=1, le=65535)
    app_version: str = "dev"
    # Where notebooks live: a bucket (S3, used on ECS) wins over a directory (local runs and tests).
    notebook_dir: Path = Path("notebooks")
    notebook_bucket: str | None = None
    notebook_prefix: str = "notebooks/"
    # The notebook runs arbitrary code: production deployments must set a token.
    access_token: SecretStr | None = None
    allowed_origins: Annotated[list[str], NoDecode] = Field(default_factory=lambda: list(LOCAL_DEV_ORIGINS))
    # The names clients reach the service by (the Host header); a deployment sets its own.
    allowed_hosts: Annotated[list[str], NoDecode] = Field(default_factory=lambda: list(LOOPBACK_HOSTS))
    # Seconds a cell may run before it is interrupted; 0 means no limit.
    cell_time_limit: float = Field(default=0, ge=0)
    # What one kernel (a notebook's process and everything it starts) may use; 0 means no limit.
    kernel_memory_mb: int = Field(default=1024, ge=0)  # address space of each of its processes
    kernel_processes: int = Field(default=256, ge=0)  # processes and threads at once (with a uid of its own)
    kernel_cpu_seconds: int = Field(default=3600, ge=0)  # CPU time of each of its processes; a restart resets it
    kernel_open_files: int = Field(default=1024, ge=0)  # open descriptors of each of its processes
    # Seconds a kernel may go unused (no client connected, nothing run or asked of its notebook) before it is stopped,
    # freeing its memory; the next open starts a fresh one. 0 means never.
    kernel_idle_seconds: float = Field(default=1800, ge=0)
    # The IAM role whose credentials kernels get (through a loopback endpoint of the server, the standard container
    # credentials provider); empty: kernels get no AWS credentials at all.
    kernel_role_arn: str = ""

    @field_validator("allowed_origins", "allowed_hosts", mode="before")
    @classmethod
    def split_commas(cls, value: object) -> object:
        if isinstance(value, str):
            return [item.strip() for item in value.split(",") if item.strip()]
        return value

    @field_validator("allowed_hosts")
    @classmethod
    def hosts_are_names(cls, value: list[str]) -> list[str]:
        urls = [host for host in value if "/" in host]
        if urls:
            raise ValueError(f"takes host names such as example.com, not URLs: {', '.join(urls)}")
        return value

    @field_validator("access_token", mode="before")
    @classmethod
    def empty_token_is_none(cls, value: object) -> object:
        return None if value == "" else value

    @field_validator("notebook_prefix")
    @classmethod
    def prefix_ends_with_slash(cls, value: str) -> str:
        return value if not value or value.endswith("/") else value + "/"


@lru_cache
def get_settings() -> Settings:
    return Settings()
