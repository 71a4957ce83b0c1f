"""The statement path's own conversions against what they stand in for: a character-based
UUID read (SQLAlchemy's `UUID(value)`) and an instant bound on SQLite (the general
UTCDateTime path), including the one-instant memory of the latter, under threads too."""

from __future__ import annotations

import threading
import uuid
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import create_engine

from nexus.persistence.statements import uuid_from_text
from nexus.persistence.types import UTCDateTime

HEX = "0123456789abcdefABCDEF"


def outcome(convert: Any, value: Any) -> Any:
    try:
        made = convert(value)
    except Exception as error:  # the outcome compared is the error's type
        return type(error)
    return (made, getattr(made, "int", None), getattr(made, "is_safe", None))


@given(
    st.one_of(
        st.uuids().map(lambda u: u.hex),
        st.uuids().map(str),
        st.text(alphabet=HEX, min_size=30, max_size=34),
        st.text(alphabet=HEX + "xX_-+ {}:urnid\u0660\u0661g", min_size=30, max_size=38),
        st.text(min_size=32, max_size=32),
        st.none(),
    )
)
def test_a_uuid_read_from_text_is_what_uuid_makes_of_it(text: str | None) -> None:
    expected = None if text is None else outcome(uuid.UUID, text)
    assert outcome(uuid_from_text, text) == (expected if text is not None else (None, None, None))


def test_the_fast_uuid_is_a_whole_uuid() -> None:
    made = uuid_from_text("0" * 31 + "1")
    assert made == uuid.UUID(int=1)
    assert hash(made) == hash(uuid.UUID(int=1))
    assert str(made) == "00000000-0000-0000-0000-000000000001"
    assert made.is_safe is uuid.SafeUUID.unknown


def _general(value: datetime) -> str:
    """What the general path writes on SQLite (UTC wall clock with microseconds)."""
    return value.astimezone(UTC).replace(tzinfo=None).isoformat(" ", "microseconds")


def sqlite_processor() -> Any:
    """The processor a statement compiled for SQLite binds a UTCDateTime with."""
    dialect = create_engine("sqlite://").dialect
    return UTCDateTime().dialect_impl(dialect).bind_processor(dialect)


instants = st.datetimes(
    min_value=datetime(1, 1, 2), max_value=datetime(9999, 12, 30), timezones=st.just(UTC)
)


@given(st.lists(instants, min_size=1, max_size=8))
def test_an_instant_bound_on_sqlite_is_the_general_paths_text(values: list[datetime]) -> None:
    process = sqlite_processor()
    # Each value twice in a row (the remembered instant answers the second), then again.
    for value in [v for v in values for _ in (0, 1)] + values:
        assert process(value) == _general(value)
    other_zone = values[0].astimezone(timezone(timedelta(hours=5)))
    assert process(other_zone) == _general(values[0])
    assert process(None) is None


def test_threads_sharing_the_processor_each_get_their_own_instants_text() -> None:
    process = sqlite_processor()
    start = datetime(2026, 1, 1, tzinfo=UTC)
    wrong: list[tuple[datetime, str]] = []

    def bind(offset: int) -> None:
        for i in range(5000):
            value = start + timedelta(microseconds=offset * 10_000 + i)
            for _ in (0, 1):
                text = process(value)
                if text != _general(value):
                    wrong.append((value, text))

    threads = [threading.Thread(target=bind, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert wrong == []
