"""`nexus secrets rotate` killed (SIGKILL) at random points in a real process, then run again:
every value still decrypts, every row ends on the newest key (SQLite file, key ring from
NEXUS_SECRET_KEYS)."""

from __future__ import annotations

import base64
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from nexus.app import create_app
from nexus.identity import OPERATOR
from nexus.workspaces.domain.secrets import key_version_of
from nexus.workspaces.infrastructure.repositories import WorkspacesUnitOfWork

KILLS = 4
WORKSPACES = 120
PER = 5


def _key() -> str:
    return base64.b64encode(os.urandom(32)).decode()


def _on_newest_raw(path: Path) -> int:
    with sqlite3.connect(path) as connection:
        (count,) = connection.execute(
            "SELECT count(*) FROM secrets WHERE encrypted_value LIKE 'v2:%'"
        ).fetchone()
    return int(count)


def _on_newest(url: str, keys: str, monkeypatch: pytest.MonkeyPatch) -> int:
    """How many secrets are on key version 2 now."""
    monkeypatch.setenv("NEXUS_SECRET_KEYS", keys)
    app = create_app(url)
    try:
        with WorkspacesUnitOfWork(app.container.tables()) as tx:
            rows = tx.secrets.page(10_000, 0)
        return sum(1 for s in rows if key_version_of(s.encrypted_value) == 2)
    finally:
        app.close()


@pytest.mark.slow  # a kill loop: the slow subset (.ci/run runs it)
def test_rotation_killed_at_random_points_then_resumed(
    tmp_path: Path,
    migrated_sqlite_template: Path,
    monkeypatch: pytest.MonkeyPatch,
    figure: Callable[[str], None],
) -> None:
    target = tmp_path / "rotate.db"
    shutil.copyfile(migrated_sqlite_template, target)
    url = f"sqlite:///{target}"
    old, new = f"1:{_key()}", f"2:{_key()}"
    monkeypatch.setenv("NEXUS_SECRET_KEYS", old)
    app = create_app(url)
    owner = app.identity.register_user(email="r@example.org", name="R", password="x" * 12).id
    expected = {}
    for i in range(WORKSPACES):
        ws = app.workspaces.create_workspace(
            name=f"W{i}", slug=f"rot-{i:03d}", owner_id=owner, actor=owner
        ).id
        for k in range(PER):
            value = f"value-{i}-{k}"
            app.workspaces.set_secret(ws, f"KEY_{k}", value, actor=OPERATOR)
            expected[(ws, f"KEY_{k}")] = value
    app.close()
    env = {**os.environ, "NEXUS_SECRET_KEYS": f"{new},{old}", "NEXUS_DATABASE_URL": url}
    nexus = [sys.executable, "-m", "nexus.cli.main"]
    rng = random.Random(20261129)
    killed, partial = 0, []
    for _ in range(KILLS):
        process = subprocess.Popen(
            [*nexus, "secrets", "rotate"], env=env, stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )  # fmt: skip
        # Start-up (imports) takes seconds on a loaded machine: wait for the sweep to write,
        # then kill it a random moment later.
        start = _on_newest_raw(target)
        while process.poll() is None and _on_newest_raw(target) == start:
            time.sleep(0.005)
        time.sleep(rng.uniform(0.0, 0.05))  # a 600-row sweep takes a fraction of a second
        if process.poll() is None:
            process.send_signal(signal.SIGKILL)
            killed += 1
        process.wait()
        done = _on_newest(url, f"{new},{old}", monkeypatch)
        if 0 < done < len(expected):
            partial.append(done)
    finished = subprocess.run(
        [*nexus, "secrets", "rotate"], env=env, capture_output=True, text=True, check=False
    )
    assert finished.returncode == 0, finished.stderr
    monkeypatch.setenv("NEXUS_SECRET_KEYS", f"{new},{old}")
    app = create_app(url)
    try:
        for (ws, key), value in expected.items():
            assert app.workspaces.get_secret(ws, key, actor=OPERATOR).reveal() == value
        with WorkspacesUnitOfWork(app.container.tables()) as tx:
            versions = {key_version_of(s.encrypted_value) for s in tx.secrets.page(10_000, 0)}
        assert versions == {2}
    finally:
        app.close()
    figure(
        f"workspaces rotation: {killed} SIGKILLs ({len(partial)} mid-sweep, at rows {partial} "
        f"of {len(expected)}), resumed, none lost"
    )
    assert partial
