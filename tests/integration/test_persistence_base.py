"""The persistence base on real engines: pragmas, foreign keys, the UTC and JSON column types,
and error translation."""

from __future__ import annotations

import math
import threading
import uuid
import zoneinfo
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import (
    Column,
    Engine,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Table,
    Uuid,
    exc,
    insert,
    select,
    text,
)

from nexus.persistence.engine import create_engine_for, normalise_url
from nexus.persistence.errors import translate
from nexus.persistence.types import JSONType, UTCDateTime
from nexus.shared.errors import ConflictError, ValidationError

scratch = MetaData()
parents = Table("scratch_parents", scratch, Column("id", Integer, primary_key=True))
children = Table(
    "scratch_children",
    scratch,
    Column("id", Integer, primary_key=True),
    Column("parent_id", ForeignKey("scratch_parents.id", ondelete="CASCADE"), nullable=False),
)
values = Table(
    "scratch_values",
    scratch,
    Column("id", Uuid, primary_key=True),
    Column("at", UTCDateTime),
    Column("doc", JSONType),
    Column("label", String(20), unique=True),
)


@pytest.fixture
def scratch_engine(engine: Engine) -> Iterator[Engine]:
    scratch.create_all(engine)
    yield engine
    scratch.drop_all(engine)


def test_postgres_urls_use_psycopg3() -> None:
    assert normalise_url("postgresql://u@h/db").startswith("postgresql+psycopg://")
    assert normalise_url("postgres://u@h/db").startswith("postgresql+psycopg://")
    assert normalise_url("sqlite:///x.db") == "sqlite:///x.db"


def test_mariadb_urls_use_pymysql_and_other_mysql_drivers_are_refused() -> None:
    assert normalise_url("mysql://u@h/db") == "mysql+pymysql://u@h/db?charset=utf8mb4"
    assert normalise_url("mariadb://u@h/db").startswith("mariadb+pymysql://")
    with pytest.raises(ValidationError, match="MariaDB runs on PyMySQL"):
        create_engine_for("mysql+mysqldb://u@h/db")


def test_sqlite_connections_enforce_foreign_keys_with_wal_and_busy_timeout(tmp_path: Any) -> None:
    engine = create_engine_for(f"sqlite:///{tmp_path / 'p.db'}")
    connections = [engine.connect() for _ in range(3)]
    try:
        for connection in connections:
            assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
            assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() == 10_000
            assert connection.exec_driver_sql("PRAGMA synchronous").scalar() == 1
    finally:
        for connection in connections:
            connection.close()
        engine.dispose()


def test_an_orphan_is_refused(scratch_engine: Engine) -> None:
    with pytest.raises(exc.IntegrityError) as raised, scratch_engine.begin() as connection:
        connection.execute(insert(children).values(id=1, parent_id=999))
    assert isinstance(translate(raised.value), ConflictError)
    with scratch_engine.connect() as connection:
        assert connection.execute(select(children)).all() == []


def test_deleting_a_parent_cascades(scratch_engine: Engine) -> None:
    with scratch_engine.begin() as connection:
        connection.execute(insert(parents).values(id=1))
        connection.execute(insert(children).values(id=1, parent_id=1))
        connection.execute(parents.delete())
    with scratch_engine.connect() as connection:
        assert connection.execute(select(children)).all() == []


ZONES = st.sampled_from(
    [
        UTC,
        zoneinfo.ZoneInfo("America/New_York"),
        zoneinfo.ZoneInfo("Europe/Berlin"),
        zoneinfo.ZoneInfo("Asia/Kolkata"),
        zoneinfo.ZoneInfo("Australia/Lord_Howe"),
        zoneinfo.ZoneInfo("Pacific/Chatham"),
    ]
)


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture], max_examples=40)
@given(
    moment=st.datetimes(
        min_value=datetime(1900, 1, 2), max_value=datetime(2200, 1, 1), timezones=ZONES
    )
)
def test_aware_datetimes_round_trip_as_the_same_instant(
    scratch_engine: Engine, moment: datetime
) -> None:
    row_id = uuid.uuid4()
    with scratch_engine.begin() as connection:
        connection.execute(insert(values).values(id=row_id, at=moment))
    with scratch_engine.connect() as connection:
        loaded = connection.execute(select(values.c.at).where(values.c.id == row_id)).scalar_one()
    # Compared in UTC: Python never calls a fold-ambiguous time equal across zones (PEP 495).
    assert loaded == moment.astimezone(UTC)
    assert loaded.tzinfo is UTC
    assert loaded.microsecond == moment.astimezone(UTC).microsecond


def test_dst_fold_instants_stay_distinct(scratch_engine: Engine) -> None:
    zone = zoneinfo.ZoneInfo("America/New_York")
    first = datetime(2025, 11, 2, 1, 30, tzinfo=zone, fold=0)
    second = datetime(2025, 11, 2, 1, 30, tzinfo=zone, fold=1)
    assert second - first == timedelta(0)  # same wall clock, naive arithmetic...
    assert second.astimezone(UTC) - first.astimezone(UTC) == timedelta(hours=1)  # ...an hour apart
    ids = [uuid.uuid4(), uuid.uuid4()]
    with scratch_engine.begin() as connection:
        connection.execute(
            insert(values), [{"id": ids[0], "at": first}, {"id": ids[1], "at": second}]
        )
    with scratch_engine.connect() as connection:
        rows = connection.execute(select(values.c.at).order_by(values.c.at)).scalars().all()
    assert rows[1] - rows[0] == timedelta(hours=1)


@given(moment=st.datetimes(timezones=st.just(UTC)))
def test_sqlite_binds_a_utc_instant_as_the_general_path_writes_it(moment: datetime) -> None:
    from sqlalchemy.dialects import sqlite

    dialect = sqlite.dialect()
    column = UTCDateTime().dialect_impl(dialect)  # what statements compiled for SQLite use
    general = super(UTCDateTime, column).bind_processor(dialect)
    assert general is not None
    written = column.bind_processor(dialect)(moment)
    assert isinstance(written, str)
    assert written == general(moment)


def test_naive_datetimes_are_refused_by_the_column(scratch_engine: Engine) -> None:
    naive = datetime(2026, 1, 1)
    with (
        pytest.raises(exc.StatementError, match="naive datetime refused"),
        scratch_engine.begin() as connection,
    ):
        connection.execute(insert(values).values(id=uuid.uuid4(), at=naive))


json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(2**53), 2**53)
    | st.text(alphabet=st.characters(blacklist_categories=["Cs"], blacklist_characters="\x00")),
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(st.text(max_size=8).filter(lambda s: "\x00" not in s), inner, max_size=4)
    ),
    max_leaves=12,
)


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture], max_examples=40)
@given(
    doc=st.dictionaries(
        st.text(max_size=8).filter(lambda s: "\x00" not in s), json_values, max_size=4
    )
)
def test_json_round_trips_nested_unicode(scratch_engine: Engine, doc: dict[str, Any]) -> None:
    row_id = uuid.uuid4()
    with scratch_engine.begin() as connection:
        connection.execute(insert(values).values(id=row_id, doc=doc))
    with scratch_engine.connect() as connection:
        loaded = connection.execute(select(values.c.doc).where(values.c.id == row_id)).scalar_one()
    assert loaded == doc


def test_json_refuses_nan_on_every_engine(scratch_engine: Engine) -> None:
    with pytest.raises((exc.StatementError, ValueError)), scratch_engine.begin() as connection:
        connection.execute(insert(values).values(id=uuid.uuid4(), doc={"x": math.nan}))


def test_unique_violation_translates_to_a_conflict_naming_the_column(
    scratch_engine: Engine,
) -> None:
    with scratch_engine.begin() as connection:
        connection.execute(insert(values).values(id=uuid.uuid4(), label="same"))
    with pytest.raises(exc.IntegrityError) as raised, scratch_engine.begin() as connection:
        connection.execute(insert(values).values(id=uuid.uuid4(), label="same"))
    error = translate(raised.value)
    assert isinstance(error, ConflictError)
    assert "scratch_values.label" in str(error)


def test_constraint_names_are_deterministic(engine: Engine) -> None:
    from sqlalchemy import inspect

    inspector = inspect(engine)
    uniques = {u["name"] for u in inspector.get_unique_constraints("users")}
    assert {"uq_users_email", "uq_users_username", "uq_users_phone"} <= uniques
    checks = {c["name"] for c in inspector.get_check_constraints("users")}
    assert "ck_users_failed_login_attempts_non_negative" in checks
    assert inspector.get_pk_constraint("users")["name"] == "pk_users" or (
        engine.dialect.name == "sqlite"
    )
    with engine.connect() as connection:
        assert connection.execute(text("select count(*) from users")).scalar() == 0


def test_a_deadlock_or_lock_timeout_translates_to_a_retryable_concurrency_error(
    scratch_engine: Engine,
) -> None:
    """PostgreSQL: two transactions updating two rows in opposite orders deadlock, and the
    victim's error becomes a ConcurrencyError (use cases retry those). SQLite: a writer that
    times out waiting for another's lock gets the same."""
    from nexus.persistence.errors import is_translatable
    from nexus.shared.errors import ConcurrencyError

    with scratch_engine.begin() as connection:
        connection.execute(insert(parents), [{"id": 1}, {"id": 2}])
    errors: list[BaseException] = []
    if scratch_engine.dialect.name == "sqlite":
        holder = scratch_engine.connect()
        holder.exec_driver_sql("BEGIN IMMEDIATE")
        try:
            with scratch_engine.connect() as waiter:
                waiter.exec_driver_sql("PRAGMA busy_timeout=50")
                try:
                    waiter.execute(parents.update().where(parents.c.id == 1).values(id=3))
                except exc.OperationalError as error:
                    errors.append(error)
        finally:
            holder.rollback()
            holder.close()
    else:
        barrier = threading.Barrier(2)

        def writer(first: int, second: int) -> None:
            try:
                with scratch_engine.begin() as connection:
                    connection.execute(
                        parents.update().where(parents.c.id == first).values(id=first)
                    )
                    barrier.wait(timeout=10)
                    connection.execute(
                        parents.update().where(parents.c.id == second).values(id=second)
                    )
            except exc.OperationalError as error:
                errors.append(error)

        threads = [threading.Thread(target=writer, args=p) for p in ((1, 2), (2, 1))]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)
    assert len(errors) == 1
    assert is_translatable(errors[0])
    assert isinstance(translate(errors[0]), ConcurrencyError)


@pytest.mark.postgres
def test_values_out_of_a_column_range_translate_to_validation_errors(
    postgres_server_url: str,
) -> None:
    """A number or a string the column cannot hold is a ValidationError, not a raw DataError."""
    engine = create_engine_for(postgres_server_url)
    try:
        for statement in ("SELECT CAST(:v AS smallint)", "SELECT CAST(:v AS timestamp)"):
            value: Any = 10**6 if "smallint" in statement else "294277-01-01"
            with engine.connect() as connection, pytest.raises(exc.DataError) as caught:
                connection.execute(text(statement), {"v": value})
            translated = translate(caught.value)
            assert isinstance(translated, ValidationError), translated
            assert "out of range" in str(translated)
    finally:
        engine.dispose()
