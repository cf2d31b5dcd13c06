"""Shell-style lines of a Python cell, as Jupyter users write them: `%pip install x` or `!pip install x`.

Such a line is no Python, so the analysis reads the cell with each of them blanked to `pass`, and the kernel runs a
call of `PIP_FUNCTION` in its place (see `cellcode`). Only pip's package subcommands are supported: anything else is
refused before the cell runs.
"""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass

PIP_FUNCTION = "__notebook_pip__"  # a builtin of the kernel (see kernel.packages)
PIP_SUBCOMMANDS = ("install", "uninstall", "list", "show")

_MAGIC_LINE = re.compile(r"^([ \t]*)([%!])(.*?)[ \t]*$", re.MULTILINE)


class MagicError(ValueError):
    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.line = line


@dataclass(frozen=True)
class Magic:
    start: int  # character offsets of the line's text after its indentation
    end: int
    arguments: list[str]  # pip's, after `pip`

    def call(self) -> str:
        """The Python that runs in its place."""
        return f"{PIP_FUNCTION}({self.arguments!r})"


def find_magics(code: str) -> list[Magic]:
    """The magic lines of `code`, in order; MagicError (naming the line) for one that is not a pip command."""
    magics = []
    for match in _MAGIC_LINE.finditer(code):
        line = code.count("\n", 0, match.start()) + 1
        try:
            arguments = pip_arguments(match.group(2), match.group(3))
        except MagicError as error:
            raise MagicError(f"{error} (line {line})", line) from None
        magics.append(Magic(match.start(2), match.end(3), arguments))
    return magics


def blanked(code: str, magics: list[Magic]) -> str:
    """`code` with each magic line replaced by `pass`, every other character where it was."""
    pieces, position = [], 0
    for magic in magics:
        pieces += [code[position : magic.start], "pass".ljust(magic.end - magic.start)]
        position = magic.end
    pieces.append(code[position:])
    return "".join(pieces)


def pip_arguments(prefix: str, text: str) -> list[str]:
    """pip's arguments in the line `<prefix><text>` (prefix `%` or `!`), for a supported subcommand only."""
    try:
        words = shlex.split(text, comments=True)
    except ValueError as error:
        raise MagicError(f"{prefix}{text} cannot be read: {error}") from None
    supported = f"only %pip (or !pip) {', '.join(PIP_SUBCOMMANDS)} run in a cell"
    if not words or words[0] != "pip":
        raise MagicError(f"{prefix}{text} is not supported: {supported}")
    if len(words) < 2 or words[1] not in PIP_SUBCOMMANDS:
        given = f"pip {words[1]}" if len(words) > 1 else "pip without a subcommand"
        raise MagicError(f"{given} is not supported: {supported}")
    return words[1:]
