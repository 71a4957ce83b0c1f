"""NexusLIMS databases built by the tests, at every released schema: the pre-Alembic 1.x script
and each revision of NexusLIMS's Alembic history (DDL written here from NexusLIMS's published
schema: columns, constraints and index names), filled with a site's worth of rows."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

SERVER_A = "https://nemo-a.example.org/api/"
SERVER_B = "https://nemo-b.example.org/api/"

INSTRUMENTS_1X = """
CREATE TABLE instruments (
    instrument_pid VARCHAR(100) NOT NULL,
    api_url TEXT NOT NULL UNIQUE,
    calendar_name TEXT NOT NULL,
    calendar_url TEXT NOT NULL,
    location VARCHAR(100) NOT NULL,
    schema_name TEXT NOT NULL,
    property_tag VARCHAR(20) NOT NULL,
    filestore_path TEXT NOT NULL,
    computer_name TEXT UNIQUE,
    computer_ip VARCHAR(15) UNIQUE,
    computer_mount TEXT,
    harvester TEXT NOT NULL DEFAULT 'nemo',
    timezone TEXT NOT NULL DEFAULT 'America/New_York',
    PRIMARY KEY (instrument_pid)
)"""

INSTRUMENTS_25 = """
CREATE TABLE instruments (
    instrument_pid VARCHAR(100) NOT NULL,
    api_url VARCHAR NOT NULL,
    calendar_url VARCHAR NOT NULL,
    location VARCHAR(100) NOT NULL,
    display_name VARCHAR NOT NULL,
    property_tag VARCHAR(20) NOT NULL,
    filestore_path VARCHAR NOT NULL,
    harvester VARCHAR NOT NULL DEFAULT 'nemo',
    timezone VARCHAR NOT NULL DEFAULT 'America/New_York',
    PRIMARY KEY (instrument_pid),
    UNIQUE (api_url)
)"""

SESSION_LOG_SCRIPT = """
CREATE TABLE session_log (
    id_session_log INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    session_identifier VARCHAR(36) NOT NULL,
    instrument VARCHAR(100) NOT NULL,
    timestamp DATETIME NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%f', 'now', 'localtime')),
    event_type TEXT NOT NULL,
    record_status TEXT NOT NULL DEFAULT 'WAITING_FOR_END',
    user VARCHAR(50) NULL DEFAULT NULL,
    CONSTRAINT fk_instrument FOREIGN KEY (instrument) REFERENCES instruments (instrument_pid)
);
CREATE INDEX fk_instrument_idx ON session_log (instrument)"""

SESSION_LOG_143 = """
CREATE TABLE session_log (
    id_session_log INTEGER NOT NULL,
    session_identifier VARCHAR(36) NOT NULL,
    instrument VARCHAR(100) NOT NULL,
    timestamp VARCHAR NOT NULL,
    event_type VARCHAR(17) NOT NULL,
    record_status VARCHAR(18) NOT NULL DEFAULT 'WAITING_FOR_END',
    user VARCHAR(50),
    PRIMARY KEY (id_session_log),
    FOREIGN KEY (instrument) REFERENCES instruments (instrument_pid)
);
CREATE INDEX ix_session_log_session_identifier ON session_log (session_identifier)"""

SESSION_LOG_240B = """
CREATE TABLE session_log (
    id_session_log INTEGER NOT NULL,
    session_identifier VARCHAR(36) NOT NULL,
    instrument VARCHAR(100) NOT NULL,
    timestamp VARCHAR NOT NULL,
    event_type VARCHAR(17) NOT NULL,
    record_status VARCHAR(18) NOT NULL DEFAULT 'WAITING_FOR_END',
    user VARCHAR(50),
    PRIMARY KEY (id_session_log),
    FOREIGN KEY (instrument) REFERENCES instruments (instrument_pid),
    CONSTRAINT check_event_type CHECK (event_type IN ('START', 'END', 'RECORD_GENERATION')),
    CONSTRAINT check_record_status CHECK (record_status IN ('WAITING_FOR_END', 'TO_BE_BUILT',
        'COMPLETED', 'BUILT_NOT_EXPORTED', 'ERROR', 'NO_FILES_FOUND', 'NO_CONSENT',
        'NO_RESERVATION'))
);
CREATE INDEX ix_session_log_session_identifier ON session_log (session_identifier)"""

UPLOAD_LOG = """
CREATE TABLE upload_log (
    id INTEGER NOT NULL,
    session_identifier VARCHAR(36) NOT NULL,
    destination_name VARCHAR(100) NOT NULL,
    success BOOLEAN NOT NULL,
    timestamp VARCHAR NOT NULL,
    record_id VARCHAR(255),
    record_url VARCHAR(500),
    error_message VARCHAR,
    metadata_json VARCHAR,
    PRIMARY KEY (id)
);
CREATE INDEX ix_upload_log_session_identifier ON upload_log (session_identifier);
CREATE INDEX ix_upload_log_destination_name ON upload_log (destination_name)"""

EXTERNAL_IDS = """
CREATE TABLE external_user_identifiers (
    id INTEGER NOT NULL,
    nexuslims_username VARCHAR NOT NULL,
    external_system VARCHAR NOT NULL,
    external_id VARCHAR NOT NULL,
    email VARCHAR,
    created_at VARCHAR NOT NULL,
    last_verified_at VARCHAR,
    notes VARCHAR,
    PRIMARY KEY (id),
    CONSTRAINT nexuslims_username_system_UNIQUE UNIQUE (nexuslims_username, external_system),
    CONSTRAINT system_external_id_UNIQUE UNIQUE (external_system, external_id),
    CONSTRAINT valid_external_system CHECK (external_system IN ('nemo', 'labarchives_eln',
        'labarchives_scheduler', 'cdcs'))
);
CREATE INDEX idx_nexuslims_username ON external_user_identifiers (nexuslims_username);
CREATE INDEX idx_external_lookup ON external_user_identifiers (external_system, external_id)"""

ALEMBIC = "CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL PRIMARY KEY)"

# revision -> (instruments DDL, session_log DDL, has upload_log, has external ids)
SCHEMAS: dict[str, tuple[str, str, bool, bool]] = {
    "pre-alembic": (INSTRUMENTS_1X, SESSION_LOG_SCRIPT, False, False),
    "v1_4_3": (INSTRUMENTS_1X, SESSION_LOG_143, False, False),
    "v2_4_0_1": (INSTRUMENTS_1X, SESSION_LOG_143, True, False),
    "v2_4_0a": (INSTRUMENTS_1X, SESSION_LOG_143, True, False),
    "v2_4_0_2": (INSTRUMENTS_1X, SESSION_LOG_240B, True, False),
    "v2_4_0b": (INSTRUMENTS_1X, SESSION_LOG_240B, True, False),
    "v2_5_0a": (INSTRUMENTS_1X, SESSION_LOG_240B, True, True),
    "v2_5_0b": (INSTRUMENTS_25, SESSION_LOG_240B, True, True),
}

EST = timezone(timedelta(hours=-5))


def instruments() -> list[dict[str, Any]]:
    """Two NEMO servers whose tool ids collide (tool 1 on both), and a SharePoint one."""
    rows = []
    for n, (pid, api_url, zone) in enumerate(
        [
            ("FEI-Titan-TEM-635816", f"{SERVER_A}tools/?id=1", "America/New_York"),
            ("JEOL-JEM3010-TEM-565989", f"{SERVER_A}tools/?id=2", "America/New_York"),
            ("FEI-Quanta200-ESEM-633137", f"{SERVER_B}tools/?id=1", "America/Denver"),
            ("Hitachi-S4700-SEM-606559", "https://sharepoint.example.org/cal/S4700", "UTC"),
        ]
    ):
        rows.append(
            {
                "instrument_pid": pid,
                "api_url": api_url,
                "calendar_url": f"https://calendar.example.org/{n}",
                "location": f"Building 217, Room {n}",
                "name": f"Instrument {n}",
                "property_tag": f"{600000 + n}",
                "filestore_path": f"./Nexus_{pid.split('-')[1]}",
                "harvester": "sharepoint" if "sharepoint" in api_url else "nemo",
                "timezone": zone,
            }
        )
    return rows


def session_rows(naive: bool, sessions: int = 60) -> list[dict[str, Any]]:
    """START/END pairs (URL identifiers for NEMO, UUIDs otherwise), record generations, one
    duplicate END (the NexusLIMS bug), one START without END, one row of a deleted instrument."""
    pids = [i["instrument_pid"] for i in instruments()]
    rows: list[dict[str, Any]] = []

    def at(day: int, hour: int) -> str:
        moment = datetime(2024, 1, 1, 8, tzinfo=EST) + timedelta(days=day, hours=hour)
        return (
            moment.replace(tzinfo=None).isoformat(timespec="milliseconds")
            if naive
            else (moment.isoformat())
        )

    for n in range(sessions):
        pid = pids[n % len(pids)]
        server = SERVER_B if pid.startswith("FEI-Quanta") else SERVER_A
        sid = (
            f"{server}usage_events/?id={1000 + n}"
            if not pid.startswith("Hitachi")
            else f"00000000-0000-4000-8000-{n:012d}"
        )
        status = ["COMPLETED", "TO_BE_BUILT", "ERROR", "NO_FILES_FOUND"][n % 4]
        user = None if n % 7 == 0 else f"user{n % 5}"
        rows.append(_row(sid, pid, at(n, 0), "START", status, user))
        rows.append(_row(sid, pid, at(n, 2), "END", status, user))
        if status == "COMPLETED":
            rows.append(_row(sid, pid, at(n, 3), "RECORD_GENERATION", status, user))
    rows.append(_row(rows[1]["session_identifier"], pids[0], at(0, 4), "END", "COMPLETED", None))
    rows.append(
        _row(
            f"{SERVER_A}usage_events/?id=9999",
            pids[1],
            at(90, 0),
            "START",
            "WAITING_FOR_END",
            "user1",
        )
    )
    rows.append(
        _row(
            f"{SERVER_A}usage_events/?id=9998",
            "Deleted-Instrument-1",
            at(91, 0),
            "START",
            "WAITING_FOR_END",
            None,
        )
    )
    for i, row in enumerate(rows, start=1):
        row["id_session_log"] = i
    return rows


def _row(
    sid: str, pid: str, when: str, event: str, status: str, user: str | None
) -> dict[str, Any]:
    return {
        "session_identifier": sid,
        "instrument": pid,
        "timestamp": when,
        "event_type": event,
        "record_status": status,
        "user": user,
    }


def upload_rows(sessions: list[dict[str, Any]]) -> list[dict[str, Any]]:
    built = [r for r in sessions if r["event_type"] == "RECORD_GENERATION"]
    rows = []
    for n, row in enumerate(built):
        for destination in ("cdcs", "labarchives"):
            ok = (n + len(destination)) % 3 != 0
            rows.append(
                {
                    "id": len(rows) + 1,
                    "session_identifier": row["session_identifier"],
                    "destination_name": destination,
                    "success": 1 if ok else 0,
                    "timestamp": "2024-06-01T12:00:00+00:00",
                    "record_id": f"rec-{n}" if ok else None,
                    "record_url": f"https://cdcs.example.org/data?id=rec-{n}" if ok else None,
                    "error_message": None if ok else "HTTP 503",
                    "metadata_json": '{"attempt": 1}'
                    if n % 2
                    else ("not json" if n == 2 else None),
                }
            )
    return rows


def external_id_rows() -> list[dict[str, Any]]:
    rows = [
        ("user1", "nemo", "101", "user1@example.org"),
        ("user2", "nemo", "102", None),
        ("user2", "labarchives_eln", "285489257Ho", "user2@example.org"),
        ("user3", "cdcs", "user3@example.org", None),
        ("", "labarchives_scheduler", "77", None),  # NexusLIMS allows an empty username
    ]
    return [
        {
            "id": n,
            "nexuslims_username": user,
            "external_system": system,
            "external_id": external_id,
            "email": email,
            "created_at": "2025-02-01T10:00:00+00:00",
            "last_verified_at": None if n % 2 else "2025-03-01T10:00:00+00:00",
            "notes": "OAuth registration ✓" if n == 3 else None,
        }
        for n, (user, system, external_id, email) in enumerate(rows, start=1)
    ]


def _insert(connection: sqlite3.Connection, table: str, rows: list[dict[str, Any]]) -> None:
    if not rows:
        return
    columns = list(rows[0])
    marks = ", ".join("?" for _ in columns)
    names = ", ".join(f'"{c}"' for c in columns)
    connection.executemany(
        f'INSERT INTO "{table}" ({names}) VALUES ({marks})',  # noqa: S608
        [tuple(r[c] for c in columns) for r in rows],
    )


def build(path: Path, revision: str, sessions: int = 60) -> dict[str, list[dict[str, Any]]]:
    """A NexusLIMS database at `revision`; returns the rows written, per table."""
    instruments_ddl, session_ddl, has_uploads, has_ids = SCHEMAS[revision]
    connection = sqlite3.connect(path)
    try:
        for ddl in (
            instruments_ddl,
            session_ddl,
            has_uploads and UPLOAD_LOG,
            has_ids and EXTERNAL_IDS,
        ):
            if ddl:
                connection.executescript(ddl)
        display = "display_name" if instruments_ddl is INSTRUMENTS_25 else "schema_name"
        extra: Callable[[dict[str, Any]], dict[str, Any]] = (
            (lambda r: {})
            if display == "display_name"
            else (lambda r: {"calendar_name": r["name"], "computer_mount": "/mnt/x"})
        )
        written: dict[str, list[dict[str, Any]]] = {}
        written["instruments"] = [
            {**{k: v for k, v in r.items() if k != "name"}, display: r["name"], **extra(r)}
            for r in instruments()
        ]
        written["session_log"] = session_rows(naive=revision == "pre-alembic", sessions=sessions)
        written["upload_log"] = upload_rows(written["session_log"]) if has_uploads else []
        written["external_user_identifiers"] = external_id_rows() if has_ids else []
        for table, rows in written.items():
            _insert(connection, table, rows)
        if revision != "pre-alembic":
            connection.execute(ALEMBIC)
            connection.execute("INSERT INTO alembic_version VALUES (?)", (revision,))
        connection.commit()
    finally:
        connection.close()
    return written
