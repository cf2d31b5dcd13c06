from __future__ import annotations

import logging


def configure_logging() -> None:
    """The service's own messages (a skipped corrupt notebook, say) next to uvicorn's, on stderr."""
    logger = logging.getLogger("app")
    if not logger.handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(levelname)s:     %(name)s: %(message)s"))
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)
