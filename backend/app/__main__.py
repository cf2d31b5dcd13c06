"""`python -m app`: the service on 127.0.0.1:$PORT for local use (the container runs uvicorn on 0.0.0.0:8000)."""

import uvicorn

from app.core.config import get_settings

uvicorn.run("app.main:app", host="127.0.0.1", port=get_settings().port, workers=1)
