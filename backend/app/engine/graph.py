"""The dependency graph of a notebook: an edge A→B when B reads a name that A defines (a builtin name too, such as
`filter`, once a cell defines it), or when B deletes a name that A reads (`del x`, or a top-level `except ... as x`
handler, which unbinds x): the deleting cell runs after every cell reading the name, so they see it before it is gone.

A `del x` cell reads x too, so it also runs after x's definer (and re-runs when the definer does, to delete the new
value); a deleting cell is not a definer, and cells deleting the same name do not wait on each other. A cell that
reads a name another cell deletes and defines one the deleting cell reads is on a cycle: no order satisfies both.
Re-running a reader alone after the deletion fails with a NameError, as it would in a plain script; re-running the
definer re-runs the readers, then the deleting cell.

Built from the cells' analyses (which are cached), so it is always consistent with the code; after an edit,
`graph_edit` updates it to the graph a rebuild would give, for a fraction of the cost. Names defined by several
cells and cells on a cycle become static errors of every cell involved; such cells never run.
"""

from __future__ import annotations

import heapq
from collections import deque
from collections.abc import Iterable, Mapping, Sequence, Set
from dataclasses import dataclass
from itertools import pairwise

from .analysis import CellAnalysis, StaticError, StaticErrorKind
from .kernel.execute import cell_filename as cell_reference


@dataclass(frozen=True)
class Graph:
    cell_ids: tuple[str, ...]  # notebook order
    analyses: Mapping[str, CellAnalysis]
    parents: Mapping[str, frozenset[str]]
    children: Mapping[str, frozenset[str]]
    edge_names: Mapping[tuple[str, str], frozenset[str]]  # (parent, child) -> the names flowing along the edge
    definers: Mapping[str, tuple[str, ...]]  # name -> the cells that define it, in notebook order
    errors: Mapping[str, tuple[StaticError, ...]]  # analysis errors plus multiple-definition and cycle errors
    rank: Mapping[str, int]  # position in the run order: topological, ties broken by notebook order
    position: Mapping[str, int]  # position in the notebook
    readers: Mapping[str, frozenset[str]]  # name -> the cells that reference it (builtin names included)
    deleters: Mapping[str, frozenset[str]]  # name -> the cells that delete it
    has_cycles: bool

    def can_run(self, cell_id: str) -> bool:
        return not self.errors[cell_id]

    def descendants(self, cell_ids: Iterable[str]) -> set[str]:
        return reach(cell_ids, self.children)

    def ancestors(self, cell_ids: Iterable[str]) -> set[str]:
        return reach(cell_ids, self.parents)

    def sort(self, cell_ids: Iterable[str]) -> list[str]:
        """The run order of some cells."""
        return sorted(cell_ids, key=self.rank.__getitem__)

    def cell_dict(self, cell_id: str) -> dict[str, object]:
        """One cell's entry of `to_dict()["cells"]`, without building the others."""
        analysis = self.analyses[cell_id]
        return {
            **analysis.to_dict(),
            "references": sorted(analysis.references | self._shadowed(analysis)),
            "errors": [error.to_dict() for error in self.errors[cell_id]],
            "parents": self.sort(self.parents[cell_id]),
            "children": self.sort(self.children[cell_id]),
        }

    def changed_cells(self, before: Graph | None, candidates: Iterable[str] | None = None) -> list[str]:
        """The cells whose `cell_dict` differs from the one in `before`, in notebook order; `candidates`, in notebook
        order, are the only cells that may have changed (all of them when None)."""
        if before is None:
            return list(self.cell_ids)
        return [
            cell_id
            for cell_id in (self.cell_ids if candidates is None else candidates)
            if not self._same_entry(before, cell_id)
        ]

    def _shadowed(self, analysis: CellAnalysis) -> frozenset[str]:
        """The builtin names the cell reads that a cell defines: references like any other."""
        return frozenset(name for name in analysis.builtins if name in self.definers)

    def _same_entry(self, before: Graph, cell_id: str) -> bool:
        old, new = before.analyses.get(cell_id), self.analyses[cell_id]
        if old is None:
            return False
        if old is not new and (old.defines != new.defines or old.references != new.references):
            return False
        if (old.builtins or new.builtins) and before._shadowed(old) != self._shadowed(new):
            return False  # a builtin name it reads got or lost a definer (its parents may be the same cells)
        if before.errors[cell_id] != self.errors[cell_id]:
            return False
        return all(
            mine[cell_id] == theirs[cell_id]
            and (len(mine[cell_id]) < 2 or self.sort(mine[cell_id]) == before.sort(theirs[cell_id]))
            for mine, theirs in ((self.parents, before.parents), (self.children, before.children))
        )

    def to_dict(self) -> dict[str, object]:
        return {
            "cells": {cell_id: self.cell_dict(cell_id) for cell_id in self.cell_ids},
            "edges": [
                {"from": parent, "to": child, "names": sorted(names)}
                for (parent, child), names in sorted(self.edge_names.items(), key=lambda item: self._edge_key(item[0]))
            ],
        }

    def _edge_key(self, edge: tuple[str, str]) -> tuple[int, int]:
        return self.rank[edge[0]], self.rank[edge[1]]


def build_graph(cells: Sequence[tuple[str, CellAnalysis]]) -> Graph:
    """The graph of `cells`, in notebook order; after an edit, `graph_edit` updates it for less."""
    cell_ids = tuple(cell_id for cell_id, _ in cells)
    position = {cell_id: index for index, cell_id in enumerate(cell_ids)}
    analyses = dict(cells)

    definers: dict[str, list[str]] = {}
    readers: dict[str, set[str]] = {}
    deleters: dict[str, set[str]] = {}
    for cell_id, analysis in cells:
        for name in analysis.defines:
            definers.setdefault(name, []).append(cell_id)
        for name in analysis.references:
            readers.setdefault(name, set()).add(cell_id)
        if analysis.builtins:
            for name in analysis.builtins:
                readers.setdefault(name, set()).add(cell_id)
        if analysis.deletes:
            for name in analysis.deletes:
                deleters.setdefault(name, set()).add(cell_id)

    edge_names: dict[tuple[str, str], set[str]] = {}
    for cell_id, analysis in cells:
        # Most builtin names a cell reads (`print`, `len`) no cell defines: they make no edge.
        read = analysis.references | (analysis.builtins & definers.keys()) if analysis.builtins else analysis.references
        for name in read:
            for parent in definers.get(name, ()):
                if parent != cell_id:  # a cell reading a name before defining it does not wait for itself
                    edge_names.setdefault((parent, cell_id), set()).add(name)
        for name in analysis.deletes:
            for reader in readers.get(name, ()):
                if reader not in deleters[name]:
                    edge_names.setdefault((reader, cell_id), set()).add(name)
    parents: dict[str, set[str]] = {cell_id: set() for cell_id in cell_ids}
    children: dict[str, set[str]] = {cell_id: set() for cell_id in cell_ids}
    for parent, child in edge_names:
        parents[child].add(parent)
        children[parent].add(child)

    errors = {
        cell_id: [*analyses[cell_id].errors, *definition_errors(cell_id, analyses[cell_id], definers)]
        for cell_id in cell_ids
    }
    cycles = _cycles(cell_ids, children, position)
    for cycle in cycles:
        hops = [", ".join(sorted(edge_names[edge])) for edge in pairwise(cycle)]
        path = cell_reference(cycle[0]) + "".join(
            f" —{names}→ {cell_reference(cell_id)}" for names, cell_id in zip(hops, cycle[1:], strict=True)
        )
        names = sorted({name for edge in pairwise(cycle) for name in edge_names[edge]})
        for cell_id in cycle[:-1]:
            errors[cell_id].append(
                StaticError(
                    StaticErrorKind.CYCLE,
                    f"this cell is on a dependency cycle: {path}; each arrow names the variables the next cell reads "
                    "(or deletes after the previous one read them). "
                    "Break the cycle by moving one definition or reading it in only one direction.",
                    cells=tuple(cycle[:-1]),
                    names=tuple(names),
                )
            )

    return Graph(
        cell_ids=cell_ids,
        analyses=analyses,
        parents={cell_id: frozenset(value) for cell_id, value in parents.items()},
        children={cell_id: frozenset(value) for cell_id, value in children.items()},
        edge_names={edge: frozenset(names) for edge, names in edge_names.items()},
        definers={name: tuple(owners) for name, owners in definers.items()},
        errors={cell_id: tuple(value) for cell_id, value in errors.items()},
        rank=ranks(cell_ids, parents, children, position),
        position=position,
        readers={name: frozenset(cells) for name, cells in readers.items()},
        deleters={name: frozenset(cells) for name, cells in deleters.items()},
        has_cycles=bool(cycles),
    )


def definition_errors(cell_id: str, analysis: CellAnalysis, definers: Mapping[str, Sequence[str]]) -> list[StaticError]:
    """The cell's errors for the names other cells define too."""
    errors = []
    for name in sorted(analysis.defines):
        others = [other for other in definers[name] if other != cell_id]
        if others:
            errors.append(
                StaticError(
                    StaticErrorKind.MULTIPLE_DEFINITION,
                    f"'{name}' is also defined by {_list(others)}: a name can be defined by one cell "
                    "only; rename it or merge the definitions into one cell",
                    cells=tuple(others),
                    names=(name,),
                )
            )
    return errors


def same_names(before: CellAnalysis, after: CellAnalysis) -> bool:
    """Whether the two analyses give a cell the same place in the graph."""
    return before is after or (
        before.defines == after.defines
        and before.references == after.references
        and before.errors == after.errors
        and before.builtins == after.builtins
        and before.deletes == after.deletes
    )


def reads(analysis: CellAnalysis) -> frozenset[str]:
    """The names a cell reads from the namespace: a builtin one comes from a cell when a cell defines it."""
    return analysis.references | analysis.builtins if analysis.builtins else analysis.references


def _list(cell_ids: Sequence[str]) -> str:
    labels = [cell_reference(cell_id) for cell_id in cell_ids]
    return labels[0] if len(labels) == 1 else ", ".join(labels[:-1]) + " and " + labels[-1]


def reach(start: Iterable[str], links: Mapping[str, frozenset[str]]) -> set[str]:
    seen: set[str] = set()
    queue = deque(start)
    while queue:
        for neighbour in links[queue.popleft()]:
            if neighbour not in seen:
                seen.add(neighbour)
                queue.append(neighbour)
    return seen


def ranks(
    cell_ids: Sequence[str],
    parents: Mapping[str, Set[str]],
    children: Mapping[str, Set[str]],
    position: Mapping[str, int],
) -> dict[str, int]:
    """Kahn's algorithm, always taking the ready cell that comes first in the notebook; cycle cells go last."""
    waiting = {cell_id: len(parents[cell_id]) for cell_id in cell_ids}
    ready = [position[cell_id] for cell_id in cell_ids if not waiting[cell_id]]
    heapq.heapify(ready)
    rank: dict[str, int] = {}
    while ready:
        cell_id = cell_ids[heapq.heappop(ready)]
        rank[cell_id] = len(rank)
        for child in children[cell_id]:
            waiting[child] -= 1
            if not waiting[child]:
                heapq.heappush(ready, position[child])
    for cell_id in cell_ids:  # on or behind a cycle
        if cell_id not in rank:
            rank[cell_id] = len(rank)
    return rank


def _cycles(cell_ids: Sequence[str], children: Mapping[str, set[str]], position: Mapping[str, int]) -> list[list[str]]:
    """Short cycles, as [a, b, ..., a], until every cell on a cycle is on one of them (linear for one big loop)."""
    found: list[list[str]] = []
    for component in _strong_components(cell_ids, children):
        if len(component) < 2:
            continue
        members = set(component)
        covered: set[str] = set()
        for start in sorted(component, key=position.__getitem__):
            if start in covered:
                continue
            loop = _canonical(_shortest_cycle(start, children, members, position)[:-1], position)
            covered.update(loop)
            found.append([*loop, loop[0]])
    return found


def _canonical(loop: list[str], position: Mapping[str, int]) -> list[str]:
    """The cycle starting from its first cell in the notebook."""
    first = min(range(len(loop)), key=lambda index: position[loop[index]])
    return loop[first:] + loop[:first]


def _shortest_cycle(
    start: str, children: Mapping[str, set[str]], members: set[str], position: Mapping[str, int]
) -> list[str]:
    previous: dict[str, str] = {}
    queue = deque([start])
    while queue:
        cell_id = queue.popleft()
        for child in sorted(children[cell_id] & members, key=position.__getitem__):
            if child == start:
                path = [cell_id]
                while path[-1] != start:
                    path.append(previous[path[-1]])
                return [start, *reversed(path[:-1]), start] if len(path) > 1 else [start, start]
            if child not in previous:
                previous[child] = cell_id
                queue.append(child)
    raise AssertionError(f"{start} is in a strongly connected component but on no cycle")


def _strong_components(cell_ids: Sequence[str], children: Mapping[str, set[str]]) -> list[list[str]]:
    """Tarjan's algorithm, iterative so a long chain of cells cannot exhaust the recursion limit."""
    index_of: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    components: list[list[str]] = []
    for root in cell_ids:
        if root in index_of:
            continue
        work: list[tuple[str, list[str]]] = [(root, sorted(children[root]))]
        index_of[root] = low[root] = len(index_of)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, pending = work[-1]
            if pending:
                child = pending.pop()
                if child not in index_of:
                    index_of[child] = low[child] = len(index_of)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, sorted(children[child])))
                elif child in on_stack:
                    low[node] = min(low[node], index_of[child])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index_of[node]:
                component: list[str] = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                components.append(component)
    return components
