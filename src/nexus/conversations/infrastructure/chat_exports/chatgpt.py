"""One ChatGPT conversation (a `mapping` tree) read as its displayed thread.

The thread is the path from `current_node` up through `parent`, root first. When `current_node`
is missing or names no node, the thread ends at the leaf with the latest `create_time` (its own,
else its nearest dated ancestor's); ties go to the deepest leaf, then to the last in file order.
A parent missing from the mapping ends the walk there (the fragment's root); a cycle ends it too.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from nexus.conversations.infrastructure.chat_exports.chatgpt_content import (
    PRIVATE_CONTENT_TYPES,
    attachment_references,
    message_text,
)
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

_ROLES: dict[str, MessageRole] = {"user": "user", "assistant": "assistant", "tool": "tool"}
_KEPT_FIELDS = (
    "default_model_slug",
    "gizmo_id",
    "is_archived",
    "is_starred",
    "conversation_origin",
)

Nodes = dict[str, dict[str, Any]]


def chatgpt_conversation_id(raw: object) -> str | None:
    """The conversation's stable id (`id`, else `conversation_id`), if it has one."""
    if not isinstance(raw, dict):
        return None
    return as_id(raw.get("id")) or as_id(raw.get("conversation_id"))


def _nodes(raw: dict[str, Any]) -> Nodes:
    if "mapping" not in raw or raw["mapping"] is None:
        raise MalformedConversation("no mapping (the message tree is missing)")
    mapping = as_object(raw["mapping"], "mapping")
    for key, node in mapping.items():
        if not isinstance(node, dict):
            raise MalformedConversation(f"mapping node {key!r} is not an object")
        message = node.get("message")
        if message is None:
            continue
        if not isinstance(message, dict):
            raise MalformedConversation(f"message of node {key!r} is not an object")
        for field in ("content", "author"):
            if not isinstance(message.get(field), dict | None):
                raise MalformedConversation(f"{field} of node {key!r} is not an object")
    return mapping


def _children(nodes: Nodes, key: str) -> list[str]:
    found = nodes[key].get("children")
    if not isinstance(found, list):
        return []
    return [c for c in found if isinstance(c, str) and c in nodes and c != key]


def _maybe_branch(node: dict[str, Any]) -> bool:
    children = node.get("children")
    return isinstance(children, list) and len(children) > 1


def _parent(nodes: Nodes, key: str) -> str | None:
    parent = nodes[key].get("parent")
    return parent if isinstance(parent, str) else None


def _created(nodes: Nodes, key: str) -> float | None:
    message = nodes[key].get("message")
    value = message.get("create_time") if message else None
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def _ancestry(nodes: Nodes, start: str) -> tuple[list[str], str | None, bool]:
    """The nodes from `start` up to its root, the missing parent ending the walk, a cycle flag."""
    path: list[str] = []
    seen: set[str] = set()
    key: str | None = start
    while key is not None:
        if key in seen:
            return path, None, True
        if key not in nodes:
            return path, key, False
        seen.add(key)
        path.append(key)
        key = _parent(nodes, key)
    return path, None, False


def _latest_leaf(nodes: Nodes) -> str:
    leaves = [key for key in nodes if not _children(nodes, key)] or list(nodes)

    def rank(position: int) -> tuple[float, int, int]:
        path = _ancestry(nodes, leaves[position])[0]
        dated = next((t for t in map(lambda k: _created(nodes, k), path) if t is not None), None)
        return (dated if dated is not None else float("-inf"), len(path), position)

    return leaves[max(range(len(leaves)), key=rank)]


def _parts_of(message: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any], dict[str, Any]]:
    """The message's author, content and metadata objects (empty when absent or null)."""
    found = message.get("metadata")
    metadata: dict[str, Any] = found if isinstance(found, dict) else {}
    return message.get("author") or {}, message.get("content") or {}, metadata


def _hidden(
    message: dict[str, Any],
    author: dict[str, Any],
    content: dict[str, Any],
    metadata: dict[str, Any],
) -> bool:
    """Private or never displayed: system, custom instructions, visually hidden, weight 0."""
    weight = message.get("weight")
    return bool(
        author.get("role") == "system"
        or content.get("content_type") in PRIVATE_CONTENT_TYPES
        or metadata.get("is_visually_hidden_from_conversation")
        or metadata.get("is_user_system_message")
        or (weight == 0 and isinstance(weight, int | float))
    )


# metadata kept on a message: (name, which object: 0 message, 1 author, 2 content, 3 metadata, key)
_KEPT_MESSAGE_FIELDS = (
    ("author_name", 1, "name"),
    ("recipient", 0, "recipient"),
    ("channel", 0, "channel"),
    ("status", 0, "status"),
    ("model_slug", 3, "model_slug"),
    ("language", 2, "language"),
    ("url", 2, "url"),
)


def _message(
    key: str,
    message: dict[str, Any],
    author: dict[str, Any],
    content: dict[str, Any],
    metadata: dict[str, Any],
) -> ParsedMessage | None:
    """The message as shown, or None when it has neither text nor attachment."""
    references: list[dict[str, Any]] = []
    text = message_text(content, references)
    if "attachments" in metadata:
        references.extend(attachment_references(metadata))
    if not references and not text.strip():
        return None
    extra: dict[str, Any] = {"content_type": content.get("content_type")}
    if references:
        extra["attachments"] = references
    message_id = as_id(message.get("id"))
    if message_id and message_id != key:
        extra["message_id"] = message_id
    role = _ROLES.get(str(author.get("role")), "tool")
    if role != author.get("role"):
        extra["author_role"] = str(author.get("role"))
    sources = (message, author, content, metadata)
    for name, which, field in _KEPT_MESSAGE_FIELDS:
        value = sources[which].get(field)
        if value and value != "all" and isinstance(value, str):
            extra[name] = value
    finish = metadata.get("finish_details")
    if isinstance(finish, dict) and isinstance(finish.get("type"), str):
        extra["finish_type"] = finish["type"]
    return ParsedMessage(
        external_id=key,
        role=role,
        text=text,
        created_at=to_utc(message.get("create_time")),
        metadata=extra,
    )


def parse_chatgpt(index: int, raw: object, part: str) -> ParsedConversation:
    """Read one conversation object; MalformedConversation says why it cannot be read."""
    raw = as_object(raw, "the conversation")
    external_id = chatgpt_conversation_id(raw)
    if external_id is None:
        raise MalformedConversation("no conversation id (`id` or `conversation_id`)")
    nodes = _nodes(raw)
    current = raw.get("current_node")
    metadata: dict[str, Any] = {"export_part": part, "thread_end": "current_node"}
    if not isinstance(current, str) or current not in nodes:
        metadata["thread_end"] = "latest_leaf" if current is None else "latest_leaf_dangling"
        current = _latest_leaf(nodes) if nodes else None
    path, missing_parent, cycle = _ancestry(nodes, current) if current else ([], None, False)
    if missing_parent is not None:
        metadata["missing_parent"] = missing_parent
    if cycle:
        metadata["cycle"] = True
    messages: list[ParsedMessage] = []
    hidden = empty = 0
    for key in reversed(path):
        message = nodes[key].get("message")
        if message is None:
            continue
        author, content, message_metadata = _parts_of(message)
        if _hidden(message, author, content, message_metadata):
            hidden += 1
            continue
        parsed = _message(key, message, author, content, message_metadata)
        if parsed is None:
            empty += 1
        else:
            messages.append(parsed)
    on_path = set(path)
    metadata["branch_points"] = sum(
        1 for key, node in nodes.items() if _maybe_branch(node) and len(_children(nodes, key)) > 1
    )
    metadata["off_thread_nodes"] = sum(
        1 for key, node in nodes.items() if key not in on_path and node.get("message") is not None
    )
    metadata["hidden_skipped"] = hidden
    metadata["empty_skipped"] = empty
    metadata.update({k: raw[k] for k in _KEPT_FIELDS if raw.get(k) is not None})
    return ParsedConversation(
        index=index,
        source="chatgpt",
        external_id=external_id,
        title=as_text(raw.get("title")),
        created_at=_time(raw, "create_time"),
        updated_at=_time(raw, "update_time"),
        messages=tuple(messages),
        metadata=metadata,
    )


def _time(raw: dict[str, Any], key: str) -> datetime | None:
    return to_utc(raw.get(key))
