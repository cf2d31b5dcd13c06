"""The notebook a fresh installation starts with: it shows reactivity, a DataFrame, a Plotly chart and SQL."""

from __future__ import annotations

from app.engine import Cell, CellType, Notebook

DEMO_NAME = "Welcome: a reactive notebook"

INTRO = """\
# Welcome! Cells form a graph: when a cell changes and runs, every cell that reads
# its variables runs again by itself. Change `growth` below, run it, and watch the
# table, the chart and the summary follow.
import pandas as pd
import plotly.express as px"""

INPUTS = "growth = 0.05  # monthly growth rate\nmonths = 24"

TABLE = """\
forecast = pd.DataFrame({"month": range(1, months + 1)})
forecast["revenue"] = (10_000 * (1 + growth) ** forecast["month"]).round(2)
forecast"""

CHART = 'px.line(forecast, x="month", y="revenue", title=f"Revenue at {growth:.0%} monthly growth")'

SUMMARY = "print(f\"After {months} months: {forecast['revenue'].iloc[-1]:,.0f} a month\")"

SQL = """\
-- SQL cells query the notebook's DataFrames by name: with no database connection set,
-- DuckDB runs inside the kernel. {months} is a bind parameter; the result is a DataFrame
-- named last_half_year, and editing `forecast` or `months` re-runs this cell.
SELECT month, revenue, revenue - lag(revenue) OVER (ORDER BY month) AS increase
FROM forecast
WHERE month > {months} - 6
ORDER BY month"""


def demo_notebook() -> Notebook:
    return Notebook(
        [
            Cell("intro", CellType.PYTHON, INTRO),
            Cell("inputs", CellType.PYTHON, INPUTS),
            Cell("table", CellType.PYTHON, TABLE),
            Cell("chart", CellType.PYTHON, CHART),
            Cell("summary", CellType.PYTHON, SUMMARY),
            Cell("sql", CellType.SQL, SQL, output_name="last_half_year"),
        ]
    )
