"""What cells display: tables, Plotly specs, PNGs, bounded text, and errors that show the user's lines only.

One kernel serves the whole module (pandas, Plotly and matplotlib are imported once); each test adds its own cells.
"""

from __future__ import annotations

import base64
from collections.abc import AsyncIterator
from typing import Any

import pytest
import pytest_asyncio

from app.engine import Cell, CellState, CellStatus, KernelOptions, Notebook, NotebookSession, SessionConfig
from app.engine.kernel import display, mime

from .conftest import MakeSession, run

pytestmark = pytest.mark.asyncio(loop_scope="module")

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def session() -> AsyncIterator[NotebookSession]:
    session = NotebookSession(Notebook(), SessionConfig(kernel=KernelOptions(table_rows=3, text_limit=300)))
    await session.start()
    yield session
    await session.close()


async def show(session: NotebookSession, cell_id: str, code: str) -> CellState:
    session.add_cell(Cell(cell_id, code=code))
    await run(session, cell_id)
    return session.states[cell_id]


def output_of(state: CellState) -> dict[str, Any]:
    assert state.output is not None, state.error
    return state.output


async def test_dataframe_becomes_a_table(session: NotebookSession) -> None:
    state = await show(
        session,
        "frame",
        "import pandas as pd\n"
        "frame = pd.DataFrame({'name': ['a', 'b', 'c', 'd', 'e'], 'value': [1.5, None, 3.0, 4.0, 5.0],\n"
        "                      'when': pd.to_datetime(['2024-01-02'] * 5), 'n': range(5)})\n"
        "frame",
    )
    table = output_of(state)
    assert table["kind"] == "table"
    assert table["columns"] == ["name", "value", "when", "n"]
    assert table["dtypes"][1:] == ["float64", "datetime64[us]", "int64"]
    assert table["dtypes"][0] in {"object", "str"}
    assert table["total_rows"] == 5
    assert table["total_columns"] == 4
    assert table["truncated"] is True, "3 of its 5 rows are shown"
    assert table["index"] == [0, 1, 2]
    assert table["rows"] == [
        ["a", 1.5, "2024-01-02T00:00:00.000", 0],
        ["b", None, "2024-01-02T00:00:00.000", 1],
        ["c", 3.0, "2024-01-02T00:00:00.000", 2],
    ]


async def test_series_and_multiindex_columns_become_tables(session: NotebookSession) -> None:
    series = output_of(await show(session, "series", "import pandas as _pd\n_pd.Series([1, 2], name='count')"))
    assert (series["kind"], series["columns"], series["rows"]) == ("table", ["count"], [[1], [2]])
    grouped = output_of(
        await show(
            session,
            "grouped",
            "import pandas as _pd\n_pd.DataFrame({'k': ['x', 'y'], 'v': [1, 2]}).groupby('k').agg(['sum', 'max'])",
        )
    )
    assert grouped["columns"] == ["v / sum", "v / max"]
    assert grouped["index"] == ["x", "y"]


async def test_plotly_figure_becomes_its_json_spec(session: NotebookSession) -> None:
    state = await show(
        session,
        "plotly",
        "import plotly.graph_objects as go\ngo.Figure(go.Bar(x=['a', 'b'], y=[3, 4]), layout={'title': {'text': 'T'}})",
    )
    output = output_of(state)
    assert output["kind"] == "plotly"
    (trace,) = output["spec"]["data"]
    assert (trace["type"], trace["x"], trace["y"]) == ("bar", ["a", "b"], [3, 4])
    assert output["spec"]["layout"]["title"]["text"] == "T"


@pytest.mark.parametrize(
    "code",
    [
        "_fig, _ax = _plt.subplots()\n_ax.plot([1, 2, 3])\n_fig",
        "_plt.plot([1, 2, 3])",
        "_plt.plot([1, 2, 3])\n_plt.title('current figure, no expression')",
        "_plt.figure()\n_plt.bar(['a'], [1])\n_plt.gca()",
    ],
    ids=["figure", "artists", "current-figure", "axes"],
)
async def test_matplotlib_becomes_a_png(session: NotebookSession, code: str) -> None:
    cell_id = f"mpl-{abs(hash(code))}"
    state = await show(session, cell_id, "import matplotlib.pyplot as _plt\n" + code)
    output = output_of(state)
    assert (output["kind"], output["mime"]) == ("image", "image/png")
    assert base64.b64decode(output["data"]).startswith(PNG_SIGNATURE)


async def test_figures_do_not_leak_into_the_next_cell(session: NotebookSession) -> None:
    await show(session, "draw", "import matplotlib.pyplot as _plt\n_plt.plot([1])")
    state = await show(session, "after-draw", "import matplotlib.pyplot as _plt\nlen(_plt.get_fignums())")
    assert output_of(state)["text"] == "0"


async def test_anything_else_is_a_bounded_text_repr(session: NotebookSession) -> None:
    assert output_of(await show(session, "number", "6 * 7")) == {"kind": "text", "text": "42", "truncated": False}
    long = output_of(await show(session, "long", "'x' * 5000"))
    assert long["truncated"] is True, "reprlib shortened it to the limit: the text does not hold the whole repr"
    assert len(long["text"]) == 300
    assert long["text"] == "'" + "x" * 147 + "..." + "x" * 148 + "'"
    huge = output_of(await show(session, "huge", "list(range(100_000))"))  # never rendered in full
    assert huge["text"].startswith("[0, 1, 2")
    assert huge["truncated"] is True
    assert huge["text"].endswith("more characters)")
    loud = "class Loud:\n    def __repr__(self):\n        return 'y' * 10_000\nLoud()"
    big = output_of(await show(session, "big-repr", loud))
    assert big["truncated"] is True
    assert big["text"] == "y" * 300 + "… (9700 more characters)"


async def test_none_and_statements_display_nothing(session: NotebookSession) -> None:
    assert (await show(session, "none", "None")).output is None
    assert (await show(session, "assign", "assigned_value = 3")).output is None
    assert (await show(session, "printed", "print('only printed')")).output is None


@pytest.mark.parametrize(
    ("code", "shown"),
    [
        ("width = 6\nwidth * 7", "42"),
        ("height = 2  # metres\nheight * 3  # area", "6"),
        ("depth = 5\ndepth;", "5"),
        ("(1 +\n 2 +\n 3)", "6"),
        ("async def later():\n    return 'ran'\nlater()", "'ran'"),
        ("import asyncio\nawait asyncio.sleep(0, result='awaited')", "'awaited'"),
    ],
    ids=["last-line", "comments", "semicolon", "multi-line", "coroutine", "await"],
)
async def test_the_final_expression_is_displayed(session: NotebookSession, code: str, shown: str) -> None:
    cell_id = f"final-{abs(hash(code))}"
    assert output_of(await show(session, cell_id, code))["text"] == shown


async def test_a_final_compound_statement_displays_nothing(session: NotebookSession) -> None:
    state = await show(session, "final-if", "flag = True\nif flag:\n    'not shown'")
    assert (state.status, state.output) == (CellStatus.SUCCESS, None)


async def test_private_names_do_not_move_the_carets(session: NotebookSession) -> None:
    def carets(state: CellState) -> str:
        assert state.error is not None
        return state.error["text"].splitlines()[3]

    public = await show(session, "carets-public", "count_ = 5; count_ + 'a'")
    private = await show(session, "carets-private", "_count = 5; _count + 'a'")
    assert "^" in carets(public)
    assert carets(private) == carets(public)


async def test_error_traceback_shows_the_users_lines_only(session: NotebookSession) -> None:
    await show(session, "helper", "def divide(a, b):\n    ratio = a / b\n    return ratio")
    state = await show(session, "caller", "numerator = 1\ndivide(numerator, 0)")
    error = state.error
    assert error is not None
    assert (error["type"], error["message"]) == ("ZeroDivisionError", "division by zero")
    assert [(frame["cell_id"], frame["line"], frame["code"]) for frame in error["traceback"]] == [
        ("caller", 2, "divide(numerator, 0)"),
        ("helper", 2, "ratio = a / b"),
    ]
    assert error["text"].startswith("Traceback (most recent call last):")
    assert "app/engine" not in error["text"]
    assert error["text"].endswith("ZeroDivisionError: division by zero")


async def test_library_frames_are_kept_and_chained_exceptions_trimmed(session: NotebookSession) -> None:
    state = await show(
        session,
        "chained",
        "import json\ntry:\n    json.loads('{oops')\n"
        "except ValueError as error:\n    raise RuntimeError('bad config') from error",
    )
    error = state.error
    assert error is not None
    assert error["type"] == "RuntimeError"
    assert "json/decoder.py" in error["text"], "the library frames below the user's call stay"
    assert "The above exception was the direct cause" in error["text"]
    assert "app/engine" not in error["text"]


async def test_private_names_read_naturally_in_errors_and_reprs(session: NotebookSession) -> None:
    state = await show(session, "private-error", "def _helper():\n    return _missing\n_helper()")
    assert state.error is not None
    assert state.error["message"] == "name '_missing' is not defined"
    assert [frame["name"] for frame in state.error["traceback"]] == ["<module>", "_helper"]
    assert "_cell_" not in state.error["text"]
    shown = output_of(await show(session, "private-repr", "def _inner():\n    pass\n_inner"))
    assert shown["text"].startswith("<function _inner at")


@pytest.mark.parametrize(
    ("field", "shown"),
    [("{_x=}", "_x='v'"), ("{ _x = !s}", " _x = v"), ("{(_x)=:>3}", "(_x)=  v"), ("{ {_x: 1}=}", " {_x: 1}={'v': 1}")],
)
async def test_an_f_string_shows_a_private_name_as_written(session: NotebookSession, field: str, shown: str) -> None:
    state = await show(session, f"debug-{abs(hash(field))}", f"_x = 'v'\nprint(f{field!r}, end='')")
    assert state.console == [{"name": "stdout", "text": shown}]


async def test_a_failing_repr_is_the_cells_error(session: NotebookSession) -> None:
    broken = "class Broken:\n    def __repr__(self):\n        raise ValueError('no repr')\nBroken()"
    state = await show(session, "bad-repr", broken)
    assert state.error is not None
    assert state.error["type"] == "ValueError"
    assert state.error["traceback"][-1] == {
        "cell_id": "bad-repr",
        "filename": "<cell bad-repr>",
        "line": 3,
        "name": "__repr__",
        "code": "raise ValueError('no repr')",
    }


# -- one ordered stream per cell -------------------------------------------------------------------------------------


def chunks_of(state: CellState) -> list[tuple[str, str]]:
    return [(chunk["name"], chunk["text"]) for chunk in state.console]


async def test_stdout_and_stderr_keep_the_order_they_were_written_in(session: NotebookSession) -> None:
    events = session.subscribe()
    state = await show(session, "mixed", "import sys as _sys\nprint(1)\nprint(2, file=_sys.stderr)\nprint(3)")
    assert chunks_of(state) == [("stdout", "1\n"), ("stderr", "2\n"), ("stdout", "3\n")]
    streamed = [event.to_dict() for event in events.pending() if event.to_dict()["type"] == "stream"]
    assert [(event["cell_id"], event["name"], event["text"]) for event in streamed] == [
        ("mixed", "stdout", "1\n"),
        ("mixed", "stderr", "2\n"),
        ("mixed", "stdout", "3\n"),
    ]


async def test_the_order_holds_across_flushes_and_long_outputs(session: NotebookSession) -> None:
    # Lines far over the kernel's batch size (8 KiB), alternating streams, with explicit flushes between some.
    code = (
        "import sys as _sys\n"
        "for _i in range(40):\n"
        "    _stream = _sys.stderr if _i % 3 == 1 else _sys.stdout\n"
        "    print(str(_i) * 1000 if _i % 7 == 0 else _i, file=_stream)\n"
        "    if _i % 5 == 0:\n"
        "        _stream.flush()\n"
    )
    state = await show(session, "long-mixed", code)
    expected: list[tuple[str, str]] = []
    for i in range(40):
        name = "stderr" if i % 3 == 1 else "stdout"
        text = (str(i) * 1000 if i % 7 == 0 else str(i)) + "\n"
        if expected and expected[-1][0] == name:
            expected[-1] = (name, expected[-1][1] + text)
        else:
            expected.append((name, text))
    assert chunks_of(state) == expected, state.error


async def test_descriptor_and_child_process_output_join_the_same_order(session: NotebookSession) -> None:
    code = (
        "import os as _os, subprocess as _subprocess, sys as _sys\n"
        "print('a')\n"
        "_os.write(2, b'b\\n')\n"
        "print('c')\n"
        "_subprocess.run([_sys.executable, '-c', 'import sys; print(\"d\", file=sys.stderr)'], check=True)\n"
        # Output waiting on both descriptors at once has no order to keep: a Python-level write comes between.
        "print('e')\n"
        "_os.write(1, b'f\\n')\n"
        "print('g', file=_sys.stderr)\n"
        # A child alternating streams, pausing between them as a program writing lines now and then does.
        "_subprocess.run([_sys.executable, '-u', '-c',\n"
        "    'import sys, time\\nfor s in (sys.stdout, sys.stderr, sys.stdout):\\n    print(s.name[4:7], file=s)\\n"
        "    time.sleep(0.3)'], check=True)\n"
    )
    state = await show(session, "children", code)
    assert chunks_of(state) == [
        ("stdout", "a\n"),
        ("stderr", "b\n"),
        ("stdout", "c\n"),
        ("stderr", "d\n"),
        ("stdout", "e\nf\n"),
        ("stderr", "g\n"),
        ("stdout", "out\n"),
        ("stderr", "err\n"),
        ("stdout", "out\n"),
    ]


# -- every cut says so -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "shown"),
    [
        ("[[[[[[[[1]]]]]]]]", "[[[[[[[...]]]]]]]"),  # deeper than reprlib's levels
        ("2 ** 2000", "1148130695"),  # more digits than the limit
        ("b'y' * 400", "b'yyyy"),
    ],
)
async def test_a_shortened_repr_says_it_is_truncated(session: NotebookSession, code: str, shown: str) -> None:
    output = output_of(await show(session, f"short-{abs(hash(code))}", code))
    assert output["text"].startswith(shown)
    assert "..." in output["text"]
    assert output["truncated"] is True


@pytest.mark.parametrize(
    "value",
    [list(range(1000)), dict.fromkeys(range(1000)), set(range(1000)), tuple(range(1000)), [[i] for i in range(1000)]],
)
async def test_containers_reprlib_shortens_under_the_limit_are_truncated(value: Any) -> None:
    # Past 200 items reprlib writes `...` for the rest: far under the default limit, and still not the whole value.
    output = display.text(value, 10_000)
    assert len(output["text"]) < 3_000
    assert output["text"].count("...") == 1
    assert output["truncated"] is True


async def test_a_whole_repr_or_table_is_not_truncated(session: NotebookSession) -> None:
    assert output_of(await show(session, "whole-list", "[1, '...', [2, [3]]]")) == {
        "kind": "text",
        "text": "[1, '...', [2, [3]]]",
        "truncated": False,
    }
    assert output_of(await show(session, "whole-string", "'y' * 298"))["truncated"] is False
    small = output_of(await show(session, "whole-table", "import pandas as _pd\n_pd.DataFrame({'a': [1, 2, 3]})"))
    assert (small["kind"], small["total_rows"], small["truncated"]) == ("table", 3, False)


async def test_a_table_with_too_many_columns_is_truncated(session: NotebookSession) -> None:
    wide = output_of(await show(session, "wide", "import pandas as _pd\n_pd.DataFrame([list(range(250))])"))
    assert (len(wide["columns"]), wide["total_columns"], len(wide["rows"]), wide["truncated"]) == (200, 250, 1, True)


async def test_the_console_says_when_its_oldest_text_was_dropped(make_session: MakeSession) -> None:
    session = await make_session(
        Cell("quiet", code="print('ok')"),
        Cell("loud", code="import sys\nfor i in range(6):\n    print(i, file=sys.stderr if i % 2 else sys.stdout)"),
        config=SessionConfig(console_limit=7),
    )
    await run(session, "quiet", "loud")
    assert session.states["quiet"].console_truncated is False
    assert session.states["quiet"].to_dict()["console_truncated"] is False
    loud = session.states["loud"]
    # 0..5, one per line, is 12 characters: the newest 7 are kept, in order, with their streams.
    assert [(chunk["name"], chunk["text"]) for chunk in loud.console] == [
        ("stdout", "\n"),
        ("stderr", "3\n"),
        ("stdout", "4\n"),
        ("stderr", "5\n"),
    ]
    assert loud.console_truncated is True
    assert loud.to_dict()["console_truncated"] is True
    session.update_cell("loud", code="print('short')")
    await run(session, "loud")
    assert (loud.console, loud.console_truncated) == ([{"name": "stdout", "text": "short\n"}], False)


# -- rich displays: a value's own _repr_*_ methods -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "method", "returned", "expected"),
    [
        ("RichHtml", "_repr_html_", "'<b>bold</b>'", {"kind": "html", "html": "<b>bold</b>", "truncated": False}),
        ("RichMd", "_repr_markdown_", "'# Title'", {"kind": "markdown", "markdown": "# Title", "truncated": False}),
        (
            "RichSvg",
            "_repr_svg_",
            "'<svg xmlns=\"http://www.w3.org/2000/svg\"/>'",
            {"kind": "svg", "svg": '<svg xmlns="http://www.w3.org/2000/svg"/>'},
        ),
        ("RichPng", "_repr_png_", "b'\\x89PNG'", {"kind": "image", "mime": "image/png", "data": "iVBORw=="}),
        (
            "RichJpeg",
            "_repr_jpeg_",
            "(b'\\xff\\xd8', {'width': 1})",
            {"kind": "image", "mime": "image/jpeg", "data": "/9g="},
        ),
        ("RichJson", "_repr_json_", "{'a': [1, None, 'x']}", {"kind": "json", "data": {"a": [1, None, "x"]}}),
    ],
)
async def test_a_values_own_representation_is_shown(
    session: NotebookSession, name: str, method: str, returned: str, expected: dict[str, Any]
) -> None:
    code = f"class {name}:\n    def {method}(self):\n        return {returned}\n{name}()"
    assert output_of(await show(session, f"rich-{name}", code)) == expected


async def test_html_is_preferred_and_a_none_representation_is_skipped(session: NotebookSession) -> None:
    code = (
        "class RichMany:\n"
        "    def _repr_html_(self):\n        return None\n"
        "    def _repr_markdown_(self):\n        return '*md*'\n"
        "    def _repr_json_(self):\n        return {}\n"
        "RichMany()"
    )
    assert output_of(await show(session, "rich-many", code))["kind"] == "markdown"


async def test_a_mimebundle_is_read_and_text_plain_is_its_last_resort(session: NotebookSession) -> None:
    code = (
        "import base64 as _b64\n"
        "class RichBundle:\n"
        "    def __init__(self, bundle):\n        self.bundle = bundle\n"
        "    def _repr_mimebundle_(self, include=None, exclude=None):\n        return self.bundle, {}\n"
        "bundles = [RichBundle({'image/png': _b64.b64encode(b'png').decode(), 'text/plain': 'p'}),\n"
        "           RichBundle({'text/plain': 'plain ' * 100}), RichBundle({'application/x-other': 1})]"
    )
    await show(session, "rich-bundles", code)
    assert output_of(await show(session, "rich-b0", "bundles[0]")) == {
        "kind": "image",
        "mime": "image/png",
        "data": "cG5n",
    }
    plain = output_of(await show(session, "rich-b1", "bundles[1]"))
    assert (plain["kind"], plain["truncated"]) == ("text", True)
    assert plain["text"].startswith("plain plain")
    assert plain["text"].endswith("(300 more characters)")
    assert output_of(await show(session, "rich-b2", "bundles[2]"))["text"].startswith("<__main__.RichBundle object")


async def test_dataframes_and_classes_keep_their_own_display(session: NotebookSession) -> None:
    frame = output_of(await show(session, "rich-frame", "import pandas as _pd\n_pd.DataFrame({'a': [1]})"))
    assert frame["kind"] == "table", "a DataFrame's _repr_html_ does not win over the table"
    cls = "class RichClass:\n    def _repr_html_(self):\n        return '<i>x</i>'\nRichClass"
    assert output_of(await show(session, "rich-class", cls)) == {
        "kind": "text",
        "text": "<class '__main__.RichClass'>",
        "truncated": False,
    }
    mock = output_of(await show(session, "rich-mock", "from unittest import mock as _mock\n_mock.MagicMock()"))
    assert mock["kind"] == "text", "an object answering every attribute has no representations"


async def test_a_huge_html_is_cut_and_a_huge_image_falls_back() -> None:
    class Huge:
        def _repr_html_(self) -> str:
            return "<p>" + "x" * 2_000

        def _repr_png_(self) -> bytes:
            return b"x" * 2_000

        def __repr__(self) -> str:
            return "Huge()"

    cut = mime.rich(Huge(), 100, limit=1_000)
    assert cut == {"kind": "html", "html": ("<p>" + "x" * 2_000)[:1_000], "truncated": True}
    del Huge._repr_html_
    assert mime.rich(Huge(), 100, limit=1_000) is None, "a PNG cannot be cut: the text repr is shown instead"
    Huge._repr_png_ = lambda self: b"x" * (mime.MAX_RICH_CHARACTERS // 4 * 3 + 3)  # type: ignore[method-assign]
    assert display.render(Huge(), table_rows=3, text_limit=100, keep_table=lambda frame: "kept") == {
        "kind": "text",
        "text": "Huge()",
        "truncated": False,
    }


async def test_a_huge_html_from_the_kernel_is_cut_at_the_limit(session: NotebookSession) -> None:
    code = (
        f"class RichHuge:\n    def _repr_html_(self):\n        return 'y' * {mime.MAX_RICH_CHARACTERS + 5}\nRichHuge()"
    )
    output = output_of(await show(session, "rich-huge", code))
    assert (output["kind"], len(output["html"]), output["truncated"]) == ("html", mime.MAX_RICH_CHARACTERS, True)


@pytest.mark.parametrize(
    ("method", "returned", "message"),
    [
        ("_repr_html_", "42", "RichBad_repr_html's text/html representation is int: it must be str"),
        ("_repr_png_", "'not base64!'", "RichBad_repr_png's image/png representation is a str that is not base64"),
        ("_repr_json_", "{'a': {1, 2}}", "RichBad_repr_json's application/json representation cannot be sent as JSON"),
        ("_repr_mimebundle_", "[]", "RichBad_repr_mimebundle._repr_mimebundle_() returned list"),
        ("_repr_markdown_", "1 / 0", "division by zero"),
    ],
)
async def test_a_bad_representation_is_the_cells_error(
    session: NotebookSession, method: str, returned: str, message: str
) -> None:
    args = "self, include=None, exclude=None" if method == "_repr_mimebundle_" else "self"
    name = f"RichBad{method.rstrip('_')}"
    code = f"class {name}:\n    def {method}({args}):\n        return {returned}\n{name}()"
    state = await show(session, f"rich-bad-{method}", code)
    assert state.output is None
    assert state.error is not None
    assert message in state.error["message"]
