"""`nexus chat` and `nexus chat jobs` against a real database (SQLite and PostgreSQL)."""

from __future__ import annotations

import base64
import json
from pathlib import Path
from typing import Any

import pytest

from nexus import create_app
from tests.cli.conftest import Cli
from tests.contract.conversations_setup import Crew, crew
from tests.unit.chat_export_builders import linear_gpt, write_json


@pytest.fixture
def team(database_url: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Crew:
    # PostgreSQL has no key file beside it: the workspaces context needs a key ring.
    monkeypatch.setenv("NEXUS_SECRET_KEYS", "1:" + base64.b64encode(bytes(32)).decode())
    with create_app(database_url) as app:
        return crew(app)


def test_import_list_show_and_jobs(cli: Cli, team: Crew, tmp_path: Path) -> None:
    export = write_json(
        tmp_path / "conversations.json",
        [linear_gpt("c1", "[bold]not markup[/bold]", "answer"), {"id": "bad"}],
    )
    ws, user = str(team.workspace), str(team.member)
    done = cli("chat", "import", str(export), "--workspace", ws, "--user", user)
    assert done.exit_code == 0, done.stderr
    assert "1 added" in done.stdout
    assert "#1 (bad)" in done.stdout
    again = cli.json("chat", "import", str(export), "--workspace", ws, "--user", user)
    assert again["job"]["cache_hit"] is True
    listed = cli.json("chat", "list", "--workspace", ws, "--user", user)
    assert [c["title"] for c in listed] == ["A title"]
    shown = cli("chat", "show", listed[0]["id"], "--workspace", ws, "--user", user)
    assert "[bold]not markup[/bold]" in shown.stdout
    shown_json = cli.json("chat", "show", listed[0]["id"], "--workspace", ws, "--user", user)
    assert [m["position"] for m in shown_json["messages"]] == [1, 2]
    found = cli.json("chat", "list", "--workspace", ws, "--user", user, "--search", "TITLE")
    assert len(found) == 1
    jobs = cli.json("chat", "jobs", "list", "--workspace", ws, "--user", user)
    assert [j["status"] for j in jobs] == ["succeeded", "succeeded"]
    human = cli("chat", "jobs", "list", "--workspace", ws, "--user", user, "--limit", "1")
    assert "ingestion jobs (1-1 of 2)" in human.stdout
    assert "conversations (1)" in cli("chat", "list", "--workspace", ws, "--user", user).stdout
    job = cli.json("chat", "jobs", "show", jobs[-1]["id"], "--workspace", ws)
    assert job["error_code"] == "partial"


def test_errors_are_one_line_and_jobs_can_be_retried_and_cancelled(
    cli: Cli, team: Crew, tmp_path: Path
) -> None:
    ws, user = str(team.workspace), str(team.member)
    path = tmp_path / "conversations.json"
    path.write_text('{"not": "an export"}', encoding="utf-8")
    failed = cli("chat", "import", str(path), "--workspace", ws, "--user", user)
    assert failed.exit_code == 1
    assert failed.stderr.count("\n") == 1
    assert "not a ChatGPT or Claude export" in failed.stderr
    (job,) = cli.json("chat", "jobs", "list", "--workspace", ws)
    assert job["status"] == "failed"
    write_json(path, [linear_gpt("c1", "hello")])
    retried: Any = cli.json("chat", "jobs", "retry", job["id"], "--workspace", ws, "--user", user)
    assert retried["job"]["status"] == "succeeded"
    assert retried["import"]["messages_added"] == 1
    refused = cli("chat", "jobs", "cancel", job["id"], "--workspace", ws)
    assert refused.exit_code == 1
    assert "succeeded job cannot be cancelled" in refused.stderr
    viewer = cli("chat", "import", str(path), "--workspace", ws, "--user", str(team.viewer))
    assert viewer.exit_code == 1
    assert "viewer" in viewer.stderr
    assert json.loads(cli("chat", "list", "--workspace", ws, "--json").stdout)[0]["title"]
