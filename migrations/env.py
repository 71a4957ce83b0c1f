"""Alembic environment for nexus: one MetaData for every context, batch mode on SQLite."""

from __future__ import annotations

from logging.config import fileConfig
from typing import Any, Literal

import sqlalchemy as sa
from alembic import context
from sqlalchemy import Connection, Engine, text

from nexus.persistence.engine import create_engine_for
from nexus.persistence.types import UTCDateTime
from nexus.records import metadata
from nexus.settings import Settings

config = context.config
if config.config_file_name is not None and config.attributes.get("configure_logger", True):
    fileConfig(config.config_file_name, disable_existing_loggers=False)


def _url() -> str:
    return config.get_main_option("sqlalchemy.url") or Settings.from_env().database_url


def _render_item(type_: str, obj: Any, autogen_context: Any) -> str | Literal[False]:
    """Migrations spell plain SQLAlchemy types, so a later change to a project type never
    rewrites history."""
    if type_ == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime(timezone=True)"
    if type_ == "type" and isinstance(obj, sa.JSON | sa.types.Variant):
        autogen_context.imports.add("from sqlalchemy.dialects import postgresql")
        return (
            "sa.JSON(none_as_null=True)"
            '.with_variant(postgresql.JSONB(none_as_null=True), "postgresql")'
        )
    return False


def _nexus_only(name: str | None, type_: str, _parents: dict[str, Any]) -> bool:
    """In a database shared with another application, only nexus's tables are compared."""
    return type_ != "table" or name in metadata.tables


def _configure(connection: Connection) -> None:
    shared = bool(config.attributes.get("shared"))
    context.configure(
        version_table=config.attributes.get("version_table") or "alembic_version",
        include_name=_nexus_only if shared else None,
        connection=connection,
        target_metadata=metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
        compare_server_default=True,
        render_item=_render_item,
        user_module_prefix="sa.",
    )


def _run(connection: Connection) -> None:
    sqlite = connection.dialect.name == "sqlite"
    if sqlite:
        # Every nexus connection opens with foreign keys on. A batch-mode table rebuild drops
        # and recreates the table, and with foreign keys on that DROP would cascade deletes into
        # child rows. So keys are off for the migration only (SQLite's documented procedure),
        # checked with foreign_key_check afterwards, and turned back on.
        connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
        connection.commit()
    try:
        _configure(connection)
        with context.begin_transaction():
            context.run_migrations()
        if sqlite:
            problems = connection.execute(text("PRAGMA foreign_key_check")).fetchall()
            if problems:
                raise RuntimeError(f"migration left rows with broken foreign keys: {problems[:5]}")
    finally:
        if sqlite:
            connection.commit()
            connection.exec_driver_sql("PRAGMA foreign_keys=ON")


def run_migrations_offline() -> None:
    context.configure(url=_url(), target_metadata=metadata, literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    given = config.attributes.get("connection")
    if isinstance(given, Connection):
        _run(given)
        return
    engine = (
        given
        if isinstance(given, Engine)
        else create_engine_for(_url(), schema=config.attributes.get("schema"))
    )
    try:
        with engine.connect() as connection:
            _run(connection)
            connection.commit()
    finally:
        if given is None:
            engine.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
