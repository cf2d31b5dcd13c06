"""Settings from the environment (the ECS task definition sets them; locally, defaults for development)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Annotated, Literal
from urllib.parse import urlsplit

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from app.core.kernel_sizes import DEFAULT_ALLOWED_SIZES, KernelSizeName

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
    # Days the file store keeps a replaced or deleted version (S3: the bucket's lifecycle rule, set by Terraform).
    notebook_history_days: int = Field(default=90, ge=1)
    # The notebook runs arbitrary code: production deployments must set a token.
    access_token: SecretStr | None = None
    allowed_origins: Annotated[list[str], NoDecode] = Field(default_factory=lambda: list(LOCAL_DEV_ORIGINS))
    # The names clients reach the service by (the Host header); a deployment sets its own.
    allowed_hosts: Annotated[list[str], NoDecode] = Field(default_factory=lambda: list(LOOPBACK_HOSTS))
    # Sign-in with an OpenID Connect provider (docs/DEPLOYMENT.md, "Sign-in"); unset: the access token alone.
    oidc_issuer: str = ""
    oidc_client_id: str = ""
    oidc_client_secret: SecretStr | None = None
    oidc_scopes: str = "openid profile email"
    oidc_groups_claim: str = "groups"  # Amazon Cognito: cognito:groups
    # Signs the session cookie; required with OIDC_ISSUER.
    session_secret: SecretStr | None = None
    session_hours: float = Field(default=12, gt=0, le=24 * 30)
    # The address people open (the CloudFront URL): the sign-in callback is PUBLIC_URL/api/auth/callback.
    public_url: str = ""
    # Deployment admins: owners of every notebook, readers of the audit log.
    admin_users: Annotated[list[str], NoDecode] = Field(default_factory=list)
    admin_groups: Annotated[list[str], NoDecode] = Field(default_factory=list)
    # Where the audit log goes: a JSON-lines file (local runs), a CloudWatch Logs group (AWS), or both.
    audit_log_file: Path | None = None
    audit_log_group: str = ""
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
    # Where kernels run: `process`, a child process of this server (or of its launcher); `ecs`, each notebook's kernel
    # as an ECS task of its own (see engine/kernel/ecs), which then needs the cluster, task definition and subnets.
    kernel_launcher: Literal["process", "ecs"] = "process"
    kernel_ecs_cluster: str = ""
    kernel_ecs_task_definition: str = ""  # family (the latest revision) or ARN
    kernel_ecs_subnets: Annotated[list[str], NoDecode] = Field(default_factory=list)
    kernel_ecs_security_groups: Annotated[list[str], NoDecode] = Field(default_factory=list)
    # The size presets notebooks may choose (see core/kernel_sizes), the first the default; with ecs only.
    kernel_sizes: Annotated[list[KernelSizeName], NoDecode] = Field(
        default_factory=lambda: list(DEFAULT_ALLOWED_SIZES), min_length=1
    )
    # Kernel tasks started ahead of need, each taken by the next notebook that opens (ecs only).
    kernel_warm_pool: int = Field(default=0, ge=0, le=20)

    @property
    def page_origins(self) -> list[str]:
        """The origins whose pages may use the API with a browser's credentials: ALLOWED_ORIGINS and PUBLIC_URL's,
        which behind CloudFront is not the Host the server sees (the origin's name)."""
        parts = urlsplit(self.public_url)
        return [*self.allowed_origins, f"{parts.scheme}://{parts.netloc}"] if parts.netloc else self.allowed_origins

    @field_validator(
        "allowed_origins",
        "allowed_hosts",
        "kernel_ecs_subnets",
        "kernel_ecs_security_groups",
        "kernel_sizes",
        "admin_users",
        "admin_groups",
        mode="before",
    )
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

    @field_validator("kernel_sizes")
    @classmethod
    def sizes_once_each(cls, value: list[KernelSizeName]) -> list[KernelSizeName]:
        return list(dict.fromkeys(value))

    @field_validator("access_token", "oidc_client_secret", "session_secret", "audit_log_file", mode="before")
    @classmethod
    def empty_is_none(cls, value: object) -> object:
        return None if value == "" else value

    @model_validator(mode="after")
    def ecs_kernels_are_placed(self) -> Settings:
        if self.kernel_launcher == "ecs":
            missing = [
                name
                for name, value in (
                    ("KERNEL_ECS_CLUSTER", self.kernel_ecs_cluster),
                    ("KERNEL_ECS_TASK_DEFINITION", self.kernel_ecs_task_definition),
                    ("KERNEL_ECS_SUBNETS", self.kernel_ecs_subnets),
                )
                if not value
            ]
            if missing:
                raise ValueError(f"KERNEL_LAUNCHER=ecs needs {', '.join(missing)}: where kernel tasks run")
        return self

    @model_validator(mode="after")
    def sign_in_is_complete(self) -> Settings:
        if self.oidc_issuer:
            missing = [
                name
                for name, value in (
                    ("OIDC_CLIENT_ID", self.oidc_client_id),
                    ("OIDC_CLIENT_SECRET", self.oidc_client_secret),
                    ("SESSION_SECRET", self.session_secret),
                    ("PUBLIC_URL", self.public_url),  # the callback the provider returns to is PUBLIC_URL's
                )
                if not value
            ]
            if missing:
                raise ValueError(f"OIDC_ISSUER needs {', '.join(missing)} too")
            assert self.session_secret is not None
            if len(self.session_secret.get_secret_value()) < 32:
                raise ValueError("SESSION_SECRET must be at least 32 characters (a random string)")
        return self

    @field_validator("notebook_prefix")
    @classmethod
    def prefix_ends_with_slash(cls, value: str) -> str:
        return value if not value or value.endswith("/") else value + "/"


@lru_cache
def get_settings() -> Settings:
    return Settings()
