"""Taking over a NexusLIMS installation: a NexusLIMS database of every released schema, built
here from NexusLIMS's published DDL, carried into nexus on the in-memory adapters, SQLite and
PostgreSQL; a second run changes nothing; identifiers are kept as NexusLIMS wrote them."""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Callable
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

import nexus
from nexus.app import Nexus
from nexus.shared.errors import ConflictError, ValidationError
from tests.integration import nexuslims_fixture as nexuslims

REVISIONS = list(nexuslims.SCHEMAS)


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.parametrize("revision", REVISIONS)
def test_every_released_schema_is_carried_over_once(
    app: Nexus, tmp_path: Path, revision: str, figure: Callable[[str], None]
) -> None:
    source = tmp_path / "nexuslims.db"
    written = nexuslims.build(source, revision)
    before = digest(source)

    first = app.lab.import_nexuslims(source)

    assert first.revision == revision
    counts = {t.table: t for t in first.tables}
    assert counts["instruments"].added == 4
    sessions = counts["session_log"]
    # one row of a deleted instrument (NexusLIMS never enforced its foreign key), and the
    # first of a duplicated END (the later one is kept) are not carried
    assert sessions.read == len(written["session_log"])
    assert sessions.skipped == {"instrument unknown": 1, "earlier END replaced": 1}
    assert sessions.added == sessions.read - 2
    assert counts["upload_log"].added == len(written["upload_log"])
    ids = counts["external_user_identifiers"]
    assert ids.read == len(written["external_user_identifiers"])
    if ids.read:
        assert (ids.added, ids.skipped) == (4, {"empty username": 1})
    target = app.settings.database_url.split(":")[0].split("+")[0]
    target = target if app.settings.persistence == "sqlalchemy" else "memory"
    figure(
        f"NexusLIMS {revision} -> {target}: "
        + ", ".join(f"{t.table} {t.added}/{t.read}" for t in first.tables)
    )

    second = app.lab.import_nexuslims(source)
    assert [t.added for t in second.tables] == [0, 0, 0, 0]
    assert [t.existing for t in second.tables] == [t.added for t in first.tables]
    assert digest(source) == before  # read-only: the NexusLIMS file is never written


def test_what_is_carried_keeps_nexuslims_values(app: Nexus, tmp_path: Path) -> None:
    source = tmp_path / "nexuslims.db"
    nexuslims.build(source, "v2_5_0b")
    app.lab.import_nexuslims(source)
    lab = app.lab

    titan = lab.get_instrument("FEI-Titan-TEM-635816")
    assert str(titan) == "FEI-Titan-TEM-635816 in Building 217, Room 0"
    assert titan.display_name == "Instrument 0"
    sid = f"{nexuslims.SERVER_A}usage_events/?id=1000"  # kept as NexusLIMS named it
    (session,) = [s for s in lab.list_sessions(limit=1000) if s.session_identifier == sid]
    assert session.record_status == "COMPLETED"
    # the later of the two ENDs NexusLIMS logged for this session
    assert session.end == datetime(2024, 1, 1, 12, tzinfo=timezone(timedelta(hours=-5)))
    assert lab.get_all_external_ids("user2") == {"nemo": "102", "labarchives_eln": "285489257Ho"}
    assert lab.get_nexuslims_username("101", "nemo") == "user1"
    assert lab.is_exported(sid, ["cdcs"]) in (True, False)
    mapping = lab.get_external_mapping("user1", "nemo")
    assert mapping is not None
    assert mapping.created_at == datetime(2025, 2, 1, 10, tzinfo=UTC)


def test_pre_alembic_local_times_are_the_instrument_wall_clock(app: Nexus, tmp_path: Path) -> None:
    source = tmp_path / "nexuslims.db"
    nexuslims.build(source, "pre-alembic")
    app.lab.import_nexuslims(source)
    quanta = [s for s in app.lab.list_sessions(limit=1000) if s.instrument.startswith("FEI-Q")]
    # 2024-01-03 08:00 written without an offset on an instrument in America/Denver
    assert quanta[0].start == datetime(2024, 1, 3, 8, tzinfo=timezone(timedelta(hours=-7)))


def test_a_start_without_end_to_be_built_raises_as_nexuslims_does(
    app: Nexus, tmp_path: Path
) -> None:
    source = tmp_path / "nexuslims.db"
    nexuslims.build(source, "v2_5_0b", sessions=4)
    with sqlite3.connect(source) as connection:
        connection.execute(
            "INSERT INTO session_log (session_identifier, instrument, timestamp, event_type, "
            "record_status) VALUES ('lonely', 'FEI-Titan-TEM-635816', "
            "'2024-02-01T09:00:00-05:00', 'START', 'TO_BE_BUILT')"
        )
    connection.close()
    app.lab.import_nexuslims(source)
    with pytest.raises(ConflictError, match="lonely is TO_BE_BUILT but has no END"):
        app.lab.sessions_to_build()


def test_not_a_nexuslims_database_is_refused_naming_it(app: Nexus, tmp_path: Path) -> None:
    text_file = tmp_path / "notes.db"
    text_file.write_text("not a database " * 100)
    with pytest.raises(ValidationError, match="not a SQLite database"):
        app.lab.import_nexuslims(text_file)
    with pytest.raises(ValidationError, match="no such file"):
        app.lab.import_nexuslims(tmp_path / "missing.db")
    empty = tmp_path / "empty.db"
    sqlite3.connect(empty).close()
    with pytest.raises(ValidationError, match="not a NexusLIMS database"):
        app.lab.import_nexuslims(empty)
    future = tmp_path / "future.db"
    nexuslims.build(future, "v2_5_0b", sessions=1)
    with sqlite3.connect(future) as connection:
        connection.execute("UPDATE alembic_version SET version_num = 'v9_0_0'")
    connection.close()
    with pytest.raises(ValidationError, match="v9_0_0, not a released NexusLIMS schema"):
        app.lab.import_nexuslims(future)
    assert app.lab.list_instruments() == []


def test_a_bad_row_names_table_and_row_and_writes_nothing(app: Nexus, tmp_path: Path) -> None:
    source = tmp_path / "nexuslims.db"
    nexuslims.build(source, "v2_5_0b", sessions=4)
    with sqlite3.connect(source) as connection:
        connection.execute(
            "UPDATE session_log SET timestamp = 'yesterday' WHERE id_session_log = 3"
        )
    connection.close()
    with pytest.raises(ValidationError, match=r"nexuslims.session_log\[3\]: session_log.timestamp"):
        app.lab.import_nexuslims(source)
    assert app.lab.list_sessions() == []


@pytest.mark.parametrize("revision", ["pre-alembic", "v2_4_0b", "v2_5_0b"])
def test_a_nexuslims_database_is_refused_by_create_app_and_migrate(
    tmp_path: Path, revision: str
) -> None:
    source = tmp_path / "nexuslims.db"
    nexuslims.build(source, revision, sessions=2)
    before = digest(source)
    url = f"sqlite:///{source}"
    for attempt in (lambda: nexus.create_app(url), lambda: nexus.migrate(url)):
        with pytest.raises(ValidationError, match="is not a nexus database"):
            attempt()
    assert digest(source) == before
    assert not Path(f"{source}-wal").exists()
