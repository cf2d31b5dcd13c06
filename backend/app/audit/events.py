"""One entry of the audit log: who did what to which notebook, and when."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime

from pydantic import TypeAdapter

from app.core.principal import Principal


@dataclass(frozen=True)
class Actor:
    id: str
    name: str


@dataclass(frozen=True)
class AuditEvent:
    time: datetime
    actor: Actor
    action: str  # a REST route's operation id (update_cell, ...), a WebSocket action (run_cell, ...), sign_in, ...
    notebook_id: str | None
    detail: Mapping[str, object] = field(default_factory=dict)

    @classmethod
    def now(cls, actor: Principal, action: str, notebook_id: str | None, detail: Mapping[str, object]) -> AuditEvent:
        return cls(datetime.now(UTC), Actor(actor.id, actor.name), action, notebook_id, dict(detail))

    @property
    def millis(self) -> int:
        return int(self.time.timestamp() * 1000)


_EVENT = TypeAdapter(AuditEvent)


def encode(event: AuditEvent) -> str:
    """One line of JSON: `{"time": ISO-8601, "actor": {"id", "name"}, "action", "notebook_id", "detail"}`."""
    # A detail value JSON cannot hold is written as its text rather than losing the whole event.
    return _EVENT.dump_json(event, fallback=str).decode()


def decode(line: str | bytes) -> AuditEvent:
    """Raises pydantic.ValidationError for a line that is not an event."""
    return _EVENT.validate_json(line)
