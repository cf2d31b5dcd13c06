"""Table-driven analysis cases (analysis_cases.yaml), plus SQL cell analysis."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from app.engine.analysis import StaticErrorKind, analyze_python, analyze_sql

CASES = yaml.safe_load((Path(__file__).parent / "analysis_cases.yaml").read_text())


def test_the_case_table_is_large_and_unambiguous() -> None:
    names = [case["name"] for case in CASES]
    assert len(names) >= 80
    assert len(set(names)) == len(names), "case names must be unique"


@pytest.mark.parametrize("case", CASES, ids=[case["name"] for case in CASES])
def test_python_cell(case: dict) -> None:
    analysis = analyze_python(case["code"])
    assert sorted(analysis.defines) == sorted(case.get("defines", []))
    assert sorted(analysis.references) == sorted(case.get("references", []))
    assert [error.kind.value for error in analysis.errors] == case.get("errors", [])
    for field in ("builtins", "deletes"):
        if field in case:
            assert sorted(getattr(analysis, field)) == sorted(case[field]), field


def test_syntax_error_is_located() -> None:
    (error,) = analyze_python("a = 1\nb = (\n").errors
    assert error.kind is StaticErrorKind.SYNTAX
    assert error.line == 2
    assert "line 2" in error.message


def test_star_import_message_says_what_to_do() -> None:
    (error,) = analyze_python("x = 1\nfrom pandas import *").errors
    assert error.line == 2
    assert "`from pandas import *` is not supported" in error.message
    assert "import pandas" in error.message


def test_sql_placeholders_are_references_and_output_is_defined() -> None:
    analysis = analyze_sql("select * from t where a > {low} and b < {high} and c = {low}", "result")
    assert analysis.defines == {"result"}
    assert analysis.references == {"low", "high"}
    assert analysis.errors == ()


def test_sql_braces_in_literals_and_comments_are_not_placeholders() -> None:
    analysis = analyze_sql("select '{a}', \"{b}\", $${c}$$ -- {d}\n/* {e} */ , {f}", "out")
    assert analysis.references == {"f"}


def test_sql_private_placeholder_is_an_error() -> None:
    (error,) = analyze_sql("select 1\nwhere x = {_secret}", "out").errors
    assert error.kind is StaticErrorKind.PRIVATE_PLACEHOLDER
    assert (error.line, error.column) == (2, 11)
    assert "{_secret}" in error.message


def test_sql_invalid_output_name_is_an_error() -> None:
    analysis = analyze_sql("select 1", "class")
    assert [error.kind for error in analysis.errors] == [StaticErrorKind.INVALID_OUTPUT_NAME]
    assert analysis.defines == frozenset()


def test_sql_private_output_name_is_not_shared() -> None:
    assert analyze_sql("select 1", "_scratch").defines == frozenset()
