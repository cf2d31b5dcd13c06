"""Notebooks held in memory, one engine session (and kernel process) each.

Every change is saved to the store first and applied to the session only once the store acknowledged it, under the
notebook's lock: what a client is told (the HTTP response, or the engine's events on the WebSockets) is durable, and
a failed save leaves the notebook as it was.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import uuid
from collections.abc import AsyncIterator, Callable, Coroutine, Iterator, Sequence
from dataclasses import replace
from datetime import UTC, datetime
from typing import TypeVar

from app.core.kernel_sizes import DEFAULT_ALLOWED_SIZES, KernelSizeName
from app.core.principal import Principal
from app.engine import Cell, CellType, Notebook, NotebookSession, SessionConfig
from app.services.access import Access, Role, Share, authorize, role_of
from app.services.convert import StoredCells, access_of, cell_document, draft_of, edited, to_document, to_engine
from app.services.demo import DEMO_NAME, demo_notebook
from app.services.errors import (
    CellConflict,
    CodeTooLarge,
    KernelSizeNotOffered,
    NotebookIdTaken,
    NotebookNotFound,
    StorageFailed,
)
from app.services.kernels import (
    STOPPED_ON_REQUEST,
    KernelUsage,
    check_interval,
    kernel_usage,
    stop_idle_kernels,
)
from app.services.live import LiveNotebook, NotebookChange
from app.services.version_diff import CellChange, compare_cells
from app.storage import CorruptNotebook, DeletedNotebook, NotebookDocument, NotebookStore, NotebookVersion

logger = logging.getLogger(__name__)
T = TypeVar("T")

# Larger code is refused (a notebook cell is source, not data).
MAX_CODE_BYTES = 1024 * 1024


class NotebookService:
    def __init__(
        self,
        store: NotebookStore,
        config: SessionConfig,
        kernel_idle_seconds: float = 0,
        kernel_sizes: Sequence[KernelSizeName] = DEFAULT_ALLOWED_SIZES,
    ) -> None:
        self.store = store
        self.session_config = config  # of the sessions created from now on
        self.kernel_idle_seconds = kernel_idle_seconds  # 0: kernels are never stopped for idleness
        self.kernel_sizes = tuple(kernel_sizes)  # the presets notebooks may choose, the first the default
        self._notebooks: dict[str, LiveNotebook] = {}
        self._stored: dict[str, StoredCells] = {}  # by notebook id
        self._background: set[asyncio.Task[None]] = set()
        self._undeleting = asyncio.Lock()

    # -- lifecycle -------------------------------------------------------------------------------------------------

    async def load(self) -> list[CorruptNotebook]:
        """Loads every notebook; returns (and logs) the ones skipped. Creates the demo when the store is empty."""
        try:
            result = await asyncio.to_thread(self.store.load_all)
        except Exception as error:  # starting empty would hide every notebook: better not to start at all
            raise StorageFailed(f"could not list the notebooks in {self.store.description}: {error}") from error
        skipped = list(result.corrupt)
        for document in result.notebooks:
            try:
                notebook = to_engine(document)
            except ValueError as error:
                skipped.append(CorruptNotebook(f"notebook {document.id!r} in {self.store.description}", str(error)))
                continue
            self._hold(
                document.id, document.name, document.created_at, document.updated_at, notebook, access_of(document)
            )
        for item in skipped:
            logger.error("skipped a notebook that cannot be loaded: %s: %s", item.location, item.reason)
        if not result.notebooks and not result.corrupt:
            live = await self.create(DEMO_NAME, demo_notebook())
            logger.info("%s holds no notebooks: created the demo notebook %s", self.store.description, live.id)
        logger.info("loaded %d notebooks from %s", len(self._notebooks), self.store.description)
        if self.kernel_idle_seconds:
            self._in_background(self._stop_idle_kernels(self.kernel_idle_seconds))
        return skipped

    async def close(self) -> None:
        for task in list(self._background):
            task.cancel()
        # The server is going away, not the notebooks: a kernel that can outlive it (an ECS task) runs on for the next.
        await asyncio.gather(
            *(live.session.close(detach=True) for live in self._notebooks.values()), return_exceptions=True
        )

    def warm(self, live: LiveNotebook) -> None:
        """Starts the kernel in the background (a client opened the notebook and will likely run a cell)."""
        self._in_background(self._warm(live))

    def _in_background(self, work: Coroutine[None, None, None]) -> None:
        task = asyncio.create_task(work)
        self._background.add(task)
        task.add_done_callback(self._background.discard)

    async def _warm(self, live: LiveNotebook) -> None:
        if live.deleted:
            return
        try:
            await live.session.start()
        except Exception:  # the first run reports it to the user; here it is only logged
            logger.exception("could not start the kernel of notebook %s", live.id)

    async def _stop_idle_kernels(self, idle_seconds: float) -> None:
        while True:
            await asyncio.sleep(check_interval(idle_seconds))
            try:
                await stop_idle_kernels(self._notebooks.values(), idle_seconds)
            except Exception:  # the next round tries again
                logger.exception("could not stop the idle kernels")

    # -- kernels ---------------------------------------------------------------------------------------------------

    def kernels(self) -> list[KernelUsage]:
        """Each running kernel, most recently changed notebook first."""
        return kernel_usage(self.notebooks())

    async def stop_kernel(self, notebook_id: str) -> None:
        """Ends the notebook's kernel and every process it started; a client's next run starts a fresh one."""
        await self.get(notebook_id).session.stop_kernel(STOPPED_ON_REQUEST)

    # -- reading ---------------------------------------------------------------------------------------------------

    def get(self, notebook_id: str) -> LiveNotebook:
        """A request for the notebook: it counts as use of its kernel (see KERNEL_IDLE_SECONDS)."""
        live = self._notebooks.get(notebook_id)
        if live is None:
            raise NotebookNotFound(notebook_id)
        live.touch()
        return live

    def notebooks(self) -> list[LiveNotebook]:
        """Most recently changed first."""
        return sorted(self._notebooks.values(), key=lambda live: live.updated_at, reverse=True)

    # -- notebooks -------------------------------------------------------------------------------------------------

    async def create(self, name: str, notebook: Notebook | None = None, owner: str | None = None) -> LiveNotebook:
        now = _now()
        notebook_id = uuid.uuid4().hex
        notebook = notebook or Notebook()
        access = Access(owner=owner)
        await self._save(notebook_id, name, now, now, notebook, access)
        return self._hold(notebook_id, name, now, now, notebook, access)

    async def rename(self, notebook_id: str, name: str) -> None:
        async with self._editing(notebook_id) as live:
            await self._commit(live, draft_of(live.session.notebook), name=name)
            live.broadcast(NotebookChange.RENAMED)

    async def set_connection(self, notebook_id: str, connection_string: str) -> bool:
        async with self._editing(notebook_id) as live:
            draft = draft_of(live.session.notebook)
            draft.connection_string = connection_string
            await self._commit(live, draft)
            live.session.set_connection_string(connection_string)
            live.broadcast(NotebookChange.CONNECTION_SET)
            return bool(connection_string)

    async def set_kernel_size(self, notebook_id: str, size: KernelSizeName) -> bool:
        """Keeps the size for the notebook's next kernel: a running one keeps its own until it restarts (an ECS task
        cannot be resized). Returns whether the change waits for that restart."""
        if size not in self.kernel_sizes:
            raise KernelSizeNotOffered(size, self.kernel_sizes)
        async with self._editing(notebook_id) as live:
            before = live.kernel_size
            draft = draft_of(live.session.notebook)
            draft.kernel_size = size
            await self._commit(live, draft)
            live.session.notebook.kernel_size = size
            live.broadcast(NotebookChange.KERNEL_SIZE_SET)
            return size != before and live.session.kernel_state != "stopped"

    async def set_access(self, notebook_id: str, shares: Sequence[Share]) -> Access:
        """Replaces whom the notebook is shared with; its owner stays."""
        async with self._editing(notebook_id) as live:
            access = Access(owner=live.access.owner, shares=tuple(dict.fromkeys(shares)))
            await self._commit(live, draft_of(live.session.notebook), access=access)
            live.broadcast(NotebookChange.ACCESS_SET)
            return access

    async def delete(self, notebook_id: str) -> None:
        async with self._editing(notebook_id) as live:
            try:
                await asyncio.to_thread(self.store.delete, notebook_id)
            except Exception as error:
                raise StorageFailed(f"could not delete the notebook from {self.store.description}: {error}") from error
            live.deleted = True
            del self._notebooks[notebook_id]
            self._stored.pop(notebook_id, None)
            live.broadcast(NotebookChange.DELETED)
            await live.session.close()

    # -- history ---------------------------------------------------------------------------------------------------

    async def versions(
        self, notebook_id: str, cursor: str | None, limit: int
    ) -> tuple[list[tuple[NotebookVersion, NotebookDocument | None]], str | None]:
        """A page of the notebook's saved versions (and deletions, without a document), newest first, and the
        cursor of the next page."""
        self.get(notebook_id)

        def read() -> tuple[list[tuple[NotebookVersion, NotebookDocument | None]], str | None]:
            page = self.store.versions(notebook_id, cursor, limit)
            load = self.store.load_version
            found = [(v, None if v.deleted else load(notebook_id, v.version_id)) for v in page.versions]
            return found, page.cursor

        return await self._reading(read)

    async def version(self, notebook_id: str, version_id: str) -> NotebookDocument:
        """Raises VersionNotFound."""
        self.get(notebook_id)
        return await self._reading(lambda: self.store.load_version(notebook_id, version_id))

    async def compare(
        self, notebook_id: str, version_id: str, base_id: str | None
    ) -> tuple[NotebookDocument, str, list[CellChange]]:
        """The version, the base's name and what the version changes against the base: the version `base_id`, or
        the notebook as it is now (what restoring the version would change). Raises VersionNotFound."""
        version = await self.version(notebook_id, version_id)
        if base_id is None:
            live = self.get(notebook_id)
            base_name, base_cells = live.name, [cell_document(cell) for cell in live.session.notebook.cells]
        else:
            base = await self.version(notebook_id, base_id)
            base_name, base_cells = base.name, base.cells
        return version, base_name, compare_cells(base_cells, version.cells)

    async def restore(self, notebook_id: str, version_id: str) -> None:
        """The notebook's cells become the version's (saved as a new version); its name and settings stay. Each
        change reaches the clients as the edit, addition, move or deletion it is; a running cell is handled as it is
        for those edits."""
        try:
            restored = to_engine(await self.version(notebook_id, version_id)).cells
        except ValueError as error:
            raise StorageFailed(f"version {version_id!r} of notebook {notebook_id!r} is damaged: {error}") from error
        async with self._editing(notebook_id) as live:
            notebook = live.session.notebook
            current = {cell.id: cell for cell in notebook.cells}
            cells = [_restored(current.get(cell.id), cell) for cell in restored]
            draft = draft_of(notebook)
            draft.cells = cells
            await self._commit(live, draft)
            kept = {cell.id for cell in cells}
            for cell_id in [cell.id for cell in notebook.cells if cell.id not in kept]:
                await live.session.delete_cell(cell_id)
            for index, cell in enumerate(cells):
                if cell.id not in current:
                    live.session.add_cell(cell, index)
                    continue
                if cell != current[cell.id]:
                    live.session.update_cell(
                        cell.id,
                        code=cell.code,
                        cell_type=cell.type,
                        output_name=cell.output_name,
                        revision=cell.revision,
                    )
                if notebook.index(cell.id) != index:
                    live.session.move_cell(cell.id, index)

    async def deleted(self, principal: Principal) -> list[tuple[DeletedNotebook, str]]:
        """The deleted notebooks that can be brought back by the principal (their owners and admins), with their
        last name; most recently deleted first."""

        def read() -> list[tuple[DeletedNotebook, str]]:
            found = []
            for item in self.store.deleted():
                saved = self._newest_saved(item.notebook_id)
                if saved is None or item.notebook_id in self._notebooks:
                    continue
                document = self.store.load_version(item.notebook_id, saved.version_id)
                if role_of(principal, access_of(document)) == Role.OWNER:
                    found.append((item, document.name))
            return found

        return await self._reading(read)

    async def undelete(self, notebook_id: str, principal: Principal) -> LiveNotebook:
        """Brings back the notebook's last saved version (a new version). Raises NotebookIdTaken, or
        NotebookNotFound when the notebook was never deleted or its versions are past their retention."""
        async with self._undeleting:
            if notebook_id in self._notebooks:
                raise NotebookIdTaken(notebook_id)

            def read() -> NotebookDocument:
                newest = self.store.versions(notebook_id, limit=1).versions
                saved = self._newest_saved(notebook_id) if newest and newest[0].deleted else None
                if saved is None:
                    raise NotebookNotFound(notebook_id)
                return self.store.load_version(notebook_id, saved.version_id)

            document = await self._reading(read)
            access = access_of(document)
            authorize(principal, access, Role.OWNER, "bring it back", notebook_id)
            try:
                notebook = to_engine(document)
            except ValueError as error:
                raise StorageFailed(f"the last version of notebook {notebook_id!r} is damaged: {error}") from error
            await self._save(notebook_id, document.name, document.created_at, _now(), notebook, access)
            return self._hold(notebook_id, document.name, document.created_at, _now(), notebook, access)

    def _newest_saved(self, notebook_id: str) -> NotebookVersion | None:
        cursor: str | None = None
        while True:
            page = self.store.versions(notebook_id, cursor)
            saved = next((version for version in page.versions if not version.deleted), None)
            if saved is not None or page.cursor is None:
                return saved
            cursor = page.cursor

    async def _reading(self, read: Callable[[], T]) -> T:
        """Runs a blocking read of the store off the event loop; what it raises for the caller passes through."""
        try:
            return await asyncio.to_thread(read)
        except LookupError:
            raise
        except Exception as error:
            raise StorageFailed(f"could not read the history in {self.store.description}: {error}") from error

    # -- cells -----------------------------------------------------------------------------------------------------

    async def add_cell(
        self,
        notebook_id: str,
        *,
        cell_type: CellType,
        code: str = "",
        output_name: str | None = None,
        after_cell_id: str | None = None,
    ) -> str:
        _check_code(code)
        async with self._editing(notebook_id) as live:
            notebook = live.session.notebook
            index = None
            if after_cell_id is not None:
                live.cell(after_cell_id, "after_cell_id")
                index = notebook.index(after_cell_id) + 1
            existing = {cell.id for cell in notebook.cells}
            cell_id = next(candidate for candidate in _cell_ids() if candidate not in existing)
            cell = Cell(cell_id, cell_type, code, output_name or None)
            draft = draft_of(notebook)
            draft.insert(cell, index)
            await self._commit(live, draft)
            live.session.add_cell(cell, index)
            return cell_id

    async def update_cell(
        self,
        notebook_id: str,
        cell_id: str,
        *,
        code: str | None = None,
        cell_type: CellType | None = None,
        output_name: str | None = None,
        revision: int | None = None,
    ) -> None:
        """`revision`: the one the edit is based on (None: whatever the cell holds); raises CellConflict when the
        cell is at another one. An edit that changes nothing succeeds whatever its revision: a retried request
        finds its own change applied."""
        if code is not None:
            _check_code(code)
        async with self._editing(notebook_id) as live:
            before = live.cell(cell_id)
            cell = edited(before, code=code, cell_type=cell_type, output_name=output_name)
            if cell == before:
                return  # nothing is saved, nothing is sent
            if revision is not None and revision != before.revision:
                raise CellConflict(notebook_id, cell_id, before.revision, revision)
            draft = draft_of(live.session.notebook)
            draft.cells[draft.index(cell_id)] = cell
            await self._commit(live, draft)
            # The session takes an edit as fields: those of the saved cell make its cell equal to the saved one.
            live.session.update_cell(
                cell_id, code=cell.code, cell_type=cell.type, output_name=cell.output_name, revision=cell.revision
            )

    async def move_cell(self, notebook_id: str, cell_id: str, index: int) -> list[str]:
        """Returns the cell ids in their new order."""
        async with self._editing(notebook_id) as live:
            live.cell(cell_id)
            notebook = live.session.notebook
            index = min(index, len(notebook.cells) - 1)
            if notebook.index(cell_id) != index:
                draft = draft_of(notebook)
                draft.move(cell_id, index)
                await self._commit(live, draft)
                live.session.move_cell(cell_id, index)
            return [cell.id for cell in notebook.cells]

    async def delete_cell(self, notebook_id: str, cell_id: str) -> None:
        async with self._editing(notebook_id) as live:
            live.cell(cell_id)
            draft = draft_of(live.session.notebook)
            draft.remove(cell_id)
            await self._commit(live, draft)
            await live.session.delete_cell(cell_id)  # a running cell is stopped first (see SessionConfig.delete_grace)

    # -- saving ----------------------------------------------------------------------------------------------------

    @contextlib.asynccontextmanager
    async def _editing(self, notebook_id: str) -> AsyncIterator[LiveNotebook]:
        live = self.get(notebook_id)
        async with live.lock:
            if live.deleted:
                raise NotebookNotFound(notebook_id)
            yield live

    async def _commit(
        self, live: LiveNotebook, draft: Notebook, *, name: str | None = None, access: Access | None = None
    ) -> None:
        name = live.name if name is None else name
        access = live.access if access is None else access
        updated_at = _now()
        await self._save(live.id, name, live.created_at, updated_at, draft, access)
        live.name, live.updated_at, live.access = name, updated_at, access

    async def _save(
        self, notebook_id: str, name: str, created: datetime, updated: datetime, notebook: Notebook, access: Access
    ) -> None:
        """`notebook` must not change meanwhile (a draft, or a new notebook): building the document of a large
        notebook is work enough to keep off the event loop."""

        cells = self._stored.setdefault(notebook_id, StoredCells())

        def save() -> None:
            self.store.save(to_document(notebook_id, name, created, updated, notebook, cells, access))

        try:
            await asyncio.to_thread(save)
        except Exception as error:
            raise StorageFailed(f"could not save the notebook to {self.store.description}: {error}") from error

    def _hold(
        self, notebook_id: str, name: str, created: datetime, updated: datetime, notebook: Notebook, access: Access
    ) -> LiveNotebook:
        session = NotebookSession(notebook, self.session_config, notebook_id)
        live = LiveNotebook(
            notebook_id, name, created, updated, session, allowed_sizes=self.kernel_sizes, access=access
        )
        self._notebooks[notebook_id] = live
        return live


def _restored(current: Cell | None, version: Cell) -> Cell:
    """The version's cell, at a revision past the current one's: an edit based on what was there is refused."""
    if current is None:
        return replace(version, revision=version.revision + 1)
    same = (current.type, current.code, current.output_name) == (version.type, version.code, version.output_name)
    if same:
        return current
    # The session takes None as "leave as it is": "" is how an edit restores the default output name.
    output_name = "" if version.output_name is None and current.output_name is not None else version.output_name
    return replace(version, output_name=output_name, revision=current.revision + 1)


def _now() -> datetime:
    return datetime.now(UTC)


def _cell_ids() -> Iterator[str]:
    while True:
        yield uuid.uuid4().hex[:12]


def _check_code(code: str) -> None:
    size = len(code.encode())
    if size > MAX_CODE_BYTES:
        raise CodeTooLarge(size, MAX_CODE_BYTES)
