"""Small hand-written ChatGPT and Claude export objects for the chat-export reader tests."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path
from typing import Any


def gpt_message(
    mid: str,
    role: str,
    text: str | None = None,
    *,
    content: dict[str, Any] | None = None,
    created: float | None = None,
    metadata: dict[str, Any] | None = None,
    **extra: Any,
) -> dict[str, Any]:
    """A ChatGPT message; `text` gives a plain `text` content, `content` any other."""
    message: dict[str, Any] = {
        "id": mid,
        "author": {"role": role, "name": extra.pop("name", None), "metadata": {}},
        "create_time": created,
        "content": content or {"content_type": "text", "parts": [text or ""]},
        "status": "finished_successfully",
        "recipient": extra.pop("recipient", "all"),
    }
    if metadata is not None:
        message["metadata"] = metadata
    message.update(extra)
    return message


def gpt_conversation(
    cid: str,
    nodes: list[tuple[str, str | None, dict[str, Any] | None]],
    *,
    current: str | None = "<last>",
    title: str | None = "A title",
    **extra: Any,
) -> dict[str, Any]:
    """A conversation from (node id, parent id, message) triples; children are derived."""
    mapping: dict[str, Any] = {}
    for key, parent, message in nodes:
        mapping[key] = {"id": key, "message": message, "parent": parent, "children": []}
    for key, parent, _ in nodes:
        if parent in mapping:
            mapping[parent]["children"].append(key)
    conversation: dict[str, Any] = {
        "title": title,
        "create_time": 1_700_000_000.25,
        "update_time": 1_700_000_100.5,
        "mapping": mapping,
        "current_node": nodes[-1][0] if current == "<last>" else current,
        "conversation_id": cid,
        "id": cid,
    }
    conversation.update(extra)
    return conversation


def linear_gpt(cid: str, *texts: str) -> dict[str, Any]:
    """A root and alternating user/assistant messages with the given texts."""
    nodes: list[tuple[str, str | None, dict[str, Any] | None]] = [(f"{cid}-root", None, None)]
    for position, text in enumerate(texts):
        role = "user" if position % 2 == 0 else "assistant"
        key = f"{cid}-m{position}"
        nodes.append((key, nodes[-1][0], gpt_message(key, role, text, created=1_700_000_000.0)))
    return gpt_conversation(cid, nodes)


def claude_message(
    uuid: str, sender: str, text: str, *, blocks: list[dict[str, Any]] | None = None, **extra: Any
) -> dict[str, Any]:
    """A Claude message; with `blocks` it has the new `content` array, else the old shape."""
    message: dict[str, Any] = {
        "uuid": uuid,
        "text": text,
        "sender": sender,
        "created_at": "2025-07-06T03:10:13.609691Z",
        "updated_at": "2025-07-06T03:10:13.609691Z",
        "attachments": [],
        "files": [],
    }
    if blocks is not None:
        message["content"] = blocks
    message.update(extra)
    return message


def claude_conversation(uuid: str, messages: list[dict[str, Any]], **extra: Any) -> dict[str, Any]:
    conversation: dict[str, Any] = {
        "uuid": uuid,
        "name": "A chat",
        "summary": "",
        "created_at": "2025-07-06T03:10:13.076141Z",
        "updated_at": "2025-07-06T03:10:27.139200Z",
        "account": {"uuid": "account-1"},
        "chat_messages": messages,
    }
    conversation.update(extra)
    return conversation


def write_json(path: Path, value: object) -> Path:
    path.write_text(json.dumps(value), encoding="utf-8")
    return path


def write_zip(path: Path, members: dict[str, object]) -> Path:
    """A ZIP whose members are JSON values (or raw text when given a str)."""
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, value in members.items():
            archive.writestr(name, value if isinstance(value, str) else json.dumps(value))
    return path


def write_large_chatgpt_export(
    path: Path, *, conversations: int, messages: int, text_size: int
) -> int:
    """A ChatGPT `conversations.json` written one conversation at a time; returns its size."""
    filler = "lorem ipsum " * (text_size // 12)
    with path.open("w", encoding="utf-8") as out:
        out.write("[")
        for number in range(conversations):
            texts = [f"{number}-{position} {filler}" for position in range(messages)]
            out.write(("," if number else "") + json.dumps(linear_gpt(f"conv-{number}", *texts)))
        out.write("]")
    return path.stat().st_size
