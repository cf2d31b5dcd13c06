"""Export (`GET /api/notebooks/{id}/export`) and import (`POST /api/notebooks/import`): a script that runs and prints
what the kernel showed, a Jupyter notebook that re-imports with every cell, a static page that escapes everything."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import httpx
import pytest

from app.main import create_app

from .conftest import TIMEOUT, TOKEN, Server, client_of, make_settings, open_socket
from .test_websocket import Serve, finished

pytestmark = pytest.mark.asyncio

AUTH = {"Authorization": f"Bearer {TOKEN}"}

DATA = 'import pandas as pd\nsales = pd.DataFrame({"v": [1, 2, 3, 4]})\nlimit = 2\nprint("rows:", len(sales))'
TOTAL = 'total = int(result["s"][0])\nf"total is {total}"'
QUERY = "-- the rows above {limit}\nSELECT sum(v) AS s FROM sales WHERE v > {limit}"


async def make_notebook(api: httpx.AsyncClient, cells: list[dict[str, Any]], name: str = "Transfer") -> str:
    notebook_id: str = (await api.post("/api/notebooks", json={"name": name})).json()["notebook_id"]
    for cell in cells:
        response = await api.post(f"/api/notebooks/{notebook_id}/cells", json=cell)
        assert response.status_code == 201, response.text
    return notebook_id


SAMPLE = [
    {"type": "python", "code": TOTAL},  # reads the SQL cell's result: runs last
    {"type": "markdown", "code": "# Sales\nThe *total* of the rows above the limit."},
    {"type": "sql", "code": QUERY, "output_name": "result"},
    {"type": "python", "code": DATA},
    {"type": "python", "code": "broken = ("},  # a static (syntax) error
]


async def run_all(server: Server, notebook_id: str, last: str) -> dict[str, Any]:
    socket = await open_socket(server, notebook_id)
    await socket.expect("snapshot")
    await socket.send({"type": "run_all"})
    try:
        await finished(socket, last)
    finally:
        await socket.connection.close()
    async with httpx.AsyncClient(base_url=server.url, timeout=TIMEOUT) as api:
        notebook: dict[str, Any] = (await api.get(f"/api/notebooks/{notebook_id}")).json()
    return notebook


def run_script(tmp_path: Path, script: str) -> subprocess.CompletedProcess[str]:
    path = tmp_path / "exported.py"
    path.write_text(script)
    return subprocess.run(
        [sys.executable, str(path)], capture_output=True, text=True, timeout=120, cwd=tmp_path, check=False
    )


async def test_the_py_export_runs_in_dependency_order_and_prints_what_the_kernel_showed(
    serve: Serve, tmp_path: Path
) -> None:
    server = serve()
    async with httpx.AsyncClient(base_url=server.url, timeout=TIMEOUT) as api:
        notebook_id = await make_notebook(api, SAMPLE)
        cells = (await api.get(f"/api/notebooks/{notebook_id}")).json()["cells"]
        total, _, query, data, broken = (cell["id"] for cell in cells)
        notebook = await run_all(server, notebook_id, total)
        response = await api.get(f"/api/notebooks/{notebook_id}/export", params={"format": "py"})
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/x-python; charset=utf-8"
    assert response.headers["content-disposition"].startswith('attachment; filename="Transfer.py"')
    script = response.text
    by_id = {cell["id"]: cell for cell in notebook["cells"]}
    assert by_id[total]["outputs"] == [{"kind": "text", "text": "'total is 7'", "truncated": False}]

    # dependency order, whatever the notebook order; the broken cell is a comment saying why
    positions = [script.index(f"id={cell_id}") for cell_id in (data, query, total)]
    assert positions == sorted(positions)
    assert f"# %% [python] id={broken} disabled" in script
    assert "# broken = (" in script
    assert "# !! " in script

    ran = run_script(tmp_path, script)
    assert ran.returncode == 0, ran.stderr
    lines = ran.stdout.splitlines()
    assert by_id[data]["stdout"] == "rows: 4\n"
    assert "rows: 4" in lines
    assert by_id[total]["outputs"][0]["text"] in lines  # the kernel's repr of the last expression
    (table,) = by_id[query]["outputs"]
    assert table["kind"] == "table"
    assert table["rows"] == [[7]]
    assert lines[lines.index("rows: 4") + 1].split() == ["s"]  # the SQL cell's DataFrame, printed
    assert table["dtypes"] == ["float64"]  # DuckDB's sum of integers is a HUGEINT, a float64 in pandas
    assert lines[lines.index("rows: 4") + 2].split() == ["0", "7.0"]


async def test_the_demo_exports_to_a_script_that_prints_what_the_kernel_printed(serve: Serve, tmp_path: Path) -> None:
    server = serve()
    async with httpx.AsyncClient(base_url=server.url, timeout=TIMEOUT) as api:
        (demo,) = (await api.get("/api/notebooks")).json()["notebooks"]
        notebook = await run_all(server, demo["id"], "sql")
        script = (await api.get(f"/api/notebooks/{demo['id']}/export", params={"format": "py"})).text
    by_id = {cell["id"]: cell for cell in notebook["cells"]}
    assert all(cell["status"] == "success" for cell in notebook["cells"]), [c["error"] for c in notebook["cells"]]
    ran = run_script(tmp_path, script)
    assert ran.returncode == 0, ran.stderr
    assert by_id["summary"]["stdout"] in ran.stdout
    assert "last_half_year = _notebook_sql(" in script
    assert "$1" in script
    assert "[months]" in script
    (table,) = by_id["sql"]["outputs"]
    for month, revenue, _ in table["rows"]:
        assert any(line.split()[1:3] == [str(month), f"{revenue:.2f}"] for line in ran.stdout.splitlines()[1:] if line)


async def test_a_notebook_with_a_connection_string_exports_sql_reading_it_from_the_environment(
    api: httpx.AsyncClient,
) -> None:
    notebook_id = await make_notebook(api, [{"type": "sql", "code": "SELECT 1 AS one", "output_name": "one"}])
    secret = "postgresql://user:hunter2@db.example:5432/sales"
    assert (await api.put(f"/api/notebooks/{notebook_id}/db", json={"connection_string": secret})).status_code == 200
    for fmt in ("py", "ipynb", "html"):
        text = (await api.get(f"/api/notebooks/{notebook_id}/export", params={"format": fmt})).text
        assert "hunter2" not in text
        assert "db.example" not in text
    script = (await api.get(f"/api/notebooks/{notebook_id}/export", params={"format": "py"})).text
    assert 'DATABASE = "postgresql"' in script
    assert "NOTEBOOK_DATABASE_URL" in script


def check_nbformat4(document: dict[str, Any]) -> None:
    """The required fields of nbformat 4.5's schema (the nbformat package is not a dependency)."""
    assert document["nbformat"] == 4
    assert document["nbformat_minor"] >= 5
    assert isinstance(document["metadata"], dict)
    for cell in document["cells"]:
        assert set(cell) >= {"cell_type", "id", "metadata", "source"}
        assert isinstance(cell["source"], list)
        assert all(isinstance(line, str) for line in cell["source"])
        if cell["cell_type"] == "code":
            assert set(cell) == {"cell_type", "id", "metadata", "source", "outputs", "execution_count"}
            for output in cell["outputs"]:
                required = {
                    "stream": {"output_type", "name", "text"},
                    "execute_result": {"output_type", "execution_count", "data", "metadata"},
                    "error": {"output_type", "ename", "evalue", "traceback"},
                }[output["output_type"]]
                assert set(output) == required
        else:
            assert cell["cell_type"] == "markdown"
            assert set(cell) == {"cell_type", "id", "metadata", "source"}


async def test_ipynb_export_has_the_outputs_and_reimports_with_every_cell(serve: Serve) -> None:
    server = serve()
    async with httpx.AsyncClient(base_url=server.url, timeout=TIMEOUT) as api:
        notebook_id = await make_notebook(api, SAMPLE, name="Round trip")
        original = (await api.get(f"/api/notebooks/{notebook_id}")).json()["cells"]
        await run_all(server, notebook_id, original[0]["id"])
        response = await api.get(f"/api/notebooks/{notebook_id}/export", params={"format": "ipynb"})
        assert response.headers["content-type"] == "application/x-ipynb+json"
        assert 'filename="Round trip.ipynb"' in response.headers["content-disposition"]
        document = response.json()
        check_nbformat4(document)
        cells = {cell["id"]: cell for cell in document["cells"]}
        total, markdown, query, data, broken = (cell["id"] for cell in original)
        assert cells[markdown]["cell_type"] == "markdown"
        assert cells[query]["metadata"]["notebook"] == {"type": "sql", "output_name": "result"}
        assert cells[data]["outputs"] == [{"output_type": "stream", "name": "stdout", "text": ["rows: 4\n"]}]
        (shown,) = cells[total]["outputs"]
        assert shown["data"] == {"text/plain": "'total is 7'"}
        (table,) = cells[query]["outputs"]
        assert "<td>7.0</td>" in table["data"]["text/html"]
        assert cells[broken]["outputs"][0]["output_type"] == "error"
        # Cells are named by the labels the page shows, not by their ids.
        assert cells[broken]["outputs"][0]["traceback"][0] == "  Cell [5], line 1"

        imported = await api.post(
            "/api/notebooks/import", json={"name": "Imported", "format": "ipynb", "content": response.text}
        )
        assert imported.status_code == 201, imported.text
        copy = (await api.get(f"/api/notebooks/{imported.json()['notebook_id']}")).json()
    fields = ("id", "type", "code", "output_name")
    assert copy["name"] == "Imported"
    assert [{key: cell[key] for key in fields} for cell in copy["cells"]] == [
        {key: cell[key] for key in fields} for cell in original
    ]


async def test_py_export_reimports_with_every_cell(api: httpx.AsyncClient) -> None:
    notebook_id = await make_notebook(
        api,
        [
            *SAMPLE,
            {"type": "python", "code": 'x = """a\\\\b"""\nx'},
            {"type": "python", "code": 'e = "é"; e + "ü"  # é'},
        ],
    )
    original = (await api.get(f"/api/notebooks/{notebook_id}")).json()["cells"]
    script = (await api.get(f"/api/notebooks/{notebook_id}/export", params={"format": "py"})).text
    imported = await api.post("/api/notebooks/import", json={"name": "From py", "format": "py", "content": script})
    assert imported.status_code == 201, imported.text
    copy = (await api.get(f"/api/notebooks/{imported.json()['notebook_id']}")).json()["cells"]
    fields = ("type", "code", "output_name")
    assert {cell["id"]: {key: cell[key] for key in fields} for cell in copy} == {
        cell["id"]: {key: cell[key] for key in fields} for cell in original
    }


async def test_a_plain_script_imports_as_one_cell(api: httpx.AsyncClient) -> None:
    content = "import math\nprint(math.pi)\n"
    imported = await api.post("/api/notebooks/import", json={"name": "Plain", "format": "py", "content": content})
    assert imported.status_code == 201
    cells = (await api.get(f"/api/notebooks/{imported.json()['notebook_id']}")).json()["cells"]
    assert [(cell["type"], cell["code"]) for cell in cells] == [("python", "import math\nprint(math.pi)")]


@pytest.mark.parametrize(
    ("fmt", "content", "message"),
    [
        ("ipynb", "not json", "not JSON"),
        ("ipynb", "[1, 2]", "expected a JSON object with a 'cells' list"),
        ("ipynb", '{"nbformat": 3, "cells": []}', "nbformat 3 is not supported"),
        ("ipynb", '{"nbformat": 4, "cells": [{"cell_type": "code", "source": 3}]}', "cell 1: 'source' must be"),
        ("ipynb", '{"nbformat": 4, "cells": [{"cell_type": "widget"}]}', "cell 1 has cell_type 'widget'"),
        ("ipynb", "[" * 100_000 + "]" * 100_000, "not JSON"),
        ("py", "x = 1\n# %% [sql] id=q output=r\nSELECT 1\n", "the SQL cell at line 2 is not the export's Python"),
        ("py", "# %% [python]\nx = 1\n# %% [sql] id=q\nq = 1\n", "the SQL cell at line 3 has no _notebook_sql"),
    ],
)
async def test_bad_imports_are_422_and_create_nothing(
    api: httpx.AsyncClient, fmt: str, content: str, message: str
) -> None:
    before = (await api.get("/api/notebooks")).json()["notebooks"]
    response = await api.post("/api/notebooks/import", json={"name": "Bad", "format": fmt, "content": content})
    assert response.status_code == 422
    (problem,) = response.json()["detail"]
    assert problem["type"] == "import_invalid"
    assert problem["loc"] == ["body", "content"]
    assert message in problem["msg"]
    assert (await api.get("/api/notebooks")).json()["notebooks"] == before


async def test_import_validates_its_body(api: httpx.AsyncClient) -> None:
    response = await api.post("/api/notebooks/import", json={"name": "x", "format": "docx", "content": ""})
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "format"]
    response = await api.post("/api/notebooks/import", json={"format": "py", "content": ""})
    assert response.json()["detail"][0]["loc"] == ["body", "name"]


async def test_export_needs_a_known_format_and_notebook(api: httpx.AsyncClient) -> None:
    (demo,) = (await api.get("/api/notebooks")).json()["notebooks"]
    response = await api.get(f"/api/notebooks/{demo['id']}/export", params={"format": "pdf"})
    assert response.status_code == 422
    assert (await api.get("/api/notebooks/nope/export", params={"format": "py"})).status_code == 404


async def test_html_export_escapes_code_and_outputs_and_sandboxes_html(serve: Serve) -> None:
    server = serve()
    async with httpx.AsyncClient(base_url=server.url, timeout=TIMEOUT) as api:
        cells = [
            {"type": "python", "code": "evil = '<script>alert(1)</script>'\nprint(evil)\nevil"},
            {"type": "markdown", "code": "<img src=x onerror=alert(2)>"},
            {
                "type": "python",
                "code": "class Bold:\n    def _repr_html_(self):\n        return '<b onclick=\"x()\">bold</b>'\nBold()",
            },
        ]
        notebook_id = await make_notebook(api, cells, name='<i>"Report"</i>')
        cell_ids = [cell["id"] for cell in (await api.get(f"/api/notebooks/{notebook_id}")).json()["cells"]]
        notebook = await run_all(server, notebook_id, cell_ids[2])
        response = await api.get(f"/api/notebooks/{notebook_id}/export", params={"format": "html"})
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    assert response.headers["content-disposition"].startswith('attachment; filename="i_Report_i.html"')
    assert "sandbox" in response.headers["content-security-policy"]
    page = response.text
    assert "<script>" not in page
    assert "<img src=x" not in page
    assert "<i>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "&lt;img src=x onerror=alert(2)&gt;" in page
    assert '<iframe sandbox="allow-scripts" srcdoc="&lt;b onclick=&quot;x()&quot;&gt;bold&lt;/b&gt;">' in page
    assert "<title>&lt;i&gt;&quot;Report&quot;&lt;/i&gt;</title>" in page
    assert notebook["cells"][0]["stdout"] == "<script>alert(1)</script>\n"


async def test_import_and_export_need_the_token_before_anything_is_read(tmp_path: Path) -> None:
    app = create_app(make_settings(tmp_path / "notebooks", access_token=TOKEN))
    async with app.router.lifespan_context(app), client_of(app) as api:
        refused = await api.post("/api/notebooks/import", content=b"not even json")
        assert refused.status_code == 401
        (demo,) = (await api.get("/api/notebooks", headers=AUTH)).json()["notebooks"]
        assert (await api.get(f"/api/notebooks/{demo['id']}/export", params={"format": "py"})).status_code == 401
        body = {"name": "Mine", "format": "py", "content": "x = 1"}
        assert (await api.post("/api/notebooks/import", json=body, headers=AUTH)).status_code == 201
