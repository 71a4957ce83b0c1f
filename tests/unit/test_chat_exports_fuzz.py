"""Whatever a conversation holds, the chat-export reader yields a conversation or an error for it,
and a file it cannot read is a ValidationError: nothing else escapes (Hypothesis)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nexus.conversations.infrastructure.chat_exports import (
    ConversationError,
    ParsedConversation,
    read_chat_export,
)
from nexus.shared.errors import ValidationError

FUZZ = settings(
    max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**20), max_value=10**20)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=12)
)
json_values = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=8,
)
KEYS = ["root", "a", "b", "c"]
CONTENT_TYPES = [
    "text",
    "multimodal_text",
    "code",
    "thoughts",
    "reasoning_recap",
    "user_editable_context",
    "tether_browsing_display",
    "x",
]


def maybe(strategy: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return strategy | json_values


gpt_content = st.fixed_dictionaries(
    {"content_type": maybe(st.sampled_from(CONTENT_TYPES))},
    optional={
        "parts": maybe(st.lists(st.text(max_size=5) | json_values, max_size=3)),
        "text": json_values,
        "thoughts": maybe(
            st.lists(st.fixed_dictionaries({"summary": json_values, "content": json_values}))
        ),
        "result": json_values,
        "content": json_values,
    },
)
gpt_message = st.fixed_dictionaries(
    {
        "author": maybe(
            st.fixed_dictionaries(
                {"role": maybe(st.sampled_from(["user", "assistant", "tool", "system"]))}
            )
        ),
        "content": maybe(gpt_content),
    },
    optional={
        "id": json_values,
        "create_time": json_values,
        "metadata": maybe(
            st.fixed_dictionaries(
                {},
                optional={
                    "attachments": json_values,
                    "is_visually_hidden_from_conversation": json_values,
                },
            )
        ),
        "weight": json_values,
    },
)
gpt_node = st.fixed_dictionaries(
    {"message": st.none() | gpt_message | json_values},
    optional={
        "parent": maybe(st.sampled_from([*KEYS, "elsewhere"])),
        "children": maybe(st.lists(st.sampled_from(KEYS))),
    },
)
gpt_conversation = st.fixed_dictionaries(
    {
        "id": maybe(st.just("conv")),
        "mapping": maybe(st.dictionaries(st.sampled_from(KEYS), maybe(gpt_node))),
    },
    optional={
        "current_node": maybe(st.sampled_from(KEYS)),
        "title": json_values,
        "create_time": json_values,
    },
)
claude_block = st.fixed_dictionaries(
    {"type": maybe(st.sampled_from(["text", "thinking", "tool_use"]))},
    optional={"text": json_values, "name": json_values},
)
claude_message = st.fixed_dictionaries(
    {"sender": maybe(st.sampled_from(["human", "assistant"]))},
    optional={
        "uuid": json_values,
        "text": json_values,
        "content": maybe(st.lists(maybe(claude_block), max_size=3)),
        "attachments": json_values,
        "created_at": json_values,
        "parent_message_uuid": json_values,
    },
)
claude_conversation = st.fixed_dictionaries(
    {
        "uuid": maybe(st.just("conv")),
        "chat_messages": maybe(st.lists(maybe(claude_message), max_size=4)),
    },
    optional={
        "current_leaf_message_uuid": json_values,
        "name": json_values,
        "account": json_values,
    },
)


def read(path: Path, value: object) -> list[ParsedConversation | ConversationError]:
    path.write_text(json.dumps(value))
    try:
        return list(read_chat_export(path))
    except ValidationError:
        return []


@FUZZ
@given(conversations=st.lists(gpt_conversation, min_size=1, max_size=3))
def test_any_chatgpt_shaped_conversation_is_read_or_reported(tmp_path, conversations):
    items = read(tmp_path / "c.json", conversations)
    assert [item.index for item in items] in ([], list(range(len(conversations))))
    for item in items:
        assert isinstance(item, ParsedConversation | ConversationError)


@FUZZ
@given(conversations=st.lists(claude_conversation, min_size=1, max_size=3))
def test_any_claude_shaped_conversation_is_read_or_reported(tmp_path, conversations):
    items = read(tmp_path / "c.json", conversations)
    assert [item.index for item in items] in ([], list(range(len(conversations))))


@FUZZ
@given(value=json_values)
def test_any_json_file_is_read_or_refused_with_a_validation_error(tmp_path, value):
    read(tmp_path / "c.json", value)


@FUZZ
@given(data=st.binary(max_size=200))
def test_any_bytes_are_refused_with_a_validation_error(tmp_path, data):
    path = tmp_path / "c.json"
    path.write_bytes(data)
    with pytest.raises(ValidationError):
        list(read_chat_export(path))
