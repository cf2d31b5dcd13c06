"""What a kernel remembers of the cells it ran, so that a server that lost its own record (it restarted, the kernel
ran on: see `ecs`) can tell which cells' values in the kernel still follow from their code.

The kernel keeps, per cell whose last run succeeded, the digest of the run command's code (`digest`), the names the
server said it defines, its output and duration; `{"op": "state"}` answers with them.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from typing import Any

# What decides the values a run binds; the cell id and private names derive from the cell, which the record is of.
_CODE_FIELDS = ("kind", "code", "output_name", "connection")


def digest(command: Mapping[str, Any]) -> str:
    """Of a `run` command, as the server builds it."""
    fields = {name: command.get(name) for name in _CODE_FIELDS}
    return hashlib.sha256(json.dumps(fields, sort_keys=True).encode()).hexdigest()
