"""SQL cells in the kernel: `{name}` placeholders sent as bind parameters, results as pandas DataFrames.

A notebook with a connection string runs its SQL cells on that PostgreSQL server. Without one they run in an
in-process DuckDB database of the kernel (one per kernel, so tables a cell creates last until the kernel restarts):
`FROM sales` reads the kernel's DataFrame `sales`, and DuckDB reads CSV, Parquet and JSON files, local or on S3
(`s3://bucket/key.parquet`, with the kernel's AWS credentials) through the httpfs extension shipped as a package.
"""

from __future__ import annotations

import os
import re
import resource
import urllib.parse
from typing import Any

from .. import sql as sql_template
from .execute import ReportedError, TracebackFrame, cell_filename
from .sql_statements import duckdb_statement_result, postgres_last_rows

CONNECT_TIMEOUT_SECONDS = 10


class SqlRunner:
    def __init__(self) -> None:
        self._connections: dict[str, Any] = {}  # conninfo -> open psycopg connection, reused across cells
        self._duckdb = DuckDbRunner()

    def run(self, cell_id: str, query: str, conninfo: str, namespace: dict[str, Any]) -> tuple[Any, str | None]:
        """Returns the result DataFrame and, for a statement without rows, the server's status (`INSERT 0 3`)."""
        import pandas
        import psycopg

        template = sql_template.parse(query)
        if not template.text.strip():
            raise ReportedError("ValueError", "the SQL cell is empty: write a query to run")
        values = [self._value(cell_id, template, name, namespace) for name in template.names]
        if not conninfo.strip():
            return self._duckdb.run(cell_id, template, values, namespace)
        connection = self._connect(conninfo)
        try:
            with connection.cursor() as cursor:
                cursor.execute(template.text, values or None)
                columns, rows, status = postgres_last_rows(cursor)
        except psycopg.Error as error:
            if connection.broken or connection.closed:
                self._connections.pop(conninfo, None)
            raise _sql_error(cell_id, template, error, namespace) from None
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


def _sql_error(
    cell_id: str, template: sql_template.SqlTemplate, error: Any, namespace: dict[str, Any]
) -> ReportedError:
    diagnostic = error.diag
    message = diagnostic.message_primary or str(error).strip()
    missing = re.fullmatch(r'relation "(\w+)" does not exist', message)
    if missing and missing.group(1) in sql_template.table_names(template) and missing.group(1) in namespace:
        message += (
            f"; '{missing.group(1)}' is a Python variable of this notebook, but its SQL cells run on the PostgreSQL "
            "server of its connection string: clear the connection string to query DataFrames with the embedded "
            "DuckDB"
        )
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


# Where a DuckDB error names the line of the statement it comes from.
_DUCKDB_LINE = re.compile(r"^LINE (\d+):", re.MULTILINE)
_REMOTE = re.compile(r"\b(?:s3|s3a|s3n|https?)://", re.IGNORECASE)


class DuckDbRunner:
    """SQL cells of a notebook without a connection string, in an in-process DuckDB database."""

    def __init__(self) -> None:
        self._connection: Any = None
        self._httpfs_loaded = False

    def _connect(self) -> Any:
        import duckdb

        if self._connection is None:
            self._connection = duckdb.connect(":memory:", config=duckdb_config())
        return self._connection

    def run(
        self, cell_id: str, template: sql_template.SqlTemplate, values: list[Any], namespace: dict[str, Any]
    ) -> tuple[Any, str | None]:
        import duckdb
        import pandas

        connection = self._connect()
        if _REMOTE.search(template.text):
            self._prepare_remote(connection, template.text)
        try:
            statements = duckdb.extract_statements(template.text)
        except duckdb.Error as error:
            raise _duckdb_error(cell_id, template, error, 0) from None
        registered = self._register(cell_id, template, connection, namespace)
        try:
            result: Any = None
            status: str | None = None
            start = 0
            for statement in statements:
                start = template.text.find(statement.query, start)
                first_line = template.text.count("\n", 0, max(start, 0))
                parameters = {key: values[int(key) - 1] for key in statement.named_parameters if _is_index(key, values)}
                try:
                    rows, status = duckdb_statement_result(connection, statement, parameters)
                    if rows is not None:
                        result = rows
                except duckdb.Error as error:
                    raise _duckdb_error(cell_id, template, error, first_line, namespace) from None
                except RuntimeError as error:
                    if str(error) == "Query interrupted":  # DuckDB's answer to the kernel's SIGINT
                        raise KeyboardInterrupt from None
                    raise
                start += len(statement.query)
        finally:
            for name in registered:
                connection.unregister(name)
        if result is None:
            return pandas.DataFrame(), status or "OK"
        return result, None

    @staticmethod
    def _register(
        cell_id: str, template: sql_template.SqlTemplate, connection: Any, namespace: dict[str, Any]
    ) -> list[str]:
        """Registers the DataFrames (pandas, Arrow, Polars...) the query reads by their Python names."""
        registered: list[str] = []
        for name in sql_template.table_names(template):
            if name not in namespace:
                continue  # a table of the DuckDB database itself, or a missing one: DuckDB says which
            value = namespace[name]
            try:
                connection.register(name, value)
            except Exception:
                for done in registered:
                    connection.unregister(done)
                raise ReportedError(
                    "TypeError",
                    f"'{name}' is read as a table by this SQL cell but is a {type(value).__name__}, not a DataFrame: "
                    "SQL cells without a connection string query pandas DataFrames by name; "
                    "rename the variable or the table",
                    [_frame(cell_id, template, _name_line(template, name))],
                ) from None
            registered.append(name)
        return registered

    def _prepare_remote(self, connection: Any, text: str) -> None:
        """Loads httpfs and, for s3:// paths, hands DuckDB the kernel's current AWS credentials."""
        if not self._httpfs_loaded:
            try:
                connection.execute(f"LOAD '{_httpfs_path()}'")
            except Exception as error:
                raise ReportedError(
                    "RuntimeError",
                    f"DuckDB's httpfs extension, needed for s3:// and https:// paths, could not be loaded: {error}. "
                    "It ships as the Python package duckdb-extension-httpfs (in requirements.lock); DuckDB cannot "
                    "download it without network access, so reinstall the backend's dependencies "
                    "(python3 scripts/bootstrap_venv.py)",
                ) from None
            self._httpfs_loaded = True
        if re.search(r"\bs3[an]?://", text, re.IGNORECASE):
            connection.execute(_s3_secret())


# DuckDB's own defaults (a thread per core, 80% of the machine's memory) ignore the kernel's address-space limit,
# which every thread's stack counts against: it would fail allocations instead of reporting its memory limit.
DUCKDB_MAX_THREADS = 4


def duckdb_config() -> dict[str, Any]:
    config: dict[str, Any] = {
        # Otherwise DuckDB looks up unknown table names in the Python frames running the query (the kernel's own);
        # the DataFrames a query reads are registered by name instead.
        "python_enable_replacements": False,
        "threads": max(1, min(os.cpu_count() or 1, DUCKDB_MAX_THREADS)),
    }
    soft, _ = resource.getrlimit(resource.RLIMIT_AS)
    if soft != resource.RLIM_INFINITY:
        config["memory_limit"] = f"{max(soft // 2 // (1024 * 1024), 16)}MB"
    return config


def _is_index(key: str, values: list[Any]) -> bool:
    return key.isdigit() and 1 <= int(key) <= len(values)


def _httpfs_path() -> str:
    import duckdb
    import duckdb_extension_httpfs

    folder = os.path.join(os.path.dirname(duckdb_extension_httpfs.__file__), "extensions", f"v{duckdb.__version__}")
    path = os.path.join(folder, "httpfs.duckdb_extension")
    if not os.path.exists(path):
        raise FileNotFoundError(f"{path} is missing (the package does not match DuckDB {duckdb.__version__})")
    return path


def _s3_secret() -> str:
    """A DuckDB secret with the credentials boto3 finds for the kernel (the kernel role's, when it has one)."""
    import boto3

    session = boto3.Session()
    credentials = session.get_credentials()
    if credentials is None:
        raise ReportedError(
            "PermissionError",
            "this SQL cell reads s3:// paths but the kernel has no AWS credentials: give the notebook's kernel an "
            "AWS role (see docs/API.md) or set AWS credentials in the server's environment",
        )
    frozen = credentials.get_frozen_credentials()
    options = {"KEY_ID": frozen.access_key, "SECRET": frozen.secret_key, "REGION": _region(session)}
    if frozen.token:
        options["SESSION_TOKEN"] = frozen.token
    endpoint = os.environ.get("AWS_ENDPOINT_URL_S3") or os.environ.get("AWS_ENDPOINT_URL")
    if endpoint:
        url = urllib.parse.urlsplit(endpoint)
        options |= {"ENDPOINT": url.netloc, "URL_STYLE": "path", "USE_SSL": str(url.scheme == "https").lower()}
    body = ", ".join(
        f"{key} {value}" if key == "USE_SSL" else f"{key} '{value.replace(chr(39), chr(39) * 2)}'"
        for key, value in options.items()
    )
    return f"CREATE OR REPLACE SECRET kernel_s3 (TYPE s3, {body})"


def _region(session: Any) -> str:
    return str(session.region_name or os.environ.get("AWS_REGION") or "us-east-1")


def _name_line(template: sql_template.SqlTemplate, name: str) -> int:
    match = re.search(r"\b" + re.escape(name) + r"\b", template.source)
    return template.location(match.start())[0] if match else 1


def _duckdb_error(
    cell_id: str,
    template: sql_template.SqlTemplate,
    error: Any,
    first_line: int,
    namespace: dict[str, Any] | None = None,
) -> ReportedError:
    message = str(error).strip()
    frames: list[TracebackFrame] = []
    located = _DUCKDB_LINE.search(message)
    if located:
        line = int(located.group(1)) + first_line
        # DuckDB quotes the line with the sent `$n` markers; the cell's line is in the frame below.
        message = message[: located.start()].rstrip() + f" (line {line})"
        frames.append(_frame(cell_id, template, line))
    missing = re.search(r"Table with name (\w+) does not exist", message)
    if missing and namespace is not None and missing.group(1) not in namespace:
        message += (
            f"\nNo Python variable '{missing.group(1)}' exists either: define the DataFrame in a Python cell, "
            "or set a PostgreSQL connection string in the notebook settings to query that database instead"
        )
    if "httpfs" in message:
        message += "\nDuckDB cannot download extensions without network access: see docs/API.md (SQL cells)"
    return ReportedError(type(error).__name__, message, frames)
