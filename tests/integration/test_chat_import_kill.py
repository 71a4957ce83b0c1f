"""An import killed midway (SIGKILL of the `nexus chat import` process) and run again ends in
the same state as one uninterrupted run, on SQLite and PostgreSQL: the same conversations and
messages, and one job, succeeded (the re-run took over the job the killed run left running)."""

from __future__ import annotations

import base64
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from nexus import create_app
from nexus.persistence.engine import create_engine_for
from tests.contract.conversations_setup import crew
from tests.contract.test_chat_import import snapshot
from tests.unit.chat_export_builders import linear_gpt, write_json

CONVERSATIONS = 2_000
KEYS = "1:" + base64.b64encode(bytes(32)).decode()


def _import(url: str, path: Path, workspace: Any, user: Any) -> subprocess.Popen[bytes]:
    nexus = Path(sys.executable).parent / "nexus"
    argv = [str(nexus), "chat", "import", str(path), "--workspace", str(workspace)]
    argv += ["--user", str(user), "--database-url", url]
    env = {**os.environ, "NEXUS_SECRET_KEYS": KEYS}
    return subprocess.Popen(argv, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def _messages(url: str, workspace: Any) -> int:
    engine = create_engine_for(url)
    try:
        with engine.connect() as connection:
            query = text("SELECT count(*) FROM messages WHERE workspace_id = :w")
            return int(connection.execute(query, {"w": workspace}).scalar_one())
    finally:
        engine.dispose()


@pytest.mark.slow  # a kill loop: the slow subset (.ci/run runs it)
def test_an_import_killed_midway_and_run_again_ends_as_one_run(
    database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, figure: Any
) -> None:
    monkeypatch.setenv("NEXUS_SECRET_KEYS", KEYS)
    with create_app(database_url) as app:
        team = crew(app)
    total = CONVERSATIONS * 4
    export = write_json(
        tmp_path / "conversations.json",
        [linear_gpt(f"c{i}", "q", f"a{i}", "q2", f"a2-{i}") for i in range(CONVERSATIONS)],
    )
    workspace_id = team.workspace.hex if "sqlite" in database_url else team.workspace
    process = _import(database_url, export, team.workspace, team.member)
    seen = 0
    while process.poll() is None and seen == 0:
        time.sleep(0.05)
        seen = _messages(database_url, workspace_id)
    process.send_signal(signal.SIGKILL)
    process.wait()
    at_kill = _messages(database_url, workspace_id)
    if at_kill in (0, total):
        pytest.skip(f"the import was not caught midway ({at_kill} of {total} messages)")
    figure(f"killed after {at_kill} of {total} messages")
    rerun = _import(database_url, export, team.workspace, team.member)
    assert rerun.wait() == 0, rerun.stderr.read() if rerun.stderr else ""
    clean = _import(database_url, export, team.other_workspace, team.outsider)
    assert clean.wait() == 0
    with create_app(database_url) as app:
        assert snapshot(app, team.workspace) == snapshot(app, team.other_workspace)
        jobs = app.conversations.list_jobs(team.workspace, actor=team.member)
        (clean_job,) = app.conversations.list_jobs(team.other_workspace, actor=team.outsider)
    (job,) = jobs  # the killed run's job, taken over: no second job, none left running
    assert (job.status, job.progress, job.error_code) == ("succeeded", 100, None)
    assert (clean_job.status, clean_job.progress, clean_job.attempt) == ("succeeded", 100, 1)
    assert job.file_sha256 == clean_job.file_sha256
    assert job.attempt == 2  # the killed run's attempt, then the re-run's
    assert job.finished_at is not None
