from __future__ import annotations

import logging
from urllib.parse import unquote_plus

REDACTED = "[redacted]"
# uvicorn logs every request's path with its query: on "uvicorn.access", and WebSocket handshakes on "uvicorn.error".
_REQUEST_LOGGERS = ("uvicorn.access", "uvicorn.error")


def redact_token(text: str) -> str:
    """The WebSocket may carry the access token as `?token=`: its value never reaches a log. Keys are compared
    decoded, as Starlette reads them (`?%74oken=` is a token too)."""
    path, mark, query = text.partition("?")
    if not mark:
        return text
    fields = query.split("&")
    for index, field in enumerate(fields):
        key, equals, _value = field.partition("=")
        if equals and unquote_plus(key) == "token":
            fields[index] = f"{key}={REDACTED}"
    return path + mark + "&".join(fields)


class RedactToken(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple):
            record.args = tuple(redact_token(arg) if isinstance(arg, str) else arg for arg in record.args)
        if isinstance(record.msg, str):
            record.msg = redact_token(record.msg)
        return True


def configure_logging() -> None:
    """The service's own messages (a skipped corrupt notebook, say) next to uvicorn's, on stderr; no token in them."""
    logger = logging.getLogger("app")
    if not logger.handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(levelname)s:     %(name)s: %(message)s"))
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)
    for name in _REQUEST_LOGGERS:
        request_logger = logging.getLogger(name)
        if not any(isinstance(existing, RedactToken) for existing in request_logger.filters):
            request_logger.addFilter(RedactToken())
