"""`python -m app`: the service on 127.0.0.1:$PORT for local use, started as the image starts it (backend/Dockerfile's
CMD, which tests/api/test_container.py holds to `server_command`): through the kernel launcher, which as root runs
the server as SERVER_USER and gives each kernel a uid of its own, and otherwise only execs uvicorn (the server then
warns loudly that kernels share its uid)."""

import os
import sys

SERVER_USER = "10001:10001"


def server_command(host: str, port: int) -> list[str]:
    """The image's start command, listening on host:port: the one source of the server's arguments."""
    return [
        "python",
        "-m",
        "app.engine.kernel.launcher",
        "--user",
        SERVER_USER,
        "uvicorn",
        "app.main:app",
        "--host",
        host,
        "--port",
        str(port),
        "--workers",
        "1",
    ]


def main() -> None:
    from app.core.config import get_settings

    command = server_command("127.0.0.1", get_settings().port)
    os.execv(sys.executable, [sys.executable, *command[1:]])


if __name__ == "__main__":
    main()
