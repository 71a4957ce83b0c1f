"""Migration 0011 on a MariaDB database created before it (tables in utf8mb4_bin, PAD SPACE):
every table of nexus ends in utf8mb4_nopad_bin exactly as a fresh database has it (foreign keys,
partial unique indexes and JSON columns included), the rows kept, and trailing spaces count."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from sqlalchemy import Engine

import nexus
from nexus import migrating
from nexus.persistence import mysql
from nexus.persistence.engine import create_engine_for
from tests.conftest import create_mariadb_database, drop_mariadb_database, run_id

pytestmark = pytest.mark.mariadb


@pytest.fixture
def two_databases(mariadb_server_url: str) -> Iterator[tuple[str, str]]:
    names = [f"nexus_collation_{run_id()}_{i}" for i in (1, 2)]
    yield (
        create_mariadb_database(mariadb_server_url, names[0]),
        create_mariadb_database(mariadb_server_url, names[1]),
    )
    for name in names:
        drop_mariadb_database(mariadb_server_url, name)


def _shape(engine: Engine) -> dict[str, list[str]]:
    """Each table's SHOW CREATE TABLE, line by line (in any order)."""
    shapes: dict[str, list[str]] = {}
    with engine.connect() as connection:
        for (table,) in connection.exec_driver_sql("SHOW TABLES").all():
            ddl = connection.exec_driver_sql(f"SHOW CREATE TABLE `{table}`").one()[1]
            lines = re.sub(r"AUTO_INCREMENT=\d+ ", "", ddl).splitlines()
            shapes[table] = sorted(line.strip().rstrip(",") for line in lines)
    return shapes


def test_0011_converts_a_pad_space_database_to_what_a_fresh_one_is(
    two_databases: tuple[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    old, fresh = two_databases
    # The tables as the releases before 0011 created them.
    with monkeypatch.context() as patch:
        patch.setattr(
            mysql, "TABLE_OPTIONS", "ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin"
        )
        migrating.upgrade(old, "0010")
    app = nexus.create_app(old)
    try:
        app.lab.store_external_id("alice", "nemo", "42")
        assert app.lab.get_nexuslims_username("42 ", "nemo") == "alice"  # PAD SPACE
    finally:
        app.close()

    migrating.upgrade(old, "head")
    migrating.upgrade(fresh, "head")
    migrating.check(old)
    engines = create_engine_for(old), create_engine_for(fresh)
    try:
        converted, created = (_shape(engine) for engine in engines)
    finally:
        for engine in engines:
            engine.dispose()
    assert converted == created
    assert all("utf8mb4_nopad_bin" in " ".join(lines) for lines in converted.values())

    app = nexus.create_app(old)
    try:
        assert app.lab.get_nexuslims_username("42", "nemo") == "alice"
        assert app.lab.get_nexuslims_username("42 ", "nemo") is None
        app.lab.store_external_id("bob", "nemo", "42 ")
        assert app.lab.get_nexuslims_username("42 ", "nemo") == "bob"
    finally:
        app.close()
