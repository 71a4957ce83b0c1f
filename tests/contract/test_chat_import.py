"""Importing chat-assistant exports through `app.conversations.import_chat_export` on memory,
SQLite and PostgreSQL, with the project's own fixtures for every awkward case."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import pytest

from nexus.app import Nexus
from nexus.shared.actors import OPERATOR
from nexus.shared.errors import ConflictError, PermissionDeniedError, ValidationError
from nexus.shared.usecases import Page
from tests.contract.conversations_setup import Crew, crew
from tests.unit.chat_export_builders import (
    claude_conversation,
    claude_message,
    gpt_conversation,
    gpt_message,
    linear_gpt,
    write_json,
    write_zip,
)


@pytest.fixture
def team(app: Nexus) -> Crew:
    return crew(app)


def snapshot(app: Nexus, workspace: Any) -> list[tuple[Any, ...]]:
    """Everything imported in the workspace, ids left out (they are fresh per run)."""
    conversations = app.conversations.recent_conversations(
        workspace, actor=OPERATOR, include_archived=True, page=Page.of(10_000)
    )
    with app.container.conversations.uow()() as tx:  # one batch read, not a list per conversation
        stored = tx.messages.in_conversations(workspace, [c.id for c in conversations])
    by_conversation: dict[Any, list[Any]] = {}
    for m in sorted(stored, key=lambda m: m.position):
        by_conversation.setdefault(m.conversation_id, []).append(
            (m.position, m.role.value, m.content, m.external_id)
        )
    return [
        (
            c.external_source,
            c.external_id,
            c.title,
            c.message_count,
            c.created_at,
            c.updated_at,
            tuple(by_conversation.get(c.id, ())),
        )
        for c in sorted(conversations, key=lambda c: str(c.external_id))
    ]


def messages_of(app: Nexus, workspace: Any, external_id: str) -> list[Any]:
    chat = app.conversations
    for c in chat.recent_conversations(workspace, actor=OPERATOR, include_archived=True):
        if c.external_id == external_id:
            return chat.list_messages(workspace, c.id, actor=OPERATOR)
    raise AssertionError(f"{external_id} not imported")


def branched() -> dict[str, Any]:
    """root -> u1 -> a1 (abandoned branch) / a2 -> u2 (current); a system and a hidden
    custom-instructions node at the top; null-message root; no create_time anywhere."""
    hidden = gpt_message(
        "ctx",
        "user",
        content={"content_type": "user_editable_context", "user_profile": "secret profile"},
        metadata={"is_visually_hidden_from_conversation": True},
    )
    return gpt_conversation(
        "branched",
        [
            ("root", None, None),
            ("sys", "root", gpt_message("sys", "system", "")),
            ("ctx", "sys", hidden),
            ("u1", "ctx", gpt_message("u1", "user", "question")),
            ("a1", "u1", gpt_message("a1", "assistant", "abandoned answer")),
            ("a2", "u1", gpt_message("a2", "assistant", "kept answer")),
            ("u2", "a2", gpt_message("u2", "user", "follow-up")),
        ],
    )


def test_chatgpt_thread_rules(app: Nexus, team: Crew, tmp_path: Path) -> None:
    no_current = linear_gpt("no-current", "one", "two")
    no_current["current_node"] = None
    orphan = gpt_conversation(
        "orphan",
        [
            ("o1", "missing-parent", gpt_message("o1", "user", "starts mid-tree")),
            ("o2", "o1", gpt_message("o2", "assistant", "answer")),
        ],
    )
    path = write_json(tmp_path / "conversations.json", [branched(), no_current, orphan])
    result = app.conversations.import_chat_export(team.workspace, path, actor=team.member)
    assert result.source == "chatgpt"
    assert (result.conversations_added, result.messages_added, result.errors) == (3, 7, ())
    thread = messages_of(app, team.workspace, "branched")
    assert [(m.role, m.content) for m in thread] == [
        ("user", "question"),
        ("assistant", "kept answer"),
        ("user", "follow-up"),
    ]
    assert "secret profile" not in json.dumps([m.to_json() for m in thread])
    assert [m.content for m in messages_of(app, team.workspace, "no-current")] == ["one", "two"]
    assert [m.content for m in messages_of(app, team.workspace, "orphan")] == [
        "starts mid-tree",
        "answer",
    ]
    assert result.job.status == "succeeded"
    assert result.job.progress == 100
    assert result.job.file_sha256 is not None
    assert len(result.job.file_sha256) == 64


def test_a_corrupted_conversation_is_reported_and_the_others_import(
    app: Nexus, team: Crew, tmp_path: Path
) -> None:
    broken = {"id": "broken", "conversation_id": "broken", "title": "no mapping"}
    path = write_json(
        tmp_path / "conversations.json",
        [linear_gpt("good-1", "a", "b"), broken, linear_gpt("good-2", "c")],
    )
    result = app.conversations.import_chat_export(team.workspace, path, actor=team.member)
    assert result.conversations_added == 2
    assert [(e.index, e.external_id) for e in result.errors] == [(1, "broken")]
    assert "mapping" in result.errors[0].reason
    job = app.conversations.get_job(team.workspace, result.job.id, actor=team.member)
    assert job.status == "succeeded"
    assert job.error_code == "partial"
    assert job.error_message is not None
    assert "#1 (broken)" in job.error_message


def test_a_message_breaking_a_message_rule_leaves_its_conversation_out(
    app: Nexus, team: Crew, tmp_path: Path
) -> None:
    """The import writes rows, not Message entities, yet a message is held to the same rules:
    a NUL in kept metadata, an external id too long; the conversation is reported, the others
    import (every adapter)."""
    nul = linear_gpt("nul", "q", "a")
    nul["mapping"]["nul-m1"]["message"]["author"]["name"] = "bad\x00name"
    long = gpt_conversation(
        "long", [("root", None, None), ("x" * 300, "root", gpt_message("x" * 300, "user", "hi"))]
    )
    path = write_json(
        tmp_path / "conversations.json", [linear_gpt("ok-1", "a"), nul, long, linear_gpt("ok-2")]
    )
    result = app.conversations.import_chat_export(team.workspace, path, actor=team.member)
    assert result.conversations_added == 2
    assert result.messages_added == 1
    assert [(e.index, e.external_id, e.reason) for e in result.errors] == [
        (1, "nul", "messages.metadata: must not contain NUL characters"),
        (2, "long", "messages.external_id: must be at most 255 characters"),
    ]
    assert [m.content for m in messages_of(app, team.workspace, "ok-1")] == ["a"]


def test_claude_new_and_old_shapes_zip_and_split_files(
    app: Nexus, team: Crew, tmp_path: Path
) -> None:
    new_shape = claude_conversation(
        "claude-new",
        [
            claude_message(
                "h1",
                "human",
                "Why do dogs lick?",
                blocks=[{"type": "text", "text": "Why do dogs lick?"}],
            ),
            claude_message(
                "a1",
                "assistant",
                "Thinking about preferences.Dog saliva...",
                blocks=[
                    {"type": "thinking", "thinking": "Thinking about preferences."},
                    {"type": "text", "text": "Dog saliva..."},
                ],
            ),
        ],
    )
    old_shape = claude_conversation("claude-old", [claude_message("o1", "human", "old text")])
    archive = write_zip(
        tmp_path / "claude.zip",
        {"conversations.json": [new_shape, old_shape], "users.json": [{"uuid": "u"}]},
    )
    result = app.conversations.import_chat_export(team.workspace, archive, actor=team.member)
    assert (result.source, result.conversations_added, result.messages_added) == ("claude", 2, 3)
    assert [m.content for m in messages_of(app, team.workspace, "claude-new")] == [
        "Why do dogs lick?",
        "Dog saliva...",
    ]
    split = tmp_path / "split"
    split.mkdir()
    write_json(split / "conversations-000.json", [linear_gpt("s-0", "x")])
    write_json(split / "conversations-001.json", [linear_gpt("s-1", "y", "z")])
    result = app.conversations.import_chat_export(team.workspace, split, actor=team.member)
    assert (result.conversations_added, result.messages_added) == (2, 3)


def test_the_same_export_twice_changes_nothing(app: Nexus, team: Crew, tmp_path: Path) -> None:
    path = write_json(
        tmp_path / "conversations.json", [branched(), linear_gpt("plain", "a", "b", "c")]
    )
    chat = app.conversations
    first = chat.import_chat_export(team.workspace, path, actor=team.member)
    before = snapshot(app, team.workspace)
    cached = chat.import_chat_export(team.workspace, path, actor=team.member)
    assert cached.job.cache_hit
    assert cached.job.status == "succeeded"
    assert cached.conversations_read == 0
    forced = chat.import_chat_export(team.workspace, path, actor=team.member, force=True)
    assert (forced.conversations_added, forced.conversations_updated, forced.messages_added) == (
        0,
        0,
        0,
    )
    assert forced.conversations_read == first.conversations_read == 2
    assert snapshot(app, team.workspace) == before


def test_a_newer_export_adds_only_what_is_new(app: Nexus, team: Crew, tmp_path: Path) -> None:
    chat = app.conversations
    old = write_json(tmp_path / "old.json", [linear_gpt("c1", "q1", "a1")])
    chat.import_chat_export(team.workspace, old, actor=team.member)
    (conversation,) = chat.recent_conversations(team.workspace, actor=team.member)
    chat.rename_conversation(team.workspace, conversation.id, "renamed here", actor=team.member)
    newer = write_json(
        tmp_path / "newer.json",
        [linear_gpt("c1", "q1", "a1", "q2", "a2"), linear_gpt("c2", "fresh")],
    )
    result = chat.import_chat_export(team.workspace, newer, actor=team.member)
    assert (result.conversations_added, result.conversations_updated, result.messages_added) == (
        1,
        1,
        3,
    )
    thread = messages_of(app, team.workspace, "c1")
    assert [(m.position, m.content) for m in thread] == [
        (1, "q1"),
        (2, "a1"),
        (3, "q2"),
        (4, "a2"),
    ]
    got = chat.get_conversation(team.workspace, conversation.id, actor=team.member)
    assert got.title == "renamed here"  # what the user changed here stays


def test_a_file_that_is_not_an_export_is_an_error_and_a_failed_job(
    app: Nexus, team: Crew, tmp_path: Path
) -> None:
    chat = app.conversations
    users = write_json(tmp_path / "users.json", [{"uuid": "u-1", "full_name": "A"}])
    with pytest.raises(ValidationError, match="not a ChatGPT or Claude export"):
        chat.import_chat_export(team.workspace, users, actor=team.member)
    with pytest.raises(ValidationError, match="not a ChatGPT or Claude export"):
        chat.import_chat_export(team.workspace, tmp_path / "missing.zip", actor=team.member)
    jobs = chat.list_jobs(team.workspace, actor=team.member)
    assert [j.status for j in jobs] == ["failed", "failed"]
    assert {j.error_code for j in jobs} == {"not_an_export"}
    assert chat.recent_conversations(team.workspace, actor=team.member) == []


def test_an_interrupted_import_retried_ends_as_one_uninterrupted_run(
    app: Nexus, team: Crew, tmp_path: Path
) -> None:
    """The file breaks after 600 conversations (a batch of 500 committed), the job fails; the
    file is whole again and the job is retried: same state as a clean import elsewhere."""
    chat = app.conversations
    conversations = [linear_gpt(f"c{i}", f"q{i}", f"a{i}") for i in range(700)]
    whole = json.dumps(conversations)
    path = tmp_path / "conversations.json"
    cut = whole.index('{"title"', len(json.dumps(conversations[:600])) - 10)
    path.write_text(whole[: cut + 40], encoding="utf-8")
    with pytest.raises(ValidationError, match="unreadable JSON"):
        chat.import_chat_export(team.workspace, path, actor=team.member)
    (job,) = chat.list_jobs(team.workspace, actor=team.member)
    assert (job.status, job.error_code) == ("failed", "unreadable")
    partial = len(chat.recent_conversations(team.workspace, actor=team.member, page=Page.of(5000)))
    assert 0 < partial < 700
    path.write_text(whole, encoding="utf-8")
    retried = chat.retry_job(team.workspace, job.id, actor=team.member)
    assert retried is not None
    assert retried.job.status == "succeeded"
    assert retried.job.attempt == 2
    clean = write_json(tmp_path / "clean.json", conversations)
    chat.import_chat_export(team.other_workspace, clean, actor=team.outsider)
    assert snapshot(app, team.workspace) == snapshot(app, team.other_workspace)


def test_a_job_left_running_is_taken_over_by_the_next_import_of_the_file(
    app: Nexus, team: Crew, tmp_path: Path
) -> None:
    """A run killed after it started leaves its job `running`; importing the same file again
    (same user) carries that job on as its next attempt: one job, succeeded, and the data of
    one clean run. With no attempts left, the stale job is failed and a new one runs."""
    chat = app.conversations
    conversations = [linear_gpt(f"c{i}", f"q{i}", f"a{i}") for i in range(30)]
    path = write_json(tmp_path / "conversations.json", conversations)
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    stale = chat.queue_ingestion_job(
        team.workspace,
        source_path=str(path),
        source_type="chat_export",
        file_sha256=digest,
        actor=team.member,
    )
    chat.start_job(team.workspace, stale.id, actor=team.member)
    # Another user's running job of the same file is not this user's import: left alone.
    theirs = chat.queue_ingestion_job(
        team.workspace, source_path=str(path), source_type="chat_export", file_sha256=digest,
        actor=team.admin,
    )  # fmt: skip
    chat.start_job(team.workspace, theirs.id, actor=team.admin)
    result = chat.import_chat_export(team.workspace, path, actor=team.member)
    assert result.job.id == stale.id
    assert (result.job.status, result.job.progress, result.job.attempt) == ("succeeded", 100, 2)
    assert result.messages_added == 60
    assert [j.id for j in chat.list_jobs(team.workspace, actor=team.member)] == [stale.id]
    assert chat.get_job(team.workspace, theirs.id, actor=team.admin).status == "running"
    clean = write_json(tmp_path / "clean.json", conversations)
    chat.import_chat_export(team.other_workspace, clean, actor=team.outsider)
    assert snapshot(app, team.workspace) == snapshot(app, team.other_workspace)

    newer = write_json(tmp_path / "newer.json", [*conversations, linear_gpt("c30", "q", "a")])
    spent = chat.queue_ingestion_job(
        team.workspace, source_path=str(newer), source_type="chat_export", max_attempts=1,
        file_sha256=hashlib.sha256(newer.read_bytes()).hexdigest(), actor=team.member,
    )  # fmt: skip
    chat.start_job(team.workspace, spent.id, actor=team.member)
    again = chat.import_chat_export(team.workspace, newer, actor=team.member)
    assert again.job.id != spent.id
    assert (again.job.status, again.job.attempt, again.messages_added) == ("succeeded", 1, 2)
    old = chat.get_job(team.workspace, spent.id, actor=team.member)
    assert (old.status, old.error_code) == ("failed", "abandoned")


def test_job_rules_through_the_api(app: Nexus, team: Crew, tmp_path: Path) -> None:
    chat = app.conversations
    job = chat.queue_ingestion_job(team.workspace, source_path="/drive/a.pdf", actor=team.member)
    assert (job.status, job.source_type, job.embedding_model, job.embedding_dimension) == (
        "queued",
        "my_drive",
        "hash-v1",
        256,
    )
    chat.start_job(team.workspace, job.id, actor=team.member)
    chat.advance_job(team.workspace, job.id, 40, actor=team.member)
    with pytest.raises(ValidationError, match="progress"):
        chat.advance_job(team.workspace, job.id, 30, actor=team.member)
    done = chat.complete_job(team.workspace, job.id, actor=team.member, chunks_count=4)
    assert (done.status, done.progress, done.chunks_count) == ("succeeded", 100, 4)
    with pytest.raises(ConflictError, match="succeeded"):
        chat.cancel_job(team.workspace, job.id, actor=team.member)
    digest = "b" * 64
    first = chat.queue_ingestion_job(
        team.workspace, source_path="/drive/b", file_sha256=digest, actor=team.member
    )
    chat.start_job(team.workspace, first.id, actor=team.member)
    chat.complete_job(team.workspace, first.id, actor=team.member)
    again = chat.queue_ingestion_job(
        team.workspace, source_path="/drive/b", file_sha256=digest, actor=team.member
    )
    assert again.cache_hit
    assert again.status == "succeeded"
    elsewhere = chat.queue_ingestion_job(
        team.other_workspace, source_path="/drive/b", file_sha256=digest, actor=team.outsider
    )
    assert not elsewhere.cache_hit
    assert elsewhere.status == "queued"
    cancelled = chat.cancel_job(team.other_workspace, elsewhere.id, actor=team.outsider)
    assert cancelled.status == "cancelled"
    with pytest.raises(PermissionDeniedError):
        chat.get_job(team.workspace, job.id, actor=team.outsider)
    with pytest.raises(PermissionDeniedError):
        chat.import_chat_export(team.workspace, tmp_path, actor=team.viewer)


def test_dangling_current_node_images_and_a_chatgpt_zip_of_split_files(
    app: Nexus, team: Crew, tmp_path: Path
) -> None:
    picture = gpt_message(
        "img",
        "user",
        content={
            "content_type": "multimodal_text",
            "parts": [
                {"content_type": "image_asset_pointer", "asset_pointer": "file-service://f1"},
                "what is this?",
            ],
        },
        created=1_700_000_001.0,
    )
    dangling = gpt_conversation(
        "dangling",
        [
            ("r", None, None),
            ("img", "r", picture),
            ("ans", "img", gpt_message("ans", "assistant", "a cat", created=1_700_000_002.0)),
        ],
        current="not-in-the-mapping",
    )
    archive = write_zip(
        tmp_path / "chatgpt.zip",
        {
            "export/conversations-000.json": [dangling],
            "export/conversations-001.json": [linear_gpt("second", "hi")],
            "export/user.json": {"id": "user-1"},
        },
    )
    result = app.conversations.import_chat_export(team.workspace, archive, actor=team.member)
    assert (result.source, result.conversations_added, result.messages_added) == ("chatgpt", 2, 3)
    first, second = messages_of(app, team.workspace, "dangling")
    assert (first.content, second.content) == ("what is this?", "a cat")
    assert "file-service://f1" in json.dumps(first.metadata)
    assert "file-service" not in first.content
