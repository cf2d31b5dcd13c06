"""A notebook session: the notebook, its graph, the state of each cell, one kernel process, and its subscribers.

All methods run on the asyncio event loop and never block it; user code runs in the kernel process. Every change a
user could see is published as an event (see `events`), in order.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Literal

from .analysis import CellAnalysis, StaticError, StaticErrorKind
from .cellcode import compiled_source
from .errors import AssistUnavailable, SessionClosed, UnknownCell
from .events import (
    CellEvent,
    CellStatus,
    ErrorEvent,
    Event,
    EventBus,
    GraphEvent,
    KernelEvent,
    KernelState,
    OutputEvent,
    StatusEvent,
    StreamEvent,
    StreamName,
    Subscription,
)
from .graph import Graph, build_graph
from .graph_edit import with_cells
from .kernel.client import KernelBusy, KernelDied, KernelOptions, KernelProcess, describe_exit
from .kernel.execute import cell_filename
from .kernel.ran_cells import digest
from .kernel.tables import TableError, TableQuery
from .model import Cell, CellType, Notebook
from .privates import is_private, mangle

logger = logging.getLogger(__name__)

# How long a kernel has to tell which cells it ran (it answers at once, also while a cell runs).
_STATE_SECONDS = 10.0
# How long completion waits for the kernel: it answers while a cell runs too, unless that cell holds the GIL.
ASSIST_SECONDS = 3.0

_STATIC_ERROR_TYPES = {
    StaticErrorKind.SYNTAX: "SyntaxError",
    StaticErrorKind.IMPORT_STAR: "ImportStarError",
    StaticErrorKind.PRIVATE_PLACEHOLDER: "PrivatePlaceholderError",
    StaticErrorKind.INVALID_OUTPUT_NAME: "InvalidOutputNameError",
    StaticErrorKind.MULTIPLE_DEFINITION: "MultipleDefinitionError",
    StaticErrorKind.CYCLE: "CycleError",
}


_FINISHED = frozenset({CellStatus.SUCCESS, CellStatus.ERROR, CellStatus.INTERRUPTED})

# What happens to the cells that had run when their inputs change or disappear: "eager" runs them again, "lazy" only
# marks them stale (they run when they, or a cell needing them, is run).
RunMode = Literal["eager", "lazy"]


@dataclass(frozen=True)
class SessionConfig:
    time_limit: float | None = None  # seconds a cell may run before it is interrupted; None: no limit
    # Seconds a cell interrupted by the time limit has to stop before the kernel is restarted instead.
    interrupt_grace: float = 3.0
    # Seconds a running cell that is deleted has to stop after its interrupt before the kernel is restarted instead.
    delete_grace: float = 5.0
    kernel: KernelOptions = field(default_factory=KernelOptions)
    console_limit: int = 100_000  # characters of stdout/stderr kept per cell for snapshots
    subscriber_backlog: int = 10_000  # events a subscriber may fall behind before it is dropped
    mode: RunMode = "eager"


@dataclass
class CellState:
    status: CellStatus = CellStatus.IDLE
    stale: bool = True  # the current code has not run successfully in the current kernel
    blocked_by: str | None = None
    duration: float | None = None
    # The revision of the code the last run executed: a later revision means the user edited the cell since, while a
    # stale cell at that revision only has inputs (or a kernel) that changed.
    ran_revision: int | None = None
    output: dict[str, Any] | None = None
    error: dict[str, Any] | None = None
    console: list[dict[str, str]] = field(default_factory=list)  # [{"name": "stdout", "text": ...}], oldest first
    console_truncated: bool = False  # the oldest console text was dropped to keep `console_limit`
    defined: frozenset[str] = frozenset()  # names the last run bound in the kernel

    def to_dict(self) -> dict[str, Any]:
        return {
            "status": self.status.value,
            "stale": self.stale,
            "blocked_by": self.blocked_by,
            "duration": self.duration,
            "ran_revision": self.ran_revision,
            "output": self.output,
            "error": self.error,
            "console": list(self.console),
            "console_truncated": self.console_truncated,
        }


class NotebookSession:
    def __init__(self, notebook: Notebook | None = None, config: SessionConfig | None = None, name: str = "") -> None:
        self.notebook = notebook if notebook is not None else Notebook()
        self.name = name  # the notebook's id: its kernels' AWS sessions (and ECS tasks) are named after it
        self.config = config or SessionConfig()
        self.states: dict[str, CellState] = {cell.id: _new_state(cell) for cell in self.notebook.cells}
        self._bus = EventBus(self.config.subscriber_backlog)
        self._analyses: dict[str, tuple[_AnalysisKey, CellAnalysis]] = {}  # cell id -> what its analysis is of
        self.graph: Graph = build_graph([(cell.id, self._analysis(cell)) for cell in self.notebook.cells])
        self._kernel: KernelProcess | None = None
        self._kernel_task: asyncio.Task[KernelProcess] | None = None
        self._kernel_state: KernelState = "stopped"
        self._kernel_reason: str | None = None  # why the kernel is in its state, as last published
        self._kernel_progress: str | None = None  # how far its start is, as last published
        self._stopped_reason: str | None = None  # why `stop_kernel` ended the kernel: told until a cell runs again
        self._kill_reason: tuple[str, str] | None = None  # (error type, why) when the engine ends the kernel
        self._pending: set[str] = set()
        # Queued only as stale ancestors of what was asked for: a kernel that already holds their values (it ran
        # them before the server restarted) spares their run.
        self._pulled_in: set[str] = set()
        self._running: str | None = None
        self._runner: asyncio.Task[None] | None = None
        self._idle = asyncio.Event()
        self._idle.set()
        self._closed = False

    # -- lifecycle -------------------------------------------------------------------------------------------------

    async def start(self) -> None:
        await self._ready_kernel()

    async def close(self, *, detach: bool = False) -> None:
        """`detach`: the server is going away, not the notebook: a kernel that can outlive the server (an ECS task)
        keeps running, with its namespace, for the next server to reattach."""
        self._closed = True
        self._pending.clear()
        if self._runner is not None:
            self._runner.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._runner
        if self._kernel_task is not None and not self._kernel_task.done():
            self._kernel_task.cancel()
            with contextlib.suppress(asyncio.CancelledError, KernelDied):
                await self._kernel_task
        if self._kernel is not None:
            await (self._kernel.detach() if detach else self._kernel.stop(why="its notebook was closed or deleted"))
        self._set_kernel_state("stopped", None)
        self._bus.close()

    async def __aenter__(self) -> NotebookSession:
        await self.start()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.close()

    @property
    def kernel_pid(self) -> int | None:
        return self._kernel.pid if self._kernel is not None and self._kernel.alive else None

    @property
    def kernel_local(self) -> bool:
        """The kernel's processes are this machine's (not those of an ECS task): `kernel_pid` is one of them."""
        return self._kernel is None or self._kernel.local

    @property
    def kernel_state(self) -> KernelState:
        return self._kernel_state

    @property
    def kernel_started_at(self) -> float | None:
        """When the running kernel started (`time.monotonic()`); None without one."""
        return self._kernel.started_at if self._kernel is not None and self._kernel.alive else None

    @property
    def busy(self) -> bool:
        """A cell is running or queued."""
        return self._running is not None or bool(self._pending)

    async def stop_kernel(self, reason: str) -> None:
        """Ends the kernel and every process it started; the cells keep their code and outputs but are stale, and
        the next run (or `start`) starts a fresh kernel. `reason` is told to clients until a cell runs again."""
        if self._kernel_state == "stopped":  # never started, or stopped already: nothing to tell
            return
        self._kill_reason = ("KernelStopped", reason)
        self._cancel_pending()
        task, kernel = self._kernel_task, self._kernel
        self._kernel_task = self._kernel = None
        if task is not None and not task.done():
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError, KernelDied, TimeoutError, OSError):
                await task
        if kernel is not None:
            await kernel.stop(why=reason)
        self._stopped_reason = reason
        self._forget_namespace()
        self._set_kernel_state("stopped", reason)

    # -- observing -------------------------------------------------------------------------------------------------

    def subscribe(self) -> Subscription:
        return self._bus.subscribe()

    def snapshot(self) -> dict[str, Any]:
        """Everything a new subscriber needs; events after `seq` complete it."""
        return {
            "seq": self._bus.seq,
            "notebook": self.notebook.to_dict(),
            "graph": self.graph.to_dict(),
            "cells": {cell.id: self.states[cell.id].to_dict() for cell in self.notebook.cells},
            "kernel": {
                "state": self._kernel_state,
                "pid": self.kernel_pid,
                "reason": self._kernel_reason,
                "progress": self._kernel_progress,
            },
        }

    # -- editing ---------------------------------------------------------------------------------------------------

    def add_cell(self, cell: Cell, index: int | None = None) -> None:
        self.notebook.insert(cell, index)
        self.states[cell.id] = _new_state(cell)
        self._publish(CellEvent(action="added", cell=cell.to_dict(), index=self.notebook.index(cell.id)))
        self._reanalyze(cell)

    def update_cell(
        self,
        cell_id: str,
        *,
        code: str | None = None,
        cell_type: CellType | None = None,
        output_name: str | None = None,  # "" restores the default name
        revision: int | None = None,
    ) -> Cell:
        """Updates the graph at once; the new code runs when asked."""
        changes: dict[str, Any] = {"code": code, "type": cell_type, "output_name": output_name, "revision": revision}
        before = self.notebook.cell(cell_id)
        cell = self.notebook.update(cell_id, **{key: value for key, value in changes.items() if value is not None})
        if cell != before:
            self._publish(CellEvent(action="updated", cell=cell.to_dict(), index=self.notebook.index(cell_id)))
            self._reanalyze(cell)
            # Its outputs, and those of the cells reading from it, no longer follow from the code.
            self._mark_stale({cell_id} | self.graph.descendants([cell_id]))
            if (cell.type, cell.code, cell.output_name) != (before.type, before.code, before.output_name):
                # The values its old code bound must not outlive that code, even before the new code runs.
                self._drop_names(cell_id)
            if not cell.runs and before.runs:
                self._settle_markdown(cell_id)
        return cell

    def move_cell(self, cell_id: str, index: int) -> None:
        self.notebook.move(cell_id, index)
        cell = self.notebook.cell(cell_id)
        self._publish(CellEvent(action="moved", cell=cell.to_dict(), index=index))
        self._reanalyze(cell)

    def set_connection_string(self, connection_string: str) -> None:
        """SQL cells need a re-run afterwards."""
        self.notebook.connection_string = connection_string
        for cell in self.notebook.cells:
            if cell.type is CellType.SQL and not self.states[cell.id].stale:
                self.states[cell.id].stale = True
                self._publish_status(cell.id)

    async def delete_cell(self, cell_id: str) -> None:
        """Removes the cell and its names from the kernel, then re-runs the dependents that had run."""
        cell = self.notebook.cell(cell_id)
        if self._running == cell_id:
            self.interrupt()
            try:
                await asyncio.wait_for(self.wait_idle(), self.config.delete_grace)
            except TimeoutError:  # the cell swallows KeyboardInterrupt: waiting longer could be forever
                logger.warning(
                    "cell %s was deleted while running and ignored the interrupt: restarting the kernel", cell_id
                )
                self._replace_kernel("KernelRestarted", "the cell was deleted while running and ignored the interrupt")
                await self.wait_idle()
        self._pending.discard(cell_id)
        children = self.graph.children[cell_id]
        state = self.states.pop(cell_id)
        self.notebook.remove(cell_id)
        self._forget(cell_id, state.defined)
        self._publish(CellEvent(action="removed", cell=cell.to_dict()))
        del self._analyses[cell_id]
        self._reanalyze()
        self._invalidate_readers(cell_id, state.defined, children)

    # -- running ---------------------------------------------------------------------------------------------------

    async def run(self, cell_ids: Iterable[str]) -> list[str]:
        """Queues the cells, their descendants, and every stale ancestor any of those needs (with that ancestor's own
        descendants); returns them in run order, at once."""
        requested = list(cell_ids)
        for cell_id in requested:
            self.notebook.index(cell_id)  # UnknownCell
        if self._closed:
            raise SessionClosed()
        if self._stopped_reason is not None:  # the user is back: the stop is old news
            self._stopped_reason = None
            self._set_kernel_state(self._kernel_state, None)
        # A markdown cell runs to nothing: it is not queued (and, defining no names, no cell depends on it).
        return self._plan([cell_id for cell_id in requested if self.notebook.cell(cell_id).runs])

    def _plan(self, requested: list[str]) -> list[str]:
        graph = self.graph
        eager = self.config.mode == "eager"
        # A dependent may need a cell that never ran (the imports of a fresh session): without it, it would be blocked.
        affected = set(requested) | (graph.descendants(requested) if eager else set())
        asked = set(requested) | (graph.descendants(requested) if eager else set())
        while stale := {cell_id for cell_id in graph.ancestors(affected) if self.states[cell_id].stale} - affected:
            affected |= stale | (graph.descendants(stale) if eager else set())
        self._pulled_in = (self._pulled_in - asked) | (affected - asked - self._pending)
        planned = graph.sort(affected)
        self._queue(planned)
        return planned

    def _queue(self, planned: list[str]) -> None:
        """Queues the cells as they are, without the stale ancestors `run` adds: those block them."""
        for cell_id in planned:
            if cell_id not in self._pending:
                self._pending.add(cell_id)
                if cell_id != self._running:
                    self._set_status(cell_id, CellStatus.QUEUED)
        if self._pending and (self._runner is None or self._runner.done()):
            self._idle.clear()
            self._runner = asyncio.create_task(self._drain())

    async def run_all(self) -> list[str]:
        return await self.run(cell.id for cell in self.notebook.cells)

    def interrupt(self) -> None:
        """Stops the running cell (KeyboardInterrupt in user code) and cancels the queued ones."""
        self._cancel_pending()
        if self._running is not None and self._kernel is not None:
            self._kernel.interrupt()

    async def wait_idle(self) -> None:
        await self._idle.wait()

    async def table_page(self, cell_id: str, query: TableQuery) -> dict[str, Any]:
        """A page of the DataFrame the cell displayed last (see kernel.tables); raises TableError."""
        self.notebook.index(cell_id)  # UnknownCell
        kernel = self._kernel
        if kernel is None or self._kernel_state != "ready":
            raise TableError("gone", "the kernel restarted since this table was shown: run the cell to see it again")
        try:
            reply = await kernel.request({"op": "table", "cell": cell_id, "query": query.to_dict()})
        except KernelBusy as busy:
            raise TableError("busy", f"{busy}: try again when it finishes") from None
        except KernelDied:
            raise TableError("gone", "the kernel stopped: run the cell to see its table again") from None
        if "error" in reply:
            raise TableError(reply["error"]["problem"], reply["error"]["message"])
        page: dict[str, Any] = reply["page"]
        return page

    async def assist(self, op: Literal["complete", "inspect"], cell_id: str, code: str, cursor: int) -> dict[str, Any]:
        """Completions (`complete`) or docs and signatures (`inspect`) at character `cursor` of `code` written in
        the cell, from the kernel's namespace (see kernel.completion); raises AssistUnavailable, UnknownCell."""
        kind = self.notebook.cell(cell_id).type.value
        kernel = self._kernel
        if kernel is None or self._kernel_state != "ready":
            raise AssistUnavailable(f"the kernel is {self._kernel_state}")
        command = {"op": op, "kind": kind, "code": code, "cursor": cursor, "private_prefix": mangle(cell_id, "")}
        try:
            reply = await asyncio.wait_for(kernel.request(command, while_busy=True), ASSIST_SECONDS)
        except TimeoutError:
            raise AssistUnavailable(f"the kernel did not answer within {ASSIST_SECONDS} s") from None
        except KernelDied as died:
            raise AssistUnavailable(str(died)) from None
        if "error" in reply:
            raise AssistUnavailable(f"the kernel could not analyse the code: {reply['error']}")
        result: dict[str, Any] = reply["result"]
        return result

    async def restart_kernel(self) -> None:
        """A fresh kernel with an empty namespace; every cell then needs a re-run."""
        self._stopped_reason = None
        self._replace_kernel("KernelRestarted", "the kernel was restarted on request while this cell was running")
        await self._ready_kernel()

    # -- the run queue ---------------------------------------------------------------------------------------------

    async def _drain(self) -> None:
        try:
            while self._pending:
                cell_id = min(self._pending, key=self.graph.rank.__getitem__)
                self._pending.discard(cell_id)
                try:
                    await self._run_one(cell_id)
                except UnknownCell:
                    logger.debug("cell %s was deleted before it ran", cell_id)
                except (KeyError, RuntimeError, OSError) as failure:  # an engine bug must not stop the queue
                    logger.exception("running cell %s failed inside the engine", cell_id)
                    if cell_id in self.states:
                        message = f"the engine failed while running this cell: {failure}"
                        text = f"InternalError: {message}"
                        self._fail(
                            cell_id, {"type": "InternalError", "message": message, "traceback": [], "text": text}
                        )
        finally:
            self._idle.set()

    async def _run_one(self, cell_id: str) -> None:
        cell = self.notebook.cell(cell_id)
        state = self.states[cell_id]
        pulled_in = cell_id in self._pulled_in
        self._pulled_in.discard(cell_id)
        if not cell.runs:  # made a markdown cell while it was queued
            self._settle_markdown(cell_id)
            return
        if self.graph.errors[cell_id]:
            self._fail(cell_id, _static_error(cell, self.graph.errors[cell_id]))
            return
        parents = self.graph.sort(self.graph.parents[cell_id])
        stale_parent = next((parent for parent in parents if self.states[parent].stale), None)
        if stale_parent is not None:
            self._block(cell_id, stale_parent)
            return
        try:
            kernel = await self._ready_kernel()
        except (KernelDied, TimeoutError, OSError) as failure:
            self._cancel_pending()
            message = f"the kernel process could not start: {failure}"
            text = f"KernelStartError: {message}"
            self._fail(cell_id, {"type": "KernelStartError", "message": message, "traceback": [], "text": text})
            return
        self.notebook.index(cell_id)  # UnknownCell when it was deleted while the kernel started
        if pulled_in and not state.stale:  # the kernel that started holds its values (see `_restore_ran_cells`)
            self._set_status(cell_id, CellStatus.SUCCESS)
            return
        analysis = self._analysis(cell)  # of the code sent, even if the cell was edited meanwhile
        request = self._request(cell, state, analysis)
        defines = analysis.defines
        state.output = state.error = state.duration = None
        state.console.clear()
        state.console_truncated = False
        state.ran_revision = cell.revision
        self._running = cell_id
        self._kill_reason = None
        self._set_status(cell_id, CellStatus.RUNNING)
        timed_out = False
        try:
            reply, timed_out = await self._execute(kernel, request)
        except KernelDied as died:
            state.defined = frozenset()
            error_type, reason = self._kill_reason or ("KernelDied", f"{died} while this cell was running")
            message = f"{reason}. The kernel now has an empty namespace: run the cells again."
            text = f"{error_type}: {message}"
            self._fail(cell_id, {"type": error_type, "message": message, "traceback": [], "text": text})
            return
        finally:
            self._running = None
        state.duration = reply["duration"]
        state.defined = defines
        # Edited, deleted, or disabled by another cell's edit while it ran: what it bound follows from no code.
        current = (
            cell_id in self.states
            and self._analyses[cell_id][1] is analysis  # an edit analyses the new code at once
            and not self.graph.errors[cell_id]
        )
        if timed_out and reply["status"] != "success":
            self._fail(cell_id, _timeout_error(self.config.time_limit, reply["error"]))
        elif reply["status"] == "success":
            state.stale = not current
            state.output = reply["output"]
            if state.output is not None:
                self._publish(OutputEvent(cell_id=cell_id, output=state.output))
            self._set_status(cell_id, CellStatus.SUCCESS)
            if not current and (errors := self.graph.errors.get(cell_id)):
                self._fail(cell_id, _static_error(self.notebook.cell(cell_id), errors))
            elif not current:
                self._drop_names(cell_id)
            elif self.config.mode == "lazy":  # its readers now hold values from before this run
                self._mark_stale(self.graph.descendants([cell_id]) - self._pending)
        elif reply["status"] == "interrupted":
            state.stale = True
            state.error = reply["error"]
            self._publish(ErrorEvent(cell_id=cell_id, error=state.error))
            self._set_status(cell_id, CellStatus.INTERRUPTED)
            self._drop_names(cell_id)
            self._block_descendants(cell_id)
        else:
            self._fail(cell_id, reply["error"])
        if cell_id in self.states and not self.notebook.cell(cell_id).runs:  # made a markdown cell while it ran
            self._settle_markdown(cell_id)
        elif cell_id in self._pending:  # queued again while it ran
            self._set_status(cell_id, CellStatus.QUEUED)

    async def _execute(self, kernel: KernelProcess, request: dict[str, Any]) -> tuple[dict[str, Any], bool]:
        """The kernel's reply, and whether the time limit interrupted the cell."""
        task = asyncio.ensure_future(kernel.execute(request))
        limit = self.config.time_limit
        try:
            if limit is None:
                return await task, False
            with contextlib.suppress(TimeoutError):
                return await asyncio.wait_for(asyncio.shield(task), limit), False
            kernel.interrupt()
            with contextlib.suppress(TimeoutError):
                return await asyncio.wait_for(asyncio.shield(task), self.config.interrupt_grace), True
            self._replace_kernel(
                "TimeoutError",
                f"the cell ran longer than the time limit of {limit:g} s and did not stop within "
                f"{self.config.interrupt_grace:g} s of being interrupted, so the kernel was restarted",
            )
            return await task, True
        finally:
            if not task.done():
                task.cancel()

    def _request(self, cell: Cell, state: CellState, analysis: CellAnalysis) -> dict[str, Any]:
        # Names this cell bound last time and no other cell defines now, plus the names it is about to define.
        stale_names = {name for name in state.defined if self.graph.definers.get(name, (cell.id,)) == (cell.id,)}
        delete = sorted(stale_names | analysis.defines)
        request: dict[str, Any] = {"op": "run", "cell": cell.id, "kind": cell.type.value, "code": cell.code}
        if cell.type is CellType.SQL:
            name = cell.sql_output_name
            private_names = [mangle(cell.id, name)] if is_private(name) else []
            request |= {
                "output_name": private_names[0] if private_names else name,
                "connection": self.notebook.connection_string,
            }
        else:
            # Cells with static errors (syntax errors among them) never get here: their analysis parsed them.
            assert analysis.compile is not None, "a Python cell without static errors has its compile facts"
            private_names = analysis.compile.private_names(cell.id)
            request["compiled"] = compiled_source(cell.code, analysis.compile, cell.id)
        return request | {"delete": delete, "private_names": private_names, "defines": sorted(analysis.defines)}

    def _fail(self, cell_id: str, error: dict[str, Any]) -> None:
        state = self.states[cell_id]
        state.stale = True
        state.error = error
        self._publish(ErrorEvent(cell_id=cell_id, error=error))
        self._set_status(cell_id, CellStatus.ERROR)
        self._drop_names(cell_id)
        self._block_descendants(cell_id)

    def _block_descendants(self, cell_id: str) -> None:
        for descendant in self.graph.sort(self.graph.descendants([cell_id]) & self._pending):
            if self.graph.errors[descendant]:
                continue  # it fails with its own static error (a cycle, say) when its turn comes
            self._pending.discard(descendant)
            self._block(descendant, cell_id)

    def _block(self, cell_id: str, blocked_by: str) -> None:
        """An input of the cell is missing: what the cell computed from it goes too."""
        self.states[cell_id].stale = True
        self._set_status(cell_id, CellStatus.BLOCKED, blocked_by=blocked_by)
        self._drop_names(cell_id)

    # -- names that outlive their code -----------------------------------------------------------------------------

    def _drop_names(self, cell_id: str) -> None:
        """Removes what the cell bound from the kernel (its code changed, raised, or is disabled); the cells reading
        those names run again (eager) or become stale (lazy)."""
        state = self.states[cell_id]
        names, state.defined = state.defined, frozenset()
        if names:
            self._forget(cell_id, names)
            self._invalidate_readers(cell_id, names)

    def _forget(self, cell_id: str, names: Iterable[str]) -> None:
        # Another cell's last run may have bound the same name (two definers): it stays. A cell's `defined` only holds
        # names its current code defines (an edit drops the rest), so the graph's definers are the cells to look at.
        gone = [
            name
            for name in sorted(names)
            if not any(
                other != cell_id and other in self.states and name in self.states[other].defined
                for other in self.graph.definers.get(name, ())
            )
        ]
        # A kernel still starting has nothing to forget, and no command pipe yet.
        if self._kernel is not None and self._kernel.alive and self._kernel_state == "ready":
            self._kernel.send({"op": "forget", "cells": [cell_id], "names": gone})

    def _invalidate_readers(self, cell_id: str, names: Iterable[str], also: Iterable[str] = ()) -> None:
        """The cells reading `names` (and `also`) after `cell_id` stopped providing them."""
        readers = set(also).union(*(self.graph.readers.get(name, ()) for name in names))
        readers = {reader for reader in readers if reader != cell_id and reader in self.states}
        if self.config.mode == "lazy":
            self._mark_stale(readers | self.graph.descendants(readers))
        elif not self._closed:
            # Only those that had run: a reader queued already runs anyway, one never run is not started by this.
            rerun = {
                reader
                for reader in readers
                if reader not in self._pending and self.states[reader].status is not CellStatus.IDLE
            }
            if rerun:
                self._queue(self.graph.sort(rerun | self.graph.descendants(rerun)))

    def _settle_markdown(self, cell_id: str) -> None:
        """A cell that became markdown: no longer queued, and no status, output or error of its code as it was."""
        self._pending.discard(cell_id)
        state = self.states[cell_id]
        if cell_id == self._running:  # `_run_one` settles it when the run ends
            return
        self.states[cell_id] = CellState(stale=False)
        if state != self.states[cell_id]:  # clients show no outputs for a markdown cell, so the status says it all
            self._publish_status(cell_id)

    def _mark_stale(self, cell_ids: Iterable[str]) -> None:
        for cell_id in self.graph.sort(cell_ids):
            if self.notebook.cell(cell_id).runs and not self.states[cell_id].stale:
                self.states[cell_id].stale = True
                self._publish_status(cell_id)

    def _cancel_pending(self) -> None:
        for cell_id in self.graph.sort(self._pending):
            self._set_status(cell_id, CellStatus.IDLE)
        self._pending.clear()
        self._pulled_in.clear()

    # -- the kernel ------------------------------------------------------------------------------------------------

    async def _ready_kernel(self) -> KernelProcess:
        task = self._kernel_task
        if task is None or (task.done() and (task.cancelled() or task.exception() is not None)):
            task = self._kernel_task = asyncio.create_task(self._start_kernel())
        return await asyncio.shield(task)

    async def _start_kernel(self) -> KernelProcess:
        kernel = KernelProcess(
            self.config.kernel,
            self._on_stream,
            self._on_kernel_exit,
            self.name,
            size=self.notebook.kernel_size,
            on_progress=lambda text: self._on_kernel_progress(kernel, text),
        )
        self._kernel = kernel
        self._set_kernel_state("starting", self._stopped_reason)
        try:
            await kernel.start()
        except (KernelDied, TimeoutError, OSError) as failure:
            # Told to clients until the next start (an ECS task that could not start says why there), not only to the
            # cell that was to run: a start on opening the notebook has none.
            self._set_kernel_state("stopped", f"the kernel could not start: {failure}")
            raise
        await self._restore_ran_cells(kernel)
        self._set_kernel_state("ready", self._stopped_reason)
        return kernel

    async def _restore_ran_cells(self, kernel: KernelProcess) -> None:
        """A kernel that ran before this session (the server restarted, the kernel ran on) holds the values of the
        cells it ran: those whose code is unchanged, and whose inputs' cells are too, count as run again, so running a
        reader uses those values; the names of the others go."""
        try:
            reply = await asyncio.wait_for(kernel.request({"op": "state"}, while_busy=True), _STATE_SECONDS)
        except TimeoutError:  # a kernel of an older image, which does not keep the record: its cells run again
            logger.warning("the kernel of notebook %s did not tell which cells it ran", self.name)
            return
        ran_cells: dict[str, dict[str, Any]] = reply["cells"]
        current = {cell_id for cell_id, ran in ran_cells.items() if self._holds_run(cell_id, ran)}
        restored: list[str] = []
        for cell_id in self.graph.sort(current):
            if self.graph.parents[cell_id] <= set(restored):
                restored.append(cell_id)
        outdated = {cell_id: ran["names"] for cell_id, ran in ran_cells.items() if cell_id not in restored}
        for cell_id in restored:
            state, ran = self.states[cell_id], ran_cells[cell_id]
            cell = self.notebook.cell(cell_id)
            state.stale, state.defined, state.ran_revision = False, frozenset(ran["names"]), cell.revision
            state.output, state.duration, state.error = ran["output"], ran["duration"], None
            if state.output is not None:
                self._publish(OutputEvent(cell_id=cell_id, output=state.output))
            if cell_id in self._pending and cell_id not in self._pulled_in:
                self._publish_status(cell_id)  # asked to run again: it still does
            else:
                self._pending.discard(cell_id)
                self._set_status(cell_id, CellStatus.SUCCESS)
        if outdated:
            kept = {name for cell_id in restored for name in self.states[cell_id].defined}
            names = sorted({name for names in outdated.values() for name in names} - kept)
            kernel.send({"op": "forget", "cells": sorted(outdated), "names": names})

    def _holds_run(self, cell_id: str, ran: dict[str, Any]) -> bool:
        """The kernel's record of a run (see `kernel.ran_cells`) is of the cell's current code."""
        if cell_id not in self.states or cell_id == self._running or self.graph.errors[cell_id]:
            return False
        cell = self.notebook.cell(cell_id)
        if not cell.runs:
            return False
        analysis = self._analysis(cell)
        request = self._request(cell, self.states[cell_id], analysis)
        return bool(digest(request) == ran["digest"] and request["defines"] == ran["names"])

    def _on_kernel_progress(self, kernel: KernelProcess, text: str) -> None:
        if kernel is self._kernel and self._kernel_state in ("starting", "restarting"):
            self._kernel_progress = text
            self._publish(KernelEvent(state=self._kernel_state, pid=None, reason=self._kernel_reason, progress=text))

    def _replace_kernel(self, error_type: str, reason: str) -> None:
        """Kills the kernel on purpose (a crash takes `_on_kernel_exit` instead) and starts a fresh one."""
        self._kill_reason = (error_type, reason)
        self._cancel_pending()
        if self._kernel is not None:
            self._kernel.kill(reason)
        self._forget_kernel_state(reason)

    def _on_kernel_exit(self, kernel: KernelProcess, returncode: int) -> None:
        if kernel is self._kernel and not self._closed:
            self._cancel_pending()
            self._forget_kernel_state(describe_exit(returncode, kernel.limits))

    def _forget_kernel_state(self, reason: str) -> None:
        self._set_kernel_state("restarting", reason)
        self._forget_namespace()
        if not self._closed:
            self._kernel_task = asyncio.create_task(self._start_kernel())

    def _forget_namespace(self) -> None:
        """The kernel's names are gone: every cell that had run must run again."""
        for cell_id, state in self.states.items():
            state.defined = frozenset()
            if cell_id != self._running and not state.stale and self.notebook.cell(cell_id).runs:
                state.stale = True
                self._publish_status(cell_id)

    def _set_kernel_state(self, state: KernelState, reason: str | None) -> None:
        self._kernel_state = state
        self._kernel_reason = reason
        self._kernel_progress = None
        self._publish(KernelEvent(state=state, pid=self.kernel_pid, reason=reason))

    # -- events ----------------------------------------------------------------------------------------------------

    def _on_stream(self, cell_id: str | None, name: StreamName, text: str) -> None:
        state = self.states.get(cell_id) if cell_id is not None else None
        if state is not None and _append_console(state.console, name, text, self.config.console_limit):
            state.console_truncated = True
        self._publish(StreamEvent(cell_id=cell_id if state is not None else None, name=name, text=text))

    def _set_status(self, cell_id: str, status: CellStatus, *, blocked_by: str | None = None) -> None:
        state = self.states[cell_id]
        state.status = status
        state.blocked_by = blocked_by
        self._publish_status(cell_id)

    def _publish_status(self, cell_id: str) -> None:
        state = self.states[cell_id]
        self._publish(
            StatusEvent(
                cell_id=cell_id,
                status=state.status,
                stale=state.stale,
                ran_revision=state.ran_revision,
                blocked_by=state.blocked_by,
                duration=state.duration if state.status in _FINISHED else None,
            )
        )

    def _publish(self, event: Event) -> None:
        self._bus.publish(event)

    def _analysis(self, cell: Cell) -> CellAnalysis:
        key = (cell.type, cell.code, cell.output_name)
        cached = self._analyses.get(cell.id)
        if cached is None or cached[0] != key:
            cached = self._analyses[cell.id] = (key, cell.analyze())
        return cached[1]

    def _reanalyze(self, *changed: Cell) -> None:
        """After an edit of the notebook: `changed` are the cells added, edited or moved (deleted ones are gone)."""
        cell_ids = tuple(cell.id for cell in self.notebook.cells)
        analyses = {cell.id: self._analysis(cell) for cell in changed}
        before = self.graph
        self.graph, updated = with_cells(self.graph, cell_ids, analyses)
        # Only what changed: in a large notebook an edit moves a few cells' entries, and clients merge them.
        if updated:
            self._publish(GraphEvent(cells={cell_id: self.graph.cell_dict(cell_id) for cell_id in updated}))
        # Another cell's edit can give a cell a multiple-definition or cycle error, or take it away. (The edited cells
        # themselves show theirs when they run.)
        runnable = []
        for cell_id in updated:
            if cell_id in analyses or cell_id not in before.errors:
                continue
            state, had, has = self.states[cell_id], before.errors[cell_id], self.graph.errors[cell_id]
            if has and not had and cell_id != self._running and (state.defined or state.status is not CellStatus.IDLE):
                self._pending.discard(cell_id)  # it would only fail again
                self._fail(cell_id, _static_error(self.notebook.cell(cell_id), has))
            elif had and not has and state.status is not CellStatus.IDLE:
                runnable.append(cell_id)
        if runnable and self.config.mode == "eager" and not self._closed:
            self._plan(runnable)


_AnalysisKey = tuple[CellType, str, str | None]


def _new_state(cell: Cell) -> CellState:
    return CellState(stale=cell.runs)


def _append_console(console: list[dict[str, str]], name: str, text: str, limit: int) -> bool:
    """Appends the text in order (joined to the last chunk when of the same stream), then drops the oldest text over
    `limit` characters; True when it dropped some."""
    if console and console[-1]["name"] == name:
        console[-1] = {"name": name, "text": console[-1]["text"] + text}
    else:
        console.append({"name": name, "text": text})
    size = sum(len(chunk["text"]) for chunk in console)
    dropped = size > limit
    while size > limit:
        excess = size - limit
        first = console[0]
        if len(first["text"]) <= excess:
            console.pop(0)
            size -= len(first["text"])
        else:
            console[0] = {"name": first["name"], "text": first["text"][excess:]}
            size = limit
    return dropped


def _static_error(cell: Cell, errors: tuple[StaticError, ...]) -> dict[str, Any]:
    first = errors[0]
    error_type = _STATIC_ERROR_TYPES[first.kind]
    message = "\n".join(error.message for error in errors)
    frames: list[dict[str, Any]] = []
    text = f"{error_type}: {message}"
    if first.line is not None:
        lines = cell.code.splitlines()
        code = lines[first.line - 1] if first.line <= len(lines) else ""
        frame = {"cell_id": cell.id, "filename": cell_filename(cell.id), "line": first.line, "name": "<module>"}
        frames.append(frame | {"code": code.strip()})
        caret = " " * max((first.column or 1) - 1 - (len(code) - len(code.lstrip())), 0) + "^"
        text = f'  File "{frame["filename"]}", line {first.line}\n    {code.strip()}\n    {caret}\n{text}'
    return {"type": error_type, "message": message, "traceback": frames, "text": text}


def _timeout_error(limit: float | None, error: dict[str, Any] | None) -> dict[str, Any]:
    message = f"the cell ran longer than the time limit of {limit:g} s and was interrupted"
    frames = error["traceback"] if error else []
    where = error["text"].splitlines()[:-1] if error else []  # the interrupted traceback, without its last line
    text = "\n".join([*where, f"TimeoutError: {message}"])
    return {"type": "TimeoutError", "message": message, "traceback": frames, "text": text}
