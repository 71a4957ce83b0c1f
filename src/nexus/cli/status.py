"""The database's state: revision, contexts and their tables' row counts."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, inspect, select

from nexus import migrating
from nexus.dbguard import ensure_nexus_database
from nexus.persistence.engine import create_engine_for
from nexus.records import context_tables


def database_state(url: str) -> dict[str, Any]:
    engine = create_engine_for(url)
    try:
        ensure_nexus_database(engine)
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
