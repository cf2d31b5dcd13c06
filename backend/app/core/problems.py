"""Validation problems as clients see them: where and what, never the input that caused them, and never many."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any, TypedDict

MAX_PROBLEMS = 20
# A field name can be as long as the body (an unknown key of a megabyte): only its start goes back.
MAX_LOC_CHARS = 100
MAX_MSG_CHARS = 300


class Problem(TypedDict):
    type: str
    loc: list[str | int]
    msg: str


def _shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def public_problems(errors: Iterable[Mapping[str, Any]]) -> list[Problem]:
    """The first MAX_PROBLEMS errors with only `type`, `loc` and `msg`: `input` and `ctx` would echo the request back
    (a 50 MB answer to a body of many unknown keys, or a value JSON cannot even encode, such as NaN)."""
    problems: list[Problem] = []
    for error in errors:
        if len(problems) == MAX_PROBLEMS:
            break
        loc: Sequence[Any] = error.get("loc", ())
        problems.append(
            {
                "type": str(error.get("type", "value_error")),
                "loc": [part if isinstance(part, int) else _shorten(str(part), MAX_LOC_CHARS) for part in loc],
                "msg": _shorten(str(error.get("msg", "")), MAX_MSG_CHARS),
            }
        )
    return problems
