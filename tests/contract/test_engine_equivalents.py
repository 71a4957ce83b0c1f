"""What one engine has and another lacks, shown by one test on every adapter (memory, SQLite,
PostgreSQL, MariaDB): a partial unique index, case- and accent-sensitive keys, microsecond
timestamps, a conditional write that returns what it changed (MariaDB has no UPDATE ..
RETURNING) and its single winner under row locks, an insert that skips existing rows (MariaDB
has no ON CONFLICT), and the same DomainErrors for a duplicate and a dangling reference."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

import pytest

from nexus.app import Nexus
from nexus.lab.infrastructure.records import instrument_mapper
from nexus.persistence.engine import create_engine_for
from nexus.persistence.schema import info_by_name
from nexus.persistence.tables import Add, Cmp, ConditionalWrite, Exists, Param, Tables
from nexus.records import metadata
from nexus.shared.errors import ConflictError
from tests.factories.lab import make_instrument

AT = datetime(2026, 3, 1, 9, 30, 15, 123456, tzinfo=UTC)
INSTRUMENTS = info_by_name("instruments")
LOG = info_by_name("session_log")


@contextmanager
def unit(app: Nexus) -> Iterator[Tables]:
    tables: Tables = app.container.tables()()
    try:
        yield tables
    finally:
        tables.close()


def instrument(pid: str) -> dict[str, Any]:
    """An instruments row as the mapper writes it (the API URL is unique too)."""
    return instrument_mapper.row_of(
        make_instrument(instrument_pid=pid, display_name=pid, api_url=f"https://x.org/{pid}")
    )


def entry(pid: str, session: str, event: str, **extra: Any) -> dict[str, Any]:
    return {
        "id_session_log": uuid.uuid4(),
        "session_identifier": session,
        "instrument": pid,
        "timestamp": AT,
        "timestamp_utcoffset": 0,
        "event_type": event,
        "record_status": "WAITING_FOR_END",
        "user": "u",
        "nemo_user_id": None,
        "version": 1,
    } | extra


def committed(app: Nexus, table: Any, *rows: dict[str, Any]) -> None:
    with unit(app) as tables:
        for row in rows:
            tables.insert(table, row)
        tables.commit()


def test_a_partial_unique_index_holds_only_where_its_predicate_does(app: Nexus) -> None:
    committed(app, INSTRUMENTS, instrument("I1"))
    # Outside the predicate (event_type IN ('START', 'END')): any number of rows.
    generations = [entry("I1", "s1", "RECORD_GENERATION") for _ in range(3)]
    committed(app, LOG, entry("I1", "s1", "START"), *generations)
    with unit(app) as tables, pytest.raises(ConflictError) as refused:
        tables.insert(LOG, entry("I1", "s1", "START"))
    assert refused.value.field == "session_log.instrument+session_identifier+event_type"
    # The same event in another session is another key.
    committed(app, LOG, entry("I1", "s2", "START"))
    with unit(app) as tables:
        assert tables.count(LOG, {"instrument": "I1"}) == 5


def test_text_keys_are_case_and_accent_sensitive(app: Nexus) -> None:
    committed(app, INSTRUMENTS, instrument("Scope"), instrument("scope"), instrument("scopé"))
    with unit(app) as tables:
        found = tables.fetch_one(INSTRUMENTS, {"instrument_pid": "scope"})
        assert found is not None
        assert found[INSTRUMENTS.columns.index("display_name")] == "scope"
        assert tables.count(INSTRUMENTS, {}) == 3
    with unit(app) as tables, pytest.raises(ConflictError):
        tables.insert(INSTRUMENTS, instrument("Scope"))


def test_a_trailing_space_makes_another_key(app: Nexus) -> None:
    """MariaDB's utf8mb4_bin is PAD SPACE ('42' = '42 '); the tables' utf8mb4_nopad_bin is not,
    like PostgreSQL's and SQLite's text: lookups and unique keys tell the two apart."""
    spaced = instrument("I43") | {"instrument_pid": "I42 ", "display_name": "I42 "}
    committed(app, INSTRUMENTS, instrument("I42"), spaced)
    with unit(app) as tables:
        found = tables.fetch_one(INSTRUMENTS, {"instrument_pid": "I42 "})
        assert found is not None
        assert found[INSTRUMENTS.columns.index("display_name")] == "I42 "
        assert tables.count(INSTRUMENTS, {"instrument_pid": "I42"}) == 1
        assert tables.fetch_one(INSTRUMENTS, {"instrument_pid": "I4"}) is None
    app.lab.store_external_id("alice", "nemo", "42")
    assert app.lab.get_nexuslims_username("42 ", "nemo") is None
    app.lab.store_external_id("bob", "nemo", "42 ")
    assert app.lab.get_nexuslims_username("42 ", "nemo") == "bob"
    assert app.lab.get_nexuslims_username("42", "nemo") == "alice"


def test_timestamps_keep_their_microseconds(app: Nexus) -> None:
    committed(app, INSTRUMENTS, instrument("I1"))
    row = entry("I1", "s1", "START")
    committed(app, LOG, row)
    with unit(app) as tables:
        found = tables.fetch_one(LOG, {"id_session_log": row["id_session_log"]})
    assert found is not None
    assert found[LOG.columns.index("timestamp")] == AT
    assert found[LOG.columns.index("timestamp")].microsecond == 123456


def test_a_dangling_reference_is_a_conflict(app: Nexus) -> None:
    with unit(app) as tables, pytest.raises(ConflictError):
        tables.insert(LOG, entry("nowhere", "s1", "START"))
    with unit(app) as tables:
        assert tables.count(LOG, {}) == 0


def test_an_insert_skipping_existing_rows_keeps_the_first(app: Nexus) -> None:
    committed(app, INSTRUMENTS, instrument("I1"))
    first = entry("I1", "s1", "START", user="first")
    committed(app, LOG, first)
    again = entry("I1", "s1", "START", user="second")  # same partial-unique key
    same_id = dict(first, user="third", session_identifier="s9")  # same primary key
    fresh = entry("I1", "s2", "START")
    with unit(app) as tables:
        tables.insert_many(LOG, [again, same_id, fresh], skip_existing=True)
        tables.commit()
    with unit(app) as tables:
        rows = tables.fetch_many(LOG, {"instrument": "I1"}, ("session_identifier",))
    users = [r[LOG.columns.index("user")] for r in rows]
    sessions = [r[LOG.columns.index("session_identifier")] for r in rows]
    assert (sessions, users) == (["s1", "s2"], ["first", "u"])


def test_a_conditional_write_returns_what_it_changed(app: Nexus) -> None:
    committed(app, INSTRUMENTS, instrument("I1"))
    row = entry("I1", "s1", "START")
    committed(app, LOG, row, entry("I1", "s2", "START"))
    key = row["id_session_log"]
    waiting = {"id_session_log": key, "record_status": "WAITING_FOR_END"}
    with unit(app) as tables:
        changed = tables.update_where(
            LOG, waiting, {"record_status": "TO_BE_BUILT"}, ("id_session_log", "record_status")
        )
        tables.commit()
    assert changed == [(key, "TO_BE_BUILT")]
    with unit(app) as tables:
        assert tables.update_where(LOG, waiting, {"record_status": "ERROR"}, ("version",)) == []
        assert tables.count(LOG, {"record_status": "WAITING_FOR_END"}) == 1


# A log entry of an instrument that is still registered, still waiting, of the given user
# (None: IS NULL) and no later than `until`: its status is written and its version moves on.
_FINISH = ConditionalWrite(
    where={
        "user": Param("user"),
        "record_status": "WAITING_FOR_END",
        "timestamp": Cmp("<=", Param("until"), or_null=True),
        "_registered": Exists("instruments", on={"instrument_pid": "instrument"}, where={}),
    },
    values={"record_status": Param("status"), "version": Add(1)},
    returning=("session_identifier", "record_status", "version"),
)
LATER = datetime(2026, 3, 2, tzinfo=UTC)


def finish(tables: Tables, user: str | None, status: str, until: datetime = LATER) -> Any:
    return tables.write_where(LOG, _FINISH, {"user": user, "until": until, "status": status})


def test_a_declared_conditional_write_gives_what_update_where_gives(app: Nexus) -> None:
    """`write_where` runs a ConditionalWrite as `update_where` runs the same conditions with
    the values in place: a match, a refused condition, a NULL given for an equality (IS NULL,
    another statement), a value bound twice."""
    committed(app, INSTRUMENTS, instrument("I1"))
    committed(
        app,
        LOG,
        entry("I1", "s1", "START", user="ann"),
        entry("I1", "s2", "START", user="bob"),
        entry("I1", "s3", "START", user=None),
    )
    with unit(app) as tables:
        assert finish(tables, "ann", "ERROR", until=AT.replace(second=0)) == []  # too early
        assert finish(tables, "ann", "ERROR") == [("s1", "ERROR", 2)]
        assert finish(tables, None, "TO_BE_BUILT") == [("s3", "TO_BE_BUILT", 2)]
        tables.commit()
    with unit(app) as tables:
        assert finish(tables, "ann", "COMPLETED") == []  # no longer waiting
        where, values = _FINISH.fill({"user": "bob", "until": LATER, "status": "COMPLETED"})
        assert where["timestamp"] == Cmp("<=", LATER, or_null=True)
        assert tables.update_where(LOG, where, values, _FINISH.returning) == [
            ("s2", "COMPLETED", 2)
        ]
        tables.commit()
    with unit(app) as tables:
        rows = tables.fetch_many(LOG, {}, order_by=("session_identifier",))
    status = LOG.columns.index("record_status")
    assert [r[status] for r in rows] == ["ERROR", "COMPLETED", "TO_BE_BUILT"]


def test_a_conditional_write_is_declared_with_what_it_needs() -> None:
    with pytest.raises(TypeError, match=r"no value for \['until'\]"):
        _FINISH.fill({"user": "ann", "status": "ERROR"})
    with pytest.raises(TypeError, match="_guard: a Param of a ConditionalWrite is"):
        ConditionalWrite(
            where={
                "_guard": Exists(
                    "instruments",
                    on={"instrument_pid": "instrument"},
                    where={"location": Param("at")},
                )
            },
            values={"record_status": "ERROR"},
        )
    assert _FINISH.params == {"user", "until", "status"}


def test_a_conditional_write_has_one_winner_under_row_locks(app: Nexus) -> None:
    """The second writer waits for the first, then judges the committed row: it changes
    nothing (what makes a single-use token single-use on every engine)."""
    committed(app, INSTRUMENTS, instrument("I1"))
    row = entry("I1", "s1", "START")
    committed(app, LOG, row)
    waiting = {"id_session_log": row["id_session_log"], "record_status": "WAITING_FOR_END"}
    second: list[Any] = []
    started = threading.Event()

    def other_writer() -> None:
        with unit(app) as tables:
            started.set()
            second.append(
                tables.update_where(LOG, waiting, {"record_status": "ERROR"}, ("record_status",))
            )
            tables.commit()

    with unit(app) as tables:
        first = tables.update_where(
            LOG, waiting, {"record_status": "TO_BE_BUILT"}, ("record_status",)
        )
        thread = threading.Thread(target=other_writer)
        thread.start()
        started.wait(5)
        thread.join(0.3)  # the other writer is now waiting for this one's row lock
        tables.commit()
    thread.join(15)
    assert not thread.is_alive()
    assert first == [("TO_BE_BUILT",)]
    assert second == [[]]
    with unit(app) as tables:
        assert tables.count(LOG, {"record_status": "TO_BE_BUILT"}) == 1


@pytest.mark.mariadb
def test_a_mariadb_session_is_read_committed_strict_and_binary(migrated_mariadb_url: str) -> None:
    """What the equivalents above stand on: every pooled MariaDB connection is READ COMMITTED
    (the server's default is REPEATABLE READ), strict, UTC, and compares text byte for byte
    with no padding (JSON columns keep MariaDB's utf8mb4_bin: they hold no keys)."""
    engine = create_engine_for(migrated_mariadb_url)
    try:
        with engine.connect() as connection:
            isolation, mode, zone, collation = connection.exec_driver_sql(
                "SELECT @@tx_isolation, @@sql_mode, @@time_zone, @@collation_connection"
            ).one()
            tables = connection.exec_driver_sql(
                "SELECT DISTINCT table_collation FROM information_schema.tables "
                "WHERE table_schema = DATABASE()"
            ).all()
            padded = connection.exec_driver_sql(
                "SELECT table_name, column_name FROM information_schema.columns "
                "WHERE table_schema = DATABASE() AND collation_name <> 'utf8mb4_nopad_bin'"
            ).all()
            json = [
                (table.name, column.name)
                for table in metadata.tables.values()
                for column in table.columns
                if engine.dialect.type_compiler_instance.process(column.type) == "JSON"
            ]
    finally:
        engine.dispose()
    assert isolation == "READ-COMMITTED"
    assert "STRICT_ALL_TABLES" in mode
    assert zone == "+00:00"
    assert collation == "utf8mb4_nopad_bin"
    assert tables == [("utf8mb4_nopad_bin",)]
    assert json
    assert sorted(tuple(row) for row in padded) == sorted(json)
