"""A declared conditional write (`ConditionalWrite`, `Tables.write_where`) gives what
`update_where` gives for the same conditions with the values in place, on every adapter:
equalities given NULL (IS NULL), comparisons, guards, a Param used twice, no RETURNING, a
value missing or given as a condition (refused alike), inside an application's transaction
(`app.joined`) and under threads (one winner). Found by a review that tried to break it."""

from __future__ import annotations

import functools
import threading
from datetime import timedelta
from typing import Any

import pytest

from nexus.app import Nexus
from nexus.persistence.tables import Add, Cmp, ConditionalWrite, Exists, Param
from tests.contract.test_engine_equivalents import (
    AT,
    INSTRUMENTS,
    LOG,
    committed,
    entry,
    instrument,
    unit,
)

LATER = AT + timedelta(days=1)
EARLY = AT - timedelta(days=1)


def seed(app: Nexus) -> None:
    committed(app, INSTRUMENTS, instrument("I1"))
    committed(
        app,
        LOG,
        entry("I1", "s1", "START", user="ann"),
        entry("I1", "s2", "START", user=None),
        entry("I1", "s3", "START", user="bob"),
    )


W_EQ = ConditionalWrite(
    where={"user": Param("u"), "record_status": "WAITING_FOR_END"},
    values={"record_status": Param("s"), "version": Add(1)},
    returning=("session_identifier", "record_status", "version"),
)
W_CMP = ConditionalWrite(
    where={"timestamp": Cmp("<=", Param("t"), or_null=True)},
    values={"record_status": "ERROR"},
    returning=("session_identifier",),
)
W_NORET = ConditionalWrite(where={"user": Param("u")}, values={"record_status": "ERROR"})
W_EXISTS = ConditionalWrite(
    where={
        "user": Param("u"),
        "_r": Exists(
            "instruments", on={"instrument_pid": "instrument"}, where={"display_name": "I1"}
        ),
    },
    values={"record_status": "ERROR"},
    returning=("session_identifier",),
)
W_SAME = ConditionalWrite(
    where={"user": Param("u")},
    values={"user": Param("u"), "record_status": "ERROR"},
    returning=("session_identifier", "user"),
)
W_VALP = ConditionalWrite(
    where={"user": Param("u")},
    values={"version": Param("n")},
    returning=("session_identifier", "version"),
)

CASES: list[tuple[str, ConditionalWrite, dict[str, Any]]] = [
    ("eq", W_EQ, {"u": "ann", "s": "ERROR"}),
    ("eq-none", W_EQ, {"u": None, "s": "ERROR"}),
    ("eq-nomatch", W_EQ, {"u": "zed", "s": "ERROR"}),
    ("status-none", W_EQ, {"u": "ann", "s": None}),
    ("cmp", W_CMP, {"t": AT}),
    ("cmp-early", W_CMP, {"t": EARLY}),
    ("cmp-none", W_CMP, {"t": None}),
    ("noret", W_NORET, {"u": "ann"}),
    ("noret-none", W_NORET, {"u": None}),
    ("exists", W_EXISTS, {"u": "ann"}),
    ("exists-none", W_EXISTS, {"u": None}),
    ("same-param-none", W_SAME, {"u": None}),
    ("same-param", W_SAME, {"u": "bob"}),
    ("missing", W_EQ, {"u": "ann"}),
    ("extra", W_EQ, {"u": "ann", "s": "ERROR", "zzz": 1}),
    ("value-given-Add", W_VALP, {"u": "ann", "n": Add(1)}),
    ("eq-given-Cmp", W_NORET, {"u": Cmp("!=", "ann")}),
]


def outcome(run: Any) -> Any:
    try:
        return sorted(run(), key=repr)
    except Exception as error:  # the outcome compared is the error's type
        return type(error).__name__


@pytest.mark.parametrize("name", [c[0] for c in CASES])
def test_write_where_is_update_where(app: Nexus, name: str) -> None:
    _, write, given = next(c for c in CASES if c[0] == name)
    seed(app)

    def via_write(tables: Any) -> Any:
        return tables.write_where(LOG, write, given)

    def via_update(tables: Any) -> Any:
        where, values = write.fill(given)
        return tables.update_where(LOG, where, values, write.returning)

    results: list[tuple[Any, Any]] = []
    for way in (via_update, via_write, via_update):  # update first, write, update again (cache)
        with unit(app) as tables:
            got = outcome(functools.partial(way, tables))
            after: Any
            try:
                after = sorted(
                    tuple(r) for r in tables.fetch_many(LOG, {}, order_by=("session_identifier",))
                )
            except Exception as error:  # the outcome compared is the error's type
                after = type(error).__name__
        results.append((got, after))
    assert results[1] == results[0]
    assert results[2] == results[0]


def test_write_where_joined(app: Nexus) -> None:
    if app.settings.persistence == "memory":
        pytest.skip("memory")
    seed(app)
    engine = app.container.engine()
    for given in ({"u": "ann", "s": "ERROR"}, {"u": None, "s": "ERROR"}):
        with engine.connect() as conn:
            conn.begin()
            with app.joined(conn):
                tables = app.container.tables()()
                try:
                    a = tables.write_where(LOG, W_EQ, given)
                finally:
                    tables.close()
            conn.rollback()
        with engine.connect() as conn:
            conn.begin()
            with app.joined(conn):
                tables = app.container.tables()()
                try:
                    where, values = W_EQ.fill(given)
                    b = tables.update_where(LOG, where, values, W_EQ.returning)
                finally:
                    tables.close()
            conn.rollback()
        assert a == b, (given, a, b)


def test_write_where_threads(app: Nexus) -> None:
    seed(app)
    wins: list[Any] = []
    barrier = threading.Barrier(4)

    def go() -> None:
        barrier.wait()
        with unit(app) as tables:
            wins.append(tables.write_where(LOG, W_EQ, {"u": "ann", "s": "ERROR"}))
            tables.commit()

    threads = [threading.Thread(target=go) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(wins, key=len) == [[], [], [], [("s1", "ERROR", 2)]]


def test_a_param_only_goes_where_a_value_is_planned() -> None:
    guard = Exists(
        "instruments", on={"instrument_pid": "instrument"}, where={"location": Param("x")}
    )
    nested = Exists("instruments", on={"instrument_pid": "instrument"}, where={"_g": guard})
    for where, values in (
        ({"_g": guard}, {"record_status": "ERROR"}),
        ({"_g": nested}, {"record_status": "ERROR"}),
        ({"user": "ann"}, {"version": Add(Param("n"))}),  # type: ignore[arg-type]
    ):
        with pytest.raises(TypeError, match="a Param of a ConditionalWrite is"):
            ConditionalWrite(where=where, values=values)


def test_a_declared_write_cannot_be_changed_after_it_is_planned() -> None:
    source: dict[str, Any] = {"user": Param("u")}
    write = ConditionalWrite(where=source, values={"record_status": "ERROR"})
    source["record_status"] = "WAITING_FOR_END"  # the caller's dict, not the write's
    assert dict(write.where) == {"user": Param("u")}
    with pytest.raises(TypeError):
        write.where["user"] = "ann"  # type: ignore[index]
