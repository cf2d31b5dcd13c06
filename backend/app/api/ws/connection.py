"""One WebSocket client of a notebook: a snapshot, then the engine's events and the notebook's changes, in order;
run requests in. A client that reads slower than the notebook changes gets a fresh snapshot instead of a backlog."""

from __future__ import annotations

import asyncio
import logging
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass

from pydantic import ValidationError
from starlette.websockets import WebSocket, WebSocketDisconnect

from app.api.protocol import (
    CompleteMessage,
    CompletionsMessage,
    ErrorMessage,
    InspectionMessage,
    InspectMessage,
    InterruptMessage,
    MessageProblem,
    PresenceMessage,
    RestartKernelMessage,
    RunAllMessage,
    RunCellMessage,
    ServerMessage,
    SnapshotMessage,
    SyncMessage,
    client_message,
    server_message,
)
from app.api.views import notebook_view
from app.api.ws.messages import change_message, event_message
from app.audit import AuditLog
from app.core.principal import Principal
from app.core.problems import public_problems
from app.engine import AssistUnavailable, KernelDied, SessionClosed, Subscription, SubscriptionOverflow, UnknownCell
from app.services.access import AccessDenied, Role, role_of
from app.services.live import LiveNotebook, NotebookChange
from app.services.notebooks import NotebookService

logger = logging.getLogger(__name__)

OUTBOX_LIMIT = 5_000  # messages waiting for a slow client before they are replaced by a snapshot
MAX_FRAME_CHARS = 64 * 1024  # client messages are a few bytes; anything larger is refused

CLOSE_NOTEBOOK_DELETED = 4404
CLOSE_ACCESS_REMOVED = 4403
CLOSE_GOING_AWAY = 1001


@dataclass(frozen=True)
class _Close:
    code: int
    reason: str


class NotebookConnection:
    def __init__(
        self,
        websocket: WebSocket,
        live: LiveNotebook,
        service: NotebookService,
        principal: Principal,
        audit: AuditLog,
    ) -> None:
        self._websocket = websocket
        self._live = live
        self._service = service
        self._principal = principal
        self._audit = audit
        self._outbox: deque[ServerMessage | _Close] = deque()
        self._wakeup = asyncio.Event()
        self._snapshot_seq = 0
        self._subscription: Subscription | None = None
        self._assists: set[asyncio.Task[None]] = set()  # completion requests the kernel is answering

    async def serve(self) -> None:
        self._resync()
        self._live.watchers.add(self)
        self._live.set_presence(self, self._principal, None)
        self._service.warm(self._live)
        pump = asyncio.create_task(self._pump())
        tasks = [asyncio.create_task(self._read()), asyncio.create_task(self._write())]
        try:
            await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
        finally:
            self._live.watchers.discard(self)
            self._live.leave(self)
            self._live.touch()  # the kernel is idle from when its last client left
            if self._subscription is not None:
                self._subscription.close()
            for task in [pump, *tasks, *self._assists]:
                task.cancel()
            for result in await asyncio.gather(pump, *tasks, *self._assists, return_exceptions=True):
                if isinstance(result, Exception) and not isinstance(result, WebSocketDisconnect):
                    logger.error("WebSocket of notebook %s failed", self._live.id, exc_info=result)

    def notify(self, change: NotebookChange) -> None:
        role = self._role()
        if role is None:  # no longer shared with this person: they see nothing more of it
            self._push(_Close(CLOSE_ACCESS_REMOVED, "you may no longer open this notebook"))
            return
        self._push(change_message(self._live, change, role))

    def _role(self) -> Role | None:
        """Asked again at each message and change: a share can be removed while the socket is open."""
        return role_of(self._principal, self._live.access)

    # -- out -------------------------------------------------------------------------------------------------------

    def _resync(self) -> None:
        """Drops what is waiting and queues the current state; events it already includes are skipped."""
        if self._subscription is None or self._subscription.closed:
            self._subscription = self._live.session.subscribe()
        closing = [item for item in self._outbox if isinstance(item, _Close)]
        view = notebook_view(self._live, self._role() or Role.VIEWER)  # without a role, the close is queued
        self._snapshot_seq = view.seq
        self._outbox.clear()
        self._outbox.extend([SnapshotMessage(notebook=view), *closing])
        self._wakeup.set()

    def _push(self, item: ServerMessage | _Close) -> None:
        if len(self._outbox) >= OUTBOX_LIMIT and not isinstance(item, _Close):
            self._resync()  # the snapshot includes whatever `item` said
            return
        self._outbox.append(item)
        self._wakeup.set()

    async def _pump(self) -> None:
        while True:
            assert self._subscription is not None
            try:
                async for event in self._subscription:
                    if event.seq > self._snapshot_seq:
                        self._push(event_message(event))
                break
            except SubscriptionOverflow:
                self._resync()
        if self._live.deleted:
            self._push(_Close(CLOSE_NOTEBOOK_DELETED, "the notebook was deleted"))
        else:
            self._push(_Close(CLOSE_GOING_AWAY, "the server is shutting down"))

    async def _write(self) -> None:
        while True:
            while not self._outbox:
                self._wakeup.clear()
                await self._wakeup.wait()
            item = self._outbox.popleft()
            if isinstance(item, _Close):
                await self._websocket.close(item.code, item.reason)
                return
            await self._websocket.send_text(server_message.dump_json(item).decode())

    # -- in --------------------------------------------------------------------------------------------------------

    async def _read(self) -> None:
        while True:
            frame = await self._websocket.receive()
            if frame["type"] == "websocket.disconnect":
                return
            text = frame.get("text")
            if text is None:
                self._error("binary frames are not understood: send JSON text frames")
            elif len(text) > MAX_FRAME_CHARS:
                self._error(f"the message is {len(text)} characters long; at most {MAX_FRAME_CHARS} are accepted")
            else:
                await self._handle(text)

    async def _handle(self, text: str) -> None:
        self._live.touch()
        try:
            request = client_message.validate_json(text)
        except ValidationError as invalid:
            details = public_problems(invalid.errors(include_url=False, include_context=False, include_input=False))
            first = details[0]
            where = ".".join(map(str, first["loc"]))
            problems = [MessageProblem(type=item["type"], loc=item["loc"], msg=item["msg"]) for item in details]
            self._error(f"invalid message: {where + ': ' if where else ''}{first['msg']}", details=problems)
            return
        role = self._role()
        if role is None:
            self._push(_Close(CLOSE_ACCESS_REMOVED, "you may no longer open this notebook"))
            return
        if role < request.needs:
            self._error(
                str(AccessDenied(role, request.needs, request.doing)), cell_id=getattr(request, "cell_id", None)
            )
            return
        session = self._live.session
        try:
            match request:
                case RunCellMessage(cell_id=cell_id) if cell_id not in session.states:
                    self._error(f"no cell with id {cell_id!r} in this notebook", cell_id=cell_id)
                case RunCellMessage(cell_id=cell_id):
                    self._record(request.type, {"cell_id": cell_id})
                    await session.run([cell_id])
                case RunAllMessage():
                    self._record(request.type)
                    await session.run_all()
                case InterruptMessage():
                    self._record(request.type)
                    session.interrupt()
                case RestartKernelMessage():
                    self._record(request.type)
                    await session.restart_kernel()
                case SyncMessage():
                    self._resync()
                case PresenceMessage(cell_id=str(cell_id)) if cell_id not in session.states:
                    self._error(f"no cell with id {cell_id!r} in this notebook", cell_id=cell_id)
                case PresenceMessage(cell_id=cell_id):
                    self._live.set_presence(self, self._principal, cell_id)
                case CompleteMessage() | InspectMessage() if request.cell_id not in session.states:
                    self._error(f"no cell with id {request.cell_id!r} in this notebook", cell_id=request.cell_id)
                case CompleteMessage() | InspectMessage():
                    # Answered aside: the kernel may take a moment, and runs must not wait behind it.
                    task = asyncio.create_task(self._assist(request))
                    self._assists.add(task)
                    task.add_done_callback(self._assists.discard)
        except (KernelDied, OSError) as failure:
            self._error(f"the kernel could not start: {failure}")
        except SessionClosed as closed:  # the notebook was deleted or the server is stopping: the socket closes next
            self._error(f"the notebook cannot run cells any more: {closed}")

    def _record(self, action: str, detail: dict[str, object] | None = None) -> None:
        """Runs and kernel changes go into the audit log, as REST changes do (app.audit.RecordChanges)."""
        self._audit.record(self._principal, action, self._live.id, detail or {})

    async def _assist(self, request: CompleteMessage | InspectMessage) -> None:
        reason, result = None, {}
        try:
            result = await self._live.session.assist(request.type, request.cell_id, request.code, request.cursor)
        except AssistUnavailable as unavailable:
            reason = str(unavailable)
        except UnknownCell:
            reason = "the cell was deleted"
        ids = {"request_id": request.request_id, "cell_id": request.cell_id, "reason": reason}
        if isinstance(request, CompleteMessage):
            completions = result or {"start": request.cursor, "items": []}
            self._push(CompletionsMessage.model_validate(ids | completions))
        else:
            self._push(InspectionMessage.model_validate(ids | (result or {"docs": [], "signatures": []})))

    def _error(self, message: str, *, details: Sequence[MessageProblem] = (), cell_id: str | None = None) -> None:
        self._push(ErrorMessage(message=message, details=list(details), cell_id=cell_id))
