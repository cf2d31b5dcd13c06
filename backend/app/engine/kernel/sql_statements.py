"""What a SQL cell's statements leave as its result, in DuckDB and in PostgreSQL.

The kernel (sql_runner) imports these functions and every exported script carries this file's source verbatim
(services/export), so a script shows what the notebook showed. Hence: standard library only, no package imports.
"""

from typing import Any


def duckdb_statement_result(connection: Any, statement: Any, parameters: dict[str, Any]) -> tuple[Any, str | None]:
    """Runs one DuckDB statement: (DataFrame, None) when it returns rows, else (None, status) such as `INSERT 3`."""
    cursor = connection.execute(statement, parameters or None)
    kind = statement.type.name
    columns = [column[0] for column in cursor.description or ()]
    if kind in ("INSERT", "UPDATE", "DELETE") and columns == ["Count"]:
        (count,) = cursor.fetchone() or (0,)
        return None, f"{kind} {count}"
    if kind == "SELECT" or (columns and columns != ["Count"]):
        return cursor.df(), None
    cursor.fetchall()
    return None, kind


def postgres_last_rows(cursor: Any) -> tuple[list[str] | None, list[Any], str]:
    """After a psycopg execute of one or more statements: the columns and rows of the last one that returned rows
    (None when none did) and the server's status of the last statement (`INSERT 0 3`)."""
    columns: list[str] | None = None
    rows: list[Any] = []
    status = cursor.statusmessage
    while True:
        if cursor.description is not None:
            columns = [column.name for column in cursor.description]
            rows = cursor.fetchall()
        status = cursor.statusmessage
        if not cursor.nextset():
            return columns, rows, status
