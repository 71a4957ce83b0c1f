"""Reads through the public API beside the raw driver mapping the same rows into the same attrs
results: `get_user(id)`, `list_users(limit=1000)`; the generic mapper and `Result.from_entity`
beside hand-written ones; the in-memory twin's `get_user` (absolute µs)."""

from __future__ import annotations

import uuid
from typing import Any

from benchmarks.common import absolute, compare
from benchmarks.engines import Raw, cheap_app, each_engine
from nexus.identity.application.results import UserResult
from nexus.identity.domain.users import MAX_FAILED_LOGINS, User
from nexus.identity.infrastructure.mappers import user_mapper

USERS = "id, email, name, username, first_name, last_name, phone, avatar, company, role, bio, "
USERS += "is_superadmin, is_active, is_verified, failed_login_attempts, last_login_at, "
USERS += "created_at, updated_at"


def user_result(raw: Raw, r: Any) -> UserResult:
    """The hand-written row -> UserResult the raw side uses."""
    at = raw.at_out
    return UserResult(
        id=raw.uuid_out(r[0]),  # type: ignore[arg-type]
        email=r[1],
        name=r[2],
        username=r[3],
        first_name=r[4],
        last_name=r[5],
        phone=r[6],
        avatar=r[7],
        company=r[8],
        role=r[9],
        bio=r[10],
        is_superadmin=bool(r[11]),
        is_active=bool(r[12]),
        is_verified=bool(r[13]),
        is_locked=r[14] >= MAX_FAILED_LOGINS,
        last_login_at=at(r[15]),
        created_at=at(r[16]),  # type: ignore[arg-type]
        updated_at=at(r[17]),  # type: ignore[arg-type]
    )


_new = object.__new__
_set = object.__setattr__


def hand_user(row: Any) -> User:
    """A hand-written row -> User with the generic mapper's semantics (stored rows are not
    validated again; parsing converters run, normalising ones do not: the stored email is in
    normal form), for a row in the users table's column order."""
    u = _new(User)
    _set(u, "id", row[0])
    _set(u, "email", row[1])
    _set(u, "name", row[2])
    _set(u, "username", row[3])
    _set(u, "hashed_password", row[4])
    _set(u, "avatar", row[5])
    _set(u, "company", row[6])
    _set(u, "role", row[7])
    _set(u, "bio", row[8])
    _set(u, "first_name", row[9])
    _set(u, "last_name", row[10])
    _set(u, "phone", row[11])
    _set(u, "is_superadmin", row[12])
    _set(u, "is_active", row[13])
    _set(u, "is_verified", row[14])
    _set(u, "failed_login_attempts", row[15])
    _set(u, "last_login_at", row[16])
    _set(u, "created_at", row[17])
    _set(u, "updated_at", row[18])
    _set(u, "version", row[19])
    return u


def hand_result(u: User) -> UserResult:
    return UserResult(
        id=u.id,
        email=u.email,
        name=u.name,
        username=u.username,
        first_name=u.first_name,
        last_name=u.last_name,
        phone=u.phone,
        avatar=u.avatar,
        company=u.company,
        role=u.role,
        bio=u.bio,
        is_superadmin=u.is_superadmin,
        is_active=u.is_active,
        is_verified=u.is_verified,
        is_locked=u.is_locked,
        last_login_at=u.last_login_at,
        created_at=u.created_at,
        updated_at=u.updated_at,
    )


def _rows(url: str) -> list[Any]:
    """The users rows as the product's adapter hands them to the mapper (types processed)."""
    from nexus.persistence.engine import create_engine_for
    from nexus.persistence.schema import info_for
    from nexus.persistence.sql import SqlTables

    engine = create_engine_for(url)
    tables = SqlTables(engine)
    try:
        return tables.fetch_many(info_for(user_mapper.record), {}, ("email",), 1000)
    finally:
        tables.close()
        engine.dispose()


def run(*, quick: bool = False) -> None:
    n = 300 if quick else 2000
    reps = 3 if quick else 7

    def on(engine: str, url: str) -> None:
        app = cheap_app(url)
        ids = [
            app.identity.register_user(
                email=f"user{i:05}@example.org", name="Bench User", password="x" * 12
            ).id
            for i in range(max(n, 1000))
        ][:n]
        raw = Raw(url)
        raw.reads()
        cursor = raw.connection.cursor()
        by_id = raw.sql(f"SELECT {USERS} FROM users WHERE id = ?")  # noqa: S608
        page = raw.sql(f"SELECT {USERS} FROM users ORDER BY email LIMIT ?")  # noqa: S608

        def get_product(_rep: int) -> None:
            for user_id in ids:
                app.identity.get_user(user_id)

        def get_raw(_rep: int) -> None:
            for user_id in ids:
                cursor.execute(by_id, (raw.uuid_in(user_id),))
                row = cursor.fetchone()
                assert row is not None
                user_result(raw, row)

        compare("get_user(id)", engine, get_product, get_raw, operations=n, repetitions=reps,
                target=">= 0.3")  # fmt: skip
        lists = 5 if quick else 20

        def list_product(_rep: int) -> None:
            for _ in range(lists):
                assert len(app.identity.list_users(limit=1000)) == 1000

        def list_raw(_rep: int) -> None:
            for _ in range(lists):
                cursor.execute(page, (1000,))
                assert len([user_result(raw, r) for r in cursor.fetchall()]) == 1000

        compare("list_users(limit=1000)", engine, list_product, list_raw, operations=lists,
                repetitions=reps, target=">= 0.6")  # fmt: skip
        _mapping(engine, url, reps, quick)
        raw.close()
        app.close()

    each_engine(on)
    memory = cheap_app(None, persistence="memory")
    ids: list[uuid.UUID] = [
        memory.identity.register_user(
            email=f"m{i}@example.org", name="Memory User", password="x" * 12
        ).id
        for i in range(200)
    ]
    gets = 20 if quick else 100

    def memory_get(_rep: int) -> None:
        for _ in range(gets):
            for user_id in ids:
                memory.identity.get_user(user_id)

    absolute("in-memory get_user(id)", "memory", memory_get, operations=gets * len(ids),
             repetitions=reps, target="<= 10")  # fmt: skip
    memory.close()


def _mapping(engine: str, url: str, reps: int, quick: bool) -> None:
    """The generic mapper and Result.from_entity beside hand-written ones, on the rows the
    adapter hands over (a build without compiled row functions reports nothing here)."""
    if not hasattr(user_mapper, "from_row"):
        return
    rows = _rows(url)
    maps = 20 if quick else 100

    def mapper_product(_rep: int) -> None:
        from_row = user_mapper.from_row
        for _ in range(maps):
            for row in rows:
                from_row(row)

    def mapper_hand(_rep: int) -> None:
        for _ in range(maps):
            for row in rows:
                hand_user(row)

    compare("generic mapper (row -> User)", engine, mapper_product, mapper_hand,
            operations=maps * len(rows), repetitions=reps, target=">= 0.85")  # fmt: skip
    users = [user_mapper.from_row(r) for r in rows]

    def result_product(_rep: int) -> None:
        for _ in range(maps):
            for u in users:
                UserResult.from_user(u)

    def result_hand(_rep: int) -> None:
        for _ in range(maps):
            for u in users:
                hand_result(u)

    compare("Result.from_entity (User -> UserResult)", engine, result_product, result_hand,
            operations=maps * len(users), repetitions=reps, target=">= 0.85")  # fmt: skip
