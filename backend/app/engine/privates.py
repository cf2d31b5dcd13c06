"""Private names (`_tmp`) get a per-cell spelling in the kernel, so two cells can both use `_tmp` without sharing it.

Only the occurrences that resolve to the cell's global scope are respelled (the analysis finds them, and `cellcode`
where each is written); a function's parameter or local called `_x` keeps its name. Messages shown to the user are
demangled back.
"""

from __future__ import annotations

import hashlib
import re

_MANGLED = re.compile(r"_cell_[0-9a-f]{10}(_\w*)")


def is_private(name: str) -> bool:
    """`_x`, `__x` and `_` are private to their cell; dunder names such as `__version__` are shared."""
    return name.startswith("_") and not (len(name) > 4 and name.startswith("__") and name.endswith("__"))


def mangle(cell_id: str, name: str) -> str:
    return f"_cell_{hashlib.blake2s(cell_id.encode(), digest_size=5).hexdigest()}{name}"


def is_mangled(name: str) -> bool:
    return _MANGLED.fullmatch(name) is not None


def demangle(text: str) -> str:
    return _MANGLED.sub(r"\1", text)
