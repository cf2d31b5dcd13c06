"""SQL cells in the kernel: `{name}` placeholders sent as bind parameters, results as pandas DataFrames."""

from __future__ import annotations

from typing import Any

from .. import sql as sql_template
from .execute import ReportedError, TracebackFrame, cell_filename

CONNECT_TIMEOUT_SECONDS = 10


class SqlRunner:
    def __init__(self) -> None:
        self._connections: dict[str, Any] = {}  # conninfo -> open psycopg connection, reused across cells

    def run(self, cell_id: str, query: str, conninfo: str, namespace: dict[str, Any]) -> tuple[Any, str | None]:
        """Returns the result DataFrame and, for a statement without rows, the server's status (`INSERT 0 3`)."""
        import pandas
        import psycopg

        template = sql_template.parse(query)
        if not template.text.strip():
            raise ReportedError("ValueError", "the SQL cell is empty: write a query to run")
        values = [self._value(cell_id, template, name, namespace) for name in template.names]
        if not conninfo.strip():
            raise ReportedError(
                "ConnectionError",
                "this notebook has no PostgreSQL connection string: set one in the notebook settings "
                "(for example postgresql://user:password@host:5432/database) to run SQL cells",
            )
        connection = self._connect(conninfo)
        try:
            with connection.cursor() as cursor:
                cursor.execute(template.text, values or None)
                columns: list[str] | None = None
                rows: list[tuple[Any, ...]] = []
                status = cursor.statusmessage
                while True:  # a cell may hold several statements: the last one that returns rows is the result
                    if cursor.description is not None:
                        columns = [column.name for column in cursor.description]
                        rows = cursor.fetchall()
                    status = cursor.statusmessage
                    if not cursor.nextset():
                        break
        except psycopg.Error as error:
            if connection.broken or connection.closed:
                self._connections.pop(conninfo, None)
            raise _sql_error(cell_id, template, error) from None
        except BaseException:
            # Interrupted mid-query: the connection's state is unknown, start afresh next time.
            self._connections.pop(conninfo, None)
            connection.close()
            raise
        if columns is None:
            return pandas.DataFrame(), status
        return pandas.DataFrame.from_records(rows, columns=columns), None

    def _connect(self, conninfo: str) -> Any:
        import psycopg

        connection = self._connections.get(conninfo)
        if connection is not None and not connection.closed and not connection.broken:
            return connection
        try:
            options = psycopg.conninfo.conninfo_to_dict(conninfo)
        except psycopg.ProgrammingError as error:
            raise ReportedError("ConnectionError", f"the connection string is not valid: {error}") from None
        options.setdefault("connect_timeout", CONNECT_TIMEOUT_SECONDS)
        try:
            connection = psycopg.Connection.connect(
                psycopg.conninfo.make_conninfo("", **options), autocommit=True, cursor_factory=psycopg.RawCursor
            )
        except psycopg.Error as error:
            where = " ".join(f"{key}={options[key]}" for key in ("host", "port", "dbname", "user") if key in options)
            raise ReportedError(
                "ConnectionError", f"could not connect to PostgreSQL ({where or 'default settings'}): {error}"
            ) from None
        self._connections[conninfo] = connection
        return connection

    @staticmethod
    def _value(cell_id: str, template: sql_template.SqlTemplate, name: str, namespace: dict[str, Any]) -> Any:
        if name in namespace:
            return namespace[name]
        line, _ = template.placeholder_location(name)
        raise ReportedError(
            "NameError",
            f"name '{name}' is not defined (used as {{{name}}} in this SQL cell)",
            [_frame(cell_id, template, line)],
        )


def _sql_error(cell_id: str, template: sql_template.SqlTemplate, error: Any) -> ReportedError:
    diagnostic = error.diag
    message = diagnostic.message_primary or str(error).strip()
    frames: list[TracebackFrame] = []
    if diagnostic.statement_position:
        offset = template.source_offset(int(diagnostic.statement_position) - 1)
        line, column = template.location(offset)
        message += f" (line {line}, column {column})"
        frames.append(_frame(cell_id, template, line))
    for extra in (diagnostic.message_detail, diagnostic.message_hint):
        if extra:
            message += f"\n{extra}"
    return ReportedError(type(error).__name__, message, frames)


def _frame(cell_id: str, template: sql_template.SqlTemplate, line: int) -> TracebackFrame:
    code = template.source.splitlines()[line - 1].strip() if template.source else ""
    return {"cell_id": cell_id, "filename": cell_filename(cell_id), "line": line, "name": "<sql>", "code": code}
