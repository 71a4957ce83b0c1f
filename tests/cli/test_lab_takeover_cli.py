"""`nexus lab import-nexuslims`, `sessions rebuild`, `import-events --server`; a database that
is not nexus's refused by every command; `db downgrade -1`; database errors and their hint; a
read-only SQLite file; a backend nexus does not support."""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text
from typer.testing import CliRunner

import nexus
from nexus import migrating
from nexus.cli.main import app
from nexus.persistence.engine import create_engine_for
from nexus.shared.errors import ValidationError
from tests.cli.conftest import Cli
from tests.conftest import create_postgres_database, drop_postgres_database, run_id
from tests.integration import nexuslims_fixture as nexuslims


def one_line_error(result: object, starts: str) -> None:
    assert result.exit_code == 1  # type: ignore[attr-defined]
    stderr = result.stderr  # type: ignore[attr-defined]
    assert stderr.startswith(f"error: {starts}"), stderr
    assert len(stderr.strip().splitlines()) == 1


def test_import_nexuslims_twice(cli: Cli, tmp_path: Path) -> None:
    source = tmp_path / "nexuslims.db"
    nexuslims.build(source, "v2_5_0b", sessions=8)
    first = cli.json("lab", "import-nexuslims", str(source))
    assert first["revision"] == "v2_5_0b"
    added = {t["table"]: t["added"] for t in first["tables"]}
    assert added == {
        "instruments": 4,
        "session_log": 19,
        "upload_log": 4,
        "external_user_identifiers": 4,
    }
    again = cli("lab", "import-nexuslims", str(source))
    assert again.exit_code == 0, again.stderr
    assert "session_log: 21 read, 0 added, 19 already there" in again.stdout
    sid = f"{nexuslims.SERVER_A}usage_events/?id=1000"
    rebuilt = cli.json("lab", "sessions", "rebuild", sid)
    assert rebuilt["record_status"] == "TO_BE_BUILT"
    to_build = cli.json("lab", "sessions", "to-build")
    assert sid in {s["session_identifier"] for s in to_build}


def test_import_events_names_the_server_and_warns_of_more_pages(cli: Cli, tmp_path: Path) -> None:
    source = tmp_path / "nexuslims.db"
    nexuslims.build(source, "v2_5_0b", sessions=1)
    cli.json("lab", "import-nexuslims", str(source))
    page = {
        "next": f"{nexuslims.SERVER_B}usage_events/?page=2",
        "results": [
            {"id": 5, "start": "2026-01-05T09:00:00", "end": "2026-01-05T10:00:00", "tool": 1}
        ],
    }
    path = tmp_path / "page.json"
    path.write_text(json.dumps(page))
    result = cli("lab", "import-events", str(path))
    assert result.exit_code == 0, result.stderr
    assert "1 added" in result.stdout
    assert result.stderr.startswith("warning: incomplete: the page points to more events")
    listing = json.dumps(page["results"])
    path.write_text(listing)
    one_line_error(cli("lab", "import-events", str(path)), "usage_events[0].tool: tool 1 matches")
    done = cli("lab", "import-events", str(path), "--server", nexuslims.SERVER_A, "--json")
    assert json.loads(done.stdout)["added"] == 1


@pytest.mark.parametrize("revision", ["pre-alembic", "v2_5_0b"])
def test_a_nexuslims_database_is_refused_by_every_command(tmp_path: Path, revision: str) -> None:
    source = tmp_path / "nexuslims.db"
    nexuslims.build(source, revision, sessions=2)
    before = hashlib.sha256(source.read_bytes()).hexdigest()
    url = ["--database-url", f"sqlite:///{source}"]
    runner = CliRunner()
    for command in (
        ["lab", "instruments", "list"],
        ["lab", "instruments", "add", "--pid", "X", "--api-url", "https://n.example.org/tools/?id=1",
         "--calendar-url", "https://n.example.org/c", "--location", "L", "--display-name", "D",
         "--property-tag", "1", "--filestore-path", "x"],
        ["users", "list"],
        ["db", "upgrade"],
        ["db", "current"],
        ["db", "check"],
        ["status"],
    ):  # fmt: skip
        result = runner.invoke(app, [*command, *url])
        one_line_error(result, "database_url: sqlite:///")
        assert "is not a nexus database" in result.stderr
    assert hashlib.sha256(source.read_bytes()).hexdigest() == before


@pytest.fixture
def scratch_postgres(postgres_server_url: str) -> Iterator[str]:
    name = f"nexus_foreign_{run_id()}"
    url = create_postgres_database(postgres_server_url, name)
    yield url
    drop_postgres_database(postgres_server_url, name)


@pytest.mark.postgres
def test_a_foreign_alembic_history_on_postgresql_is_refused(scratch_postgres: str) -> None:
    engine = create_engine_for(scratch_postgres)
    with engine.begin() as connection:
        connection.execute(text("CREATE TABLE alembic_version (version_num VARCHAR(32))"))
        connection.execute(text("INSERT INTO alembic_version VALUES ('v2_5_0b')"))
        connection.execute(text("CREATE TABLE instruments (instrument_pid VARCHAR(100))"))
    for attempt in (
        lambda: nexus.create_app(scratch_postgres),
        lambda: nexus.migrate(scratch_postgres),
    ):
        with pytest.raises(ValidationError, match="revision v2_5_0b is not in nexus's history"):
            attempt()
    with engine.connect() as connection:
        tables = connection.execute(
            text("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")
        ).scalar()
    engine.dispose()
    assert tables == 2  # nothing created


def test_db_downgrade_minus_one_as_the_readme_shows(cli: Cli) -> None:
    head = migrating.head_revision()
    result = cli("db", "downgrade", "-1")
    assert result.exit_code == 0, result.stderr
    current = cli.json("db", "current")
    assert current["current"] not in (None, head)
    assert cli("db", "upgrade").exit_code == 0
    assert cli.json("db", "current")["current"] == head


def test_the_upgrade_hint_follows_only_a_missing_schema(tmp_path: Path) -> None:
    runner = CliRunner()
    empty = tmp_path / "empty.db"
    sqlite3.connect(empty).close()
    result = runner.invoke(
        app, ["lab", "instruments", "list", "--database-url", f"sqlite:///{empty}"]
    )
    one_line_error(result, "database error (is the database upgraded? run `nexus db upgrade`)")
    assert "no such table" in result.stderr
    refused = runner.invoke(
        app, ["users", "list", "--database-url", "postgresql://nobody@127.0.0.1:9/none"]
    )
    one_line_error(refused, "database error: ")
    assert "upgraded" not in refused.stderr


def test_an_unsupported_backend_is_refused_by_create_app() -> None:
    with pytest.raises(ValidationError, match="the mssql backend is not supported"):
        nexus.create_app("mssql+pymssql://u:p@localhost/x")
    with pytest.raises(ValidationError, match="the oracle backend is not supported"):
        nexus.migrate("oracle://u:p@localhost/x")


@pytest.mark.parametrize("journal", ["DELETE", "WAL"])
def test_a_sqlite_file_on_read_only_media_can_be_read(tmp_path: Path, journal: str) -> None:
    """Read-only media, played by a file and directory without write permission (even root,
    who could write anyway, then opens the file read-only)."""
    shelf = tmp_path / "media"
    shelf.mkdir()
    database = shelf / "nexus.db"
    url = f"sqlite:///{database}"
    nexus.migrate(url)
    with nexus.create_app(url) as writer:
        writer.lab.register_instrument(
            instrument_pid="Titan", api_url="https://n.example.org/api/tools/?id=1",
            calendar_url="https://n.example.org/c", location="B217", display_name="Titan",
            property_tag="1", filestore_path="titan",
        )  # fmt: skip
    engine = create_engine_for(url)
    with engine.connect() as connection:
        connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        connection.exec_driver_sql(f"PRAGMA journal_mode={journal}")
    engine.dispose()
    for leftover in shelf.glob("nexus.db-*"):
        leftover.unlink()
    database.chmod(0o444)
    shelf.chmod(0o555)
    try:
        before = hashlib.sha256(database.read_bytes()).hexdigest()
        runner = CliRunner()
        listed = runner.invoke(app, ["lab", "instruments", "list", "--json", "--database-url", url])
        assert listed.exit_code == 0, listed.stderr
        assert [i["instrument_pid"] for i in json.loads(listed.stdout)] == ["Titan"]
        status = runner.invoke(app, ["status", "--json", "--database-url", url])
        assert status.exit_code == 0, status.stderr
        write = runner.invoke(
            app, ["lab", "external-ids", "set", "jsmith", "nemo", "1", "--database-url", url]
        )
        one_line_error(write, "database error: attempt to write a readonly database")
        assert sorted(p.name for p in shelf.iterdir()) == ["nexus.db"]
        assert hashlib.sha256(database.read_bytes()).hexdigest() == before
    finally:
        shelf.chmod(0o755)
        database.chmod(0o644)
