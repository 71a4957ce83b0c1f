"""Reading a NexusLIMS SQLite database of any released schema: the pre-Alembic 1.x script's,
and every revision of its Alembic history (v1_4_3 .. v2_5_0b, with the older v2_4_0_1/_2 names).

The file is opened read-only; the schema is told by `alembic_version` and by the columns
present (`schema_name` before v2_5_0b, `display_name` after; upload_log from v2.4, external ids
from v2.5). Rows come out as plain dicts of NexusLIMS's column names; the use case validates.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from nexus.lab.application.ports import NexusLimsDump
from nexus.shared.errors import ValidationError

FIELD = "nexuslims"
# NexusLIMS's released Alembic revisions (and the older names of the v2.4 steps).
NEXUSLIMS_REVISIONS = frozenset(
    {"v1_4_3", "v2_4_0_1", "v2_4_0_2", "v2_4_0a", "v2_4_0b", "v2_5_0a", "v2_5_0b"}
)
PRE_ALEMBIC = "pre-alembic"


def _columns(connection: sqlite3.Connection, table: str) -> list[str]:
    return [row[1] for row in connection.execute(f'PRAGMA table_info("{table}")')]


def _rows(connection: sqlite3.Connection, table: str, order_by: str) -> list[dict[str, Any]]:
    cursor = connection.execute(f'SELECT * FROM "{table}" ORDER BY {order_by}')  # noqa: S608
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor]


def _open(path: Path) -> sqlite3.Connection:
    try:
        found = path.is_file()
    except OSError as error:  # a name too long, a path through a file, ...
        raise ValidationError(FIELD, f"cannot read the file: {error.strerror}") from None
    if not found:
        raise ValidationError(FIELD, f"cannot read {path}: no such file")
    try:
        connection = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        connection.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlite3.DatabaseError as error:
        raise ValidationError(FIELD, f"{path} is not a SQLite database ({error})") from None
    return connection


def _revision(connection: sqlite3.Connection, tables: set[str], path: Path) -> str:
    if "instruments" not in tables or "session_log" not in tables:
        raise ValidationError(
            FIELD, f"{path} is not a NexusLIMS database (no instruments and session_log tables)"
        )
    if "alembic_version" not in tables:
        return PRE_ALEMBIC
    found = [row[0] for row in connection.execute("SELECT version_num FROM alembic_version")]
    if not found:
        return PRE_ALEMBIC
    unknown = [r for r in found if r not in NEXUSLIMS_REVISIONS]
    if unknown:
        known = ", ".join(sorted(NEXUSLIMS_REVISIONS))
        raise ValidationError(
            FIELD,
            f"{path} is at revision {unknown[0]}, not a released NexusLIMS schema ({known})",
        )
    return str(found[0])


def read_nexuslims(path: Path) -> NexusLimsDump:
    """Every row of the four tables NexusLIMS has (those its schema has), or ValidationError."""
    connection = _open(Path(path))
    try:
        try:
            tables = {
                row[0]
                for row in connection.execute("SELECT name FROM sqlite_master WHERE type='table'")
            }
            revision = _revision(connection, tables, path)
            instruments = _rows(connection, "instruments", "instrument_pid")
            if "display_name" not in _columns(connection, "instruments"):
                for row in instruments:  # before v2_5_0b the display name was schema_name
                    row["display_name"] = row.get("schema_name")
            return NexusLimsDump(
                revision=revision,
                instruments=instruments,
                session_log=_rows(connection, "session_log", "id_session_log"),
                upload_log=_rows(connection, "upload_log", "id") if "upload_log" in tables else [],
                external_ids=(
                    _rows(connection, "external_user_identifiers", "id")
                    if "external_user_identifiers" in tables
                    else []
                ),
            )
        except sqlite3.DatabaseError as error:
            raise ValidationError(FIELD, f"cannot read {path}: {error}") from None
    finally:
        connection.close()
