"""Recognising exports by content (ZIP, directory, split files, bare JSON) and refusing the rest."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from nexus.conversations.infrastructure.chat_exports import (
    ParsedConversation,
    open_chat_export,
    read_chat_export,
)
from nexus.shared.errors import ValidationError
from tests.unit.chat_export_builders import (
    claude_conversation,
    claude_message,
    linear_gpt,
    write_json,
    write_zip,
)


def ids(path: Path) -> list[str]:
    return [item.external_id or "?" for item in read_chat_export(path)]


def test_chatgpt_zip_as_downloaded_with_its_account(tmp_path):
    path = write_zip(
        tmp_path / "export.zip",
        {
            "conversations.json": [linear_gpt("a", "hi"), linear_gpt("b", "yo")],
            "user.json": {"id": "user-123", "email": "x@example.org"},
            "chat.html": "<html></html>",
        },
    )
    export = open_chat_export(path)
    assert (export.source, export.account_id, export.parts) == (
        "chatgpt",
        "user-123",
        ("conversations.json",),
    )
    assert ids(path) == ["a", "b"]


def split_members() -> dict[str, object]:
    return {
        "conversations-010.json": [linear_gpt("c10", "x")],
        "conversations-002.json": [linear_gpt("c2a", "x"), linear_gpt("c2b", "x")],
        "conversations-000.json": [],
        "conversations-001.json": [{"id": "broken", "title": "no mapping"}, linear_gpt("c1", "x")],
    }


def test_split_chatgpt_files_in_a_zip_read_in_number_order_with_one_index(tmp_path):
    path = write_zip(tmp_path / "export.zip", split_members())
    items = list(read_chat_export(path))
    assert [(item.index, item.external_id) for item in items] == [
        (0, "broken"),
        (1, "c1"),
        (2, "c2a"),
        (3, "c2b"),
        (4, "c10"),
    ]
    assert items[4].metadata["export_part"] == "conversations-010.json"


def test_split_chatgpt_files_in_a_directory_and_one_split_file_alone(tmp_path):
    for name, value in split_members().items():
        write_json(tmp_path / name, value)
    (tmp_path / "notes.txt").write_text("not part of it")
    assert ids(tmp_path) == ["broken", "c1", "c2a", "c2b", "c10"]
    assert ids(tmp_path / "conversations-002.json") == ["c2a", "c2b"]


def test_a_zip_with_a_top_folder_and_a_renamed_bare_file(tmp_path):
    path = write_zip(tmp_path / "e.zip", {"export/conversations.json": [linear_gpt("a", "x")]})
    assert ids(path) == ["a"]
    renamed = write_json(tmp_path / "whatever.txt", [linear_gpt("b", "x")])
    assert open_chat_export(renamed).source == "chatgpt"


def test_wrapped_and_single_conversation_shapes(tmp_path):
    wrapped = write_json(tmp_path / "w.json", {"meta": 1, "conversations": [linear_gpt("a", "x")]})
    assert ids(wrapped) == ["a"]
    single = write_json(tmp_path / "s.json", linear_gpt("only", "x"))
    assert ids(single) == ["only"]
    claude_single = write_json(tmp_path / "cs.json", claude_conversation("cc", []))
    assert (open_chat_export(claude_single).source, ids(claude_single)) == ("claude", ["cc"])


def test_detection_looks_past_a_first_conversation_without_mapping(tmp_path):
    path = write_json(
        tmp_path / "c.json", [{"id": "x", "conversation_id": "x"}, linear_gpt("a", "x")]
    )
    assert open_chat_export(path).source == "chatgpt"


def test_claude_zip_and_its_account(tmp_path):
    conversation = claude_conversation("c1", [claude_message("m", "human", "hi")])
    path = write_zip(
        tmp_path / "data.zip",
        {
            "conversations.json": [conversation],
            "users.json": [{"uuid": "account-1", "full_name": "A"}],
            "projects.json": [{"uuid": "p", "name": "n", "created_at": "2025-01-01T00:00:00Z"}],
        },
    )
    export = open_chat_export(path)
    assert (export.source, export.account_id) == ("claude", "account-1")
    [parsed] = export.conversations()
    assert isinstance(parsed, ParsedConversation)
    assert parsed.messages[0].text == "hi"


@pytest.mark.parametrize(
    ("name", "content", "rule"),
    [
        ("random.json", json.dumps({"hello": "world"}), "neither `mapping` nor `chat_messages`"),
        ("projects.json", json.dumps([{"uuid": "p", "name": "n"}]), "neither `mapping`"),
        ("numbers.json", json.dumps([1, 2, 3]), "no conversation in it"),
        ("empty-list.json", "[]", "no conversation in it"),
        ("scalar.json", '"text"', "neither a list of conversations nor a conversation"),
        ("notes.txt", "Dear diary, today I exported nothing.", "not valid JSON"),
        ("empty.json", "", "not valid JSON"),
    ],
)
def test_files_that_are_not_exports_are_refused_naming_path_and_rule(tmp_path, name, content, rule):
    path = tmp_path / name
    path.write_text(content)
    with pytest.raises(ValidationError) as caught:
        open_chat_export(path)
    assert caught.value.field == str(path)
    assert caught.value.rule.startswith("not a ChatGPT or Claude export")
    assert rule in caught.value.rule


def test_zips_and_directories_without_conversations_and_missing_paths_are_refused(tmp_path):
    cases = {
        write_zip(tmp_path / "photos.zip", {"a.json": [linear_gpt("a", "x")]}): "the ZIP holds no",
        tmp_path / "missing.json": "no such file or directory",
    }
    (tmp_path / "folder").mkdir()
    cases[tmp_path / "folder"] = "the directory holds no"
    mixed = write_zip(
        tmp_path / "mixed.zip",
        {
            "conversations-000.json": [linear_gpt("a", "x")],
            "conversations-001.json": [claude_conversation("c", [])],
        },
    )
    cases[mixed] = "mixes ChatGPT and Claude"
    for path, rule in cases.items():
        with pytest.raises(ValidationError, match=rule):
            open_chat_export(path)


def test_a_truncated_file_reads_the_good_part_then_names_where_it_broke(tmp_path):
    text = json.dumps([linear_gpt("a", "x"), linear_gpt("b", "y")])
    path = tmp_path / "conversations.json"
    path.write_text(text[: len(text) - 40])
    items = read_chat_export(path)
    assert next(items).external_id == "a"
    with pytest.raises(ValidationError, match="unreadable JSON after 1 conversations"):
        next(items)


def test_a_corrupt_zip_member_is_refused(tmp_path):
    path = write_zip(tmp_path / "e.zip", {"conversations.json": '[{"mapping": {}, "id": 1,'})
    with pytest.raises(ValidationError, match="unreadable JSON after 0 conversations"):
        list(read_chat_export(path))


def test_progress_is_reported_in_bytes_and_only_moves_forward(tmp_path):
    path = write_zip(tmp_path / "export.zip", split_members())
    seen: list[tuple[int, int]] = []
    items = list(open_chat_export(path).conversations(on_progress=lambda d, t: seen.append((d, t))))
    assert len(seen) == len(items) + 1
    done = [d for d, _ in seen]
    assert done == sorted(done)
    total = sum(len(json.dumps(value)) for value in split_members().values())
    assert seen[-1] == (total, total)
