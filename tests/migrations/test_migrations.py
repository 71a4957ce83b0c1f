"""Migrations with pytest-alembic on SQLite, PostgreSQL and MariaDB: one head, upgrade from empty,
no model/DDL drift, every downgrade runs, and a downgrade leaves no trace."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic.config import Config
from pytest_alembic.tests import (  # noqa: F401  (collected here, on both engines)
    test_model_definitions_match_ddl,
    test_single_head_revision,
    test_up_down_consistency,
    test_upgrade,
)
from pytest_alembic.tests.experimental import (  # noqa: F401
    test_downgrade_leaves_no_trace,
)
from sqlalchemy import Engine

from nexus.migrating import migrations_path
from nexus.persistence.engine import create_engine_for
from tests.conftest import (
    ENGINES,
    create_mariadb_database,
    create_postgres_database,
    drop_mariadb_database,
    drop_postgres_database,
    run_id,
)


@pytest.fixture
def alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(migrations_path()))
    return config


@pytest.fixture(params=ENGINES)
def alembic_engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    """An empty database: a fresh SQLite file, or a fresh PostgreSQL or MariaDB database."""
    if request.param == "sqlite":
        engine = create_engine_for(f"sqlite:///{tmp_path / 'migrations.db'}")
        yield engine
        engine.dispose()
        return
    name = f"nexus_migrations_{run_id()}"
    if request.param == "mariadb":
        mariadb: str = request.getfixturevalue("mariadb_server_url")
        engine = create_engine_for(create_mariadb_database(mariadb, name))
        yield engine
        engine.dispose()
        drop_mariadb_database(mariadb, name)
        return
    server: str = request.getfixturevalue("postgres_server_url")
    engine = create_engine_for(create_postgres_database(server, name))
    yield engine
    engine.dispose()
    drop_postgres_database(server, name)
