"""`%pip` lines: read by the analysis as `pass`, compiled to a call of the kernel's pip function; others refused."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.engine.analysis import StaticErrorKind, analyze_python
from app.engine.cellcode import compiled_source
from app.engine.kernel.packages import pip_command
from app.engine.magics import MagicError, blanked, find_magics
from app.engine.privates import mangle


def test_pip_lines_are_found_with_their_arguments_whatever_their_prefix_and_indentation() -> None:
    code = "%pip install 'pandas>=2' # newest\nx = 1\nif x:\n    !pip uninstall -y polars\n"
    magics = find_magics(code)
    assert [magic.arguments for magic in magics] == [["install", "pandas>=2"], ["uninstall", "-y", "polars"]]
    first, second = "%pip install 'pandas>=2' # newest", "!pip uninstall -y polars"
    assert blanked(code, magics) == f"{'pass'.ljust(len(first))}\nx = 1\nif x:\n    {'pass'.ljust(len(second))}\n"


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("%time x", "%time x is not supported: only %pip (or !pip) install, uninstall, list, show run in a cell"),
        ("x = 1\n!ls -l", "!ls -l is not supported"),
        ("%pip freeze", "pip freeze is not supported"),
        ("%pip", "pip without a subcommand is not supported"),
        ("%pip install 'unclosed", "cannot be read: No closing quotation"),
    ],
)
def test_other_magics_are_refused_naming_the_line(code: str, message: str) -> None:
    with pytest.raises(MagicError, match=message.replace("(", r"\(").replace(")", r"\)")) as raised:
        find_magics(code)
    assert raised.value.line == code.count("\n") + 1
    analysis = analyze_python(code)
    assert [(error.kind, error.line) for error in analysis.errors] == [(StaticErrorKind.SYNTAX, raised.value.line)]
    assert message in analysis.errors[0].message


def test_a_cell_with_pip_lines_keeps_its_names_and_output() -> None:
    code = "%pip install shipwheel\nimport shipwheel as _s\nvalue = _s.VALUE\nvalue"
    analysis = analyze_python(code)
    assert (analysis.defines, analysis.references, analysis.errors) == (frozenset({"value"}), frozenset(), ())
    assert analysis.compile is not None
    source = compiled_source(code, analysis.compile, "c1")["source"].splitlines()
    assert source[0] == "__notebook_pip__(['install', 'shipwheel'])"
    private = mangle("c1", "_s")
    assert source[1:] == [f"import shipwheel as {private}", f"value = {private}.VALUE", "__cell_result__ = value"]


def test_a_real_syntax_error_next_to_a_pip_line_is_reported_at_its_line() -> None:
    analysis = analyze_python("%pip install x\nprint(")
    assert [(error.kind, error.line) for error in analysis.errors] == [(StaticErrorKind.SYNTAX, 2)]


def test_valid_python_is_never_read_as_a_magic() -> None:
    code = "total = (10\n%pip)"  # `%` continuing an expression: `10 % pip`
    assert analyze_python(code).references == frozenset({"pip"})


def test_pip_runs_on_the_kernels_environment_through_uv_when_there_is_uv() -> None:
    python = Path("/k/.notebook-packages/bin/python")
    assert pip_command(python, ["install", "x"], "/usr/bin/uv") == [
        "/usr/bin/uv",
        "pip",
        "install",
        "--python",
        str(python),
        "x",
    ]
    command = pip_command(python, ["install", "x"], None)
    assert command[1:] == ["-m", "pip", "--python", str(python), "--disable-pip-version-check", "install", "x"]
