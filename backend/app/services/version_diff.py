"""What a saved version changes against a base (another version, or the notebook as it is now): cell by cell, the
cells it adds, removes, edits and moves, and line by line, how an edited cell's code differs."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Literal

from app.storage.documents import CellDocument

CellChangeKind = Literal["added", "removed", "changed", "unchanged"]
LineKind = Literal["same", "added", "removed"]


@dataclass(frozen=True)
class LineRun:
    """Consecutive lines of one kind, without their line breaks."""

    kind: LineKind
    lines: list[str]


@dataclass(frozen=True)
class CellChange:
    id: str
    kind: CellChangeKind
    base: CellDocument | None  # None: the version adds the cell
    version: CellDocument | None  # None: the version removes it
    moved: bool  # in both, but in another place relative to the cells both have
    lines: list[LineRun]  # base's code to the version's; all "same" when the code is


def compare_cells(base: Sequence[CellDocument], version: Sequence[CellDocument]) -> list[CellChange]:
    """In the version's order, each removed cell right after the base cell it followed there."""
    in_base = {cell.id: cell for cell in base}
    in_version = {cell.id: cell for cell in version}
    moved = _moved([c.id for c in base if c.id in in_version], [c.id for c in version if c.id in in_base])

    removed_after: dict[str | None, list[CellDocument]] = {}
    anchor: str | None = None
    for cell in base:
        if cell.id in in_version:
            anchor = cell.id
        else:
            removed_after.setdefault(anchor, []).append(cell)

    changes = [_change(cell, None, False) for cell in removed_after.get(None, [])]
    for cell in version:
        before = in_base.get(cell.id)
        changes.append(_change(before, cell, cell.id in moved))
        changes += [_change(gone, None, False) for gone in removed_after.get(cell.id, [])]
    return changes


def _moved(base_order: list[str], version_order: list[str]) -> set[str]:
    """The cells outside the longest run of cells that keep their order: those the version moved."""
    matcher = SequenceMatcher(None, base_order, version_order, autojunk=False)
    blocks = matcher.get_matching_blocks()
    kept = {cell_id for block in blocks for cell_id in version_order[block.b : block.b + block.size]}
    return set(version_order) - kept


def _change(base: CellDocument | None, version: CellDocument | None, moved: bool) -> CellChange:
    cell = version or base
    assert cell is not None
    if base is None or version is None:
        kind: CellChangeKind = "added" if base is None else "removed"
        lines = line_runs("", cell.code) if base is None else line_runs(cell.code, "")
        return CellChange(cell.id, kind, base, version, False, lines)
    same = (base.type, base.code, base.output_name) == (version.type, version.code, version.output_name)
    kind = "unchanged" if same else "changed"
    return CellChange(cell.id, kind, base, version, moved, line_runs(base.code, version.code))


def line_runs(before: str, after: str) -> list[LineRun]:
    """`before` turned into `after`, line by line: removed lines before the added ones that replace them. A final
    line break changes no line."""
    old, new = before.splitlines(), after.splitlines()
    runs: list[LineRun] = []
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, old, new, autojunk=False).get_opcodes():
        if tag == "equal":
            runs.append(LineRun("same", old[i1:i2]))
            continue
        if i2 > i1:
            runs.append(LineRun("removed", old[i1:i2]))
        if j2 > j1:
            runs.append(LineRun("added", new[j1:j2]))
    return runs
