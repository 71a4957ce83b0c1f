"""Migration 0005 with data in the tables, on both engines: an API key scoped to a workspace
that does not exist is deleted before the foreign key is added (unscoping it would widen it);
unscoped keys and every user stay."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from sqlalchemy import insert, select

from nexus import migrating
from nexus.identity.infrastructure.records import ApiKeyRecord, UserRecord
from nexus.persistence.engine import create_engine_for

BEFORE = "0003"
NOW = datetime(2026, 1, 1, tzinfo=UTC)


def test_orphan_scoped_api_keys_are_deleted_and_the_rest_kept(database_url: str) -> None:
    migrating.downgrade(database_url, BEFORE)
    engine = create_engine_for(database_url)
    user, kept, orphan = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    keys = ApiKeyRecord.__table__
    try:
        with engine.begin() as connection:
            connection.execute(
                insert(UserRecord.__table__).values(
                    id=user, email="m@example.org", name="M", hashed_password="h",
                    created_at=NOW, updated_at=NOW,
                )
            )  # fmt: skip
            for key, workspace in ((kept, None), (orphan, uuid.uuid4())):
                connection.execute(
                    insert(keys).values(
                        id=key, user_id=user, workspace_id=workspace, name="k",
                        key_hash=key.hex * 2, key_prefix="nxk_abc", created_at=NOW,
                    )
                )  # fmt: skip
        migrating.upgrade(database_url)
        with engine.connect() as connection:
            assert list(connection.execute(select(keys.c.id)).scalars()) == [kept]
            assert connection.execute(select(UserRecord.__table__.c.id)).scalar() == user
    finally:
        engine.dispose()
        migrating.upgrade(database_url)
