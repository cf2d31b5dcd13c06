"""The dependency graph: edges, run order, multiple definitions, cycles, deletion and private names."""

from __future__ import annotations

import random
from dataclasses import asdict

import pytest

from app.engine import Cell, CellAnalysis, CellType, StaticErrorKind, build_graph
from app.engine.graph import Graph
from app.engine.graph_edit import with_cells


def graph_of(*cells: tuple[str, str]) -> Graph:
    return build_graph([(cell_id, Cell(cell_id, code=code).analyze()) for cell_id, code in cells])


def kinds(graph: Graph, cell_id: str) -> list[StaticErrorKind]:
    return [error.kind for error in graph.errors[cell_id]]


def test_edges_follow_names() -> None:
    graph = graph_of(("a", "x = 1"), ("b", "y = x + 1"), ("c", "print(x, y)"), ("d", "z = 0"))
    assert graph.children["a"] == {"b", "c"}
    assert graph.parents["c"] == {"a", "b"}
    assert graph.edge_names[("a", "c")] == {"x"}
    assert graph.descendants(["a"]) == {"b", "c"}
    assert graph.ancestors(["c"]) == {"a", "b"}
    assert graph.children["d"] == frozenset()
    assert all(graph.can_run(cell_id) for cell_id in "abcd")


def test_run_order_is_topological_with_notebook_order_for_ties() -> None:
    # Defined after use in the notebook, and two independent chains interleaved.
    graph = graph_of(("use", "print(total)"), ("p2", "q = 2"), ("total", "total = p + q"), ("p1", "p = 1"))
    assert graph.sort(graph.cell_ids) == ["p2", "p1", "total", "use"]


def test_multiple_definitions_error_every_definer_and_name_the_others() -> None:
    graph = graph_of(("a", "x = 1"), ("b", "x = 2\ny = 3"), ("c", "print(x)"), ("d", "for x in []: pass"))
    for cell_id in ("a", "b", "d"):
        assert kinds(graph, cell_id) == [StaticErrorKind.MULTIPLE_DEFINITION]
        assert not graph.can_run(cell_id)
    (error,) = graph.errors["a"]
    assert error.names == ("x",)
    assert error.cells == ("b", "d")
    assert "'x' is also defined by <cell b> and <cell d>" in error.message
    assert graph.parents["c"] == {"a", "b", "d"}  # a reader waits on every definer: it is blocked until fixed
    assert graph.errors["c"] == ()


def test_cycle_errors_name_the_cycle() -> None:
    graph = graph_of(("a", "x = y + 1"), ("b", "y = z"), ("c", "z = x"), ("d", "w = x"), ("e", "v = 1"))
    for cell_id in ("a", "b", "c"):
        assert kinds(graph, cell_id) == [StaticErrorKind.CYCLE]
    (error,) = graph.errors["b"]
    assert error.cells == ("a", "c", "b")  # in the order the names flow
    assert set(error.names) == {"x", "y", "z"}
    assert "<cell a> —x→ <cell c> —z→ <cell b> —y→ <cell a>" in error.message
    assert graph.errors["d"] == ()  # downstream of the cycle, not on it
    assert graph.errors["e"] == ()
    assert graph.rank["e"] < graph.rank["a"]  # runnable cells come before the cycle


def test_two_separate_cycles_are_reported_separately() -> None:
    graph = graph_of(("a", "a1 = a2"), ("b", "a2 = a1"), ("c", "c1 = c2"), ("d", "c2 = c1"))
    assert graph.errors["a"][0].cells == ("a", "b")
    assert graph.errors["c"][0].cells == ("c", "d")


def test_reading_before_defining_in_the_same_cell_is_not_a_self_cycle() -> None:
    graph = graph_of(("a", "print(x)\nx = 1"))
    assert graph.errors["a"] == ()
    assert graph.parents["a"] == frozenset()


def test_deleting_a_cell_removes_its_edges_and_errors() -> None:
    before = graph_of(("a", "x = 1"), ("b", "x = 2"), ("c", "print(x)"))
    assert kinds(before, "a") == [StaticErrorKind.MULTIPLE_DEFINITION]
    after = graph_of(("a", "x = 1"), ("c", "print(x)"))
    assert after.errors["a"] == ()
    assert after.children["a"] == {"c"}
    orphaned = graph_of(("c", "print(x)"))
    assert orphaned.parents["c"] == frozenset()


def test_private_names_never_make_edges_or_conflicts() -> None:
    graph = graph_of(("a", "_tmp = 1\nx = _tmp"), ("b", "_tmp = 2\nprint(_tmp, x)"))
    assert graph.errors["a"] == graph.errors["b"] == ()
    assert graph.edge_names[("a", "b")] == {"x"}
    assert "_tmp" not in graph.definers


def test_sql_cells_join_the_graph() -> None:
    cells = [
        Cell("limit", code="low = 10"),
        Cell("query", type=CellType.SQL, code="select * from t where v > {low}", output_name="rows"),
        Cell("plot", code="rows.plot()"),
    ]
    graph = build_graph([(cell.id, cell.analyze()) for cell in cells])
    assert graph.children["limit"] == {"query"}
    assert graph.children["query"] == {"plot"}


def test_a_long_chain_needs_no_recursion() -> None:
    cells = [("c0", "v0 = 0")] + [(f"c{i}", f"v{i} = v{i - 1} + 1") for i in range(1, 3000)]
    graph = graph_of(*cells)
    assert graph.sort(graph.cell_ids)[:3] == ["c0", "c1", "c2"]
    assert len(graph.descendants(["c0"])) == 2999
    looped = graph_of(*cells, ("loop", "v0 = v2999"))
    assert kinds(looped, "c1500") == [StaticErrorKind.CYCLE]
    assert kinds(looped, "loop") == [StaticErrorKind.MULTIPLE_DEFINITION, StaticErrorKind.CYCLE]


def test_graph_serialises_to_json_ready_data() -> None:
    data = graph_of(("a", "x = 1"), ("b", "print(x)")).to_dict()
    assert data["edges"] == [{"from": "a", "to": "b", "names": ["x"]}]
    assert data["cells"]["b"] == {"defines": [], "references": ["x"], "errors": [], "parents": ["a"], "children": []}


def test_a_cell_defining_a_builtin_name_is_a_parent_of_its_readers() -> None:
    graph = graph_of(("use", "print(filter.upper(), max([1]))"), ("define", "filter = 'abc'"), ("other", "max(2, 3)"))
    assert graph.parents["use"] == {"define"}
    assert graph.edge_names[("define", "use")] == {"filter"}
    assert graph.sort(graph.cell_ids) == ["define", "use", "other"]
    assert graph.cell_dict("use")["references"] == ["filter"]  # the builtins no cell defines are not listed
    assert graph.children["other"] == graph.parents["other"] == frozenset()
    alone = graph_of(("use", "print(filter.upper())"))
    assert alone.parents["use"] == frozenset()
    assert alone.cell_dict("use")["references"] == []


def test_a_function_reading_a_builtin_name_depends_on_the_cell_defining_it() -> None:
    graph = graph_of(("f", "def biggest(values):\n    return max(values)"), ("m", "max = min"))
    assert graph.parents["f"] == {"m"}


def test_adding_and_removing_a_definer_of_a_builtin_name_rewires_its_readers() -> None:
    before = build_graph(analysed([("use", "id.strip()"), ("plain", "print(1)")]))
    definer = Cell("define", code="id = ' x '").analyze()
    added, changed = with_cells(before, ["use", "define", "plain"], {"define": definer})
    assert added.parents["use"] == {"define"}
    assert added.sort(added.cell_ids) == ["define", "use", "plain"]
    assert changed == ["use", "define"]
    assert added.cell_dict("use")["references"] == ["id"]
    removed, changed = with_cells(added, ["use", "plain"], {})
    assert removed.parents["use"] == frozenset()
    assert changed == ["use"]
    assert asdict(removed) == asdict(before)


def test_an_except_name_reassigned_in_the_handler_is_no_second_definition() -> None:
    handler = "try:\n    run()\nexcept ValueError as error:\n    error = str(error)\n    message = error"
    graph = graph_of(("a", "error = 'none'"), ("b", handler), ("c", "print(error)"))
    assert graph.errors["a"] == graph.errors["b"] == ()
    assert graph.parents["c"] == {"a"}
    # When the handler runs, it unbinds the global `error`: it waits for the cells reading a's value.
    assert graph.parents["b"] == {"c"}
    assert graph.sort(graph.cell_ids) == ["a", "c", "b"]


def test_a_deleting_cell_runs_after_the_readers_of_the_name() -> None:
    graph = graph_of(
        ("define", "x = 1"), ("delete", "del x"), ("read", "print(x)"), ("use", "y = x + 1"), ("other", "z = 0")
    )
    assert graph.parents["delete"] == {"define", "read", "use"}
    assert graph.edge_names[("read", "delete")] == {"x"}
    assert graph.sort(graph.cell_ids) == ["define", "read", "use", "delete", "other"]
    assert graph.descendants(["define"]) == {"delete", "read", "use"}
    assert all(graph.can_run(cell_id) for cell_id in graph.cell_ids)
    assert graph.cell_dict("delete")["references"] == ["x"]


def test_cells_deleting_the_same_name_do_not_wait_on_each_other() -> None:
    graph = graph_of(("define", "x = 1"), ("first", "del x"), ("second", "del x"), ("read", "print(x)"))
    assert graph.parents["first"] == graph.parents["second"] == {"define", "read"}
    assert graph.errors["first"] == graph.errors["second"] == ()


def test_deleting_a_shadowed_builtin_waits_for_its_readers() -> None:
    graph = graph_of(("drop", "del input"), ("read", "print(input)"), ("define", "input = 'a.csv'"))
    assert graph.parents["drop"] == {"define", "read"}
    assert graph.sort(graph.cell_ids) == ["define", "read", "drop"]


def test_reading_a_name_the_deleting_cell_defines_is_a_cycle() -> None:
    graph = graph_of(("define", "x = 1"), ("delete", "del x\ny = 2"), ("read", "print(x, y)"))
    assert kinds(graph, "delete") == kinds(graph, "read") == [StaticErrorKind.CYCLE]
    (error,) = graph.errors["delete"]
    assert "<cell delete> —y→ <cell read> —x→ <cell delete>" in error.message
    assert "or deletes" in error.message


def test_a_deletion_edit_gives_the_graph_a_rebuild_would() -> None:
    notebook = [("define", "x = 1"), ("delete", "z = 0"), ("read", "print(x)"), ("use", "y = x + 1")]
    before = build_graph(analysed(notebook))
    edited = analysed([("define", "x = 1"), ("delete", "del x"), ("read", "print(x)"), ("use", "y = x + 1")])
    after, changed = with_cells(before, before.cell_ids, {"delete": dict(edited)["delete"]})
    assert asdict(after) == asdict(build_graph(edited))
    assert after.parents["delete"] == {"define", "read", "use"}
    assert changed == ["define", "delete", "read", "use"]


NOTEBOOK = [("a", "x = 1"), ("b", "y = x + 1"), ("c", "z = y * 2"), ("d", "w = 0"), ("e", "print(x, z)")]
EDITS = [
    ("b", "y = x + 2"),  # a value: every name as before
    ("b", "y = w + 1"),  # rewired: reads another cell
    ("d", "x = 0"),  # a second definition of x
    ("c", "z = y * 2\nx = z"),  # a cycle
    ("a", "x = ("),  # a syntax error
    ("e", "print(z)"),
]


def analysed(cells: list[tuple[str, str]]) -> list[tuple[str, CellAnalysis]]:
    return [(cell_id, Cell(cell_id, code=code).analyze()) for cell_id, code in cells]


def test_an_edit_gives_the_graph_a_rebuild_would() -> None:
    for cell_id, code in EDITS:
        before = build_graph(analysed(NOTEBOOK))
        cells = analysed([(other, code if other == cell_id else text) for other, text in NOTEBOOK])
        after, _ = with_cells(before, before.cell_ids, {cell_id: dict(cells)[cell_id]})
        assert after.to_dict() == build_graph(cells).to_dict(), code
        changed = after.changed_cells(before)
        expected = [other for other in after.cell_ids if after.cell_dict(other) != before.cell_dict(other)]
        assert changed == expected, code


def test_a_value_edit_reuses_the_graph_and_changes_no_entry() -> None:
    before = build_graph(analysed(NOTEBOOK))
    after, changed = with_cells(before, before.cell_ids, {"a": Cell("a", code="x = 2").analyze()})
    assert changed == []
    assert after.parents is before.parents
    assert after.rank is before.rank
    assert after.changed_cells(before) == []
    assert after.changed_cells(None) == list(after.cell_ids)


def random_code(rng: random.Random) -> str:
    """A cell defining, reading and deleting a few of a small set of names, builtin ones among them: edges,
    multiple definitions and cycles abound."""
    names = [f"n{index}" for index in range(6)] + ["filter", "id", "max"]
    if rng.random() < 0.05:
        return "x = ("
    defined = rng.sample(names, rng.randint(0, 2))
    read = rng.sample(names, rng.randint(0, 3))
    lines = [f"{name} = {' + '.join(read) or '0'}" for name in defined] or [f"print({', '.join(read)})"]
    if rng.random() < 0.3:
        lines.insert(rng.randint(0, len(lines)), f"del {rng.choice(names)}")
    if rng.random() < 0.2:
        lines.insert(rng.randint(0, len(lines)), f"try:\n    pass\nexcept Exception as {rng.choice(names)}:\n    pass")
    return "\n".join(lines)


@pytest.mark.parametrize("seed", range(60))
def test_an_updated_graph_is_the_graph_a_rebuild_would_give(seed: int) -> None:
    """Random edits, additions, moves and deletions of cells sharing a few names (builtin names and `del` among
    them): edges, names defined twice and cycles come and go."""
    rng = random.Random(seed)
    cells = {f"c{index}": Cell(f"c{index}", code=random_code(rng)).analyze() for index in range(rng.randint(1, 10))}
    order = list(cells)
    graph = build_graph([(cell_id, cells[cell_id]) for cell_id in order])
    for step in range(40):
        action = rng.choice(["edit", "edit", "add", "move", "delete"] if len(order) > 1 else ["edit", "add"])
        cell_id = f"n{step}" if action == "add" else rng.choice(order)
        if action == "delete":
            order.remove(cell_id)
            changed = {}
        else:
            if action != "move":
                cells[cell_id] = Cell(cell_id, code=random_code(rng)).analyze()
            if action != "edit":
                if cell_id in order:
                    order.remove(cell_id)
                order.insert(rng.randint(0, len(order)), cell_id)
            changed = {cell_id: cells[cell_id]}
        after, updated = with_cells(graph, order, changed)
        assert asdict(after) == asdict(build_graph([(other, cells[other]) for other in order])), (action, cell_id)
        new = [other for other in order if other not in graph.position]
        assert updated == [other for other in order if other in new or after.cell_dict(other) != graph.cell_dict(other)]
        graph = after
