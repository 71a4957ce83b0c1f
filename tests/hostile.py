"""Wrong and extreme inputs for the error-contract sweeps: values of every type, text no
database stores, integers past 64 bits, calendar edges, deep JSON, hostile markup."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path
from typing import Any

from hypothesis import strategies as st

# Text a terminal or a database must not choke on.
HOSTILE_TEXT = [
    "",
    " ",
    "\x00",
    "a\x00b",
    "\ud800",
    "x\udfffy",
    "\x1b[31mred\x1b[0m",
    "\x07\x08\x7f\x9b",
    "[/x]",
    "[bold]b[/bold]",
    "\u202eevil",
    "\u200b",
    "x" * 100_000,
    "é" * 5_000,
    "9" * 40,
    "-1",
    "NaN",
    "../../etc/passwd",
    "\n\r\t",
    "user@example.org\x00",
    "a@b",
    "nxk_" + "A" * 40,
]

HOSTILE_INT = [-1, 0, 2**31, 2**63 - 1, 2**63, -(2**63) - 1, 2**64, 10**100, -(10**30)]


def _edge_datetimes() -> list[datetime]:
    east = timezone(timedelta(hours=23, minutes=59))
    west = timezone(-timedelta(hours=23, minutes=59))
    return [
        datetime(1, 1, 1),
        datetime(1, 1, 1, tzinfo=UTC),
        datetime(1, 1, 1, tzinfo=east),
        datetime(1, 1, 1, 0, 30, tzinfo=UTC),
        datetime(9999, 12, 31, 23, 59, 59, 999999),
        datetime(9999, 12, 31, 23, 59, 59, 999999, tzinfo=UTC),
        datetime(9999, 12, 31, 23, 59, tzinfo=west),
        datetime(1969, 12, 31, 23, 59, 59, 999999, tzinfo=UTC),
        datetime(2026, 3, 1, 12, 0),
    ]


HOSTILE_DATETIME = _edge_datetimes()


def deep(depth: int = 5_000) -> Any:
    """A JSON value nested `depth` levels deep (built without recursion)."""
    value: Any = {"leaf": 1}
    for _ in range(depth):
        value = {"a": [value]}
    return value


HOSTILE_OTHER: list[Any] = [
    None,
    True,
    False,
    3.5,
    float("nan"),
    float("inf"),
    Decimal("1e1000"),
    b"\xff\xfe",
    object(),
    [],
    {},
    ["\ud800"],
    {"\ud800": 1},
    {"k": float("nan")},
    {1: "int key"},
    {"k": 2**70},
    deep(),
    [deep()],
    uuid.uuid4(),
    str(uuid.uuid4()),
    uuid.UUID(int=0),
    Path("a\x00b"),
    Path("/nonexistent/\ud800"),
    Path("/"),
    date(1, 1, 1),
    timedelta(days=-1),
    ("tuple",),
    {"set"},
]

EVERYTHING: list[Any] = [*HOSTILE_TEXT, *HOSTILE_INT, *HOSTILE_DATETIME, *HOSTILE_OTHER]


class Hostile:
    """One of EVERYTHING, with a short repr (a deep value's repr would itself overflow)."""

    def __init__(self, index: int) -> None:
        self.index = index

    @property
    def value(self) -> Any:
        return EVERYTHING[self.index]

    def __repr__(self) -> str:
        return f"EVERYTHING[{self.index}]"


def unwrap(value: Any) -> Any:
    return value.value if isinstance(value, Hostile) else value


hostile = st.integers(min_value=0, max_value=len(EVERYTHING) - 1).map(Hostile)

_nasty_chars = st.sampled_from(["\ud800", "\x00", "\x1b", "[/x]", "\u202e", "\x85"])
nasty_text = st.text(max_size=30) | st.builds(
    lambda a, c, b: a + c + b, st.text(max_size=10), _nasty_chars, st.text(max_size=10)
)

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | nasty_text,
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(nasty_text, children, max_size=3)
    ),
    max_leaves=8,
)

aware_datetimes = st.datetimes(timezones=st.timezones() | st.just(UTC))
