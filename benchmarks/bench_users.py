"""Register and fetch N users through the use cases vs raw SQLAlchemy ORM code doing the same.

Both sides hash with the same (cheap) Argon2id parameters and write the same rows (the user and
its `user.registered` audit row, in one transaction), so the comparison measures what nexus adds
on top of a plain Session: validation, mapping, the unit of work, error translation.
SQLite always; PostgreSQL too when NEXUS_TEST_POSTGRES_URL names a server.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

import nexus
from nexus.app import Nexus
from nexus.container import build_container
from nexus.identity.infrastructure.hashing import Argon2PasswordHasher
from nexus.identity.infrastructure.records import AuditLogRecord, UserRecord
from nexus.persistence.engine import create_engine_for, make_session_factory
from nexus.records import metadata
from nexus.settings import Settings

from .common import console, interleaved, report

PASSWORD = "correct horse battery"


@contextmanager
def _sqlite() -> Iterator[tuple[str, Callable[[], None]]]:
    workdir = Path(tempfile.mkdtemp(prefix="nexus-bench-"))
    template = workdir / "template.db"
    nexus.migrate(f"sqlite:///{template}")
    db = workdir / "bench.db"

    def fresh() -> None:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db}{suffix}").unlink(missing_ok=True)
        shutil.copyfile(template, db)

    try:
        yield f"sqlite:///{db}", fresh
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


@contextmanager
def _postgres(server: str) -> Iterator[tuple[str, Callable[[], None]]]:
    name = f"nexus_bench_users_{os.getpid()}"
    admin = create_engine_for(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(server).set(database=name).render_as_string(hide_password=False)
    nexus.migrate(url)
    tables = ", ".join(f'"{t.name}"' for t in metadata.sorted_tables)

    def fresh() -> None:
        engine = create_engine_for(url)
        with engine.begin() as connection:
            connection.execute(text(f"TRUNCATE {tables} CASCADE"))
        engine.dispose()

    try:
        yield url, fresh
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def _bench(engine_name: str, url: str, fresh: Callable[[], None], n: int, reps: int) -> None:
    hasher = Argon2PasswordHasher(time_cost=1, memory_cost=8, parallelism=1, insecure=True)
    emails = [f"user{i}@example.org" for i in range(n)]
    ids: dict[str, list[uuid.UUID]] = {}

    def nexus_app() -> Nexus:
        container = build_container(Settings(database_url=url))
        container.password_hasher.override(hasher)
        return Nexus(container, Settings(database_url=url))

    def register_use_case() -> None:
        with nexus_app() as app:
            ids["use case"] = [
                app.identity.register_user(email=e, name="Bench User", password=PASSWORD).id
                for e in emails
            ]

    def register_raw() -> None:
        engine = create_engine_for(url)
        factory = make_session_factory(engine)
        for email in emails:
            now = datetime.now(UTC)
            record = UserRecord(
                id=uuid.uuid4(),
                email=email,
                name="Bench User",
                hashed_password=hasher.hash(PASSWORD),
                is_superadmin=False,
                is_active=True,
                is_verified=False,
                failed_login_attempts=0,
                created_at=now,
                updated_at=now,
                version=1,
            )
            audit = AuditLogRecord(
                id=uuid.uuid4(),
                user_id=record.id,
                action="user.registered",
                resource_type="user",
                resource_id=str(record.id),
                details=None,
                ip_address=None,
                user_agent=None,
                success=True,
                created_at=now,
            )
            with factory() as session:
                session.add_all([record, audit])
                session.commit()
        engine.dispose()

    register = interleaved(
        {"use case": register_use_case, "raw ORM": register_raw},
        repetitions=reps,
        setup=lambda _name: fresh(),
    )
    report(
        f"register users ({engine_name})", register, baseline="raw ORM", operations=n, unit="users"
    )

    fresh()
    register_use_case()
    user_ids = ids["use case"]
    app = nexus_app()
    engine = create_engine_for(url)
    factory = make_session_factory(engine)

    def fetch_use_case() -> None:
        for user_id in user_ids:
            app.identity.get_user(user_id)

    def fetch_raw() -> None:
        for user_id in user_ids:
            with factory() as session:
                record = session.get(UserRecord, user_id)
                assert record is not None
                _ = {c.key: getattr(record, c.key) for c in UserRecord.__table__.columns}

    def fetch_raw_shared_session() -> None:
        with Session(engine) as session:
            for user_id in user_ids:
                session.expunge_all()
                record = session.get(UserRecord, user_id)
                assert record is not None

    fetch = interleaved(
        {
            "use case": fetch_use_case,
            "raw ORM (session per get)": fetch_raw,
            "raw ORM (one session)": fetch_raw_shared_session,
        },
        repetitions=reps,
    )
    report(
        f"get user by id ({engine_name})",
        fetch,
        baseline="raw ORM (session per get)",
        operations=n,
        unit="gets",
    )
    app.close()
    engine.dispose()


def run(*, quick: bool = False) -> None:
    n = 200 if quick else 2000
    reps = 3 if quick else 5
    with _sqlite() as (url, fresh):
        _bench("SQLite", url, fresh, n, reps)
    server = os.environ.get("NEXUS_TEST_POSTGRES_URL")
    if server:
        with _postgres(server) as (url, fresh):
            _bench("PostgreSQL", url, fresh, n, reps)
    else:
        console.print("PostgreSQL skipped: set NEXUS_TEST_POSTGRES_URL to include it")
    console.print(
        "speed = baseline time / nexus time; both sides hash with the same cheap Argon2id "
        "parameters and write the same rows (production Argon2 would dominate both equally)."
    )
