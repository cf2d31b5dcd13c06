"""A kernel served by its agent (as in a kernel task) over the authenticated TLS channel, driven by `KernelProcess`.

Real agent processes on loopback addresses of their own, each finding its address through a task metadata endpoint
as on ECS.
"""

from __future__ import annotations

import asyncio
import http.server
import json
import os
import random
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest

from app.engine.kernel import frames, kernel_tls
from app.engine.kernel.client import KernelDied, KernelOptions, KernelProcess
from app.engine.kernel.hosts import Spawned
from app.engine.kernel.remote import CONNECTION_LOST, KernelConnectError, RemoteKernel, connect_kernel, new_secret
from app.engine.kernel.sandbox import PACKAGE_ROOT

_STARTED = "serving the kernel"


class _Metadata(http.server.BaseHTTPRequestHandler):
    """ECS task metadata v4 of every test task: /<address>/task names <address> as the task's IPv4 address."""

    def do_GET(self) -> None:
        address, _, rest = self.path.strip("/").partition("/")
        if rest != "task":
            self.send_error(404)
            return
        body = json.dumps({"Containers": [{"Name": "kernel", "Networks": [{"IPv4Addresses": [address]}]}]}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture(scope="module")
def metadata() -> Iterator[str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Metadata)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


@dataclass
class Agent:
    process: subprocess.Popen[str]
    address: str
    port: int
    secret: str
    log: list[str] = field(default_factory=list)

    def logged(self, text: str, timeout: float = 5.0) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if any(text in line for line in self.log):
                return True
            time.sleep(0.02)
        return False


def _free_address() -> tuple[str, int]:
    address = f"127.{random.randint(100, 250)}.{random.randint(0, 255)}.{random.randint(2, 254)}"
    with socket.socket() as probe:
        probe.bind((address, 0))
        return address, probe.getsockname()[1]


def start_agent(metadata: str, secret: str | None = None, **env: str) -> Agent:
    address, port = _free_address()
    secret = secret or new_secret()
    environment = os.environ | {
        "KERNEL_SECRET": secret,
        "KERNEL_PORT": str(port),
        "ECS_CONTAINER_METADATA_URI_V4": f"{metadata}/{address}",
        "PYTHONPATH": PACKAGE_ROOT,
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "app.engine.kernel.agent"],
        env=environment | env,
        cwd=PACKAGE_ROOT,
        stderr=subprocess.PIPE,
        text=True,
    )
    agent = Agent(process, address, port, secret)

    def collect() -> None:
        assert process.stderr is not None
        for line in process.stderr:
            agent.log.append(line)

    threading.Thread(target=collect, daemon=True).start()
    assert agent.logged(_STARTED, 20), "".join(agent.log)
    return agent


@pytest.fixture
def agents(metadata: str) -> Iterator[list[Agent]]:
    started: list[Agent] = []
    yield started
    for agent in started:
        if agent.process.poll() is None:
            agent.process.terminate()
        agent.process.wait(10)


@dataclass
class RemoteHost:
    agent: Agent
    secret: str = ""
    spawned: list[Spawned] = field(default_factory=list)
    kills: int = 0

    async def spawn(self, **_: Any) -> Spawned:
        spawned = await connect_kernel(
            self.agent.address, self.agent.port, self.secret or self.agent.secret, on_kill=self._killed, timeout=5
        )
        self.spawned.append(spawned)
        return spawned

    def _killed(self) -> None:
        self.kills += 1


@dataclass
class Kernel:
    process: KernelProcess
    host: RemoteHost
    streams: list[tuple[str | None, str, str]] = field(default_factory=list)
    exits: list[int] = field(default_factory=list)

    @property
    def handle(self) -> RemoteKernel:
        handle = self.host.spawned[-1].handle
        assert isinstance(handle, RemoteKernel)
        return handle

    async def run(self, cell: str, code: str) -> dict[str, Any]:
        compiled = {"source": code, "shifts": [], "settle_result": False}
        command = {"op": "run", "cell": cell, "kind": "python", "code": code, "compiled": compiled}
        return await asyncio.wait_for(self.process.execute(command | {"delete": [], "private_names": []}), 10)

    def text(self, stream: str) -> str:
        return "".join(text for _, name, text in self.streams if name == stream)


async def open_kernel(agent: Agent, host: RemoteHost | None = None) -> Kernel:
    host = host or RemoteHost(agent)
    kernel = Kernel(KernelProcess(KernelOptions(host=host, start_timeout=20), lambda *_: None, lambda *_: None), host)
    kernel.process._on_stream = lambda cell, name, text: kernel.streams.append((cell, name, text))
    kernel.process._on_exit = lambda _, code: kernel.exits.append(code)
    await kernel.process.start()
    return kernel


async def finished(kernel: Kernel) -> None:
    await asyncio.wait_for(kernel.process._finished.wait(), 10)


@pytest.mark.asyncio
async def test_cells_run_with_their_output_streamed_in_order(agents: list[Agent], metadata: str) -> None:
    agents.append(agent := start_agent(metadata))
    kernel = await open_kernel(agent)
    assert kernel.process.pid == kernel.handle.pid != agent.process.pid
    code = (
        "import sys, os\n"
        "for i in range(200):\n"
        "    print('out', i)\n"
        "print('to stderr', file=sys.stderr)\n"
        "os.write(1, b'raw\\n')\n"
    )
    done = await kernel.run("c1", code)
    assert done["status"] == "success", done
    assert kernel.text("stdout") == "".join(f"out {i}\n" for i in range(200)) + "raw\n"
    assert kernel.text("stderr") == "to stderr\n"
    # More than any buffer on the way holds: the relay waits for the client instead of reordering or dropping.
    await kernel.run("c2", "import sys\nfor i in range(4000):\n    sys.stdout.write(f'{i:08d}' * 128 + '\\n')")
    lines = kernel.text("stdout").splitlines()[201:]
    assert lines == [f"{i:08d}" * 128 for i in range(4000)]
    await kernel.process.stop()
    assert agent.process.wait(10) == 0


@pytest.mark.asyncio
async def test_the_worker_gets_the_task_role_never_the_secret(agents: list[Agent], metadata: str) -> None:
    task = {
        "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI": "/v2/credentials/kernel-task",
        "AWS_REGION": "eu-west-3",
        "AWS_ACCESS_KEY_ID": "AKIAAGENTONLY",
    }
    agents.append(agent := start_agent(metadata, **task))
    kernel = await open_kernel(agent)
    names = [*task, "AWS_CONTAINER_CREDENTIALS_FULL_URI", "KERNEL_SECRET", "ECS_CONTAINER_METADATA_URI_V4"]
    code = f"import json, os\nprint(json.dumps([os.getuid(), {{n: os.environ.get(n) for n in {names}}}]))"
    await kernel.run("c1", code)
    uid, seen = json.loads(kernel.text("stdout"))
    assert seen == {name: None for name in names} | {
        "AWS_CONTAINER_CREDENTIALS_FULL_URI": "http://169.254.170.2/v2/credentials/kernel-task",
        "AWS_REGION": "eu-west-3",
    }
    if os.geteuid() == 0:  # through the launcher: the worker has a uid of its own, not root's
        assert uid >= 20000
    kernel.process.kill()
    await finished(kernel)


@pytest.mark.asyncio
async def test_an_interrupt_ends_a_sleeping_cell(agents: list[Agent], metadata: str) -> None:
    agents.append(agent := start_agent(metadata))
    kernel = await open_kernel(agent)
    running = asyncio.create_task(kernel.run("c1", "import time\ntime.sleep(60)"))
    await asyncio.sleep(0.5)
    kernel.process.interrupt()
    done = await asyncio.wait_for(running, 5)
    assert done["status"] == "interrupted"
    assert (await kernel.run("c2", "print(1 + 1)"))["status"] == "success"
    assert kernel.text("stdout") == "2\n"
    kernel.process.kill()
    await finished(kernel)


@pytest.mark.asyncio
async def test_kill_ends_the_worker_and_the_agent(agents: list[Agent], metadata: str) -> None:
    agents.append(agent := start_agent(metadata))
    kernel = await open_kernel(agent)
    kernel.process.kill()
    await finished(kernel)
    assert kernel.host.kills == 1
    assert agent.process.wait(5) == 128 + 9
    assert not os.path.exists(f"/proc/{kernel.handle.pid}")
    assert kernel.process.returncode == -9


@pytest.mark.asyncio
async def test_sigterm_ends_the_worker_and_the_agent(agents: list[Agent], metadata: str) -> None:
    agents.append(agent := start_agent(metadata))
    kernel = await open_kernel(agent)
    agent.process.terminate()  # what ECS's StopTask sends
    await finished(kernel)
    assert agent.process.wait(5) == 128 + 9
    assert kernel.exits == [-9]
    assert not os.path.exists(f"/proc/{kernel.handle.pid}")


@pytest.mark.asyncio
async def test_a_worker_that_exits_is_reported_with_its_code(agents: list[Agent], metadata: str) -> None:
    agents.append(agent := start_agent(metadata))
    kernel = await open_kernel(agent)
    with pytest.raises(KernelDied, match="exited with code 3"):
        await kernel.run("c1", "print('bye', flush=True)\nimport os\nos._exit(3)")
    await finished(kernel)
    assert kernel.exits == [3]
    assert agent.process.wait(5) == 3


@pytest.mark.asyncio
async def test_a_server_that_reattaches_finds_the_namespace(agents: list[Agent], metadata: str) -> None:
    agents.append(agent := start_agent(metadata))
    first = await open_kernel(agent)
    await first.run("c1", "import threading\nx = 41\nthreading.Timer(0.3, print, ['while away']).start()")
    first.handle.detach()
    await finished(first)
    assert first.exits == [CONNECTION_LOST]
    assert "the connection to the kernel" in first.text("stderr")
    assert agent.logged("disconnected")
    # While no server is connected, the kernel keeps running, and output it prints waits for the next one.
    await asyncio.sleep(0.6)
    second = await open_kernel(agent)
    assert second.handle.pid == first.handle.pid
    await second.run("c2", "print(x + 1)")
    assert second.text("stdout") == "while away\n42\n"
    # A newer connection replaces this one, as a restarted server's does.
    third = await open_kernel(agent)
    await finished(second)
    assert second.exits == [CONNECTION_LOST]
    assert agent.logged("replaces the previous server's")
    await third.run("c3", "print(x)")
    assert third.text("stdout") == "41\n"
    await third.process.stop()
    assert agent.process.wait(10) == 0


@pytest.mark.asyncio
async def test_a_kernel_with_another_secret_fails_the_pin(agents: list[Agent], metadata: str) -> None:
    agents.append(agent := start_agent(metadata))
    with pytest.raises(KernelConnectError, match="did not prove it holds this kernel's secret: its certificate's key"):
        await connect_kernel(agent.address, agent.port, new_secret(), timeout=5)
    # The agent serves on: its own server connects.
    kernel = await open_kernel(agent)
    kernel.process.kill()
    await finished(kernel)


@pytest.mark.asyncio
async def test_the_agent_refuses_a_server_without_the_secret(agents: list[Agent], metadata: str) -> None:
    agents.append(agent := start_agent(metadata))
    # A client that skips the pin and answers the nonce with another secret's proof.
    reader, writer = await asyncio.open_connection(
        agent.address, agent.port, ssl=kernel_tls.client_context(), server_hostname=""
    )
    kind, nonce = await frames.read(reader)
    assert kind is frames.Kind.NONCE
    writer.write(frames.encode(frames.Kind.PROOF, kernel_tls.proof(new_secret(), nonce)))
    with pytest.raises((asyncio.IncompleteReadError, ConnectionError)):
        await asyncio.wait_for(frames.read(reader), 5)
    writer.close()
    assert agent.logged("refused a connection from 127.0.0.1:")
    assert agent.logged("its answer does not prove it holds the kernel's secret")
    # Nor does anything but TLS get anywhere.
    plain_reader, plain_writer = await asyncio.open_connection(agent.address, agent.port)
    plain_writer.write(b"GET / HTTP/1.1\r\n\r\n")
    assert await asyncio.wait_for(plain_reader.read(), 5) == b""
    plain_writer.close()
    assert agent.logged("TLS")
    assert not any(agent.secret in line for line in agent.log)
    kernel = await open_kernel(agent)
    kernel.process.kill()
    await finished(kernel)


@pytest.mark.asyncio
async def test_connecting_where_no_agent_listens_fails_within_its_timeout() -> None:
    address, port = _free_address()
    started = time.monotonic()
    with pytest.raises(KernelConnectError, match="refused connections for 1 s"):
        await connect_kernel(address, port, new_secret(), timeout=1)
    assert time.monotonic() - started < 3


def test_the_agent_needs_its_secret() -> None:
    for secret in ("", "c2hvcnQ"):
        result = subprocess.run(
            [sys.executable, "-m", "app.engine.kernel.agent"],
            env=os.environ | {"KERNEL_SECRET": secret, "PYTHONPATH": PACKAGE_ROOT},
            cwd=PACKAGE_ROOT,
            capture_output=True,
            text=True,
            timeout=20,
        )
        assert result.returncode == 2
        assert "KERNEL_SECRET must hold this kernel's secret" in result.stderr
        assert secret not in result.stderr or not secret
