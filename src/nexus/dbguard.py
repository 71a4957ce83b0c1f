"""Refuse a database that is not nexus's (a foreign Alembic history, tables without nexus's
revision) before anything reads or writes it: one check per engine, cached."""

from __future__ import annotations

import re
import sqlite3
import weakref
from collections.abc import Callable, Iterable
from functools import cache
from pathlib import Path

from sqlalchemy import Engine, text

from nexus.shared.errors import ValidationError

_REVISION = re.compile(r'^revision(?::\s*str)?\s*=\s*["\']([^"\']+)["\']', re.MULTILINE)
_checked: weakref.WeakKeyDictionary[Engine, bool] = weakref.WeakKeyDictionary()

_TABLES = {
    "sqlite": "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'",
    "postgresql": "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()",
    **dict.fromkeys(
        ("mysql", "mariadb"),
        "SELECT table_name FROM information_schema.tables "
        "WHERE table_schema = DATABASE() AND table_type = 'BASE TABLE'",
    ),
}


def migrations_path() -> Path:
    """The wheel carries the migrations as `nexus/_migrations`; a source checkout has them at
    the repository's top level."""
    package = Path(__file__).resolve().parent
    for candidate in (package / "_migrations", package.parents[1] / "migrations"):
        if (candidate / "env.py").is_file():
            return candidate
    raise FileNotFoundError("nexus migrations not found (neither in the package nor the checkout)")


@cache
def nexus_revisions(scripts: Path | None = None) -> frozenset[str]:
    """Every revision id of nexus's history, read from the migration files (no Alembic)."""
    found = set()
    for script in ((scripts or migrations_path()) / "versions").glob("*.py"):
        match = _REVISION.search(script.read_text(encoding="utf-8"))
        if match:
            found.add(match.group(1))
    return frozenset(found)


def ensure_nexus_database(
    engine: Engine, scripts: Path | None = None, version_table: str = "alembic_version"
) -> None:
    """A ValidationError (nothing written) when the database holds another application's
    schema: an Alembic revision outside nexus's history, or tables but no nexus revision. An
    empty database passes (`nexus db upgrade` fills it). Checked once per engine.

    A `version_table` of nexus's own (not `alembic_version`) declares the database shared:
    other tables are then the other application's, and only that table's revision must be
    nexus's."""
    if _checked.get(engine):
        return
    read = _sqlite_schema if engine.dialect.name == "sqlite" else _schema
    found = read(engine, version_table)
    if found is not None and version_table != "alembic_version":
        foreign = sorted(found[1] - nexus_revisions(scripts))
        if foreign:
            raise ValidationError(
                "version_table",
                f"{version_table} holds revision {foreign[0]}, which is not in nexus's history",
            )
    elif found is not None:
        tables, revisions = found
        foreign = sorted(revisions - nexus_revisions(scripts))
        where = engine.url.render_as_string(hide_password=True)
        if foreign:
            raise ValidationError(
                "database_url",
                f"{where} is not a nexus database: its Alembic revision {foreign[0]} is not in "
                "nexus's history (a NexusLIMS database? `nexus lab import-nexuslims` reads it)",
            )
        others = sorted(tables - {"alembic_version"})
        if others and not revisions:
            raise ValidationError(
                "database_url",
                f"{where} is not a nexus database: it has tables ({', '.join(others[:3])}) but "
                "no nexus revision (a NexusLIMS database? `nexus lab import-nexuslims` reads it)",
            )
    _checked[engine] = True


def _read(
    query: Callable[[str], Iterable[tuple[object, ...]]], listing: str, version_table: str
) -> tuple[set[str], set[str]]:
    tables = {str(row[0]) for row in query(listing)}
    revisions: set[str] = set()
    if version_table in tables:
        # A name Settings checked (lower-case letters, digits and '_') and found in the listing.
        select = f"SELECT version_num FROM {version_table}"  # noqa: S608
        revisions = {str(row[0]) for row in query(select)}
    return tables, revisions


def _schema(engine: Engine, version_table: str) -> tuple[set[str], set[str]] | None:
    listing = _TABLES.get(engine.dialect.name)
    if listing is None:
        return None
    with engine.connect() as connection:
        return _read(lambda sql: connection.execute(text(sql)).all(), listing, version_table)


def _sqlite_schema(engine: Engine, version_table: str) -> tuple[set[str], set[str]] | None:
    """Read with SQLite itself, read-only: nexus's own connections switch the file to WAL, a
    write another application's database must not get."""
    database = engine.url.database
    if not database or database == ":memory:" or engine.url.query.get("mode") == "memory":
        return None
    path = Path(database.removeprefix("file:").split("?", 1)[0])
    try:
        if not path.is_file():
            return None
    except OSError:  # not a file SQLite could open either: let the engine say so
        return None
    immutable = "&immutable=1" if engine.url.query.get("immutable") == "1" else ""
    connection = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro{immutable}", uri=True)
    try:
        return _read(
            lambda sql: connection.execute(sql).fetchall(), _TABLES["sqlite"], version_table
        )
    except sqlite3.DatabaseError as error:
        raise ValidationError(
            "database_url", f"{path} is not a SQLite database ({error})"
        ) from None
    finally:
        connection.close()
