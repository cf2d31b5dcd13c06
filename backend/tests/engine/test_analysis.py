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
    assert analysis.references == {"low", "high", "t"}
    assert analysis.errors == ()


@pytest.mark.parametrize(
    ("query", "tables"),
    [
        ("SELECT region, sum(amount) FROM sales GROUP BY region", {"sales"}),
        (
            "select * from sales s join Customers c using (id) where id in (select id from vip)",
            {"sales", "Customers", "vip"},
        ),
        # a CTE is not a Python name, wherever it is read
        ("with recent as (select * from sales) select * from recent join recent r2 using (id)", {"sales"}),
        # schema- or catalog-qualified names are database tables
        ("select * from main.sales, memory.main.items, information_schema.tables", set()),
        # files and table functions
        ("select * from 'data/sales.csv', read_parquet('s3://bucket/x.parquet'), range(3)", set()),
        # tables the cell creates or writes are its own
        (
            "create table totals as select * from sales; insert into totals select * from extra; select * from totals",
            {"sales", "extra"},
        ),
        ("update stock set n = 0 from orders where stock.id = orders.id", {"orders"}),
        # names that cannot be Python variables
        ('select * from "my table", "class"', set()),
        # placeholders are bind parameters, not tables; a query that does not parse reads no table
        ("select * from {frame}", {"frame"}),
        # a placeholder before a string literal, which sqlglot cannot tokenize as `$1`
        ("select * from data where v > {limit} and note <> ''", {"data", "limit"}),
        ("select from where (", set()),
    ],
)
def test_sql_tables_that_can_be_python_names_are_references(query: str, tables: set[str]) -> None:
    assert analyze_sql(query, "out").references == tables


def test_sql_private_table_name_is_not_a_reference() -> None:
    assert analyze_sql("select * from _scratch join shared using (id)", "out").references == {"shared"}


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
