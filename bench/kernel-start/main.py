"""Benchmark of kernel start latency (`npm run bench -- kernel-start`).

The anchor, measured in the same run: a kernel process started by the server itself (the `process` launcher's host),
from `KernelProcess.start()` to its `ready`. Against it, on loopback:

1. cold: an agent process started as a kernel task's container starts it, then `connect_kernel` (retrying until the
   agent listens) up to the worker's `ready`: what a notebook waits for beyond ECS's own provisioning;
2. warm: `connect_kernel` to an agent whose worker is already up (a warm pool's task, or a reattach).

The ECS part (RunTask to RUNNING, tens of seconds on Fargate) is not measured here.
"""

from __future__ import annotations

import asyncio
import http.server
import json
import os
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

BACKEND = Path(__file__).resolve().parents[2] / "backend"
sys.path.insert(0, str(BACKEND))

from app.engine.kernel.client import KernelOptions, KernelProcess  # noqa: E402 (after the path to the backend)
from app.engine.kernel.hosts import KernelHost, Spawned  # noqa: E402 (after the path to the backend)
from app.engine.kernel.remote import connect_kernel, new_secret  # noqa: E402 (after the path to the backend)

REPEATS = 5
ADDRESS = "127.77.0.1"


class _Metadata(http.server.BaseHTTPRequestHandler):
    """The task metadata endpoint v4 an agent reads its address from."""

    def do_GET(self) -> None:
        body = json.dumps({"Containers": [{"Networks": [{"IPv4Addresses": [ADDRESS]}]}]}).encode()
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: Any) -> None:
        pass


class _RemoteHost:
    def __init__(self, port: int, secret: str) -> None:
        self.port = port
        self.secret = secret

    async def spawn(self, **_: Any) -> Spawned:
        return await connect_kernel(ADDRESS, self.port, self.secret, timeout=60)


async def _started_seconds(host: KernelHost | None) -> tuple[float, KernelProcess]:
    kernel = KernelProcess(KernelOptions(host=host), lambda *_: None, lambda *_: None)
    started = time.perf_counter()
    await kernel.start()
    return time.perf_counter() - started, kernel


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind((ADDRESS, 0))
        port: int = probe.getsockname()[1]
        return port


def _start_agent(metadata: str, port: int, secret: str) -> subprocess.Popen[bytes]:
    env = os.environ | {"KERNEL_SECRET": secret, "KERNEL_PORT": str(port), "ECS_CONTAINER_METADATA_URI_V4": metadata}
    return subprocess.Popen(
        [sys.executable, "-m", "app.engine.kernel.agent"], cwd=BACKEND, env=env, stderr=subprocess.DEVNULL
    )


async def _process_host() -> float:
    seconds, kernel = await _started_seconds(None)
    await kernel.stop()
    return seconds


async def _agent(metadata: str) -> tuple[float, float]:
    """(cold, warm) seconds of one agent."""
    port, secret = _free_port(), new_secret()
    started = time.perf_counter()
    agent = _start_agent(metadata, port, secret)
    try:
        _, first = await _started_seconds(_RemoteHost(port, secret))
        cold = time.perf_counter() - started
        warm, second = await _started_seconds(_RemoteHost(port, secret))  # replaces the first connection
        await first.stop()
        await second.stop()
    finally:
        if agent.poll() is None:
            agent.terminate()
        agent.wait(10)
    return cold, warm


async def measure(metadata: str) -> None:
    await _process_host()  # imports and caches warmed, as a running server has them
    process = statistics.median([await _process_host() for _ in range(REPEATS)])
    runs = [await _agent(metadata) for _ in range(REPEATS)]
    cold = statistics.median(cold for cold, _ in runs)
    warm = statistics.median(warm for _, warm in runs)
    print(f"kernel start to ready, median of {REPEATS}")
    print(f"  anchor, process host (this run):             {process * 1000:8.1f} ms")
    print(f"  agent started, then connect_kernel (cold):   {cold * 1000:8.1f} ms = {cold / process:.2f}x the anchor")
    print(f"  connect_kernel to a running agent (warm):    {warm * 1000:8.1f} ms = {warm / process:.2f}x the anchor")


def main() -> None:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Metadata)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        asyncio.run(measure(f"http://127.0.0.1:{server.server_address[1]}"))
    finally:
        server.shutdown()


if __name__ == "__main__":
    main()
