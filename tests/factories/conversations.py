"""Valid conversations entities with overridable fields, for tests, and one full example of each
(`CONVERSATIONS_EXAMPLES`)."""

from __future__ import annotations

from typing import Any

from nexus.conversations.domain.conversations import Conversation, ExportSource, Message
from nexus.conversations.domain.ids import ConversationId
from nexus.conversations.domain.jobs import IngestionJob, JobStatus
from nexus.shared.ids import UserId, WorkspaceId, new_id
from tests.factories.common import NOW

WORKSPACE = WorkspaceId(new_id())
USER = UserId(new_id())
CONVERSATION = ConversationId(new_id())


def make_conversation(**overrides: Any) -> Conversation:
    values: dict[str, Any] = {
        "workspace_id": WORKSPACE,
        "user_id": USER,
        "title": "Trip planning",
        "created_at": NOW,
        "updated_at": NOW,
    }
    values.update(overrides)
    return Conversation(**values)


def make_message(**overrides: Any) -> Message:
    values: dict[str, Any] = {
        "workspace_id": WORKSPACE,
        "conversation_id": CONVERSATION,
        "position": 1,
        "role": "user",
        "content": "Hello",
        "created_at": NOW,
    }
    values.update(overrides)
    return Message(**values)


def make_job(**overrides: Any) -> IngestionJob:
    values: dict[str, Any] = {
        "workspace_id": WORKSPACE,
        "user_id": USER,
        "source_path": "/exports/chatgpt.zip",
        "created_at": NOW,
        "updated_at": NOW,
    }
    values.update(overrides)
    return IngestionJob(**values)


CONVERSATIONS_EXAMPLES: dict[type[Any], Any] = {
    Conversation: lambda: make_conversation(
        pinned=True,
        message_count=2,
        external_source=ExportSource.CHATGPT,
        external_id="c-1",
        agent="helper",
    ),
    Message: lambda: make_message(
        role="assistant",
        agent="aia",
        metadata_={"attachments": [{"kind": "image", "name": "a.png"}]},
        external_id="m-1",
        position=2,
    ),
    IngestionJob: lambda: make_job(
        conversation_id=CONVERSATION,
        status=JobStatus.FAILED,
        progress=40,
        cache_hit=False,
        file_sha256="a" * 64,
        collection_name="chat",
        chunks_count=3,
        error_code="unreadable",
        error_message="broken",
        attempt=1,
        started_at=NOW,
        finished_at=NOW,
    ),
}
