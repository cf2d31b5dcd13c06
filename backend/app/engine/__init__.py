"""The reactive notebook engine: analysis, dependency graph, kernel process and sessions, independent of the web."""

from .analysis import CellAnalysis, StaticError, StaticErrorKind, analyze_python, analyze_sql
from .errors import AssistUnavailable, InvalidCellId, SessionClosed, UnknownCell
from .events import (
    CellEvent,
    CellStatus,
    ErrorEvent,
    Event,
    GraphEvent,
    KernelEvent,
    OutputEvent,
    StatusEvent,
    StreamEvent,
    Subscription,
    SubscriptionOverflow,
)
from .graph import Graph, build_graph
from .kernel.client import KernelDied, KernelOptions
from .kernel.tables import MAX_PAGE_ROWS, TableError, TableQuery
from .model import Cell, CellType, CellTypeName, Notebook, default_output_name
from .privates import is_private
from .session import CellState, NotebookSession, SessionConfig

__all__ = [
    "MAX_PAGE_ROWS",
    "AssistUnavailable",
    "Cell",
    "CellAnalysis",
    "CellEvent",
    "CellState",
    "CellStatus",
    "CellType",
    "CellTypeName",
    "ErrorEvent",
    "Event",
    "Graph",
    "GraphEvent",
    "InvalidCellId",
    "KernelDied",
    "KernelEvent",
    "KernelOptions",
    "Notebook",
    "NotebookSession",
    "OutputEvent",
    "SessionClosed",
    "SessionConfig",
    "StaticError",
    "StaticErrorKind",
    "StatusEvent",
    "StreamEvent",
    "Subscription",
    "SubscriptionOverflow",
    "TableError",
    "TableQuery",
    "UnknownCell",
    "analyze_python",
    "analyze_sql",
    "build_graph",
    "default_output_name",
    "is_private",
]
