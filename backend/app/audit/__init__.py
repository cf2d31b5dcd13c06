"""The audit log (app.state.audit): record(), read(), and the middleware that records the REST API's changes."""

from __future__ import annotations

from app.audit.cursors import CURSOR_PATTERN, AuditUnavailable, BadCursor
from app.audit.events import Actor, AuditEvent
from app.audit.log import AuditLog, audit_log_from_settings
from app.audit.middleware import RecordChanges, caller_of

__all__ = [
    "CURSOR_PATTERN",
    "Actor",
    "AuditEvent",
    "AuditLog",
    "AuditUnavailable",
    "BadCursor",
    "RecordChanges",
    "audit_log_from_settings",
    "caller_of",
]
