"""API-key authentication through the use case (checksum, digest, one conditional UPDATE that
checks revocation, expiry and the user and records last_used_at) against raw SQLAlchemy Core
looking up the same digests and recording last_used_at, on the same SQLite file, same run."""

from __future__ import annotations

import hashlib
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import select, update

import nexus
from benchmarks.common import console, interleaved, report
from nexus.app import create_app
from nexus.identity import OPERATOR
from nexus.identity.infrastructure.hashing import Argon2PasswordHasher
from nexus.identity.infrastructure.records import ApiKeyRecord
from nexus.persistence.engine import create_engine_for


def run(quick: bool) -> None:
    keys_count = 200 if quick else 2_000
    repetitions = 3 if quick else 7
    with tempfile.TemporaryDirectory(prefix="bench-api-keys-") as directory:
        url = f"sqlite:///{Path(directory) / 'bench.db'}"
        nexus.migrate(url)
        app = create_app(url)
        # Registration's Argon2 cost is not what is measured; cheap parameters keep setup short.
        app.container.password_hasher.override(
            Argon2PasswordHasher(time_cost=1, memory_cost=8, parallelism=1, insecure=True)
        )
        app.container.identity.facade.reset()
        identity = app.container.identity.facade()
        user = identity.register_user(email="bench@example.org", name="B", password="x" * 12)
        raw_keys = [
            identity.create_api_key(user.id, name=f"k{i}", actor=OPERATOR).raw_key
            for i in range(keys_count)
        ]
        engine = create_engine_for(url)
        table = ApiKeyRecord.__table__

        def through_use_case() -> None:
            for raw in raw_keys:
                identity.authenticate_api_key(raw)

        def raw_lookup_and_write() -> None:
            for raw in raw_keys:
                digest = hashlib.sha256(raw.encode()).hexdigest()
                with engine.begin() as connection:
                    row = connection.execute(
                        select(table.c.id, table.c.user_id, table.c.workspace_id).where(
                            table.c.key_hash == digest
                        )
                    ).first()
                    assert row is not None
                    connection.execute(
                        update(table)
                        .where(table.c.id == row.id)
                        .values(last_used_at=datetime.now(UTC))
                    )

        def raw_single_update() -> None:
            # The same one-statement shape the repository uses, minus the checks' EXISTS.
            for raw in raw_keys:
                digest = hashlib.sha256(raw.encode()).hexdigest()
                with engine.begin() as connection:
                    row = connection.execute(
                        update(table)
                        .where(table.c.key_hash == digest)
                        .values(last_used_at=datetime.now(UTC))
                        .returning(table.c.user_id, table.c.workspace_id)
                    ).first()
                    assert row is not None

        def raw_lookup_only() -> None:
            for raw in raw_keys:
                digest = hashlib.sha256(raw.encode()).hexdigest()
                with engine.connect() as connection:
                    row = connection.execute(
                        select(table.c.id, table.c.user_id, table.c.workspace_id).where(
                            table.c.key_hash == digest
                        )
                    ).first()
                    assert row is not None

        medians = interleaved(
            {
                "raw SQLAlchemy Core: select + update last_used_at": raw_lookup_and_write,
                "authenticate_api_key (use case)": through_use_case,
                "raw SQLAlchemy Core: one UPDATE .. RETURNING": raw_single_update,
                "raw SQLAlchemy Core: select only (no write)": raw_lookup_only,
            },
            repetitions=repetitions,
        )
        report(
            "API-key authentication, SQLite file",
            medians,
            baseline="raw SQLAlchemy Core: select + update last_used_at",
            operations=keys_count,
            unit="auths",
        )
        ratio = (
            medians["raw SQLAlchemy Core: select + update last_used_at"]
            / medians["authenticate_api_key (use case)"]
        )
        console.print(f"use case / raw lookup with the same write: {ratio:.2f}x (target >= 0.8x)")
        strict = (
            medians["raw SQLAlchemy Core: one UPDATE .. RETURNING"]
            / medians["authenticate_api_key (use case)"]
        )
        console.print(f"use case / raw single UPDATE .. RETURNING: {strict:.2f}x")
        engine.dispose()
        app.close()
