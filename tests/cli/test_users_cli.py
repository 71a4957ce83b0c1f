"""`nexus users` and `nexus db` on SQLite and PostgreSQL."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import argon2
import pytest
from sqlalchemy import func, select

from nexus import migrating
from nexus.identity.infrastructure.records import UserRecord
from nexus.persistence.engine import create_engine_for
from tests.cli.conftest import Cli


def _count_users(url: str) -> int:
    engine = create_engine_for(url)
    with engine.connect() as connection:
        count = connection.scalar(select(func.count()).select_from(UserRecord))
    engine.dispose()
    return int(count or 0)


def test_create_list_show(cli: Cli) -> None:
    created = cli.json(
        "users",
        "create",
        "--email",
        "Ada@Example.org",
        "--name",
        "Ada",
        "--password-stdin",
        input="correct horse battery\n",
    )
    assert created["email"] == "ada@example.org"
    listed = cli.json("users", "list")
    assert [u["email"] for u in listed] == ["ada@example.org"]
    shown = cli.json("users", "show", "ADA@example.org")
    assert shown["id"] == created["id"]
    for payload in (created, shown, *listed):
        assert "hashed_password" not in payload
        assert not any("argon2" in str(v) for v in payload.values())
    human = cli("users", "list")
    assert "ada@example.org" in human.stdout


def test_the_command_line_stores_argon2id_at_or_above_the_owasp_floor(cli: Cli) -> None:
    cli(
        "users",
        "create",
        "--email",
        "a@example.org",
        "--name",
        "A",
        "--password-stdin",
        input="correct horse battery\n",
    )
    engine = create_engine_for(cli.database_url)
    with engine.connect() as connection:
        stored = connection.scalar(select(UserRecord.hashed_password))
    engine.dispose()
    assert stored is not None
    params = argon2.extract_parameters(stored)
    assert params.type is argon2.Type.ID
    assert params.memory_cost >= 19 * 1024
    assert params.time_cost >= 2
    assert "correct horse battery" not in stored


def test_duplicate_email_is_one_line_exit_1_and_no_second_row(cli: Cli) -> None:
    args = ("users", "create", "--email", "ada@example.org", "--name", "Ada", "--password-stdin")
    assert cli(*args, input="correct horse battery\n").exit_code == 0
    result = cli(
        "users",
        "create",
        "--email",
        " ADA@example.org",
        "--name",
        "Other",
        "--password-stdin",
        input="correct horse battery\n",
    )
    assert result.exit_code == 1
    assert result.stderr.strip() == "error: users.email: already registered"
    assert result.stdout == ""
    assert _count_users(cli.database_url) == 1


def test_bad_input_names_the_field_and_writes_nothing(cli: Cli) -> None:
    result = cli(
        "users",
        "create",
        "--email",
        "nope",
        "--name",
        "Ada",
        "--password-stdin",
        input="correct horse battery\n",
    )
    assert result.exit_code == 1
    assert result.stderr.startswith("error: users.email: must be an email address")
    short = cli(
        "users",
        "create",
        "--email",
        "a@example.org",
        "--name",
        "Ada",
        "--password-stdin",
        input="short\n",
    )
    assert short.exit_code == 1
    assert "password: must be 8 to 1024 characters long" in short.stderr
    assert _count_users(cli.database_url) == 0


def test_show_unknown_user(cli: Cli) -> None:
    result = cli("users", "show", "nobody@example.org")
    assert result.exit_code == 1
    assert result.stderr.strip() == "error: user not found: nobody@example.org"


def test_db_current_check_downgrade_upgrade(cli: Cli) -> None:
    current = cli.json("db", "current")
    assert current == {"current": migrating.head_revision(), "head": migrating.head_revision()}
    assert cli("db", "check").exit_code == 0
    assert cli("db", "downgrade", "base").exit_code == 0
    assert cli.json("db", "current")["current"] is None
    not_ready = cli("users", "list")
    assert not_ready.exit_code == 1
    assert "nexus db upgrade" in not_ready.stderr
    assert cli("db", "upgrade").exit_code == 0
    assert cli.json("users", "list") == []


def test_db_check_fails_when_the_database_is_not_at_head(cli: Cli) -> None:
    cli("db", "downgrade", "base")
    result = cli("db", "check")
    assert result.exit_code == 1
    assert result.stderr.startswith("error: ")


def test_status_lists_contexts(cli: Cli) -> None:
    state = cli.json("status")
    assert state["revision"] == migrating.head_revision()
    assert state["contexts"]["identity"]["users"] == 0


def test_the_installed_command_prints_no_traceback(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    env = {**os.environ, "NEXUS_DATABASE_URL": url}
    command = [sys.executable, "-m", "nexus.cli.main"]
    run = subprocess.run([*command, "run"], env=env, capture_output=True, text=True, check=False)
    assert run.returncode == 0, run.stderr
    assert "identity" in run.stdout
    bad = subprocess.run(
        [*command, "users", "show", "x@example.org"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert bad.returncode == 1
    assert bad.stderr == "error: user not found: x@example.org\n"
    assert "Traceback" not in bad.stderr


def test_db_check_fails_on_drift_between_models_and_schema(cli: Cli) -> None:
    engine = create_engine_for(cli.database_url)
    with engine.begin() as connection:
        connection.exec_driver_sql("ALTER TABLE users ADD COLUMN drifted_column INTEGER")
    try:
        result = cli("db", "check")
        assert result.exit_code == 1
        assert result.stderr.startswith("error: models and migrations differ")
        assert "drifted_column" in result.stderr
    finally:
        with engine.begin() as connection:
            connection.exec_driver_sql("ALTER TABLE users DROP COLUMN drifted_column")
        engine.dispose()
    assert cli("db", "check").exit_code == 0


@pytest.mark.postgres
@pytest.mark.parametrize("database_url", ["postgres"], indirect=True)
def test_db_check_fails_on_a_changed_server_default(cli: Cli) -> None:
    engine = create_engine_for(cli.database_url)
    with engine.begin() as connection:
        connection.exec_driver_sql("ALTER TABLE users ALTER COLUMN is_active SET DEFAULT false")
    try:
        result = cli("db", "check")
        assert result.exit_code == 1
        assert "modify_default" in result.stderr
        assert "is_active" in result.stderr
    finally:
        with engine.begin() as connection:
            connection.exec_driver_sql("ALTER TABLE users ALTER COLUMN is_active SET DEFAULT true")
        engine.dispose()
    assert cli("db", "check").exit_code == 0


def test_version() -> None:
    from importlib.metadata import version

    from typer.testing import CliRunner

    from nexus.cli.main import app

    result = CliRunner().invoke(app, ["--version"])
    assert result.exit_code == 0
    assert result.stdout.strip() == f"nexus {version('nexus')}"


def test_a_mistyped_sqlite_path_is_refused_and_not_created(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from nexus.cli.main import app

    missing = tmp_path / "typo.db"
    runner = CliRunner()
    for argv in (
        ["status"],
        ["users", "list"],
        ["lab", "instruments", "list"],
        ["orgs", "list"],
        ["db", "current"],
        ["db", "check"],
    ):
        result = runner.invoke(app, [*argv, "--database-url", f"sqlite:///{missing}"])
        assert result.exit_code == 1, argv
        assert result.stderr.startswith(f"error: database file not found: {missing}"), argv
        assert not missing.exists(), argv
    created = runner.invoke(app, ["db", "upgrade", "--database-url", f"sqlite:///{missing}"])
    assert created.exit_code == 0
    assert missing.exists()


def test_an_unsupported_backend_is_one_line(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from nexus.cli.main import app

    result = CliRunner().invoke(
        app, ["users", "list", "--database-url", "mssql://bob:s3cret@127.0.0.1/x"]
    )
    assert result.exit_code == 1
    assert result.stderr.startswith(
        "error: database_url: the mssql backend is not supported "
        "(supported: mariadb, mysql, postgresql, sqlite)"
    )
    assert "s3cret" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
