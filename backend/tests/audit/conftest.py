from __future__ import annotations

from datetime import UTC, datetime, timedelta

from app.audit import Actor, AuditEvent
from app.core.principal import Principal

ADA = Principal(id="ada@example.com", name="Ada", kind="user", email="ada@example.com")
START = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


def event(number: int, notebook_id: str | None = "nb1", action: str = "update_cell") -> AuditEvent:
    """The number-th event of a sequence, a second after the one before."""
    return AuditEvent(
        START + timedelta(seconds=number), Actor(ADA.id, ADA.name), action, notebook_id, {"cell_id": f"c{number}"}
    )
