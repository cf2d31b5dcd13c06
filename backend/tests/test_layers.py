"""The layers import downwards only: the engine knows nothing of the service, the service nothing of the web."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

APP = Path(__file__).parents[1] / "app"
FORBIDDEN = {
    "engine": ("app.api", "app.services", "app.models", "app.main", "fastapi", "starlette"),
    "services": ("app.api", "app.models", "app.main", "fastapi", "starlette", "pydantic"),
}


def imports(path: Path) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            found.add(node.module)
    return found


@pytest.mark.parametrize("layer", sorted(FORBIDDEN))
def test_a_layer_imports_no_layer_above_it(layer: str) -> None:
    offending = {
        f"{path.relative_to(APP)}: {module}"
        for path in (APP / layer).rglob("*.py")
        for module in imports(path)
        if module.startswith(FORBIDDEN[layer])
    }
    assert not offending
