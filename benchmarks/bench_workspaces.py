"""`get_secret` and `list_workspaces` through the use cases against the raw driver (sqlite3,
psycopg, PyMySQL) doing the same reads (membership, then the row) and the same AES-GCM
decryption, on the same database, interleaved; the median of per-repetition speed ratios (raw
time / nexus time: 1.0 = as fast as the raw driver). Standalone:

    python -m benchmarks.bench_workspaces [--quick]

PostgreSQL too with NEXUS_BENCH_POSTGRES_URL; MariaDB with NEXUS_BENCH_MARIADB_URL or
NEXUS_TEST_MARIADB_URL (a scratch database, dropped afterwards).
"""

from __future__ import annotations

import base64
import gc
import os
import secrets
import sqlite3
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.ciphers.aead import AESGCM

import nexus
from benchmarks import engines
from nexus.app import Nexus, create_app
from nexus.identity import OPERATOR
from nexus.identity.infrastructure.hashing import Argon2PasswordHasher
from nexus.shared.ids import WorkspaceId
from nexus.workspaces.domain.secrets import NONCE_BYTES, SecretBinding, parse_ciphertext
from nexus.workspaces.infrastructure.secret_cipher import associated_data

GET_SECRET_SQL = (
    "SELECT role FROM workspace_members WHERE workspace_id = {p} AND user_id = {p}",
    'SELECT encrypted_value FROM secrets WHERE workspace_id = {p} AND "key" = {p}',
)
LIST_SQL = (
    "SELECT w.id, w.name, w.slug, w.owner_id, w.organization_id, w.logo_url, w.logo_emoji,"
    " w.primary_color, w.accent_color, w.background_color, w.sidebar_color, w.font_family,"
    " w.platform_drive_enabled, w.system_drive_enabled, w.created_at, w.updated_at"
    " FROM workspace_members m JOIN workspaces w ON w.id = m.workspace_id"
    " WHERE m.user_id = {p} ORDER BY w.name, w.id"
)


def _populate(app: Nexus, workspaces: int, per: int) -> tuple[uuid.UUID, list[uuid.UUID]]:
    app.container.password_hasher.override(
        Argon2PasswordHasher(time_cost=1, memory_cost=8, parallelism=1, insecure=True)
    )
    app.container.identity.facade.reset()
    identity = app.container.identity.facade()
    user = identity.register_user(
        email=f"bench-{uuid.uuid4().hex[:8]}@example.org", name="B", password="x" * 12
    ).id
    ids = []
    for i in range(workspaces):
        ws = app.workspaces.create_workspace(
            name=f"Workspace {i:03d}", slug=f"b-{uuid.uuid4().hex[:12]}", owner_id=user, actor=user
        )
        ids.append(ws.id)
        for k in range(per):
            app.workspaces.set_secret(ws.id, f"KEY_{k}", f"value-{i}-{k}", actor=OPERATOR)
    return user, ids


class Raw:
    """The same reads with the bare driver, and the same decryption."""

    def __init__(self, url: str, ring_text: str) -> None:
        self.sqlite = url.startswith("sqlite")
        self.mariadb = url.startswith(("mysql", "mariadb"))
        if self.mariadb:
            # engines.Raw: PyMySQL in the product's session settings, reading in autocommit.
            self.driver = engines.Raw(url)
            self.driver.reads()
            self.connection = self.driver.connection
            self.p = "%s"
        elif self.sqlite:
            self.connection: Any = sqlite3.connect(url.removeprefix("sqlite:///"))
            self.p = "?"
        else:
            import psycopg

            self.connection = psycopg.connect(
                url.replace("postgresql+psycopg://", "postgresql://"), autocommit=True
            )
            self.p = "%s"
        version, key = ring_text.split(":", 1)
        self.aead = {int(version): AESGCM(base64.b64decode(key))}

    def _id(self, value: uuid.UUID) -> Any:
        return value.hex if self.sqlite else value

    def _fetch(self, sql: str, params: tuple[Any, ...], rows: str = "one") -> Any:
        """One statement's rows: PyMySQL's execute returns a count, the others the cursor."""
        cursor = self.connection.cursor()
        if self.mariadb:
            cursor.execute(sql, params)
        else:
            cursor = cursor.execute(sql, params)
        return cursor.fetchone() if rows == "one" else cursor.fetchall()

    def get_secret(self, workspace: uuid.UUID, key: str, user: uuid.UUID) -> str:
        member_sql, secret_sql = (s.format(p=self.p) for s in GET_SECRET_SQL)
        role = self._fetch(member_sql, (self._id(workspace), self._id(user)))
        if role is None or role[0] not in ("owner", "admin", "member"):
            raise PermissionError("get_secret")
        (ciphertext,) = self._fetch(secret_sql, (self._id(workspace), key))
        version, payload = parse_ciphertext(ciphertext)
        binding = SecretBinding.secret(WorkspaceId(workspace), key)
        plain = self.aead[version].decrypt(
            payload[:NONCE_BYTES], payload[NONCE_BYTES:], associated_data(binding, version)
        )
        return plain.decode("utf-8")

    def list_workspaces(self, user: uuid.UUID) -> list[tuple[Any, ...]]:
        return list(self._fetch(LIST_SQL.format(p=self.p), (self._id(user),), rows="all"))

    def close(self) -> None:
        self.connection.close()


def _ratios(nexus_case: Callable[[], Any], raw_case: Callable[[], Any], reps: int) -> float:
    """Median over repetitions of (raw time / nexus time), the two run back to back."""
    ratios = []
    for rep in range(reps):
        timings = {}
        order = (("nexus", nexus_case), ("raw", raw_case))
        for name, case in order if rep % 2 == 0 else reversed(order):
            gc.collect()
            start = time.perf_counter()
            case()
            timings[name] = time.perf_counter() - start
        ratios.append(timings["raw"] / timings["nexus"])
    return statistics.median(ratios)


def bench(url: str, quick: bool) -> dict[str, float]:
    workspaces, per, reads = (20, 5, 200) if quick else (50, 10, 1_000)
    reps = 5 if quick else 9
    nexus.migrate(url)
    app = create_app(url)
    try:
        user, ids = _populate(app, workspaces, per)
        raw = Raw(url, os.environ["NEXUS_SECRET_KEYS"])
        targets = [(ids[i % len(ids)], f"KEY_{i % per}") for i in range(reads)]
        ws = app.workspaces
        assert ws.get_secret(ids[0], "KEY_0", actor=user).reveal() == raw.get_secret(
            ids[0], "KEY_0", user
        )
        assert len(ws.list_workspaces(actor=user)) == len(raw.list_workspaces(user)) == len(ids)

        def nexus_secrets() -> None:
            for workspace, key in targets:
                ws.get_secret(workspace, key, actor=user)

        def raw_secrets() -> None:
            for workspace, key in targets:
                raw.get_secret(workspace, key, user)

        lists = reads // 10

        def nexus_lists() -> None:
            for _ in range(lists):
                ws.list_workspaces(actor=user)

        def raw_lists() -> None:
            for _ in range(lists):
                raw.list_workspaces(user)

        figures = {
            "get_secret": _ratios(nexus_secrets, raw_secrets, reps),
            f"list_workspaces ({workspaces} rows)": _ratios(nexus_lists, raw_lists, reps),
        }
        raw.close()
        return figures
    finally:
        app.close()


def run(*, quick: bool = False) -> None:
    """SQLite; PostgreSQL with NEXUS_BENCH_POSTGRES_URL (that database itself); MariaDB with
    NEXUS_BENCH_MARIADB_URL / NEXUS_TEST_MARIADB_URL (a scratch database, dropped after)."""
    if "NEXUS_SECRET_KEYS" not in os.environ:
        key = base64.b64encode(secrets.token_bytes(32)).decode()
        os.environ["NEXUS_SECRET_KEYS"] = f"1:{key}"

    def show(engine: str, url: str) -> None:
        for case, ratio in bench(url, quick).items():
            print(f"  {engine:<10} {case:<28} {ratio:.2f}x", flush=True)

    with tempfile.TemporaryDirectory(prefix="bench-workspaces-") as directory:
        urls = {"sqlite": f"sqlite:///{Path(directory) / 'bench.db'}"}
        postgres = os.environ.get("NEXUS_BENCH_POSTGRES_URL")
        if postgres:
            urls["postgresql"] = postgres
        print("speed vs the raw driver (raw time / nexus time; median of per-repetition ratios)")
        for engine, url in urls.items():
            show(engine, url)
    mariadb = engines.mariadb_server()
    if mariadb:
        with engines.server_database(mariadb) as url:
            show("mariadb", url)


def main(argv: list[str]) -> None:
    run(quick="--quick" in argv)


if __name__ == "__main__":
    main(sys.argv[1:])
