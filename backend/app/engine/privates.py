"""Private names (`_tmp`) get a per-cell spelling in the kernel, so two cells can both use `_tmp` without sharing it.

Only the occurrences that resolve to the cell's global scope are renamed (the analysis finds them); a function's
parameter or local called `_x` keeps its name. Messages shown to the user are demangled back.
"""

from __future__ import annotations

import ast
import hashlib
import re
from collections.abc import Callable, Iterable

from .analysis import is_private

_MANGLED = re.compile(r"_cell_[0-9a-f]{10}(_\w*)")


def mangle(cell_id: str, name: str) -> str:
    return f"_cell_{hashlib.blake2s(cell_id.encode(), digest_size=5).hexdigest()}{name}"


def demangle(text: str) -> str:
    return _MANGLED.sub(r"\1", text)


def mangle_privates(tree: ast.Module, nodes: Iterable[ast.AST], cell_id: str) -> frozenset[str]:
    """Renames the given private-name nodes in place; returns the global names the cell may bind."""
    names: set[str] = set()

    def rename(name: str) -> str:
        mangled = mangle(cell_id, name)
        names.add(mangled)
        return mangled

    dotted_imports: set[int] = set()
    for node in nodes:
        match node:
            case ast.Name():
                node.id = rename(node.id)
            case ast.FunctionDef() | ast.AsyncFunctionDef() | ast.ClassDef():
                node.name = rename(node.name)
            case ast.MatchAs(name=str(name)) | ast.MatchStar(name=str(name)):
                node.name = rename(name)
            case ast.ExceptHandler(name=str(name)):
                node.name = rename(name)
            case ast.MatchMapping(rest=str(rest)):
                node.rest = rename(rest)
            case ast.Global():
                node.names = [rename(name) if is_private(name) else name for name in node.names]
            case ast.alias(asname=None, name=dotted) if "." in dotted:
                dotted_imports.add(id(node))  # `import _a.b` binds `_a`: rewritten below
            case ast.alias():
                node.asname = rename(node.asname or node.name)
    if dotted_imports:
        _DottedImports(dotted_imports, rename).visit(tree)
    return frozenset(names)


class _DottedImports(ast.NodeTransformer):
    """`import _a.b` becomes `<mangled _a> = __import__("_a.b")`, which imports the same modules and binds `_a`."""

    def __init__(self, aliases: set[int], rename: Callable[[str], str]) -> None:
        self._aliases = aliases
        self._rename = rename

    def visit_Import(self, node: ast.Import) -> list[ast.stmt]:
        kept = [alias for alias in node.names if id(alias) not in self._aliases]
        statements: list[ast.stmt] = [ast.copy_location(ast.Import(names=kept), node)] if kept else []
        for alias in node.names:
            if id(alias) in self._aliases:
                target = ast.Name(id=self._rename(alias.name.split(".")[0]), ctx=ast.Store())
                call = ast.Call(
                    func=ast.Name(id="__import__", ctx=ast.Load()), args=[ast.Constant(alias.name)], keywords=[]
                )
                statements.append(ast.copy_location(ast.Assign(targets=[target], value=call), node))
        for statement in statements:
            ast.fix_missing_locations(statement)
        return statements
