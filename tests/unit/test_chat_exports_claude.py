"""Claude thread rules: text from `text` blocks, thinking kept out, old shape, attachments."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from nexus.conversations.infrastructure.chat_exports import (
    ConversationError,
    ParsedConversation,
    read_chat_export,
)
from tests.unit.chat_export_builders import claude_conversation, claude_message, write_json

THINKING = {"type": "thinking", "thinking": "Let me think.", "summaries": [{"summary": "s"}]}


def read_all(tmp_path: Path, value: object) -> list[ParsedConversation | ConversationError]:
    return list(read_chat_export(write_json(tmp_path / "conversations.json", value)))


def test_new_shape_text_comes_from_text_blocks_not_the_glued_text(tmp_path):
    answer = claude_message(
        "m2",
        "assistant",
        "Let me think.The answer.",  # the glued top-level text
        blocks=[
            THINKING,
            {"type": "text", "text": "The answer.", "citations": []},
            {"type": "tool_use", "id": "t1", "name": "web_search", "input": {}},
            {"type": "tool_result", "tool_use_id": "t1", "content": [], "is_error": False},
            {"type": "text", "text": "More."},
        ],
    )
    question = claude_message("m1", "human", "Why?", blocks=[{"type": "text", "text": "Why?"}])
    [conversation] = read_all(tmp_path, [claude_conversation("c1", [question, answer])])
    assert isinstance(conversation, ParsedConversation)
    assert conversation.source == "claude"
    assert [(m.role, m.text) for m in conversation.messages] == [
        ("user", "Why?"),
        ("assistant", "The answer.\n\nMore."),
    ]
    assert conversation.messages[1].metadata["blocks_left_out"] == {
        "thinking": 1,
        "tool_use": 1,
        "tool_result": 1,
    }
    assert conversation.messages[1].metadata["tools_used"] == ["web_search"]
    assert conversation.metadata["account_id"] == "account-1"
    assert conversation.created_at == datetime(2025, 7, 6, 3, 10, 13, 76141, tzinfo=UTC)
    assert conversation.messages[0].external_id == "m1"


def test_a_message_with_only_thinking_is_left_out(tmp_path):
    only_thinking = claude_message("m2", "assistant", "Let me think.", blocks=[THINKING])
    [conversation] = read_all(
        tmp_path, [claude_conversation("c1", [claude_message("m1", "human", "hi"), only_thinking])]
    )
    assert [m.text for m in conversation.messages] == ["hi"]
    assert conversation.metadata["skipped"] == 1


def test_old_shape_without_blocks_uses_text_and_attachments_are_references(tmp_path):
    question = claude_message(
        "m1",
        "human",
        "Review this file",
        attachments=[
            {
                "id": "att-1",
                "file_name": "utils.py",
                "file_size": 12,
                "file_type": "text/x-python",
                "extracted_content": "SECRET FILE BODY",
            }
        ],
        files=[{"file_name": "utils.py"}],
    )
    answer = claude_message("m2", "assistant", "Looks fine.")
    [conversation] = read_all(tmp_path, claude_conversation("c1", [question, answer], name=""))
    assert conversation.title is None
    assert [m.text for m in conversation.messages] == ["Review this file", "Looks fine."]
    assert conversation.messages[0].metadata["attachments"] == [
        {
            "kind": "attachment",
            "id": "att-1",
            "file_name": "utils.py",
            "file_size": 12,
            "file_type": "text/x-python",
            "has_extracted_content": True,
        },
        {"kind": "file", "file_name": "utils.py"},
    ]
    assert "SECRET FILE BODY" not in repr(conversation)


def test_branches_follow_the_current_leaf_when_the_export_has_one(tmp_path):
    root = "00000000-0000-4000-8000-000000000000"
    messages = [
        claude_message("q", "human", "question", parent_message_uuid=root),
        claude_message("a-old", "assistant", "abandoned", parent_message_uuid="q"),
        claude_message("a-new", "assistant", "kept", parent_message_uuid="q"),
    ]
    conversation = claude_conversation("c1", messages, current_leaf_message_uuid="a-new")
    [parsed] = read_all(tmp_path, [conversation])
    assert [m.text for m in parsed.messages] == ["question", "kept"]
    assert parsed.metadata["off_thread_messages"] == 1


def test_bad_conversations_are_reported_and_the_others_read(tmp_path):
    good = claude_conversation("ok", [claude_message("m", "human", "hi")])
    items = read_all(
        tmp_path,
        [
            good,
            {**good, "uuid": "no-list", "chat_messages": None},
            {**good, "uuid": None},
            {**good, "uuid": "bad-message", "chat_messages": ["text"]},
            good,
        ],
    )
    assert [getattr(item, "reason", None) for item in items] == [
        None,
        "chat_messages is missing or not a list",
        "no conversation id (`uuid`)",
        "chat_messages[0] is not an object",
        None,
    ]
    assert [item.external_id for item in items] == ["ok", "no-list", None, "bad-message", "ok"]


def test_unknown_senders_and_missing_message_ids(tmp_path):
    messages = [
        {"sender": "human", "text": "no uuid"},
        claude_message("s", "system", "not a chat message"),
    ]
    [conversation] = read_all(tmp_path, [claude_conversation("c", messages)])
    assert [(m.external_id, m.text) for m in conversation.messages] == [("#0", "no uuid")]
