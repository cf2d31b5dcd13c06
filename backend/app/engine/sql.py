"""`{name}` placeholders of a SQL cell, turned into bind parameters (`$1`, `$2`, ...), and the tables it reads.

Values never become SQL text: the database (PostgreSQL or the embedded DuckDB, both take `$n`) receives the query
with `$n` markers and the values separately. Braces inside string literals, quoted identifiers, dollar-quoted bodies
and comments are left alone, so JSON literals such as `'{"a": 1}'` or array literals such as `'{1,2}'` keep working.

`table_names` parses the query (sqlglot, DuckDB dialect) for the tables it reads that could be Python variables:
`FROM sales` in a notebook without a database queries the DataFrame `sales`, so the cell depends on it.
"""

from __future__ import annotations

import keyword
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlglot import exp

_PLACEHOLDER = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")
_DOLLAR_TAG = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)?\$")


@dataclass(frozen=True)
class SqlTemplate:
    source: str
    text: str  # what the server receives
    names: tuple[str, ...]  # the Python name behind $1, $2, ... in that order
    # `text` with `?` for each placeholder: sqlglot's tokenizer misreads some `$n` markers (`$1 AND x <> ''`)
    parsed_text: str
    # (offset in text, offset in source) at the start of every stretch copied verbatim after a replacement
    _anchors: tuple[tuple[int, int], ...]

    def source_offset(self, text_offset: int) -> int:
        """Maps an offset in the sent text (0-based, as from a server error position minus one) back to the cell."""
        sent, original = 0, 0
        for anchor_sent, anchor_original in self._anchors:
            if anchor_sent > text_offset:
                break
            sent, original = anchor_sent, anchor_original
        return original + (text_offset - sent)

    def location(self, source_offset: int) -> tuple[int, int]:
        """1-based (line, column) of an offset in the cell's SQL."""
        before = self.source[:source_offset]
        return before.count("\n") + 1, source_offset - (before.rfind("\n") + 1) + 1

    def placeholder_location(self, name: str) -> tuple[int, int]:
        match = re.search(r"\{" + re.escape(name) + r"\}", self.source)
        return self.location(match.start() if match else 0)


def parse(source: str) -> SqlTemplate:
    pieces: list[str] = []
    parsed_pieces: list[str] = []
    names: list[str] = []
    anchors: list[tuple[int, int]] = [(0, 0)]
    sent = 0
    position = 0
    length = len(source)

    def copy(end: int) -> None:
        nonlocal position, sent
        pieces.append(source[position:end])
        parsed_pieces.append(source[position:end])
        sent += end - position
        position = end

    while position < length:
        char = source[position]
        if char == "'":
            escapes = position > 0 and source[position - 1] in "eE" and not _is_word(source, position - 2)
            copy(_end_of_quoted(source, position, "'", backslash_escapes=escapes))
        elif char == '"':
            copy(_end_of_quoted(source, position, '"', backslash_escapes=False))
        elif source.startswith("--", position):
            newline = source.find("\n", position)
            copy(length if newline < 0 else newline + 1)
        elif source.startswith("/*", position):
            copy(_end_of_block_comment(source, position))
        elif char == "$" and (tag := _DOLLAR_TAG.match(source, position)) and not _is_word(source, position - 1):
            close = source.find(tag.group(0), tag.end())
            copy(length if close < 0 else close + len(tag.group(0)))
        elif char == "{" and (placeholder := _PLACEHOLDER.match(source, position)):
            name = placeholder.group(1)
            if name not in names:
                names.append(name)
            marker = f"${names.index(name) + 1}"
            pieces.append(marker)
            parsed_pieces.append("?")
            sent += len(marker)
            position = placeholder.end()
            anchors.append((sent, position))
        else:
            position_next = _next_special(source, position + 1)
            copy(position_next)
    return SqlTemplate(source, "".join(pieces), tuple(names), "".join(parsed_pieces), tuple(anchors))


def table_names(template: SqlTemplate) -> tuple[str, ...]:
    """Unqualified tables the query reads that can be Python names, in order of appearance.

    Not counted: names qualified by a schema or catalog (`main.sales`), the query's own CTEs, tables the cell itself
    creates or writes (`CREATE TABLE t`, `INSERT INTO t`), files (`'data.csv'`, `read_parquet(...)`) and names that
    are not Python identifiers. A query sqlglot cannot parse reads no names; running it reports the syntax error.
    """
    import sqlglot
    from sqlglot import exp

    try:
        statements = sqlglot.parse(template.parsed_text, read="duckdb")
    except sqlglot.errors.SqlglotError:
        return ()
    written: set[str] = set()
    local: set[str] = set()
    read: list[str] = []
    for statement in statements:
        if statement is None:
            continue
        for cte in statement.find_all(exp.CTE):
            local.add(cte.alias_or_name)
        for table in statement.find_all(exp.Table):
            if not isinstance(table.this, exp.Identifier) or table.args.get("db") or table.args.get("catalog"):
                continue
            if _is_write_target(table):
                written.add(table.name)
            elif table.name not in read:
                read.append(table.name)
    return tuple(
        name
        for name in read
        if name.isidentifier() and not keyword.iskeyword(name) and name not in local and name not in written
    )


def _is_write_target(table: exp.Table) -> bool:
    from sqlglot import exp

    node: exp.Expression = table
    parent = node.parent
    if isinstance(parent, exp.Schema):  # CREATE TABLE t (column ...)
        node, parent = parent, parent.parent
    writers = (exp.Create, exp.Insert, exp.Update, exp.Delete, exp.Drop, exp.Alter, exp.Merge, exp.Copy)
    return isinstance(parent, writers) and parent.this is node


def _is_word(source: str, index: int) -> bool:
    return index >= 0 and (source[index].isalnum() or source[index] in "_$")


def _end_of_quoted(source: str, start: int, quote: str, *, backslash_escapes: bool) -> int:
    index = start + 1
    while index < len(source):
        char = source[index]
        if backslash_escapes and char == "\\":
            index += 2
            continue
        if char == quote:
            if source.startswith(quote, index + 1):  # a doubled quote stands for itself
                index += 2
                continue
            return index + 1
        index += 1
    return len(source)


def _end_of_block_comment(source: str, start: int) -> int:
    depth = 0
    index = start
    while index < len(source):
        if source.startswith("/*", index):
            depth += 1
            index += 2
        elif source.startswith("*/", index):
            depth -= 1
            index += 2
            if depth == 0:
                return index
        else:
            index += 1
    return len(source)


_SPECIAL = re.compile(r"['\"{$]|--|/\*")


def _next_special(source: str, start: int) -> int:
    match = _SPECIAL.search(source, start)
    return match.start() if match else len(source)
