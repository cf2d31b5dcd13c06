"""The graph after an edit (a cell's code changed, a cell added, moved or deleted), updated rather than rebuilt: in
a 10,000-cell notebook a rebuild costs ~150 ms, an update touches the changed cells, their old and new neighbours
and the other definers of their names, plus one pass for the run order when edges or positions changed.

`build_graph` stays the definition: an update must give exactly the graph a rebuild would (tests compare the two on
random edits), and falls back to a rebuild where cycles are involved (rare, and an error the user fixes).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import TypeVar

from .analysis import CellAnalysis, StaticErrorKind
from .graph import Graph, build_graph, definition_errors, ranks, reach, reads, same_names


def with_cells(graph: Graph, cell_ids: Sequence[str], changed: Mapping[str, CellAnalysis]) -> tuple[Graph, list[str]]:
    """The graph of the notebook now holding `cell_ids` (in order), and the cells whose `cell_dict` changed, in
    notebook order. `changed` holds the analyses of the cells added, edited or moved; the other cells keep theirs,
    and cells no longer in `cell_ids` are gone."""
    cell_ids = tuple(cell_ids)
    reordered = cell_ids != graph.cell_ids
    position = {cell_id: index for index, cell_id in enumerate(cell_ids)} if reordered else graph.position
    removed = graph.position.keys() - position.keys()
    analyses = {**graph.analyses, **changed}
    for cell_id in removed:
        del analyses[cell_id]
    if not reordered and all(same_names(graph.analyses[cell_id], new) for cell_id, new in changed.items()):
        return replace(graph, analyses=analyses), []
    if graph.has_cycles:
        return _rebuilt(graph, cell_ids, analyses)

    dirty = removed | changed.keys()
    names = {name for cell_id in dirty for name in _names(graph.analyses.get(cell_id), analyses.get(cell_id))}
    definers, readers, deleters = {**graph.definers}, {**graph.readers}, {**graph.deleters}
    for name in names:
        defining = [cell_id for cell_id in graph.definers.get(name, ()) if cell_id not in dirty]
        defining += [cell_id for cell_id, analysis in changed.items() if name in analysis.defines]
        reading = graph.readers.get(name, frozenset()) - dirty
        reading |= {cell_id for cell_id, analysis in changed.items() if name in reads(analysis)}
        deleting = graph.deleters.get(name, frozenset()) - dirty
        deleting |= {cell_id for cell_id, analysis in changed.items() if name in analysis.deletes}
        _put(definers, name, tuple(sorted(defining, key=position.__getitem__)))
        _put(readers, name, reading)
        _put(deleters, name, deleting)

    edge_names = {**graph.edge_names}
    parents, children = {**graph.parents}, {**graph.children}
    old_edges = {(parent, cell_id) for cell_id in dirty for parent in graph.parents.get(cell_id, ())}
    old_edges |= {(cell_id, child) for cell_id in dirty for child in graph.children.get(cell_id, ())}
    new_edges = _edges(changed, definers, readers, deleters)
    for parent, child in old_edges:
        del edge_names[parent, child]
        children[parent] = children[parent] - {child}
        parents[child] = parents[child] - {parent}
    for cell_id in removed:
        del parents[cell_id], children[cell_id]
    for cell_id in changed.keys() - graph.position.keys():
        parents[cell_id] = children[cell_id] = frozenset()
    for (parent, child), edge in new_edges.items():
        edge_names[parent, child] = edge
        parents[child] = parents[child] | {parent}
        children[parent] = children[parent] | {child}
    if any(cell_id in reach(children[cell_id], children) for cell_id in changed):
        return _rebuilt(graph, cell_ids, analyses)  # the edit closed a cycle: its errors name the whole loop

    errors = {**graph.errors}
    for cell_id in removed:
        del errors[cell_id]
    recheck = set(changed).union(
        *(graph.definers.get(name, ()) for name in names), *(definers.get(name, ()) for name in names)
    )
    if reordered:  # a name's other definers are listed in notebook order
        recheck.update(cell_id for cell_id, found in errors.items() if any(e.kind is _TWICE for e in found))
    recheck -= removed
    for cell_id in recheck:
        errors[cell_id] = (
            *analyses[cell_id].errors,
            *definition_errors(cell_id, analyses[cell_id], definers),
        )

    edges_changed = old_edges != new_edges.keys()
    rank = ranks(cell_ids, parents, children, position) if reordered or edges_changed else graph.rank
    after = replace(
        graph,
        cell_ids=cell_ids,
        analyses=analyses,
        parents=parents,
        children=children,
        edge_names=edge_names,
        definers=definers,
        readers=readers,
        deleters=deleters,
        errors=errors,
        rank=rank,
        position=position,
    )
    candidates = recheck | {cell_id for edge in old_edges | new_edges.keys() for cell_id in edge}
    if rank is not graph.rank:  # parents and children are listed in run order: a list of two or more may reorder
        candidates.update(cell_id for cell_id in cell_ids if len(parents[cell_id]) > 1 or len(children[cell_id]) > 1)
    candidates -= removed
    return after, after.changed_cells(graph, sorted(candidates, key=position.__getitem__))


_TWICE = StaticErrorKind.MULTIPLE_DEFINITION
_T = TypeVar("_T", tuple[str, ...], frozenset[str])


def _names(before: CellAnalysis | None, after: CellAnalysis | None) -> set[str]:
    """The names whose index entries (definers, readers, deleters) may change with the cell's edit. A builtin name
    the cell reads before and after is left out: every cell calling `print` need not be copied for each edit."""
    names: set[str] = set()
    for analysis in (before, after):
        if analysis is not None:
            names |= analysis.defines | analysis.references | analysis.deletes
    names |= (before.builtins if before else frozenset()) ^ (after.builtins if after else frozenset())
    return names


def _put(index: dict[str, _T], name: str, cells: _T) -> None:
    if cells:
        index[name] = cells
    else:
        index.pop(name, None)


def _edges(
    changed: Mapping[str, CellAnalysis],
    definers: Mapping[str, Sequence[str]],
    readers: Mapping[str, frozenset[str]],
    deleters: Mapping[str, frozenset[str]],
) -> dict[tuple[str, str], frozenset[str]]:
    """The edges into and out of the changed cells (as `build_graph` makes them)."""
    edges: dict[tuple[str, str], set[str]] = {}
    for cell_id, analysis in changed.items():
        for name in reads(analysis):
            for parent in definers.get(name, ()):
                if parent != cell_id:
                    edges.setdefault((parent, cell_id), set()).add(name)
            if name not in analysis.deletes:  # the cells deleting the name run after this one
                for child in deleters.get(name, ()):
                    edges.setdefault((cell_id, child), set()).add(name)
        for name in analysis.defines:
            for child in readers.get(name, ()):
                if child != cell_id:
                    edges.setdefault((cell_id, child), set()).add(name)
        for name in analysis.deletes:
            for parent in readers.get(name, frozenset()) - deleters[name]:
                edges.setdefault((parent, cell_id), set()).add(name)
    return {edge: frozenset(names) for edge, names in edges.items()}


def _rebuilt(graph: Graph, cell_ids: Sequence[str], analyses: Mapping[str, CellAnalysis]) -> tuple[Graph, list[str]]:
    after = build_graph([(cell_id, analyses[cell_id]) for cell_id in cell_ids])
    return after, after.changed_cells(graph)
