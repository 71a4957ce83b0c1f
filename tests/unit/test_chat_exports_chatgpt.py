"""ChatGPT thread rules: the path to `current_node`, branches, hidden nodes, content types."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from nexus.conversations.infrastructure.chat_exports import (
    ConversationError,
    ParsedConversation,
    read_chat_export,
)
from tests.unit.chat_export_builders import (
    gpt_conversation,
    gpt_message,
    linear_gpt,
    write_json,
)


def read_all(tmp_path: Path, conversations: object) -> list[ParsedConversation | ConversationError]:
    return list(read_chat_export(write_json(tmp_path / "conversations.json", conversations)))


def read_one(tmp_path: Path, conversation: dict[str, Any]) -> ParsedConversation:
    [item] = read_all(tmp_path, [conversation])
    assert isinstance(item, ParsedConversation), item
    return item


def texts(conversation: ParsedConversation) -> list[str]:
    return [message.text for message in conversation.messages]


def branched() -> list[tuple[str, str | None, dict[str, Any] | None]]:
    """root > u1 > (a1 | a1-regenerated); a1-regenerated > (u2 | u2-edited > a3)."""
    return [
        ("a1-regen", "u1", gpt_message("a1-regen", "assistant", "answer, second try")),
        ("root", None, None),
        ("u1", "root", gpt_message("u1", "user", "question")),
        ("a1", "u1", gpt_message("a1", "assistant", "answer, first try")),
        ("u2", "a1-regen", gpt_message("u2", "user", "follow-up")),
        ("u2-edit", "a1-regen", gpt_message("u2-edit", "user", "follow-up, edited")),
        ("a3", "u2-edit", gpt_message("a3", "assistant", "last answer")),
    ]


def test_the_thread_is_the_path_to_current_node_in_tree_order_not_by_time(tmp_path):
    nodes = branched()
    # timestamps that disagree with the tree: the thread must not be sorted by them
    nodes[2][2]["create_time"] = 1_800_000_000.0  # u1, the first message, is "newest"
    conversation = read_one(tmp_path, gpt_conversation("c1", nodes, current="a3"))
    assert texts(conversation) == [
        "question",
        "answer, second try",
        "follow-up, edited",
        "last answer",
    ]
    assert [m.external_id for m in conversation.messages] == ["u1", "a1-regen", "u2-edit", "a3"]
    assert conversation.metadata["thread_end"] == "current_node"
    assert conversation.metadata["branch_points"] == 2
    assert conversation.metadata["off_thread_nodes"] == 2  # a1 and u2


def test_current_node_on_another_branch_gives_that_branch(tmp_path):
    conversation = read_one(tmp_path, gpt_conversation("c1", branched(), current="a1"))
    assert texts(conversation) == ["question", "answer, first try"]
    assert conversation.metadata["off_thread_nodes"] == 4


@pytest.mark.parametrize("current", [None, "no-such-node"])
def test_missing_or_dangling_current_node_ends_at_the_latest_leaf(tmp_path, current):
    nodes = branched()
    for _, _, message in nodes:
        if message:
            message["create_time"] = None  # no times: the deepest leaf wins
    conversation = read_one(tmp_path, gpt_conversation("c1", nodes, current=current))
    assert texts(conversation)[-1] == "last answer"
    assert conversation.metadata["thread_end"] in ("latest_leaf", "latest_leaf_dangling")
    nodes[3][2]["create_time"] = 1_700_000_500.0  # a1 (a shallow leaf) is now the newest
    conversation = read_one(tmp_path, gpt_conversation("c1", nodes, current=current))
    assert texts(conversation) == ["question", "answer, first try"]


def test_leaf_ties_go_to_the_last_in_file_order(tmp_path):
    nodes = [
        ("root", None, None),
        ("u", "root", gpt_message("u", "user", "q")),
        ("first", "u", gpt_message("first", "assistant", "one")),
        ("second", "u", gpt_message("second", "assistant", "two")),
    ]
    assert texts(read_one(tmp_path, gpt_conversation("c", nodes, current=None))) == ["q", "two"]


def test_parent_outside_the_mapping_and_null_messages_do_not_crash(tmp_path):
    nodes = [
        ("n1", "not-in-mapping", gpt_message("n1", "assistant", "first we have")),
        ("hole", "n1", None),  # a null message inside the thread
        ("n2", "hole", gpt_message("n2", "user", "then this")),
    ]
    conversation = read_one(tmp_path, gpt_conversation("c", nodes, current="gone"))
    assert texts(conversation) == ["first we have", "then this"]
    assert conversation.metadata["missing_parent"] == "not-in-mapping"


def test_a_parent_cycle_ends_the_walk(tmp_path):
    nodes = [
        ("a", "b", gpt_message("a", "user", "a")),
        ("b", "a", gpt_message("b", "assistant", "b")),
    ]
    conversation = read_one(tmp_path, gpt_conversation("c", nodes, current="b"))
    assert texts(conversation) == ["a", "b"]
    assert conversation.metadata["cycle"] is True
    assert texts(read_one(tmp_path, gpt_conversation("c", nodes, current=None)))  # no leaf at all


def test_a_corrupted_conversation_is_reported_and_the_others_are_read(tmp_path):
    broken = {"id": "bad", "conversation_id": "bad", "title": "Corrupted", "create_time": 1.0}
    items = read_all(
        tmp_path,
        [linear_gpt("good-1", "hi", "hello"), broken, "not an object", linear_gpt("good-2", "x")],
    )
    assert [type(item).__name__ for item in items] == [
        "ParsedConversation",
        "ConversationError",
        "ConversationError",
        "ParsedConversation",
    ]
    assert items[1] == ConversationError(
        index=1, external_id="bad", reason="no mapping (the message tree is missing)"
    )
    assert items[2] == ConversationError(
        index=2, external_id=None, reason="the conversation is not an object"
    )
    assert items[3].index == 3


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"mapping": []}, "mapping is not an object"),
        ({"mapping": {"n": "text"}}, "mapping node 'n' is not an object"),
        ({"mapping": {"n": {"message": 5}}}, "message of node 'n' is not an object"),
        ({"id": None, "conversation_id": None}, "no conversation id"),
    ],
)
def test_wrong_types_are_reported_with_the_reason(tmp_path, change, reason):
    [item] = read_all(tmp_path, [{**linear_gpt("c", "hi"), **change}])
    assert isinstance(item, ConversationError)
    assert item.reason.startswith(reason)


def test_hidden_nodes_are_never_messages(tmp_path):
    nodes = [
        ("root", None, None),
        ("sys", "root", gpt_message("sys", "system", "You are ChatGPT", weight=0.0)),
        (
            "ctx",
            "sys",
            gpt_message(
                "ctx",
                "user",
                content={
                    "content_type": "user_editable_context",
                    "user_profile": "PRIVATE PROFILE",
                    "user_instructions": "PRIVATE INSTRUCTIONS",
                },
                metadata={"is_user_system_message": True},
            ),
        ),
        (
            "vh",
            "ctx",
            gpt_message(
                "vh",
                "user",
                "PRIVATE hidden",
                metadata={"is_visually_hidden_from_conversation": True},
            ),
        ),
        ("w0", "vh", gpt_message("w0", "tool", "PRIVATE weight zero", weight=0)),
        ("u", "w0", gpt_message("u", "user", "visible question")),
    ]
    conversation = read_one(tmp_path, gpt_conversation("c", nodes))
    assert texts(conversation) == ["visible question"]
    assert conversation.metadata["hidden_skipped"] == 4
    assert "PRIVATE" not in repr(conversation)


CONTENTS: list[tuple[dict[str, Any], str]] = [
    ({"content_type": "text", "parts": ["a", "", "b"]}, "a\n\nb"),
    ({"content_type": "code", "language": "python", "text": "print(1)"}, "print(1)"),
    ({"content_type": "execution_output", "text": "1"}, "1"),
    (
        {"content_type": "tether_browsing_display", "result": "page text", "summary": None},
        "page text",
    ),
    ({"content_type": "tether_quote", "url": "u", "title": "t", "text": "quoted"}, "quoted"),
    ({"content_type": "reasoning_recap", "content": "Thought for 3s"}, "Thought for 3s"),
    (
        {
            "content_type": "thoughts",
            "thoughts": [{"summary": "s1", "content": "c1"}, {"summary": "s2", "content": ""}],
        },
        "s1\nc1\n\ns2",
    ),
    ({"content_type": "system_error", "text": "boom"}, "boom"),
    ({"content_type": "something_new", "text": "kept"}, "kept"),
    ({"content_type": "something_new", "data": {"x": 1}}, ""),
]


@pytest.mark.parametrize(("content", "expected"), CONTENTS)
def test_text_comes_from_the_parts_that_hold_it(tmp_path, content, expected):
    nodes = [
        ("root", None, None),
        ("u", "root", gpt_message("u", "user", "q")),
        ("m", "u", gpt_message("m", "assistant", content=content)),
    ]
    conversation = read_one(tmp_path, gpt_conversation("c", nodes))
    assert texts(conversation)[1:] == ([expected] if expected else [])
    if expected:
        assert conversation.messages[1].metadata["content_type"] == content["content_type"]
    else:
        assert conversation.metadata["empty_skipped"] == 1


def test_images_and_files_become_references_not_text(tmp_path):
    image = {
        "content_type": "image_asset_pointer",
        "asset_pointer": "sediment://file_1",
        "size_bytes": 10,
        "width": 2,
        "height": 3,
        "fovea": 512,
    }
    multimodal = {"content_type": "multimodal_text", "parts": [image, "look at this"]}
    attached = {"attachments": [{"id": "file-9", "name": "a.pdf", "size": 5, "mime_type": "x"}]}
    nodes = [
        ("root", None, None),
        ("u", "root", gpt_message("u", "user", content=multimodal, metadata=attached)),
        (
            "t",
            "u",
            gpt_message(
                "t",
                "tool",
                content={"content_type": "multimodal_text", "parts": [image]},
                name="dalle.text2im",
            ),
        ),
    ]
    conversation = read_one(tmp_path, gpt_conversation("c", nodes))
    question, picture = conversation.messages
    assert question.text == "look at this"
    assert question.metadata["attachments"] == [
        {
            "kind": "image",
            "asset_pointer": "sediment://file_1",
            "size_bytes": 10,
            "width": 2,
            "height": 3,
        },
        {"kind": "file", "id": "file-9", "name": "a.pdf", "size": 5, "mime_type": "x"},
    ]
    assert picture.role == "tool"
    assert picture.text == ""
    assert picture.metadata["author_name"] == "dalle.text2im"
    assert "asset_pointer" not in question.text


def test_ids_times_and_fields_of_a_conversation(tmp_path):
    nodes = [
        ("root", None, None),
        ("node-1", "root", gpt_message("msg-1", "user", "hi", created=1_714_585_031.148505)),
        ("node-2", "node-1", gpt_message("node-2", "critic", "odd role")),
    ]
    conversation = read_one(
        tmp_path, gpt_conversation("conv-1", nodes, title=None, default_model_slug="gpt-5")
    )
    assert conversation.external_id == "conv-1"
    assert conversation.source == "chatgpt"
    assert conversation.title is None
    assert conversation.created_at == datetime(2023, 11, 14, 22, 13, 20, 250000, tzinfo=UTC)
    assert conversation.metadata["default_model_slug"] == "gpt-5"
    first, second = conversation.messages
    assert first.external_id == "node-1"
    assert first.metadata["message_id"] == "msg-1"
    assert first.created_at == datetime(2024, 5, 1, 17, 37, 11, 148505, tzinfo=UTC)
    assert second.created_at is None
    assert (second.role, second.metadata["author_role"]) == ("tool", "critic")


def test_messages_without_metadata_and_odd_times_are_read(tmp_path):
    nodes = [
        ("root", None, None),
        ("u", "root", gpt_message("u", "user", "no metadata key", created=float("1e300"))),
        ("a", "u", gpt_message("a", "assistant", "string time", created="2024-01-01T00:00:00Z")),
    ]
    conversation = read_one(tmp_path, gpt_conversation("c", nodes))
    assert conversation.messages[0].created_at is None
    assert conversation.messages[1].created_at == datetime(2024, 1, 1, tzinfo=UTC)
