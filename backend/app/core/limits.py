"""Ceilings on request bodies, enforced before the routes see them: their size (413, checked before they are read
into memory) and the shape of their JSON (422: finite numbers only, a bounded nesting and number of values)."""

from __future__ import annotations

import email.message
import json
import math
import re
from typing import Any

import anyio.to_thread
from fastapi import status
from starlette.datastructures import Headers
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.core.problems import Problem, public_problems

# A cell's code may be 1 MiB (app.services.notebooks.MAX_CODE_BYTES); JSON escaping can make its body several
# times larger.
MAX_BODY_BYTES = 8 * 1024 * 1024
# Every body of the API is a flat object of a few fields; these leave room and stop bodies built to make validation
# (one error per unknown key) or its answer explode.
MAX_JSON_DEPTH = 32
MAX_JSON_VALUES = 1_000


def _too_large(limit: int) -> str:
    return f"the request body is larger than {limit} bytes"


def _is_json(content_type: str | None) -> bool:
    """The bodies FastAPI decodes as JSON (the same test as fastapi.routing's): application/json, application/*+json,
    and, to be safe, those without a type."""
    if not content_type:
        return True
    message = email.message.Message()
    message["content-type"] = content_type
    subtype = message.get_content_subtype()
    return message.get_content_maintype() == "application" and (subtype == "json" or subtype.endswith("+json"))


# A JSON string (whose brackets and commas are text), or one of the characters that give a document its shape.
_TOKEN = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"|[\[{,\]}]')


def _shape_problem(text: str) -> Problem | None:
    """Too deep a nesting or too many values, told by the brackets and commas outside strings before anything is
    decoded, and stopping at the limit: a body of a million values costs no more than one of a thousand."""
    depth = 0
    values = 1  # each comma and each opening bracket starts one more
    strings = 0
    for token in _TOKEN.finditer(text):
        kind = token.group()[0]
        if kind == '"':
            strings += 1  # valid JSON has at most two per value (a key and a string)
        elif kind in "[{":
            depth += 1
            values += 1
            if depth > MAX_JSON_DEPTH:
                return {"type": "json_too_deep", "loc": ["body"], "msg": f"nested deeper than {MAX_JSON_DEPTH} levels"}
        elif kind == ",":
            values += 1
        else:
            depth -= 1
        if values > MAX_JSON_VALUES or strings > 2 * MAX_JSON_VALUES:
            return {"type": "json_too_large", "loc": ["body"], "msg": f"more than {MAX_JSON_VALUES} JSON values"}
    return None


def json_problems(body: bytes) -> list[Problem]:
    """What makes a JSON body unacceptable before validation: not UTF-8, a syntax error, too deep a nesting, too
    many values, or a number that is not finite (NaN, Infinity, or beyond a float such as 1e400), which Python's
    JSON accepts but no field can hold and no answer can encode."""
    try:
        text = body.decode()
    except UnicodeDecodeError:
        return [{"type": "json_invalid", "loc": ["body"], "msg": "the body is not UTF-8 text"}]
    shape = _shape_problem(text)
    if shape is not None:
        return [shape]
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        return [{"type": "json_invalid", "loc": ["body", error.pos], "msg": f"JSON decode error: {error.msg}"}]
    except ValueError:  # an integer of more digits than Python converts
        return [{"type": "json_invalid", "loc": ["body"], "msg": "a number has too many digits"}]
    problems: list[Problem] = []
    pending: list[tuple[Any, list[str | int]]] = [(document, ["body"])]
    while pending:
        value, loc = pending.pop()
        if isinstance(value, float) and not math.isfinite(value):
            problems.append({"type": "finite_number", "loc": loc, "msg": "Input should be a finite number"})
        members = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else ()
        pending.extend((member, [*loc, key]) for key, member in reversed(list(members)))
    return problems


class BodyLimits:
    """Reads each request's body up to max_bytes (413 past it, before reading anything when Content-Length says so),
    then refuses with 422 the JSON bodies json_problems finds fault with, before FastAPI decodes them. Decoding runs
    in a worker thread, so that a large body does not stall the event loop (and every other client) meanwhile."""

    def __init__(self, app: ASGIApp, max_bytes: int = MAX_BODY_BYTES) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        too_large = JSONResponse({"detail": _too_large(self.max_bytes)}, status.HTTP_413_CONTENT_TOO_LARGE)
        declared = headers.get("content-length", "")
        if declared.isdigit() and int(declared) > self.max_bytes:
            await too_large(scope, receive, send)
            return
        chunks: list[bytes] = []
        received = 0
        while True:
            message = await receive()
            if message["type"] != "http.request":  # the client left: the app hears it as it would have
                await self.app(scope, _replay([message], receive), send)
                return
            chunks.append(message.get("body", b""))
            received += len(chunks[-1])
            if received > self.max_bytes:  # a chunked body carries no length up front
                await too_large(scope, receive, send)
                return
            if not message.get("more_body", False):
                break
        body = b"".join(chunks)
        if body and _is_json(headers.get("content-type")):
            problems = await anyio.to_thread.run_sync(json_problems, body)
            if problems:
                refusal = JSONResponse({"detail": public_problems(problems)}, status.HTTP_422_UNPROCESSABLE_CONTENT)
                await refusal(scope, receive, send)
                return
        await self.app(scope, _replay([{"type": "http.request", "body": body, "more_body": False}], receive), send)


def _replay(messages: list[Message], receive: Receive) -> Receive:
    async def replayed() -> Message:
        return messages.pop(0) if messages else await receive()

    return replayed
