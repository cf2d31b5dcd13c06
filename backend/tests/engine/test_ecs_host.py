"""Kernels as ECS tasks: the RunTask request, reading DescribeTasks, and `EcsHost` against a scripted ECS client whose
tasks' kernels are local processes reached through a stand-in for `remote.connect_kernel`."""

from __future__ import annotations

import asyncio
import contextlib
import http.server
import os
import threading
from collections.abc import Callable, Iterator
from dataclasses import replace
from typing import Any

import pytest
from botocore.exceptions import ClientError
from pydantic import ValidationError

from app.core.config import Settings
from app.core.kernel_sizes import KERNEL_SIZES, KernelSize, KernelSizeName
from app.engine import Cell, CellStatus, Notebook, NotebookSession, SessionConfig, StatusEvent
from app.engine.kernel.client import KernelOptions
from app.engine.kernel.ecs import EcsHost, KernelTaskError, Polling
from app.engine.kernel.ecs_tasks import (
    Placement,
    failures_error,
    read_task,
    run_task_request,
    stopped_error,
)
from app.engine.kernel.hosts import LocalHost, Spawned
from app.engine.kernel.remote import connect_kernel, new_secret
from app.engine.kernel.sandbox import KernelLimits
from app.services.kernels import idle_reason

from . import test_remote_kernel as agent_tests
from .conftest import run

asyncio_test = pytest.mark.asyncio(loop_scope="module")

DEFINITION = "arn:aws:ecs:eu-west-1:123456789012:task-definition/nb-kernel:7"
PLACEMENT = Placement("kernels", DEFINITION, ("subnet-a",), ("sg-k",))
SIZES: dict[KernelSizeName, KernelSize] = {"small": KERNEL_SIZES["small"], "medium": KERNEL_SIZES["medium"]}
FAST = Polling(first=0.01, longest=0.02, start_timeout=5.0, connect_timeout=5.0)


def test_settings_refuse_ecs_without_placement(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KERNEL_LAUNCHER", "ecs")
    monkeypatch.setenv("KERNEL_ECS_CLUSTER", "kernels")
    with pytest.raises(ValidationError, match="KERNEL_ECS_TASK_DEFINITION, KERNEL_ECS_SUBNETS"):
        Settings()
    monkeypatch.setenv("KERNEL_ECS_TASK_DEFINITION", "nb-kernel")
    monkeypatch.setenv("KERNEL_ECS_SUBNETS", "subnet-a, subnet-b")
    assert Settings().kernel_ecs_subnets == ["subnet-a", "subnet-b"]


def test_run_task_request() -> None:
    request = run_task_request(PLACEMENT, notebook_id="nb1", size_name="medium", size=SIZES["medium"], secret="s3")
    assert request == {
        "cluster": "kernels",
        "taskDefinition": PLACEMENT.task_definition,
        "launchType": "FARGATE",
        "count": 1,
        "networkConfiguration": {
            "awsvpcConfiguration": {"subnets": ["subnet-a"], "securityGroups": ["sg-k"], "assignPublicIp": "DISABLED"}
        },
        "overrides": {
            "containerOverrides": [
                {
                    "name": "kernel",
                    "environment": [
                        {"name": "KERNEL_SECRET", "value": "s3"},
                        {"name": "KERNEL_NOTEBOOK_ID", "value": "nb1"},
                        {"name": "KERNEL_MEMORY_MB", "value": "4096"},
                    ],
                }
            ],
            "cpu": "1024",
            "memory": "4096",
        },
        "startedBy": "notebook-kernel",
        "tags": [{"key": "notebook-id", "value": "nb1"}, {"key": "kernel-size", "value": "medium"}],
        "enableExecuteCommand": False,
    }
    assert PLACEMENT.family == "nb-kernel"
    assert replace(PLACEMENT, task_definition="nb-kernel:3").family == "nb-kernel"


def test_read_task() -> None:
    raw = _task("arn:t1", "RUNNING", notebook_id="nb1", secret="s", address="10.0.1.7")
    task = read_task(raw)
    assert (task.arn, task.address, task.secret, task.notebook_id, task.size_name) == (
        "arn:t1",
        "10.0.1.7",
        "s",
        "nb1",
        "small",
    )
    assert task.running
    assert not task.stopping
    bare = read_task({"taskArn": "arn:t2", "lastStatus": "PROVISIONING"})
    assert (bare.address, bare.secret, bare.notebook_id, bare.running) == (None, None, None, False)


def test_error_texts() -> None:
    stopped = {
        "stoppedReason": "CannotPullContainerError: pull access denied",
        "stopCode": "TaskFailedToStart",
        "containers": [{"name": "kernel", "reason": "CannotPullContainerError", "exitCode": None}],
    }
    assert stopped_error(stopped) == (
        "the kernel task stopped before it ran: CannotPullContainerError: pull access denied (TaskFailedToStart); "
        "its kernel container: CannotPullContainerError"
    )
    exited = {"stoppedReason": "Essential container in task exited", "containers": [{"name": "kernel", "exitCode": 2}]}
    assert stopped_error(exited).endswith("Essential container in task exited; its kernel container: exit code 2")
    assert failures_error([{"arn": "arn:c", "reason": "RESOURCE:MEMORY"}]) == (
        "ECS could not start the kernel task: RESOURCE:MEMORY: there is no capacity for this kernel size now; "
        "try a smaller size or later"
    )
    assert failures_error([{"reason": "MISSING", "detail": "no such task definition"}]) == (
        "ECS could not start the kernel task: MISSING (no such task definition)"
    )


# -- EcsHost against a scripted ECS ----------------------------------------------------------------------------------


def _task(
    arn: str,
    status: str,
    *,
    notebook_id: str = "",
    secret: str = "",
    address: str | None = None,
    size: str = "small",
    desired: str = "RUNNING",
) -> dict[str, Any]:
    details = [{"name": "privateIPv4Address", "value": address}] if address else []
    environment = [{"name": "KERNEL_SECRET", "value": secret}, {"name": "KERNEL_NOTEBOOK_ID", "value": notebook_id}]
    return {
        "taskArn": arn,
        "lastStatus": status,
        "desiredStatus": desired,
        "attachments": [{"type": "ElasticNetworkInterface", "details": details}],
        "overrides": {"containerOverrides": [{"name": "kernel", "environment": environment}]},
        "tags": [{"key": "notebook-id", "value": notebook_id}, {"key": "kernel-size", "value": size}],
        "containers": [{"name": "kernel"}],
    }


class FakeEcs:
    """ECS as far as EcsHost uses it. A started task goes through `statuses`, one per DescribeTasks."""

    def __init__(self, statuses: tuple[str, ...] = ("PROVISIONING", "PENDING", "ACTIVATING", "RUNNING")) -> None:
        self.statuses = statuses
        self.tasks: dict[str, dict[str, Any]] = {}
        self.steps: dict[str, list[str]] = {}
        self.calls: list[tuple[str, dict[str, Any]]] = []
        self.failures: list[dict[str, Any]] = []
        self.refusal: str | None = None  # RunTask's ClientException message
        self.throttle = 0  # DescribeTasks calls still to refuse
        self.stopped_as: dict[str, Any] = {}  # what a task reaching STOPPED reports
        self.lock = threading.Lock()

    def add(self, task: dict[str, Any]) -> None:
        self.tasks[task["taskArn"]] = task
        self.steps[task["taskArn"]] = []

    def run_task(self, **request: Any) -> dict[str, Any]:
        self.calls.append(("run_task", request))
        if self.refusal:
            raise ClientError({"Error": {"Code": "ClientException", "Message": self.refusal}}, "RunTask")
        if self.failures:
            return {"tasks": [], "failures": self.failures}
        arn = f"arn:aws:ecs:eu-west-1:123456789012:task/kernels/t{len(self.tasks) + 1}"
        environment = request["overrides"]["containerOverrides"][0]["environment"]
        values = {entry["name"]: entry["value"] for entry in environment}
        tags = {tag["key"]: tag["value"] for tag in request["tags"]}
        task = _task(
            arn,
            self.statuses[0],
            notebook_id=tags["notebook-id"],
            secret=values["KERNEL_SECRET"],
            size=tags["kernel-size"],
        )
        del task["overrides"]  # RunTask's answer need not echo them: the host must keep the secret it sent
        self.tasks[arn] = task | {"overrides": {"containerOverrides": [{"name": "kernel", "environment": environment}]}}
        self.steps[arn] = list(self.statuses[1:])
        return {"tasks": [task], "failures": []}

    def describe_tasks(self, **request: Any) -> dict[str, Any]:
        self.calls.append(("describe_tasks", request))
        if self.throttle:
            self.throttle -= 1
            raise ClientError({"Error": {"Code": "ThrottlingException", "Message": "Rate exceeded"}}, "DescribeTasks")
        described = []
        for arn in request["tasks"]:
            task = self.tasks[arn]
            if self.steps[arn] and len(request["tasks"]) == 1:
                task["lastStatus"] = self.steps[arn].pop(0)
                if task["lastStatus"] == "RUNNING":
                    task["attachments"][0]["details"] = [{"name": "privateIPv4Address", "value": "10.0.1.7"}]
                if task["lastStatus"] == "STOPPED":
                    task |= {"desiredStatus": "STOPPED"} | self.stopped_as
            described.append(task)
        return {"tasks": described, "failures": []}

    def list_tasks(self, **request: Any) -> dict[str, Any]:
        self.calls.append(("list_tasks", request))
        arns = [arn for arn, task in self.tasks.items() if task["desiredStatus"] == request["desiredStatus"]]
        return {"taskArns": arns}

    def stop_task(self, **request: Any) -> dict[str, Any]:
        with self.lock:
            self.calls.append(("stop_task", request))
        self.tasks[request["task"]]["desiredStatus"] = "STOPPED"
        return {"task": self.tasks[request["task"]]}

    def tag_resource(self, **request: Any) -> dict[str, Any]:
        self.calls.append(("tag_resource", request))
        task = self.tasks[request["resourceArn"]]
        tags = {tag["key"]: tag["value"] for tag in task["tags"]} | {t["key"]: t["value"] for t in request["tags"]}
        task["tags"] = [{"key": key, "value": value} for key, value in tags.items()]
        return {}

    def named(self, name: str) -> list[dict[str, Any]]:
        return [request for call, request in self.calls if call == name]


class Connections:
    """Stands in for `remote.connect_kernel`: a local kernel process per connection."""

    def __init__(self) -> None:
        self.made: list[tuple[str, int, str]] = []
        self.spawned: list[Spawned] = []

    async def __call__(self, address: str, port: int, secret: str, *, timeout: float = 30.0) -> Spawned:
        self.made.append((address, port, secret))
        spawned = await LocalHost(KernelLimits()).spawn(table_rows=10, text_limit=100)
        self.spawned.append(spawned)
        return spawned

    def close(self) -> None:
        for spawned in self.spawned:
            spawned.handle.kill()
            spawned.handle.wait()
            for fd in (spawned.stdin, spawned.stdout, spawned.stderr, spawned.messages):
                with contextlib.suppress(OSError):  # a session's kernel client closed them already
                    os.close(fd)


@pytest.fixture
def connections() -> Iterator[Connections]:
    made = Connections()
    yield made
    made.close()


def _host(ecs: FakeEcs, connections: Connections, *, warm_pool: int = 0) -> EcsHost:
    secrets = iter(f"secret-{n}" for n in range(100))
    return EcsHost(
        ecs, PLACEMENT, SIZES, connections, lambda: next(secrets), port=8790, warm_pool=warm_pool, polling=FAST
    )


@asyncio_test
async def test_a_new_task_reports_each_status_then_connects(connections: Connections) -> None:
    ecs = FakeEcs()
    progress: list[str] = []
    spawned = await _host(ecs, connections).spawn(
        table_rows=10, text_limit=100, notebook_id="nb1", size="medium", on_progress=progress.append
    )
    assert spawned.handle.pid == connections.spawned[0].handle.pid  # the kernel the connection gave
    assert [text.split(" (")[0] for text in progress] == [
        "ECS task PROVISIONING",
        "ECS task PENDING",
        "ECS task ACTIVATING",
        "ECS task RUNNING",
        "connecting to the kernel",
    ]
    assert progress[0] == "ECS task PROVISIONING (0 s)"
    (run,) = ecs.named("run_task")
    assert run["overrides"]["cpu"] == "1024"
    assert run["tags"][0] == {"key": "notebook-id", "value": "nb1"}
    assert connections.made == [("10.0.1.7", 8790, "secret-0")]


@asyncio_test
async def test_an_unknown_size_is_the_first_preset(connections: Connections) -> None:
    ecs = FakeEcs()
    await _host(ecs, connections).spawn(table_rows=10, text_limit=100, notebook_id="nb1", size="large")
    assert ecs.named("run_task")[0]["overrides"]["memory"] == "1024"


@asyncio_test
async def test_a_task_that_stops_before_running_names_why(connections: Connections) -> None:
    ecs = FakeEcs(("PROVISIONING", "PENDING", "STOPPED"))
    ecs.stopped_as = {
        "stoppedReason": "Essential container in task exited",
        "stopCode": "EssentialContainerExited",
        "containers": [{"name": "kernel", "exitCode": 2, "reason": "agent: KERNEL_SECRET is missing"}],
    }
    with pytest.raises(KernelTaskError) as raised:
        await _host(ecs, connections).spawn(table_rows=10, text_limit=100, notebook_id="nb1")
    assert str(raised.value) == (
        "the kernel task stopped before it ran: Essential container in task exited (EssentialContainerExited); "
        "its kernel container: agent: KERNEL_SECRET is missing, exit code 2"
    )
    assert connections.made == []


@asyncio_test
async def test_run_task_failures_are_a_clear_error(connections: Connections) -> None:
    ecs = FakeEcs()
    ecs.failures = [{"arn": "arn:aws:ecs:eu-west-1:123456789012:cluster/kernels", "reason": "RESOURCE:MEMORY"}]
    with pytest.raises(KernelTaskError, match="RESOURCE:MEMORY: there is no capacity for this kernel size"):
        await _host(ecs, connections).spawn(table_rows=10, text_limit=100, notebook_id="nb1")


@asyncio_test
async def test_a_refused_run_task_names_the_settings(connections: Connections) -> None:
    ecs = FakeEcs()
    ecs.refusal = "Unable to describe task definition."
    with pytest.raises(KernelTaskError) as raised:
        await _host(ecs, connections).spawn(table_rows=10, text_limit=100, notebook_id="nb1")
    assert str(raised.value) == (
        "ECS refused RunTask (ClientException): Unable to describe task definition.; check KERNEL_ECS_CLUSTER, "
        "KERNEL_ECS_TASK_DEFINITION and the server's ECS permissions"
    )


@asyncio_test
async def test_throttled_describe_calls_are_asked_again(connections: Connections) -> None:
    ecs = FakeEcs()
    ecs.throttle = 3
    await _host(ecs, connections).spawn(table_rows=10, text_limit=100, notebook_id="nb1")
    assert len(ecs.named("describe_tasks")) == 3 + 3  # refused three times, then PENDING, ACTIVATING, RUNNING
    assert len(connections.made) == 1


@asyncio_test
async def test_a_task_that_never_runs_times_out_and_is_stopped(connections: Connections) -> None:
    ecs = FakeEcs(("PROVISIONING",) + ("PENDING",) * 1000)
    host = _host(ecs, connections)
    host._polling = replace(FAST, start_timeout=0.2)
    with pytest.raises(KernelTaskError, match=r"did not start within 0.2 s \(ECS status PENDING\)"):
        await host.spawn(table_rows=10, text_limit=100, notebook_id="nb1")
    await _until(lambda: bool(ecs.named("stop_task")))


@asyncio_test
async def test_reattach_picks_the_notebooks_running_task_and_its_secret(connections: Connections) -> None:
    ecs = FakeEcs()
    ecs.add(_task("arn:other", "RUNNING", notebook_id="nb2", secret="s-other", address="10.0.1.8"))
    ecs.add(_task("arn:mine", "RUNNING", notebook_id="nb1", secret="s-mine", address="10.0.1.9"))
    ecs.add(_task("arn:gone", "RUNNING", notebook_id="nb1", secret="s-gone", address="10.0.1.10", desired="STOPPED"))
    await _host(ecs, connections).spawn(table_rows=10, text_limit=100, notebook_id="nb1")
    assert connections.made == [("10.0.1.9", 8790, "s-mine")]
    assert ecs.named("run_task") == []
    (listed,) = ecs.named("list_tasks")
    assert listed == {
        "cluster": "kernels",
        "family": "nb-kernel",
        "startedBy": "notebook-kernel",
        "desiredStatus": "RUNNING",
    }
    assert ecs.named("describe_tasks")[0]["include"] == ["TAGS"]


@asyncio_test
async def test_a_warm_task_is_claimed_and_the_pool_refilled(connections: Connections) -> None:
    ecs = FakeEcs()
    ecs.add(_task("arn:warm-medium", "RUNNING", secret="s-m", address="10.0.1.5", size="medium"))
    ecs.add(_task("arn:warm", "RUNNING", secret="s-w", address="10.0.1.6"))
    host = _host(ecs, connections, warm_pool=2)
    await host.spawn(table_rows=10, text_limit=100, notebook_id="nb1", size="small")
    assert connections.made == [("10.0.1.6", 8790, "s-w")]
    assert ecs.named("tag_resource") == [{"resourceArn": "arn:warm", "tags": [{"key": "notebook-id", "value": "nb1"}]}]
    await _until(lambda: len(ecs.named("run_task")) == 1)  # one warm task left, of two wanted
    (refill,) = ecs.named("run_task")
    assert refill["tags"] == [{"key": "notebook-id", "value": ""}, {"key": "kernel-size", "value": "small"}]


@asyncio_test
async def test_the_warm_pool_fills_up_to_its_size(connections: Connections) -> None:
    ecs = FakeEcs()
    ecs.add(_task("arn:warm", "RUNNING", secret="s-w", address="10.0.1.6"))
    _host(ecs, connections, warm_pool=3).fill_warm_pool()
    await _until(lambda: len(ecs.named("run_task")) == 2)
    for request in ecs.named("run_task"):
        assert request["tags"] == [{"key": "notebook-id", "value": ""}, {"key": "kernel-size", "value": "small"}]
    await asyncio.sleep(0.05)
    assert len(ecs.named("run_task")) == 2


@asyncio_test
async def test_a_task_whose_kernel_ended_is_not_reattached(connections: Connections) -> None:
    ecs = FakeEcs()
    host = _host(ecs, connections)
    spawned = await host.spawn(table_rows=10, text_limit=100, notebook_id="nb1")
    connections.spawned[0].handle.kill()  # the kernel exits by itself: its agent then ends, and ECS stops the task
    await asyncio.to_thread(spawned.handle.wait)
    await host.spawn(table_rows=10, text_limit=100, notebook_id="nb1")  # while ECS still lists it as running
    assert len(ecs.named("run_task")) == 2


@asyncio_test
async def test_kill_stops_the_task(connections: Connections) -> None:
    ecs = FakeEcs()
    spawned = await _host(ecs, connections).spawn(table_rows=10, text_limit=100, notebook_id="nb1")
    spawned.handle.kill()
    await _until(lambda: bool(ecs.named("stop_task")))
    (stop,) = ecs.named("stop_task")
    assert stop == {
        "cluster": "kernels",
        "task": "arn:aws:ecs:eu-west-1:123456789012:task/kernels/t1",
        "reason": "notebook kernel stopped: the server ended it",
    }


@asyncio_test
async def test_a_restart_and_an_idle_stop_stop_the_task_saying_why(connections: Connections) -> None:
    ecs = FakeEcs()
    config = SessionConfig(kernel=KernelOptions(host=_host(ecs, connections), start_timeout=20))
    session = NotebookSession(Notebook([Cell("a", code="x = 1")]), config, "nb1")
    await session.start()
    try:
        await session.restart_kernel()
        (restarted,) = ecs.named("stop_task")
        assert (
            restarted["reason"]
            == "notebook kernel stopped: the kernel was restarted on request while this cell was running"
        )
        assert len(ecs.named("run_task")) == 2
        await session.stop_kernel(idle_reason(1800))
        await _until(lambda: len(ecs.named("stop_task")) == 2)
        assert ecs.named("stop_task")[1]["reason"].startswith(
            "notebook kernel stopped: the kernel was stopped after 30 minutes without use (KERNEL_IDLE_SECONDS)"
        )
        assert session.kernel_state == "stopped"
    finally:
        await session.close()
    assert len(ecs.named("stop_task")) == 2  # closing a session whose kernel is stopped stops nothing more


async def _until(condition: Callable[[], bool], timeout: float = 5.0) -> None:
    async with asyncio.timeout(timeout):
        while not condition():
            await asyncio.sleep(0.01)


# -- a server restart: the kernel task runs on, and a new session reattaches to it ----------------------------------


@pytest.fixture(scope="module")
def metadata_url() -> Iterator[str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), agent_tests._Metadata)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


@pytest.fixture
def kernel_task(metadata_url: str) -> Iterator[tuple[FakeEcs, agent_tests.Agent]]:
    """A kernel task of notebook nb1 that runs: a real agent on a loopback address of its own."""
    agent = agent_tests.start_agent(metadata_url)
    ecs = FakeEcs()
    ecs.add(_task("arn:nb1", "RUNNING", notebook_id="nb1", secret=agent.secret, address=agent.address))
    yield ecs, agent
    if agent.process.poll() is None:
        agent.process.terminate()
    agent.process.wait(10)


def _session(ecs: FakeEcs, agent: agent_tests.Agent, notebook: Notebook) -> NotebookSession:
    host = EcsHost(ecs, PLACEMENT, SIZES, connect_kernel, new_secret, port=agent.port, polling=FAST)
    return NotebookSession(notebook, SessionConfig(kernel=KernelOptions(host=host, start_timeout=20)), "nb1")


@asyncio_test
@pytest.mark.parametrize("opened", [True, False], ids=["opened", "run-at-once"])
async def test_a_new_server_reattaches_and_keeps_what_the_kernel_ran(
    kernel_task: tuple[FakeEcs, agent_tests.Agent], opened: bool
) -> None:
    """`opened`: the kernel started when a client opened the notebook; else by the run, which first queues the
    defining cell as a stale ancestor."""
    ecs, agent = kernel_task
    cells = [Cell("a", code="x = 41\nprint('a ran')"), Cell("b", code="x + 1"), Cell("c", code="y = 2")]
    before = _session(ecs, agent, Notebook([replace(cell) for cell in cells]))
    await before.start()
    await run(before, "a", "c")
    assert before.states["a"].console == [{"name": "stdout", "text": "a ran\n"}]
    await before.close(detach=True)  # the server stops for a deploy
    assert agent.process.poll() is None

    # The new server's copy of the notebook: cell c was edited meanwhile.
    after = _session(ecs, agent, Notebook([cells[0], cells[1], Cell("c", code="y = 3")]))
    events = after.subscribe()
    try:
        if opened:
            await after.start()
            assert (after.states["a"].status, after.states["a"].stale) == (CellStatus.SUCCESS, False)
        await run(after, "b")
        assert not after.kernel_local  # its pid is not this machine's to read memory of
        assert ecs.named("run_task") == []
        assert (after.states["a"].status, after.states["a"].stale) == (CellStatus.SUCCESS, False)
        assert after.states["c"].stale
        assert after.states["b"].output == {"kind": "text", "text": "42", "truncated": False}
        ran = [
            event.cell_id for event in events.pending() if isinstance(event, StatusEvent) and event.status == "running"
        ]
        assert ran == ["b"]
        assert after.states["a"].console == []
    finally:
        events.close()
        await after.close()
    assert agent.process.wait(10) is not None  # the kernel ended with the notebook's session
    await _until(lambda: bool(ecs.named("stop_task")))
    assert ecs.named("stop_task")[0]["reason"] == "notebook kernel stopped: its notebook was closed or deleted"


@asyncio_test
async def test_a_cell_running_across_the_restart_does_not_answer_for_another(
    kernel_task: tuple[FakeEcs, agent_tests.Agent],
) -> None:
    ecs, agent = kernel_task
    cells = [Cell("a", code="x = 41"), Cell("b", code="x + 1"), Cell("s", code="import time\ntime.sleep(2)")]
    before = _session(ecs, agent, Notebook([replace(cell) for cell in cells]))
    await before.start()
    await run(before, "a")
    await before.run(["s"])
    async with asyncio.timeout(10):
        while before.states["s"].status != CellStatus.RUNNING:
            await asyncio.sleep(0.01)
    await before.close(detach=True)

    after = _session(ecs, agent, Notebook(cells))
    try:
        async with asyncio.timeout(1.5):  # the kernel tells what it ran while the cell still runs
            await after.start()
        assert after.states["s"].stale
        await run(after, "b")  # runs once the sleeping cell ends, whose reply is not b's
        assert after.states["b"].output == {"kind": "text", "text": "42", "truncated": False}
    finally:
        await after.close()


@asyncio_test
async def test_a_cell_reading_an_edited_cell_is_not_taken_as_run(
    kernel_task: tuple[FakeEcs, agent_tests.Agent],
) -> None:
    ecs, agent = kernel_task
    before = _session(ecs, agent, Notebook([Cell("a", code="x = 41"), Cell("w", code="w = x * 2\nw")]))
    await before.start()
    await run(before, "w")
    assert before.states["w"].output == {"kind": "text", "text": "82", "truncated": False}
    await before.close(detach=True)

    # The stored notebook has `a` edited (the server stopped before `w` ran again, say).
    after = _session(ecs, agent, Notebook([Cell("a", code="x = 1"), Cell("w", code="w = x * 2\nw")]))
    try:
        await after.start()
        assert (after.states["a"].stale, after.states["w"].stale) == (True, True)
        await run(after, "w")
        assert after.states["w"].output == {"kind": "text", "text": "2", "truncated": False}
    finally:
        await after.close()
