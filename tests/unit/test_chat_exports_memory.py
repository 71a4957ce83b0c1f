"""A large export is streamed: peak memory stays far below the file size."""

from __future__ import annotations

import tracemalloc

from nexus.conversations.infrastructure.chat_exports import ParsedConversation, read_chat_export
from tests.unit.chat_export_builders import write_large_chatgpt_export


def test_a_100_mb_export_is_read_one_conversation_at_a_time(tmp_path):
    path = tmp_path / "conversations.json"
    size = write_large_chatgpt_export(path, conversations=500, messages=10, text_size=20_000)
    assert size > 100_000_000
    tracemalloc.start()
    try:
        conversations = messages = 0
        for item in read_chat_export(path):
            assert isinstance(item, ParsedConversation)
            conversations += 1
            messages += len(item.messages)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert (conversations, messages) == (500, 5_000)
    print(f"\n{size / 1e6:.0f} MB export: peak traced memory {peak / 1e6:.1f} MB")
    assert peak < size / 20
