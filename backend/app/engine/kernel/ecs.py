"""Kernels as ECS tasks of their own: one Fargate task per notebook, running the kernel agent (see `agent`), which the
server reaches over an authenticated TLS connection (see `remote`).

`EcsHost.spawn()` finds the notebook's task if it still runs (the server restarted: the kernel and its namespace
survive), else claims a warm task, else starts one; it waits for RUNNING, telling each ECS status as progress, and
connects. ECS is called through boto3 (so the standard endpoint variables such as AWS_ENDPOINT_URL_ECS apply), off the
event loop.
"""

from __future__ import annotations

import asyncio
import logging
import threading
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, replace
from typing import Any, Protocol

import boto3
from botocore.exceptions import BotoCoreError, ClientError

from app.core.config import Settings
from app.core.kernel_sizes import KERNEL_SIZES, KernelSize, KernelSizeName, size_in_effect

from . import remote
from .ecs_tasks import (
    STARTED_BY,
    Placement,
    TaskView,
    failures_error,
    progress,
    read_task,
    run_task_request,
    stop_reason,
    stopped_error,
)
from .hosts import Detachable, KernelHandle, Progress, Spawned

logger = logging.getLogger(__name__)

_THROTTLED = frozenset({"ThrottlingException", "Throttling", "TooManyRequestsException", "RequestLimitExceeded"})


class EcsApi(Protocol):
    """The calls of boto3's ECS client this host makes (tests give a fake)."""

    def run_task(self, **request: Any) -> dict[str, Any]: ...
    def describe_tasks(self, **request: Any) -> dict[str, Any]: ...
    def list_tasks(self, **request: Any) -> dict[str, Any]: ...
    def stop_task(self, **request: Any) -> dict[str, Any]: ...
    def tag_resource(self, **request: Any) -> dict[str, Any]: ...


class Connect(Protocol):
    """`remote.connect_kernel`."""

    def __call__(self, address: str, port: int, secret: str, *, timeout: float = 30.0) -> Awaitable[Spawned]: ...


class KernelTaskError(OSError):
    """The kernel task could not be started or reached; the message says why, in ECS's words where it has them."""


class _Throttled(KernelTaskError):
    """ECS asks to call less often."""


@dataclass(frozen=True)
class Polling:
    first: float = 1.0  # seconds before the first DescribeTasks, doubled after each up to `longest`
    longest: float = 5.0
    start_timeout: float = 600.0  # a cold Fargate start (image pull included) takes one to a few minutes
    connect_timeout: float = 60.0  # from RUNNING until the agent accepts: the container's Python starts meanwhile


class EcsHost:
    def __init__(
        self,
        api: EcsApi,
        placement: Placement,
        sizes: Mapping[KernelSizeName, KernelSize],
        connect: Connect,
        new_secret: Callable[[], str],
        *,
        port: int,
        warm_pool: int = 0,
        polling: Polling = Polling(),
    ) -> None:
        """`sizes`: the allowed presets, the first the default (of warm tasks too)."""
        if not sizes:
            raise ValueError("EcsHost needs at least one kernel size")
        self._api = api
        self._placement = placement
        self._sizes = dict(sizes)
        self._connect = connect
        self._new_secret = new_secret
        self._port = port
        self._warm_pool = warm_pool
        self._polling = polling
        self._claiming = asyncio.Lock()
        self._refill: asyncio.Task[None] | None = None
        self._stopped: set[str] = set()  # tasks this server stopped, which ECS may still list as running a while

    async def spawn(
        self,
        *,
        table_rows: int,
        text_limit: int,
        env: Mapping[str, str] | None = None,
        notebook_id: str = "",
        size: str | None = None,
        on_progress: Progress | None = None,
    ) -> Spawned:
        """`table_rows`, `text_limit`: the agent's own settings apply; `env`: unused, the task's role gives a kernel
        its AWS credentials."""
        if not notebook_id:  # its tag tells the notebook's task from a warm one
            raise KernelTaskError("a kernel task is a notebook's: the session has no notebook id")
        report = on_progress or (lambda _text: None)
        size_name = size_in_effect(size, list(self._sizes))
        started = time.monotonic()
        async with self._claiming:
            task = await self._running_task(notebook_id)
            if task is None:
                task = await self._claim_warm(notebook_id, size_name)
        if task is None:
            task = await self._run(notebook_id, size_name)
        self.fill_warm_pool()
        try:
            task = await self._until_running(task, report, started)
            return await self._connect_to(task, report, started)
        except BaseException:
            self._stop(task.arn, "it could not be started or reached")
            raise

    async def refill(self) -> None:
        """Starts warm tasks until `warm_pool` of them wait for a notebook."""
        if self._warm_pool <= 0:
            return
        warm = [task for task in await self._kernel_tasks() if task.notebook_id == ""]
        for _ in range(self._warm_pool - len(warm)):
            await self._run("", next(iter(self._sizes)))

    # -- finding or starting the task ------------------------------------------------------------------------------

    async def _kernel_tasks(self) -> list[TaskView]:
        """This service's kernel tasks that run or are about to."""
        placement = self._placement
        arns: list[str] = []
        request: dict[str, Any] = {
            "cluster": placement.cluster,
            "family": placement.family,
            "startedBy": STARTED_BY,
            "desiredStatus": "RUNNING",
        }
        while True:
            page = await self._call(self._api.list_tasks, **request)
            arns += page.get("taskArns", [])
            if not page.get("nextToken"):
                break
            request["nextToken"] = page["nextToken"]
        tasks: list[TaskView] = []
        for chunk in range(0, len(arns), 100):  # DescribeTasks takes up to 100
            described = await self._call(
                self._api.describe_tasks, cluster=placement.cluster, tasks=arns[chunk : chunk + 100], include=["TAGS"]
            )
            tasks += [read_task(task) for task in described.get("tasks", [])]
        return [task for task in tasks if task.notebook_id is not None and not task.stopping]

    async def _running_task(self, notebook_id: str) -> TaskView | None:
        """The notebook's task from before a server restart."""
        for task in await self._kernel_tasks():
            if task.notebook_id == notebook_id and task.secret and task.arn not in self._stopped:
                logger.info("reattaching notebook %s to its kernel task %s", notebook_id, task.arn)
                return task
        return None

    async def _claim_warm(self, notebook_id: str, size_name: KernelSizeName) -> TaskView | None:
        if self._warm_pool <= 0:
            return None
        for task in await self._kernel_tasks():
            if task.notebook_id == "" and task.size_name == size_name and task.secret:
                await self._call(
                    self._api.tag_resource, resourceArn=task.arn, tags=[{"key": "notebook-id", "value": notebook_id}]
                )
                logger.info("notebook %s claimed the warm kernel task %s", notebook_id, task.arn)
                return replace(task, notebook_id=notebook_id)
        return None

    async def _run(self, notebook_id: str, size_name: KernelSizeName) -> TaskView:
        secret = self._new_secret()
        request = run_task_request(
            self._placement, notebook_id=notebook_id, size_name=size_name, size=self._sizes[size_name], secret=secret
        )
        response = await self._call(self._api.run_task, **request)
        tasks = response.get("tasks", [])
        if not tasks:
            raise KernelTaskError(failures_error(response.get("failures", [])))
        task = read_task(tasks[0])
        logger.info("started kernel task %s (%s) for notebook %r", task.arn, size_name, notebook_id)
        return replace(task, secret=secret)  # RunTask's answer may leave the overrides out

    def fill_warm_pool(self) -> None:
        """`refill` in the background, unless it runs already."""
        if self._warm_pool <= 0 or (self._refill is not None and not self._refill.done()):
            return

        async def refill() -> None:
            try:
                await self.refill()
            except KernelTaskError:
                logger.exception("could not refill the warm pool of kernel tasks")

        self._refill = asyncio.get_running_loop().create_task(refill())

    # -- waiting and connecting ------------------------------------------------------------------------------------

    async def _until_running(self, task: TaskView, report: Progress, started: float) -> TaskView:
        polling = self._polling
        delay = polling.first
        deadline = started + polling.start_timeout
        described: Mapping[str, Any] = {}
        while True:
            report(progress(task.last_status, time.monotonic() - started))
            if task.running and task.address:
                return task
            if task.last_status == "STOPPED":
                raise KernelTaskError(stopped_error(described))
            if time.monotonic() + delay > deadline:
                raise KernelTaskError(
                    f"the kernel task did not start within {polling.start_timeout:g} s (ECS status {task.last_status})"
                )
            await asyncio.sleep(delay)
            delay = min(delay * 2, polling.longest)
            try:
                response = await self._call(
                    self._api.describe_tasks, cluster=self._placement.cluster, tasks=[task.arn], include=["TAGS"]
                )
            except _Throttled:
                logger.info("DescribeTasks was throttled while kernel task %s starts: asking again", task.arn)
                continue
            if not response.get("tasks"):
                raise KernelTaskError(f"ECS no longer knows the kernel task {task.arn}: {response.get('failures')}")
            described = response["tasks"][0]
            task = replace(read_task(described), secret=task.secret)

    async def _connect_to(self, task: TaskView, report: Progress, started: float) -> Spawned:
        assert task.address is not None
        assert task.secret is not None
        report(f"connecting to the kernel ({time.monotonic() - started:.0f} s)")
        spawned = await self._connect(task.address, self._port, task.secret, timeout=self._polling.connect_timeout)
        return replace(spawned, handle=_TaskKernel(spawned.handle, self, task.arn))

    def _stop(self, arn: str, why: str) -> None:
        """StopTask without waiting (the kernel is ended through its connection as well)."""
        self._stopped.add(arn)

        def stop() -> None:
            try:
                self._api.stop_task(cluster=self._placement.cluster, task=arn, reason=stop_reason(why))
            except (BotoCoreError, ClientError):
                logger.exception("could not stop kernel task %s", arn)

        threading.Thread(target=stop, name="kernel-task-stop", daemon=True).start()

    async def _call(self, method: Callable[..., dict[str, Any]], **request: Any) -> dict[str, Any]:
        try:
            return await asyncio.to_thread(method, **request)
        except ClientError as error:
            code = error.response.get("Error", {}).get("Code", "")
            message = error.response.get("Error", {}).get("Message", str(error))
            failed = f"ECS refused {error.operation_name} ({code}): {message}"
            if code in _THROTTLED:
                raise _Throttled(failed) from None
            raise KernelTaskError(
                f"{failed}; check KERNEL_ECS_CLUSTER, KERNEL_ECS_TASK_DEFINITION and the server's ECS permissions"
            ) from None
        except BotoCoreError as error:  # no endpoint, region or credentials
            raise KernelTaskError(f"could not call ECS: {error}") from None


class _TaskKernel:
    """A kernel task's handle: the connection's (see `remote`), which also stops the task when the kernel ends."""

    def __init__(self, handle: KernelHandle, host: EcsHost, arn: str) -> None:
        self._handle = handle
        self._host = host
        self._arn = arn
        self.pid = handle.pid
        self.limits = handle.limits

    def interrupt(self) -> None:
        self._handle.interrupt()

    def kill(self) -> None:
        self.kill_because("the server ended it")

    def kill_because(self, why: str) -> None:
        self._handle.kill()
        self._host._stop(self._arn, why)

    def wait(self) -> int:
        returncode = self._handle.wait()
        if returncode != remote.CONNECTION_LOST:  # it ended (else it may run on): its task is stopping, not to reattach
            self._host._stopped.add(self._arn)
        return returncode

    def detach(self) -> None:
        if isinstance(self._handle, Detachable):
            self._handle.detach()
        else:  # nothing could reattach to it
            self.kill_because("the server stopped")


def host_from_settings(settings: Settings) -> EcsHost:
    """The host of KERNEL_LAUNCHER=ecs (the settings validated that ECS is set up)."""
    placement = Placement(
        settings.kernel_ecs_cluster,
        settings.kernel_ecs_task_definition,
        tuple(settings.kernel_ecs_subnets),
        tuple(settings.kernel_ecs_security_groups),
    )
    return EcsHost(
        boto3.client("ecs"),
        placement,
        {name: KERNEL_SIZES[name] for name in settings.kernel_sizes},
        remote.connect_kernel,
        remote.new_secret,
        port=remote.KERNEL_PORT,
        warm_pool=settings.kernel_warm_pool,
    )
