"""Comparing a version's cells with a base's: kinds, order, moves and line runs."""

from __future__ import annotations

from app.services.version_diff import CellChange, LineRun, compare_cells, line_runs
from app.storage.documents import CellDocument


def cells(*specs: str) -> list[CellDocument]:
    """ "a=x = 1" is the cell a with the code "x = 1"."""
    return [CellDocument(id=spec.split("=", 1)[0], code=spec.split("=", 1)[1]) for spec in specs]


def summary(changes: list[CellChange]) -> list[tuple[str, str, bool]]:
    return [(change.id, change.kind, change.moved) for change in changes]


def test_the_same_cells_are_unchanged() -> None:
    same = cells("a=x = 1", "b=y = 2")
    changes = compare_cells(same, same)
    assert summary(changes) == [("a", "unchanged", False), ("b", "unchanged", False)]
    assert changes[0].lines == [LineRun("same", ["x = 1"])]


def test_added_removed_and_changed_cells_in_the_versions_order() -> None:
    base = cells("a=x = 1", "b=print(x)", "c=z = 3")
    version = cells("a=x = 10", "d=w = 4", "c=z = 3")
    changes = compare_cells(base, version)
    assert summary(changes) == [
        ("a", "changed", False),
        ("b", "removed", False),  # right after a, which it followed in the base
        ("d", "added", False),
        ("c", "unchanged", False),
    ]
    assert changes[0].lines == [LineRun("removed", ["x = 1"]), LineRun("added", ["x = 10"])]
    assert (changes[1].lines, changes[1].version) == ([LineRun("removed", ["print(x)"])], None)
    assert (changes[2].lines, changes[2].base) == ([LineRun("added", ["w = 4"])], None)


def test_a_removed_first_cell_comes_first() -> None:
    assert summary(compare_cells(cells("a=1", "b=2"), cells("b=2"))) == [
        ("a", "removed", False),
        ("b", "unchanged", False),
    ]


def test_only_the_cells_that_left_their_order_are_moved() -> None:
    changes = compare_cells(cells("a=1", "b=2", "c=3", "d=4"), cells("b=2", "c=3", "d=4", "a=1"))
    assert summary(changes) == [
        ("b", "unchanged", False),
        ("c", "unchanged", False),
        ("d", "unchanged", False),
        ("a", "unchanged", True),
    ]


def test_a_new_type_or_output_name_is_a_change_with_the_same_lines() -> None:
    base = [CellDocument(id="a", type="sql", code="select 1", output_name="df")]
    version = [CellDocument(id="a", type="sql", code="select 1", output_name="totals")]
    [change] = compare_cells(base, version)
    assert (change.kind, change.lines) == ("changed", [LineRun("same", ["select 1"])])


def test_line_runs_keep_the_unchanged_lines_between_changes() -> None:
    assert line_runs("a\nb\nc\nd", "a\nB\nc\nd\ne\n") == [
        LineRun("same", ["a"]),
        LineRun("removed", ["b"]),
        LineRun("added", ["B"]),
        LineRun("same", ["c", "d"]),
        LineRun("added", ["e"]),
    ]


def test_an_empty_cell_has_no_lines() -> None:
    [change] = compare_cells([], [CellDocument(id="a")])
    assert (change.kind, change.lines) == ("added", [])
