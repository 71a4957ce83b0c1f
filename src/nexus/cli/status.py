"""The database's state: revision, contexts and their tables' row counts."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, inspect, select

from nexus import migrating
from nexus.dbguard import ensure_nexus_database
from nexus.persistence.engine import create_engine_for
from nexus.records import context_tables
from nexus.settings import Settings


def database_state(url: str) -> dict[str, Any]:
    place = Settings.from_env()  # NEXUS_SCHEMA, NEXUS_VERSION_TABLE
    engine = create_engine_for(url, schema=place.schema)
    try:
        ensure_nexus_database(engine, version_table=place.version_table)
        existing = set(inspect(engine).get_table_names())
        contexts: dict[str, dict[str, int | None]] = {}
        with engine.connect() as connection:
            for context, tables in context_tables().items():
                contexts[context] = {
                    table.name: (
                        connection.scalar(select(func.count()).select_from(table))
                        if table.name in existing
                        else None
                    )
                    for table in tables
                }
        return {
            "database": engine.url.render_as_string(hide_password=True),
            "revision": migrating.current_revision(url),
            "head": migrating.head_revision(),
            "contexts": contexts,
        }
    finally:
        engine.dispose()
