"""What the kernel compiles: the analysis's facts applied to a cell's code, without parsing it again."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from app.engine.analysis import analyze_python
from app.engine.cellcode import RESULT_NAME, CompiledSource, compiled_source
from app.engine.privates import mangle

CELL = "c"


def compiled(code: str) -> CompiledSource:
    facts = analyze_python(code).compile
    assert facts is not None
    return compiled_source(code, facts, CELL)


def spelled(template: str) -> str:
    """`{_x}` is the cell's spelling of `_x`; `{result}` the assignment of the output."""
    names = {name: mangle(CELL, name) for name in ("_a", "_d", "_e", "_f", "_g", "_h", "_k", "_n", "_q", "_r", "_t")}
    return template.format(result=f"{RESULT_NAME} = ", **names)


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("x = 1\nx", "x = 1\n{result}x"),
        ("x = 1\nif x:\n    x + 1", "x = 1\nif x:\n    x + 1"),
        ("x = 1  # one\nx  # shown", "x = 1  # one\n{result}x  # shown"),
        ("x = 1\nx;", "x = 1\n{result}x;"),
        ("x = 1; x", "x = 1; {result}x"),
        ("(1 +\n 2)", "{result}(1 +\n 2)"),
        ("[\n    1,\n    2,\n]\n", "{result}[\n    1,\n    2,\n]\n"),
        ("def f():\n    return 1", "def f():\n    return 1"),
    ],
    ids=["last-line", "if", "comments", "semicolon", "same-line", "multi-line", "trailing-newline", "def"],
)
def test_the_final_expression_statement_becomes_the_output(code: str, expected: str) -> None:
    assert compiled(code)["source"] == spelled(expected)


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("_t = 1\ndef f(_t):\n    return _t", "{_t} = 1\ndef f(_t):\n    return _t"),
        ("@deco\nasync  def _f():\n    pass", "@deco\nasync  def {_f}():\n    pass"),
        ("class _k(Base): pass", "class {_k}(Base): pass"),
        ("try:\n    pass\nexcept (A,\n B) as _e:\n    pass", "try:\n    pass\nexcept (A,\n B) as {_e}:\n    pass"),
        ("def f():\n    global _g, h, _t", "def f():\n    global {_g}, h, {_t}"),
        ("import os.path as _d, _q\nfrom m import _h", "import os.path as {_d}, _q as {_q}\nfrom m import _h as {_h}"),
        ("import _a.b, os, _a.c", "import _a.b, os, _a.c; {_a} = _a; del _a"),
        (
            "match v:\n    case {'k': [_h, *_t], **_r,}:\n        pass\n    case int() as _n:\n        pass",
            "match v:\n    case {{'k': [{_h}, *{_t}], **{_r},}}:\n        pass\n    case int() as {_n}:\n        pass",
        ),
    ],
    ids=["names", "function", "class", "except", "global", "imports", "dotted-import", "match"],
)
def test_private_names_are_spelled_for_the_cell_where_they_are_written(code: str, expected: str) -> None:
    assert compiled(code)["source"] == spelled(expected)


def test_the_columns_moved_on_each_line_are_listed() -> None:
    # `_é` is 3 bytes: columns are the compiler's, in UTF-8 bytes.
    assert compiled("_é = 1; _é + 'x'")["shifts"] == [(1, 0, 16), (1, 25, len(RESULT_NAME) + 3), (1, 43, 16)]


def test_an_awaited_output_is_not_awaited_again() -> None:
    assert compiled("await job()")["settle_result"] is False
    assert compiled("job()")["settle_result"] is True


def test_the_kernel_does_not_import_the_analysis() -> None:
    package = ["app", "engine", "kernel"]
    imported: set[str] = set()
    for path in (Path(__file__).parents[2] / "app" / "engine" / "kernel").glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                imported.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom):
                base = package[: len(package) + 1 - node.level] if node.level else []
                module = ".".join([*base, *([node.module] if node.module else [])])
                imported.update({module, *(f"{module}.{alias.name}" for alias in node.names)})
    assert "app.engine.cellcode" in imported, "the imports are resolved"
    assert "app.engine.analysis" not in imported
