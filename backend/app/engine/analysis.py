"""Static analysis of one cell: the names it defines and the names it reads from other cells, found without running it.

A Python cell is parsed with `ast` and walked once with Python's own scoping rules: module-level statements in source
order, function and lambda bodies deferred (they run later, so a name the cell defines anywhere is not an external
read for them), class bodies and comprehensions immediately, with their own local names. Private names (`_tmp`) are
resolved like any other name, then kept out of the shared sets; where they are written is recorded (`cellcode`) so the
kernel can give each cell its own copy of them without parsing the cell again.

Builtin names (`len`, `filter`, `id`, ...) read from the module namespace are kept apart (`builtins`): they join the
graph only where a cell defines them. `except ... as name` unbinds the name when the handler ends (Python runs
`name = None; del name` there), so a binding of it inside the handler is no definition; at module level it deletes
another cell's `name` (`deletes`) when the handler runs. `del name` at module level of a name the cell did not bind
first reads it (the deleting cell runs after the name's definer) and deletes it (`deletes`: a deleting cell runs after
the name's other readers too, see `graph`).
"""

from __future__ import annotations

import ast
import builtins
import keyword
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from enum import Enum, StrEnum

from . import sql as sql_template
from .cellcode import CompileFacts, Positioned, compile_facts
from .magics import Magic, MagicError, blanked, find_magics
from .privates import is_private

# Names every fresh module namespace resolves without any cell defining them.
BUILTIN_NAMES = frozenset(dir(builtins)) | {"__builtins__", "__annotations__"}


class StaticErrorKind(StrEnum):
    SYNTAX = "syntax"
    IMPORT_STAR = "import-star"
    PRIVATE_PLACEHOLDER = "private-placeholder"
    INVALID_OUTPUT_NAME = "invalid-output-name"
    MULTIPLE_DEFINITION = "multiple-definition"
    CYCLE = "cycle"


@dataclass(frozen=True)
class StaticError:
    """A problem found without running the cell; a cell with one does not run."""

    kind: StaticErrorKind
    message: str
    line: int | None = None
    column: int | None = None
    cells: tuple[str, ...] = ()
    names: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, object]:
        return {
            "kind": self.kind.value,
            "message": self.message,
            "line": self.line,
            "column": self.column,
            "cells": list(self.cells),
            "names": list(self.names),
        }


@dataclass(frozen=True)
class CellAnalysis:
    defines: frozenset[str] = frozenset()
    references: frozenset[str] = frozenset()
    errors: tuple[StaticError, ...] = ()
    compile: CompileFacts | None = None  # a Python cell that parses: what the kernel needs to compile it
    # Builtin names read from the module namespace: references to the cell defining them, when one does.
    builtins: frozenset[str] = frozenset()
    # Names of other cells the cell deletes: `del name` (also in references or builtins) or `except ... as name`
    # (deleted when the handler ends), at module level, the cell not binding the name before or after.
    deletes: frozenset[str] = frozenset()

    def to_dict(self) -> dict[str, object]:
        return {
            "defines": sorted(self.defines),
            "references": sorted(self.references),
            "errors": [error.to_dict() for error in self.errors],
        }


def analyze_python(code: str) -> CellAnalysis:
    magics: list[Magic] = []
    try:
        tree = ast.parse(code, mode="exec")
    except SyntaxError as error:
        # Maybe `%pip` lines: the rest of the cell is read with them blanked (no valid Python has such a line).
        try:
            magics = find_magics(code)
        except MagicError as unsupported:
            return CellAnalysis(errors=(StaticError(StaticErrorKind.SYNTAX, str(unsupported), unsupported.line, 1),))
        if not magics:
            return CellAnalysis(errors=(_syntax_error(error),))
        try:
            tree = ast.parse(blanked(code, magics), mode="exec")
        except SyntaxError as still:
            return CellAnalysis(errors=(_syntax_error(still),))
    visitor = _ScopeVisitor(future_annotations=_has_future_annotations(tree))
    for statement in tree.body:
        visitor.visit(statement)
    references = visitor.references | (visitor.deferred - visitor.defined)
    builtins = visitor.builtins | (visitor.deferred_builtins - visitor.defined)
    facts = compile_facts(code, tree, visitor.private_nodes, visitor.formatted, magics)
    return CellAnalysis(
        frozenset(visitor.defines),
        frozenset(references),
        tuple(visitor.errors),
        facts,
        builtins=frozenset(builtins),
        deletes=frozenset(visitor.deletes - visitor.defines),
    )


def _syntax_error(error: SyntaxError) -> StaticError:
    message = f"{error.msg} (line {error.lineno})" if error.lineno else str(error.msg)
    return StaticError(StaticErrorKind.SYNTAX, message, error.lineno, error.offset)


def analyze_sql(query: str, output_name: str) -> CellAnalysis:
    """A SQL cell reads each `{name}` placeholder and each table that can be a Python name (`FROM sales`, see
    `sql.table_names`), and defines its output variable."""
    errors: list[StaticError] = []
    if not output_name.isidentifier() or keyword.iskeyword(output_name):
        errors.append(
            StaticError(
                StaticErrorKind.INVALID_OUTPUT_NAME,
                f"the output variable {output_name!r} is not a valid Python name: use letters, digits and "
                "underscores, not starting with a digit",
                names=(output_name,),
            )
        )
    template = sql_template.parse(query)
    private = [name for name in template.names if is_private(name)]
    for name in private:
        line, column = template.placeholder_location(name)
        errors.append(
            StaticError(
                StaticErrorKind.PRIVATE_PLACEHOLDER,
                f"{{{name}}} names a private variable: names starting with an underscore are visible only inside "
                "the cell that defines them; rename the variable without the leading underscore",
                line,
                column,
                names=(name,),
            )
        )
    defines = frozenset() if errors or is_private(output_name) else frozenset({output_name})
    tables = sql_template.table_names(template)
    references = frozenset(name for name in (*template.names, *tables) if not is_private(name))
    return CellAnalysis(defines, references, tuple(errors))


def _has_future_annotations(tree: ast.Module) -> bool:
    for statement in tree.body:
        if isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Constant):
            continue  # a docstring may precede __future__ imports
        if isinstance(statement, ast.ImportFrom) and statement.module == "__future__":
            if any(alias.name == "annotations" for alias in statement.names):
                return True
            continue
        return False
    return False


class _Kind(Enum):
    MODULE = "module"
    FUNCTION = "function"
    CLASS = "class"
    COMPREHENSION = "comprehension"


@dataclass
class _Scope:
    kind: _Kind
    local: set[str] = field(default_factory=set)
    declared_global: set[str] = field(default_factory=set)
    declared_nonlocal: set[str] = field(default_factory=set)


_Function = ast.FunctionDef | ast.AsyncFunctionDef
_Comprehension = ast.ListComp | ast.SetComp | ast.DictComp | ast.GeneratorExp


class _ScopeVisitor(ast.NodeVisitor):
    def __init__(self, *, future_annotations: bool) -> None:
        self.stack: list[_Scope] = [_Scope(_Kind.MODULE)]
        self.future_annotations = future_annotations
        self.defined: set[str] = set()  # every module-level name bound so far, private ones included
        self.defines: set[str] = set()
        self.references: set[str] = set()
        self.deferred: set[str] = set()  # global reads from bodies that run later
        self.builtins: set[str] = set()  # like references and deferred, for builtin names
        self.deferred_builtins: set[str] = set()
        self.deletes: set[str] = set()  # `del name` or `except ... as name` at module level, the name not bound yet
        self.handlers: list[tuple[_Scope, str]] = []  # a function's `except ... as name` for a global name, open
        self.errors: list[StaticError] = []
        self.private_nodes: list[Positioned] = []
        self.formatted: list[ast.FormattedValue] = []  # f-string fields: `{_x=}` shows the name as written

    # -- resolution ------------------------------------------------------------------------------------------------

    def _store(self, name: str, node: Positioned, scope: _Scope | None = None) -> None:
        scope = scope or self.stack[-1]
        if scope.kind is _Kind.MODULE or name in scope.declared_global:
            self._bind_global(name, node)
        elif name not in scope.declared_nonlocal:
            scope.local.add(name)

    def _bind_global(self, name: str, node: Positioned) -> None:
        self.defined.add(name)
        if is_private(name):
            self.private_nodes.append(node)
        else:
            self.defines.add(name)

    def _load(self, name: str, node: Positioned) -> None:
        innermost = len(self.stack) - 1
        for index in range(innermost, 0, -1):
            scope = self.stack[index]
            if scope.kind is _Kind.CLASS and index != innermost:
                continue  # a class body's names are invisible to the functions and comprehensions inside it
            if name in scope.declared_global:
                if index == innermost and any(s is scope and n == name for s, n in self.handlers):
                    return  # the exception itself, bound to a global name for the handler's length
                break
            if name in scope.local or name in scope.declared_nonlocal:
                return
        if is_private(name):
            self.private_nodes.append(node)
        elif any(scope.kind is _Kind.FUNCTION for scope in self.stack):
            (self.deferred_builtins if name in BUILTIN_NAMES else self.deferred).add(name)
        elif name not in self.defined:
            (self.builtins if name in BUILTIN_NAMES else self.references).add(name)

    # -- names and assignments -------------------------------------------------------------------------------------

    def visit_Name(self, node: ast.Name) -> None:
        if isinstance(node.ctx, ast.Store):
            self._store(node.id, node)
            return
        if (
            isinstance(node.ctx, ast.Del)
            and len(self.stack) == 1
            and node.id not in self.defined
            and not is_private(node.id)
        ):
            self.deletes.add(node.id)
        self._load(node.id, node)  # `del x` reads x as far as the graph is concerned

    def visit_Assign(self, node: ast.Assign) -> None:
        self.visit(node.value)
        for target in node.targets:
            self.visit(target)

    def visit_AugAssign(self, node: ast.AugAssign) -> None:
        self.visit(node.value)
        self.visit(node.target)  # a Name target is a definition, not a reference

    def visit_AnnAssign(self, node: ast.AnnAssign) -> None:
        if not self.future_annotations and self.stack[-1].kind is not _Kind.FUNCTION:
            self.visit(node.annotation)
        if node.value is not None:
            self.visit(node.value)
        if not isinstance(node.target, ast.Name):
            self.visit(node.target)
        elif node.value is not None or self.stack[-1].kind is _Kind.FUNCTION:
            self._store(node.target.id, node.target)

    def visit_NamedExpr(self, node: ast.NamedExpr) -> None:
        self.visit(node.value)
        # The target binds in the nearest scope that is not a comprehension.
        scope = next(scope for scope in reversed(self.stack) if scope.kind is not _Kind.COMPREHENSION)
        self._store(node.target.id, node.target, scope)

    def visit_For(self, node: ast.For | ast.AsyncFor) -> None:
        self.visit(node.iter)
        self.visit(node.target)
        self._visit_all(node.body)
        self._visit_all(node.orelse)

    visit_AsyncFor = visit_For

    def visit_Import(self, node: ast.Import) -> None:
        for alias in node.names:
            self._store(alias.asname or alias.name.split(".")[0], alias)

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        if node.module == "__future__":
            return  # compiler directives, not shared values
        for alias in node.names:
            if alias.name == "*":
                module = "." * node.level + (node.module or "")
                self.errors.append(
                    StaticError(
                        StaticErrorKind.IMPORT_STAR,
                        f"`from {module} import *` is not supported: the names it defines cannot be known without "
                        f"running it, so other cells could not depend on them. Import the module (`import {module}`) "
                        f"or the names you need (`from {module} import a, b`).",
                        node.lineno,
                        node.col_offset + 1,
                    )
                )
            else:
                self._store(alias.asname or alias.name, alias)

    def visit_Global(self, node: ast.Global) -> None:
        if any(is_private(name) for name in node.names):
            self.private_nodes.append(node)

    def visit_ExceptHandler(self, node: ast.ExceptHandler) -> None:
        if node.type is not None:
            self.visit(node.type)
        scope = self.stack[-1]
        name = node.name
        is_global = scope.kind is _Kind.MODULE or name in scope.declared_global
        if name is None or (scope.kind is _Kind.FUNCTION and not is_global):
            self._visit_all(node.body)  # a function's locals are known up front (`_scope_bindings`)
            return
        # `except ... as e` (and `except* ... as e`) binds e only inside the handler: Python ends the handler with
        # `e = None; del e`, so whatever the body bound to e is gone too. Bound before the handler, e may survive
        # (no exception was raised), so the earlier definition stands; bound again after it, it is defined again.
        bound = self.defined if is_global else scope.local
        was_bound = name in bound
        bound.add(name)
        if is_private(name) and is_global:
            self.private_nodes.append(node)
        self.handlers.append((scope, name))
        self._visit_all(node.body)
        self.handlers.pop()
        if not was_bound:
            bound.discard(name)
            if is_global:
                self.defines.discard(name)
            if scope.kind is _Kind.MODULE and not is_private(name):
                self.deletes.add(name)  # another cell's value of the name is gone once the handler ran

    def visit_FormattedValue(self, node: ast.FormattedValue) -> None:
        self.formatted.append(node)
        self.generic_visit(node)

    # -- pattern matching ------------------------------------------------------------------------------------------

    def visit_MatchAs(self, node: ast.MatchAs) -> None:
        if node.pattern is not None:
            self.visit(node.pattern)
        if node.name is not None:
            self._store(node.name, node)

    def visit_MatchStar(self, node: ast.MatchStar) -> None:
        if node.name is not None:
            self._store(node.name, node)

    def visit_MatchMapping(self, node: ast.MatchMapping) -> None:
        self._visit_all(node.keys)
        self._visit_all(node.patterns)
        if node.rest is not None:
            self._store(node.rest, node)

    # -- new scopes ------------------------------------------------------------------------------------------------

    def visit_FunctionDef(self, node: _Function) -> None:
        self._visit_all(node.decorator_list)
        self._visit_defaults(node.args)
        if not self.future_annotations:
            self._visit_all(arg.annotation for arg in _parameters(node.args) if arg.annotation)
            if node.returns is not None:
                self.visit(node.returns)
        self._store(node.name, node)
        bound, declared_global, declared_nonlocal = _scope_bindings(node.body)
        parameters = {arg.arg for arg in _parameters(node.args)}
        self._visit_in(
            _Scope(_Kind.FUNCTION, (bound | parameters) - declared_global, declared_global, declared_nonlocal),
            node.body,
        )

    visit_AsyncFunctionDef = visit_FunctionDef

    def visit_Lambda(self, node: ast.Lambda) -> None:
        self._visit_defaults(node.args)
        parameters = {arg.arg for arg in _parameters(node.args)}
        bound, _, _ = _scope_bindings([node.body])
        self._visit_in(_Scope(_Kind.FUNCTION, parameters | bound), [node.body])

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        self._visit_all(node.decorator_list)
        self._visit_all(node.bases)
        self._visit_all(node.keywords)
        _, declared_global, declared_nonlocal = _scope_bindings(node.body)
        self._visit_in(_Scope(_Kind.CLASS, set(), declared_global, declared_nonlocal), node.body)
        self._store(node.name, node)

    def visit_ListComp(self, node: _Comprehension) -> None:
        self.visit(node.generators[0].iter)  # evaluated in the enclosing scope
        self.stack.append(_Scope(_Kind.COMPREHENSION))
        for index, generator in enumerate(node.generators):
            if index:
                self.visit(generator.iter)
            self.visit(generator.target)
            self._visit_all(generator.ifs)
        if isinstance(node, ast.DictComp):
            self.visit(node.key)
            self.visit(node.value)
        else:
            self.visit(node.elt)
        self.stack.pop()

    visit_SetComp = visit_GeneratorExp = visit_DictComp = visit_ListComp

    # -- helpers ---------------------------------------------------------------------------------------------------

    def _visit_all(self, nodes: Iterable[ast.AST]) -> None:
        for child in nodes:
            self.visit(child)

    def _visit_defaults(self, arguments: ast.arguments) -> None:
        self._visit_all(arguments.defaults)
        self._visit_all(default for default in arguments.kw_defaults if default is not None)

    def _visit_in(self, scope: _Scope, body: Iterable[ast.AST]) -> None:
        self.stack.append(scope)
        self._visit_all(body)
        self.stack.pop()


def _parameters(arguments: ast.arguments) -> Iterator[ast.arg]:
    yield from arguments.posonlyargs
    yield from arguments.args
    if arguments.vararg is not None:
        yield arguments.vararg
    yield from arguments.kwonlyargs
    if arguments.kwarg is not None:
        yield arguments.kwarg


def _scope_bindings(body: Iterable[ast.AST]) -> tuple[set[str], set[str], set[str]]:
    """Names bound anywhere in a function body (Python makes them local for the whole body), and its declarations."""
    bound: set[str] = set()
    declared_global: set[str] = set()
    declared_nonlocal: set[str] = set()

    def walk(node: ast.AST, in_comprehension: bool) -> None:
        match node:
            case ast.Global(names=names):
                declared_global.update(names)
            case ast.Nonlocal(names=names):
                declared_nonlocal.update(names)
            case ast.NamedExpr(target=target, value=value):
                bound.add(target.id)
                walk(value, in_comprehension)
            case ast.Name(id=name, ctx=ast.Store() | ast.Del()):
                if not in_comprehension:
                    bound.add(name)
            case ast.FunctionDef() | ast.AsyncFunctionDef() | ast.ClassDef():
                bound.add(node.name)
                outer: list[ast.AST] = list(node.decorator_list)
                if isinstance(node, ast.ClassDef):
                    outer += [*node.bases, *node.keywords]
                else:
                    outer += [*node.args.defaults, *(d for d in node.args.kw_defaults if d is not None)]
                for child in outer:
                    walk(child, in_comprehension)
            case ast.Lambda(args=arguments):
                for child in [*arguments.defaults, *(d for d in arguments.kw_defaults if d is not None)]:
                    walk(child, in_comprehension)
            case ast.alias(name=name, asname=asname):
                if name != "*":
                    bound.add(asname or name.split(".")[0])
            case ast.ExceptHandler(name=str(name)) | ast.MatchAs(name=str(name)) | ast.MatchStar(name=str(name)):
                bound.add(name)
                for child in ast.iter_child_nodes(node):
                    walk(child, in_comprehension)
            case ast.MatchMapping(rest=str(rest)):
                bound.add(rest)
                for child in ast.iter_child_nodes(node):
                    walk(child, in_comprehension)
            case ast.ListComp() | ast.SetComp() | ast.DictComp() | ast.GeneratorExp():
                for child in ast.iter_child_nodes(node):
                    walk(child, True)
            case _:
                for child in ast.iter_child_nodes(node):
                    walk(child, in_comprehension)

    for statement in body:
        walk(statement, False)
    return bound, declared_global, declared_nonlocal
