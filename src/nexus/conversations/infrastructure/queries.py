"""Conversations' read side, written once for both adapters; every query takes the workspace."""

from __future__ import annotations

from nexus.conversations.application.jobs import job_result
from nexus.conversations.application.messages import message_result
from nexus.conversations.application.results import ConversationResult, JobResult, MessageResult
from nexus.conversations.domain.ids import ConversationId
from nexus.conversations.infrastructure.records import (
    conversation_mapper,
    ingestion_job_mapper,
    message_mapper,
)
from nexus.persistence.repository import Queries
from nexus.shared.ids import UserId, WorkspaceId

_RECENT = ("-pinned", "-updated_at", "-id")


class ConversationsQueries(Queries):
    def recent_conversations(
        self,
        workspace_id: WorkspaceId,
        user_id: UserId | None,
        *,
        include_archived: bool,
        limit: int,
        offset: int,
    ) -> list[ConversationResult]:
        where = _conversation_filter(workspace_id, user_id, include_archived)
        found = self._rows(conversation_mapper, where, _RECENT, limit, offset)
        return [ConversationResult.from_entity(c) for c in found]

    def count_conversations(
        self, workspace_id: WorkspaceId, user_id: UserId | None, *, include_archived: bool
    ) -> int:
        where = _conversation_filter(workspace_id, user_id, include_archived)
        return self._count(conversation_mapper, **where)

    def search_conversations(
        self, workspace_id: WorkspaceId, user_id: UserId | None, words: str, limit: int
    ) -> list[ConversationResult]:
        """Titles containing `words`, case-insensitively (matched here, on the workspace's
        conversations read newest first, so both adapters agree on case folding)."""
        where: dict[str, object] = {"workspace_id": workspace_id}
        if user_id is not None:
            where["user_id"] = user_id
        wanted = words.casefold()
        found = []
        for conversation in self._rows(conversation_mapper, where, ("-updated_at", "-id")):
            if wanted in conversation.title.casefold():
                found.append(ConversationResult.from_entity(conversation))
                if len(found) == limit:
                    break
        return found

    def messages(
        self, workspace_id: WorkspaceId, conversation_id: ConversationId, limit: int, offset: int
    ) -> list[MessageResult]:
        where = {"workspace_id": workspace_id, "conversation_id": conversation_id}
        found = self._rows(message_mapper, where, ("position",), limit, offset)
        return [message_result(m) for m in found]

    def jobs(
        self, workspace_id: WorkspaceId, user_id: UserId | None, limit: int, offset: int
    ) -> list[JobResult]:
        where = _conversation_filter(workspace_id, user_id, include_archived=True)
        found = self._rows(ingestion_job_mapper, where, ("-created_at", "-id"), limit, offset)
        return [job_result(j) for j in found]

    def count_jobs(self, workspace_id: WorkspaceId, user_id: UserId | None) -> int:
        where = _conversation_filter(workspace_id, user_id, include_archived=True)
        return self._count(ingestion_job_mapper, **where)


def _conversation_filter(
    workspace_id: WorkspaceId, user_id: UserId | None, include_archived: bool
) -> dict[str, object]:
    """The workspace, the user's own rows (all, for the operator), archived ones when asked."""
    where: dict[str, object] = {"workspace_id": workspace_id}
    if user_id is not None:
        where["user_id"] = user_id
    if not include_archived:
        where["archived"] = False
    return where
