"""One Claude.ai conversation (`chat_messages`) read as its displayed thread.

Text comes from the `content` blocks of type `text` (the top-level `text` glues the thinking and
the answer together); older exports without `content` blocks use `text`. When messages carry
`parent_message_uuid` and the conversation names `current_leaf_message_uuid`, the thread is the
walk up from that leaf (abandoned branches are left out); otherwise the list order is the thread.
"""

from __future__ import annotations

from typing import Any

from nexus.conversations.infrastructure.chat_exports.values import (
    MalformedConversation,
    MessageRole,
    ParsedConversation,
    ParsedMessage,
    as_id,
    as_object,
    as_text,
    to_utc,
)

_ROLES: dict[str, MessageRole] = {"human": "user", "user": "user", "assistant": "assistant"}
_FILE_KEYS = ("file_name", "file_size", "file_type", "file_kind", "file_uuid", "id")


def claude_conversation_id(raw: object) -> str | None:
    """The conversation's stable id (`uuid`), if it has one."""
    return as_id(raw.get("uuid")) if isinstance(raw, dict) else None


def _references(message: dict[str, Any]) -> list[dict[str, Any]]:
    references: list[dict[str, Any]] = []
    for field, kind in (("attachments", "attachment"), ("files", "file"), ("files_v2", "file")):
        found = message.get(field)
        for item in found if isinstance(found, list) else ():
            if isinstance(item, dict):
                reference: dict[str, Any] = {"kind": kind}
                reference.update({key: item[key] for key in _FILE_KEYS if key in item})
                if as_text(item.get("extracted_content")):
                    reference["has_extracted_content"] = True
                references.append(reference)
    return references


def _blocks_text(blocks: list[Any], extra: dict[str, Any]) -> str | None:
    """Text of the `text` blocks; thinking and tool blocks are only counted. None: none usable."""
    texts: list[str] = []
    counted: dict[str, int] = {}
    for block in blocks:
        if not isinstance(block, dict):
            continue
        kind = str(block.get("type"))
        if kind == "text" and isinstance(block.get("text"), str):
            texts.append(block["text"])
        else:
            counted[kind] = counted.get(kind, 0) + 1
    tools = [b.get("name") for b in blocks if isinstance(b, dict) and b.get("type") == "tool_use"]
    if counted:
        extra["blocks_left_out"] = counted
    if any(isinstance(name, str) for name in tools):
        extra["tools_used"] = [name for name in tools if isinstance(name, str)]
    if texts:
        return "\n\n".join(text for text in texts if text.strip())
    return "" if "thinking" in counted or "redacted_thinking" in counted else None


def _message(position: int, raw: object) -> ParsedMessage | None:
    message = as_object(raw, f"chat_messages[{position}]")
    role = _ROLES.get(str(message.get("sender")))
    if role is None:
        return None
    extra: dict[str, Any] = {}
    blocks = message.get("content")
    text = _blocks_text(blocks, extra) if isinstance(blocks, list) else None
    if text is None:
        found = message.get("text")
        text = found if isinstance(found, str) else ""
    references = _references(message)
    if references:
        extra["attachments"] = references
    if not text.strip() and not references:
        return None
    return ParsedMessage(
        external_id=as_id(message.get("uuid")) or f"#{position}",
        role=role,
        text=text,
        created_at=to_utc(message.get("created_at")),
        metadata=extra,
    )


def _thread(raw: dict[str, Any], messages: list[Any]) -> tuple[list[int], int]:
    """Positions of the thread's messages, and how many were left out on other branches."""
    leaf = as_id(raw.get("current_leaf_message_uuid"))
    by_id = {as_id(m.get("uuid")): i for i, m in enumerate(messages) if isinstance(m, dict)}
    if leaf is None or leaf not in by_id:
        return list(range(len(messages))), 0
    path: list[int] = []
    seen: set[int] = set()
    position: int | None = by_id[leaf]
    while position is not None and position not in seen:
        seen.add(position)
        path.append(position)
        parent = as_id(messages[position].get("parent_message_uuid"))
        position = by_id.get(parent) if parent else None
    path.reverse()
    return path, len(messages) - len(path)


def parse_claude(index: int, raw: object, part: str) -> ParsedConversation:
    """Read one conversation object; MalformedConversation says why it cannot be read."""
    raw = as_object(raw, "the conversation")
    external_id = claude_conversation_id(raw)
    if external_id is None:
        raise MalformedConversation("no conversation id (`uuid`)")
    found = raw.get("chat_messages")
    if not isinstance(found, list):
        raise MalformedConversation("chat_messages is missing or not a list")
    thread, off_thread = _thread(raw, found)
    messages: list[ParsedMessage] = []
    for position in thread:
        parsed = _message(position, found[position])
        if parsed is not None:
            messages.append(parsed)
    metadata: dict[str, Any] = {
        "export_part": part,
        "off_thread_messages": off_thread,
        "skipped": len(thread) - len(messages),
    }
    account = raw.get("account")
    if isinstance(account, dict) and as_id(account.get("uuid")):
        metadata["account_id"] = as_id(account.get("uuid"))
    if as_text(raw.get("summary")):
        metadata["summary"] = raw["summary"]
    if as_id(raw.get("project_uuid")):
        metadata["project_id"] = as_id(raw.get("project_uuid"))
    return ParsedConversation(
        index=index,
        source="claude",
        external_id=external_id,
        title=as_text(raw.get("name")),
        created_at=to_utc(raw.get("created_at")),
        updated_at=to_utc(raw.get("updated_at")),
        messages=tuple(messages),
        metadata=metadata,
    )
