"""A Python cell's code as the kernel compiles it, built from facts the analysis recorded while it parsed the cell.

The kernel parses a cell only inside `compile`: the server, which parsed the cell to analyse it, sends the code with
its private names respelled for the cell (see `privates`) and its final expression statement assigned to
`RESULT_NAME`, whose value is the cell's output. The edits keep every line where it was; the columns they move are
sent along, so that tracebacks point at the code the user wrote.
"""

from __future__ import annotations

import ast
import bisect
import re
from collections.abc import Iterable
from dataclasses import dataclass
from enum import Enum
from typing import TypedDict

from .magics import Magic
from .privates import is_private, mangle

RESULT_NAME = "__cell_result__"

_IDENTIFIER = r"[^\W\d]\w*"
_GAP = r"[\s\\]+"  # whitespace, or a backslash continuing the line
_DEFINITION = re.compile(rf"(?:async{_GAP})?(?:def|class){_GAP}({_IDENTIFIER})")
_EXCEPT_AS = re.compile(rf"(?:[\s\\)]|#[^\r\n]*)*as{_GAP}({_IDENTIFIER})")
_LAST_IDENTIFIER = re.compile(rf"{_IDENTIFIER}\Z")
_MAPPING_REST = re.compile(rf"({_IDENTIFIER})(?:[\s,\\]|#[^\r\n]*)*}}\Z")
_IDENTIFIERS = re.compile(_IDENTIFIER)
_DEBUG_EQUALS = re.compile(r"[\s)]*(=)\s*(?=[!:}])")  # after the expression of an f-string's `{expr=}`
_NEWLINE = re.compile(r"\r\n|\r|\n")

# The nodes that carry positions; a private name is written in one of them.
Positioned = ast.stmt | ast.expr | ast.alias | ast.pattern | ast.excepthandler


class Form(Enum):
    RESULT = "result"  # insert `RESULT_NAME = ` before the final expression statement
    TEXT = "text"  # put the given text there
    AS = "as"  # insert ` as <spelling>`: an import of the name binds it under its spelling
    DOTTED = "dotted"  # insert `; <spelling> = _a; del _a` after `import _a.b`, which can only bind `_a` itself
    NAME = "name"  # replace the name with its spelling


@dataclass(frozen=True)
class Edit:
    start: int  # character offsets into the code: what is replaced ([start, start) inserts)
    end: int
    line: int  # where start is, as the compiler counts: line, and UTF-8 byte column
    column: int
    form: Form
    name: str = ""  # the private name (DOTTED: the module the statement binds; TEXT: the text itself)

    def text(self, cell_id: str) -> str:
        match self.form:
            case Form.RESULT:
                return f"{RESULT_NAME} = "
            case Form.TEXT:
                return self.name
            case Form.AS:
                return f" as {mangle(cell_id, self.name)}"
            case Form.DOTTED:
                return f"; {mangle(cell_id, self.name)} = {self.name}; del {self.name}"
            case Form.NAME:
                return mangle(cell_id, self.name)


@dataclass(frozen=True)
class CompileFacts:
    edits: tuple[Edit, ...]  # in source order
    # Whether a value shown as the output is itself run when it is a coroutine: not when the expression awaits.
    settle_result: bool = True

    def private_names(self, cell_id: str) -> list[str]:
        """The cell's own spellings of the global private names it may bind."""
        return sorted({mangle(cell_id, edit.name) for edit in self.edits if edit.form in _PRIVATE_FORMS})


_PRIVATE_FORMS = frozenset({Form.AS, Form.DOTTED, Form.NAME})


class CompiledSource(TypedDict):
    source: str
    shifts: list[tuple[int, int, int]]  # (line, byte column in source, bytes it adds there), by line and column
    settle_result: bool


def compiled_source(code: str, facts: CompileFacts, cell_id: str) -> CompiledSource:
    pieces: list[str] = []
    shifts: list[tuple[int, int, int]] = []
    position = 0
    for edit in facts.edits:
        text = edit.text(cell_id)
        pieces += [code[position : edit.start], text]
        position = edit.end
        moved = sum(added for line, _, added in shifts if line == edit.line)
        shifts.append((edit.line, edit.column + moved, len(text.encode()) - len(code[edit.start : edit.end].encode())))
    pieces.append(code[position:])
    return {"source": "".join(pieces), "shifts": shifts, "settle_result": facts.settle_result}


def compile_facts(
    code: str,
    tree: ast.Module,
    private_nodes: Iterable[Positioned],
    formatted: Iterable[ast.FormattedValue],
    magics: Iterable[Magic] = (),
) -> CompileFacts:
    """Where each private-name node of the tree is written, and where its final expression statement starts;
    `formatted` are the tree's f-string replacement fields; `magics` the `%pip` lines the tree has as `pass`."""
    locator = _Locator(code)
    edits: list[Edit] = [locator.edit(magic.start, magic.end, Form.TEXT, magic.call()) for magic in magics]
    dotted: set[tuple[int, str]] = set()
    for node in private_nodes:
        match node:
            case ast.Name():
                edits.append(locator.edit(locator.start(node), locator.end(node), Form.NAME, node.id))
            case ast.FunctionDef() | ast.AsyncFunctionDef() | ast.ClassDef():
                edits.append(locator.group(_DEFINITION, locator.start(node), Form.NAME, node.name))
            case ast.ExceptHandler(type=ast.expr() as caught, name=str(name)):
                edits.append(locator.group(_EXCEPT_AS, locator.end(caught), Form.NAME, name))
            case ast.MatchAs(name=str(name)) | ast.MatchStar(name=str(name)):
                edits.append(locator.search(_LAST_IDENTIFIER, node, Form.NAME, name))
            case ast.MatchMapping(rest=str(rest)):
                edits.append(locator.search(_MAPPING_REST, node, Form.NAME, rest))
            case ast.Global():
                start = locator.start(node)
                written = list(_IDENTIFIERS.finditer(code, start, locator.end(node)))[1:]  # after `global`
                for name, match in zip(node.names, written, strict=True):
                    if is_private(name):
                        edits.append(locator.edit(match.start(), match.end(), Form.NAME, name))
            case ast.alias(asname=str(asname)):
                edits.append(locator.search(_LAST_IDENTIFIER, node, Form.NAME, asname))
            case ast.alias(name=name) if "." in name:
                dotted.add((locator.end(node), name.split(".")[0]))
            case ast.alias(name=name):
                end = locator.end(node)
                edits.append(locator.edit(end, end, Form.AS, name))
    if dotted:
        # Inserted after the whole statement: an import statement cannot bind a name its modules do not give it.
        ends = {
            locator.end(alias): locator.end(statement)
            for statement in ast.walk(tree)
            if isinstance(statement, ast.Import)
            for alias in statement.names
        }
        for end, module in sorted({(ends[alias_end], module) for alias_end, module in dotted}):
            edits.append(locator.edit(end, end, Form.DOTTED, module))
    names = [edit.start for edit in edits if edit.form is Form.NAME]
    for field in formatted:
        start, end = locator.start(field.value), locator.end(field.value)
        if any(start <= name < end for name in names) and (debug := _DEBUG_EQUALS.match(code, end)):
            edits += _keep_debug_text(locator, code.rfind("{", 0, start), debug)
    settle_result = True
    if tree.body and isinstance(last := tree.body[-1], ast.Expr):
        start = locator.start(last)
        edits.append(locator.edit(start, start, Form.RESULT))
        settle_result = not any(isinstance(node, ast.Await) for node in ast.walk(last.value))
    order = list(Form)
    edits.sort(key=lambda edit: (edit.start, edit.end, order.index(edit.form)))
    return CompileFacts(tuple(edits), settle_result)


def _keep_debug_text(locator: _Locator, brace: int, debug: re.Match[str]) -> list[Edit]:
    """`{_x=}` shows its own source text, which must stay `_x`: it becomes `_x={<spelling>!r}`."""
    text = locator.code[brace + 1 : debug.end()]
    literal = text.replace("{", "{{").replace("}", "}}").replace("\n", "\\n")  # the text of one line, escaped
    equals = debug.start(1)
    conversion = "!r" if locator.code[debug.end()] == "}" else ""  # the default of `=` without a format spec
    return [
        locator.edit(brace, brace, Form.TEXT, literal),
        locator.edit(equals, equals + 1, Form.TEXT, conversion),
    ]


class _Locator:
    """Converts the tree's positions (lines, UTF-8 byte columns) to character offsets into the code, and back."""

    def __init__(self, code: str) -> None:
        self.code = code
        self.line_starts = [0, *(match.end() for match in _NEWLINE.finditer(code))]

    def offset(self, line: int, column: int) -> int:
        start = self.line_starts[line - 1]
        return start + len(self.code[start : start + column].encode()[:column].decode())

    def start(self, node: Positioned) -> int:
        return self.offset(node.lineno, node.col_offset)

    def end(self, node: Positioned) -> int:
        line, column = node.end_lineno, node.end_col_offset
        assert line is not None, "a parsed tree has end positions"
        assert column is not None, "a parsed tree has end positions"
        return self.offset(line, column)

    def edit(self, start: int, end: int, form: Form, name: str = "") -> Edit:
        line = bisect.bisect_right(self.line_starts, start)
        column = len(self.code[self.line_starts[line - 1] : start].encode())
        return Edit(start, end, line, column, form, name)

    def group(self, pattern: re.Pattern[str], position: int, form: Form, name: str) -> Edit:
        match = pattern.match(self.code, position)
        assert match is not None, "the tree says the name is written here"
        return self.edit(match.start(1), match.end(1), form, name)

    def search(self, pattern: re.Pattern[str], node: Positioned, form: Form, name: str) -> Edit:
        start = self.start(node)
        match = pattern.search(self.code, start, self.end(node))
        assert match is not None, "the tree says the name is written here"
        group = 1 if pattern.groups else 0
        return self.edit(match.start(group), match.end(group), form, name)
