"""Rich displays: a value's own MIME representations (`_repr_html_`, `_repr_mimebundle_`, ...), as IPython reads them.

The first representation in `PREFERENCE` that a value offers is shown. HTML and markdown longer than
`MAX_RICH_CHARACTERS` are cut there (`truncated: true`); an SVG, image or JSON that large cannot be cut and still
show, so the next representation is used instead (in the end the bounded text repr). A `_repr_*_` method that raises
or returns a wrong type is the cell's error, as a failing `__repr__` is.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Callable
from typing import Any

MAX_RICH_CHARACTERS = 1_000_000
PREFERENCE = ("text/html", "text/markdown", "image/svg+xml", "image/png", "image/jpeg", "application/json")
_METHODS = {
    "text/html": "_repr_html_",
    "text/markdown": "_repr_markdown_",
    "image/svg+xml": "_repr_svg_",
    "image/png": "_repr_png_",
    "image/jpeg": "_repr_jpeg_",
    "application/json": "_repr_json_",
}


def rich(value: Any, text_limit: int, limit: int = MAX_RICH_CHARACTERS) -> dict[str, Any] | None:
    """The output for the best representation `value` offers, or None when it offers none that fits."""
    if isinstance(value, type):  # a class's _repr_html_ is an unbound function, not a representation of the class
        return None
    if _method(value, "_ipython_canary_method_should_not_exist_") is not None:
        return None  # answers any attribute name (a mock, a proxy): none of its "methods" is a representation
    bundle = _bundle(value)
    for mime in PREFERENCE:
        if mime in bundle:
            data = bundle[mime]
        else:
            method = _method(value, _METHODS[mime])
            if method is None:
                continue
            data = method()
        if isinstance(data, tuple) and len(data) == 2:  # (data, metadata), as IPython allows
            data = data[0]
        if data is None:
            continue
        output = _CONVERTERS[mime](data, type(value).__name__, limit)
        if output is not None:
            return output
    plain = bundle.get("text/plain")
    if isinstance(plain, str):
        truncated = len(plain) > text_limit
        if truncated:
            plain = plain[:text_limit] + f"… ({len(plain) - text_limit} more characters)"
        return {"kind": "text", "text": plain, "truncated": truncated}
    return None


def _bundle(value: Any) -> dict[str, Any]:
    method = _method(value, "_repr_mimebundle_")
    if method is None:
        return {}
    bundle = method(include=None, exclude=None)
    if isinstance(bundle, tuple) and len(bundle) == 2:
        bundle = bundle[0]
    if bundle is None:
        return {}
    if not isinstance(bundle, dict):
        raise TypeError(
            f"{type(value).__name__}._repr_mimebundle_() returned {type(bundle).__name__}: it must return a dict of"
            " MIME type to data (or a (data, metadata) pair of dicts)"
        )
    return bundle


def _method(value: Any, name: str) -> Callable[..., Any] | None:
    try:
        method = getattr(value, name, None)
    except Exception:  # a __getattr__ that raises for unknown names means it has no such method
        return None
    return method if callable(method) else None


def _cut(kind: str, field: str, data: str, limit: int) -> dict[str, Any]:
    truncated = len(data) > limit
    return {"kind": kind, field: data[:limit] if truncated else data, "truncated": truncated}


def _string(data: Any, owner: str, mime: str) -> str:
    if isinstance(data, bytes):
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError as error:
            raise TypeError(f"{owner}'s {mime} representation is bytes that are not UTF-8: {error}") from None
    if not isinstance(data, str):
        raise TypeError(f"{owner}'s {mime} representation is {type(data).__name__}: it must be str")
    return data


def _html(data: Any, owner: str, limit: int) -> dict[str, Any]:
    return _cut("html", "html", _string(data, owner, "text/html"), limit)


def _markdown(data: Any, owner: str, limit: int) -> dict[str, Any]:
    return _cut("markdown", "markdown", _string(data, owner, "text/markdown"), limit)


def _svg(data: Any, owner: str, limit: int) -> dict[str, Any] | None:
    svg = _string(data, owner, "image/svg+xml")
    return {"kind": "svg", "svg": svg} if len(svg) <= limit else None


def _image(mime: str) -> Callable[[Any, str, int], dict[str, Any] | None]:
    def convert(data: Any, owner: str, limit: int) -> dict[str, Any] | None:
        if isinstance(data, bytes | bytearray):
            encoded = base64.b64encode(data).decode("ascii")
        elif isinstance(data, str):  # already base64, as in a MIME bundle
            try:
                base64.b64decode(data, validate=True)
            except binascii.Error:
                raise ValueError(f"{owner}'s {mime} representation is a str that is not base64") from None
            encoded = data
        else:
            raise TypeError(f"{owner}'s {mime} representation is {type(data).__name__}: it must be bytes or base64 str")
        return {"kind": "image", "mime": mime, "data": encoded} if len(encoded) <= limit else None

    return convert


def _json(data: Any, owner: str, limit: int) -> dict[str, Any] | None:
    if isinstance(data, str | bytes):  # IPython also takes the JSON text
        try:
            data = json.loads(data)
        except ValueError as error:
            raise ValueError(f"{owner}'s application/json representation is not valid JSON: {error}") from None
    try:
        encoded = json.dumps(data, allow_nan=False)
    except (TypeError, ValueError) as error:
        raise TypeError(f"{owner}'s application/json representation cannot be sent as JSON: {error}") from None
    return {"kind": "json", "data": json.loads(encoded)} if len(encoded) <= limit else None


_CONVERTERS: dict[str, Callable[[Any, str, int], dict[str, Any] | None]] = {
    "text/html": _html,
    "text/markdown": _markdown,
    "image/svg+xml": _svg,
    "image/png": _image("image/png"),
    "image/jpeg": _image("image/jpeg"),
    "application/json": _json,
}
