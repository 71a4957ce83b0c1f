"""Writes through the public API beside the raw driver doing the same reads and writes in one
transaction and building the same results: `authenticate_api_key` (raw: select + update of the
same digest, the select judging the key as the product does: not revoked, not expired, its
user active), lab `insert_log` (raw: the instrument, the session's rows, the insert), add +
commit (`register_user` with a cheap hasher; raw: the user and its audit row)."""

from __future__ import annotations

import hashlib
import uuid
from datetime import UTC, datetime, timedelta, timezone

from benchmarks.common import compare
from benchmarks.engines import CHEAP_HASHER, Raw, cheap_app, each_engine
from nexus.identity import OPERATOR
from nexus.identity.application.results import ApiKeyAuthentication, UserResult
from nexus.identity.infrastructure.records import AuditLogRecord, UserRecord
from nexus.lab.application.results import InsertLogResult, SessionLogResult
from nexus.lab.domain.sessions import LogOutcome
from nexus.lab.infrastructure.records import SessionLogRecord

# In the tables' column order; the raw side's value tuples follow it.
USER_COLUMNS = [c.name for c in UserRecord.__table__.columns]
AUDIT_COLUMNS = [c.name for c in AuditLogRecord.__table__.columns]
LOG_COLUMNS = [c.name for c in SessionLogRecord.__table__.columns]


def run(*, quick: bool = False) -> None:
    n = 200 if quick else 1000
    reps = 3 if quick else 7

    def on(engine: str, url: str) -> None:
        app = cheap_app(url)
        raw = Raw(url)
        raw.writes()
        cursor = raw.connection.cursor()
        _api_keys(engine, app, raw, cursor, n, reps)
        _insert_log(engine, app, raw, cursor, n, reps)
        _register(engine, app, raw, cursor, n, reps)
        raw.close()
        app.close()

    each_engine(on)


def _api_keys(engine: str, app, raw: Raw, cursor, n: int, reps: int) -> None:  # type: ignore[no-untyped-def]
    user = app.identity.register_user(email="keys@example.org", name="K", password="x" * 12)
    keys = [
        app.identity.create_api_key(user.id, name=f"k{i}", actor=OPERATOR).raw_key for i in range(n)
    ]
    # The same rule as the product's: a key that is not revoked, not expired, of an active user.
    select = raw.sql(
        "SELECT id, user_id, workspace_id FROM api_keys WHERE key_hash = ?"
        " AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > ?)"
        " AND EXISTS (SELECT 1 FROM users WHERE users.id = api_keys.user_id"
        " AND users.is_active = ?)"
    )
    update = raw.sql("UPDATE api_keys SET last_used_at = ? WHERE id = ?")

    def product(_rep: int) -> None:
        for key in keys:
            app.identity.authenticate_api_key(key)

    def raw_side(_rep: int) -> None:
        for key in keys:
            now = raw.at_in(datetime.now(UTC))
            cursor.execute(select, (hashlib.sha256(key.encode()).hexdigest(), now, True))
            row = cursor.fetchone()
            assert row is not None
            cursor.execute(update, (now, row[0]))
            raw.connection.commit()
            ApiKeyAuthentication(
                key_id=raw.uuid_out(row[0]),  # type: ignore[arg-type]
                user_id=raw.uuid_out(row[1]),  # type: ignore[arg-type]
                workspace_id=raw.uuid_out(row[2]),
            )

    compare("authenticate_api_key", engine, product, raw_side, operations=n, repetitions=reps,
            target=">= 0.8")  # fmt: skip


def _insert_log(engine: str, app, raw: Raw, cursor, n: int, reps: int) -> None:  # type: ignore[no-untyped-def]
    app.lab.register_instrument(
        instrument_pid="BENCH-1",
        api_url="https://bench.example.org/api/tools/?id=1",
        calendar_url="https://bench.example.org/calendar",
        location="Bench lab",
        display_name="Bench instrument",
        property_tag="B1",
        filestore_path="./bench",
    )
    instrument = raw.sql("SELECT * FROM instruments WHERE instrument_pid = ?")
    entries = raw.sql(
        'SELECT * FROM session_log WHERE session_identifier = ? ORDER BY "timestamp", '
        "id_session_log"
    )
    insert = raw.insert("session_log", LOG_COLUMNS)
    zone = timezone(timedelta(hours=-7))
    start = datetime(2026, 3, 1, 9, 0, tzinfo=zone)

    def product(rep: int) -> None:
        for i in range(n):
            app.lab.insert_log(
                session_identifier=f"p{rep}-{i}",
                instrument="BENCH-1",
                timestamp=start + timedelta(minutes=i),
                event_type="START",
                user="bench",
            )

    def raw_side(rep: int) -> None:
        for i in range(n):
            sid, at = f"r{rep}-{i}", start + timedelta(minutes=i)
            cursor.execute(instrument, ("BENCH-1",))
            assert cursor.fetchone() is not None
            cursor.execute(entries, (sid,))
            assert not cursor.fetchall()
            row_id = uuid.uuid4()
            offset = int(at.utcoffset().total_seconds())  # type: ignore[union-attr]
            cursor.execute(
                insert,
                (raw.uuid_in(row_id) if raw.sqlite else row_id, sid, "BENCH-1", raw.at_in(at),
                 offset, "START", "WAITING_FOR_END", "bench", None, 1),
            )  # fmt: skip
            raw.connection.commit()
            InsertLogResult(
                outcome=LogOutcome.INSERTED,
                entry=SessionLogResult(
                    id_session_log=row_id,
                    session_identifier=sid,
                    instrument="BENCH-1",
                    timestamp=at,
                    event_type="START",
                    record_status="WAITING_FOR_END",
                    user="bench",
                ),
            )

    compare("lab insert_log", engine, product, raw_side, operations=n, repetitions=reps,
            target=">= 0.5")  # fmt: skip


def _register(engine: str, app, raw: Raw, cursor, n: int, reps: int) -> None:  # type: ignore[no-untyped-def]
    insert_user = raw.insert("users", USER_COLUMNS)
    insert_audit = raw.insert("audit_logs", AUDIT_COLUMNS)

    def product(rep: int) -> None:
        for i in range(n):
            app.identity.register_user(
                email=f"p{rep}-{i}@example.org", name="Bench User", password="x" * 12
            )

    def raw_side(rep: int) -> None:
        for i in range(n):
            now = datetime.now(UTC)
            user_id = uuid.uuid4()
            hashed = CHEAP_HASHER.hash("x" * 12)
            email = f"r{rep}-{i}@example.org"
            stored_at = raw.at_in(now)
            cursor.execute(
                insert_user,
                (raw.uuid_in(user_id) if raw.sqlite else user_id, email, "Bench User", None,
                 hashed, None, None, None, None, None, None, None, False, True, False, 0, None,
                 stored_at, stored_at, 1),
            )  # fmt: skip
            audit_id = uuid.uuid4()
            cursor.execute(
                insert_audit,
                (raw.uuid_in(audit_id) if raw.sqlite else audit_id,
                 raw.uuid_in(user_id) if raw.sqlite else user_id, "user.registered", "user",
                 str(user_id), None, None, None, True,
                 stored_at),
            )  # fmt: skip
            raw.connection.commit()
            UserResult(
                id=user_id, email=email, name="Bench User", username=None, first_name=None,
                last_name=None, phone=None, avatar=None, company=None, role=None, bio=None,
                is_superadmin=False, is_active=True, is_verified=False, is_locked=False,
                last_login_at=None, created_at=now, updated_at=now,
            )  # fmt: skip

    compare("register_user (add + commit)", engine, product, raw_side, operations=n,
            repetitions=reps)  # fmt: skip
