"""The ECS side of a notebook's kernel task, without any AWS call: the RunTask request, and what a DescribeTasks task
says (its status, address, secret, why it stopped). `ecs.EcsHost` makes the calls."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from app.core.kernel_sizes import KernelSize

CONTAINER = "kernel"  # the kernel task definition's container
STARTED_BY = "notebook-kernel"  # ECS allows up to 36 characters
NOTEBOOK_TAG = "notebook-id"  # empty on a warm task no notebook has claimed yet
SIZE_TAG = "kernel-size"
SECRET_VARIABLE = "KERNEL_SECRET"
NOTEBOOK_VARIABLE = "KERNEL_NOTEBOOK_ID"
_STOP_REASON_LIMIT = 255  # what ECS keeps of a StopTask reason


@dataclass(frozen=True)
class Placement:
    """Where kernel tasks run (settings KERNEL_ECS_*)."""

    cluster: str
    task_definition: str  # family, family:revision or ARN
    subnets: tuple[str, ...]
    security_groups: tuple[str, ...] = ()

    @property
    def family(self) -> str:
        """What ListTasks filters on: the family of `task_definition` without its revision."""
        name = self.task_definition.rsplit("/", 1)[-1]
        return name.split(":", 1)[0]


def run_task_request(
    placement: Placement, *, notebook_id: str, size_name: str, size: KernelSize, secret: str
) -> dict[str, Any]:
    """RunTask's parameters for one kernel task; `notebook_id` empty for a warm task."""
    environment = [
        {"name": SECRET_VARIABLE, "value": secret},
        {"name": NOTEBOOK_VARIABLE, "value": notebook_id},
        # The task is the kernel's alone: its size, not the server's per-kernel share, bounds what a cell may allocate.
        {"name": "KERNEL_MEMORY_MB", "value": str(size.memory)},
    ]
    return {
        "cluster": placement.cluster,
        "taskDefinition": placement.task_definition,
        "launchType": "FARGATE",
        "count": 1,
        "networkConfiguration": {
            "awsvpcConfiguration": {
                "subnets": list(placement.subnets),
                "securityGroups": list(placement.security_groups),
                "assignPublicIp": "DISABLED",
            }
        },
        "overrides": {
            "containerOverrides": [{"name": CONTAINER, "environment": environment}],
            "cpu": str(size.cpu),
            "memory": str(size.memory),
        },
        "startedBy": STARTED_BY,
        "tags": [{"key": NOTEBOOK_TAG, "value": notebook_id}, {"key": SIZE_TAG, "value": size_name}],
        "enableExecuteCommand": False,
    }


def stop_reason(why: str) -> str:
    return f"notebook kernel stopped: {why}"[:_STOP_REASON_LIMIT]


@dataclass(frozen=True)
class TaskView:
    """What the server needs of a DescribeTasks task."""

    arn: str
    last_status: str
    desired_status: str
    address: str | None  # the private IPv4 address of its network interface, once attached
    secret: str | None  # from its RunTask overrides
    notebook_id: str | None  # None: not a kernel task of this service (no such tag)
    size_name: str | None

    @property
    def running(self) -> bool:
        return self.last_status == "RUNNING" and self.desired_status == "RUNNING"

    @property
    def stopping(self) -> bool:
        return self.desired_status == "STOPPED" or self.last_status == "STOPPED"


def read_task(task: Mapping[str, Any]) -> TaskView:
    tags = {tag["key"]: tag.get("value", "") for tag in task.get("tags", [])}
    return TaskView(
        arn=task["taskArn"],
        last_status=task.get("lastStatus", "PROVISIONING"),
        desired_status=task.get("desiredStatus", "RUNNING"),
        address=_private_address(task.get("attachments", [])),
        secret=_override(task, SECRET_VARIABLE),
        notebook_id=tags.get(NOTEBOOK_TAG),
        size_name=tags.get(SIZE_TAG),
    )


def _private_address(attachments: Iterable[Mapping[str, Any]]) -> str | None:
    for attachment in attachments:
        if attachment.get("type") == "ElasticNetworkInterface":
            for detail in attachment.get("details", []):
                if detail.get("name") == "privateIPv4Address" and detail.get("value"):
                    return str(detail["value"])
    return None


def _override(task: Mapping[str, Any], variable: str) -> str | None:
    for container in task.get("overrides", {}).get("containerOverrides", []):
        if container.get("name") == CONTAINER:
            for entry in container.get("environment", []):
                if entry.get("name") == variable:
                    return str(entry.get("value", ""))
    return None


def progress(last_status: str, elapsed: float) -> str:
    return f"ECS task {last_status} ({elapsed:.0f} s)"


def stopped_error(task: Mapping[str, Any]) -> str:
    """Why a kernel task stopped before it ran, in ECS's words: its stoppedReason and stopCode, and the kernel
    container's reason and exit code."""
    reason = task.get("stoppedReason") or "no reason given"
    code = task.get("stopCode")
    text = f"the kernel task stopped before it ran: {reason}" + (f" ({code})" if code else "")
    for container in task.get("containers", []):
        if container.get("name") != CONTAINER:
            continue
        details = []
        if container.get("reason"):
            details.append(str(container["reason"]))
        if container.get("exitCode") is not None:
            details.append(f"exit code {container['exitCode']}")
        if details:
            text += f"; its {CONTAINER} container: {', '.join(details)}"
    return text


def failures_error(failures: Iterable[Mapping[str, Any]]) -> str:
    """RunTask's `failures`: no capacity for the size (RESOURCE:MEMORY, RESOURCE:CPU), a missing definition..."""
    described = []
    for failure in failures:
        text = failure.get("reason") or "unknown reason"
        if failure.get("detail"):
            text += f" ({failure['detail']})"
        described.append(text)
    hint = ""
    if any(text.startswith("RESOURCE:") for text in described):
        hint = ": there is no capacity for this kernel size now; try a smaller size or later"
    return f"ECS could not start the kernel task: {'; '.join(described) or 'no task and no failure returned'}{hint}"
