"""`{name}` placeholders become bind parameters; everything else reaches the server unchanged."""

from __future__ import annotations

import pytest

from app.engine import sql


@pytest.mark.parametrize(
    ("source", "text", "names"),
    [
        ("select {a}", "select $1", ("a",)),
        ("select {a}, {b}, {a}", "select $1, $2, $1", ("a", "b")),
        ("select 1", "select 1", ()),
        ("select '{a}' || {b}", "select '{a}' || $1", ("b",)),
        ("select 'it''s {a}', {b}", "select 'it''s {a}', $1", ("b",)),
        ("select E'\\'{a}', {b}", "select E'\\'{a}', $1", ("b",)),
        ('select "{col}" from t where x = {v}', 'select "{col}" from t where x = $1', ("v",)),
        ("select $${a}$$, $tag$ {b} $tag$, {c}", "select $${a}$$, $tag$ {b} $tag$, $1", ("c",)),
        ("select 1 -- {a}\n, {b}", "select 1 -- {a}\n, $1", ("b",)),
        ("select /* {a} /* nested {b} */ {c} */ {d}", "select /* {a} /* nested {b} */ {c} */ $1", ("d",)),
        ("select '{\"k\": 1}'::jsonb, '{1,2}'::int[]", "select '{\"k\": 1}'::jsonb, '{1,2}'::int[]", ()),
        ("select 50% , {x}", "select 50% , $1", ("x",)),
        ("select { a }, {1a}, {a.b}", "select { a }, {1a}, {a.b}", ()),
        ("select price$ from t where {v}", "select price$ from t where $1", ("v",)),
    ],
)
def test_placeholders(source: str, text: str, names: tuple[str, ...]) -> None:
    template = sql.parse(source)
    assert template.text == text
    assert template.names == names


def test_server_positions_map_back_to_the_cell() -> None:
    source = "select {first_value}, {b}\nfrom nope"
    template = sql.parse(source)
    assert template.text == "select $1, $2\nfrom nope"
    sent = template.text.index("nope")
    offset = template.source_offset(sent)
    assert source[offset:].startswith("nope")
    assert template.location(offset) == (2, 6)
    assert template.source_offset(template.text.index("$2")) == source.index("{b}")


def test_placeholder_location() -> None:
    assert sql.parse("select 1\n  where a = {a}").placeholder_location("a") == (2, 13)
