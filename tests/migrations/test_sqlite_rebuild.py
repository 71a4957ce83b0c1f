"""A batch-mode table rebuild on SQLite keeps child rows and CHECK constraints.

With foreign keys on, SQLite's DROP TABLE of a parent deletes (cascades into) its children; the
migrations env turns keys off for the migration and checks them afterwards. This runs the real
env.py with one extra revision that rebuilds `users` while a child table holds rows.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from sqlalchemy import inspect, text

from nexus import migrating
from nexus.persistence.engine import create_engine_for

REBUILD = '''"""test: rebuild users"""
import sqlalchemy as sa
from alembic import op

revision = "9999_rebuild"
down_revision = "{head}"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("users", recreate="always") as batch:
        batch.add_column(sa.Column("nickname", sa.String(40), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("users", recreate="always") as batch:
        batch.drop_column("nickname")
'''


@pytest.fixture
def scripts(tmp_path: Path) -> Path:
    target = tmp_path / "migrations"
    shutil.copytree(migrating.migrations_path(), target)
    (target / "versions" / "9999_rebuild.py").write_text(
        REBUILD.format(head=migrating.head_revision())
    )
    return target


def test_rebuilding_a_parent_table_keeps_child_rows_and_checks(
    tmp_path: Path, scripts: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = f"sqlite:///{tmp_path / 'rebuild.db'}"
    migrating.upgrade(url)
    engine = create_engine_for(url)
    with engine.begin() as connection:
        connection.execute(
            text(
                "CREATE TABLE user_notes (id INTEGER PRIMARY KEY, user_id CHAR(32) NOT NULL "
                "REFERENCES users(id) ON DELETE CASCADE)"
            )
        )
        connection.execute(
            text(
                "INSERT INTO users (id, email, name, hashed_password, created_at, updated_at) "
                "VALUES ('0123456789abcdef0123456789abcdef', 'a@example.org', 'A', 'h', "
                "'2026-01-01 00:00:00.000000', '2026-01-01 00:00:00.000000')"
            )
        )
        connection.execute(
            text("INSERT INTO user_notes VALUES (1, '0123456789abcdef0123456789abcdef')")
        )
    monkeypatch.setattr(migrating, "migrations_path", lambda: scripts)
    migrating.upgrade(url, "9999_rebuild")
    with engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM user_notes")).scalar() == 1
        assert connection.execute(text("SELECT count(*) FROM users")).scalar() == 1
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    checks = {c["name"] for c in inspect(engine).get_check_constraints("users")}
    assert "ck_users_failed_login_attempts_non_negative" in checks
    assert "nickname" in {c["name"] for c in inspect(engine).get_columns("users")}
    migrating.downgrade(url, "-1")
    with engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM user_notes")).scalar() == 1
    engine.dispose()
