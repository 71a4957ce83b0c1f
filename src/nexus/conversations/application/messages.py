"""Use cases on messages: post one, and page through a conversation's in the order posted."""

from __future__ import annotations

from typing import Any

from nexus.conversations.application.ports import ConversationsUnitOfWork
from nexus.conversations.application.results import MessageResult
from nexus.conversations.application.support import (
    ActorLike,
    ConversationsUseCases,
    IdLike,
    conversation_id_of,
    workspace_id_of,
)
from nexus.conversations.domain.access import Access
from nexus.conversations.domain.conversations import Message, MessageRole
from nexus.shared.usecases import Page, transaction


def message_result(message: Message) -> MessageResult:
    return MessageResult.from_entity(message, metadata=message.metadata_, role=message.role.value)


class Messages(ConversationsUseCases):
    @transaction
    def post_message(
        self,
        tx: ConversationsUnitOfWork,
        /,
        workspace_id: IdLike,
        conversation_id: IdLike,
        *,
        content: str,
        actor: ActorLike,
        role: MessageRole | str = MessageRole.USER,
        agent: str | None = None,
        metadata: dict[str, Any] | None = None,
    ) -> MessageResult:
        """Append a message: it takes the conversation's next position, so the order posted
        holds even when two messages share a timestamp (two concurrent posts: one retries)."""
        workspace = workspace_id_of(workspace_id)
        acting = self._acting(workspace, actor, Access.WRITE, "post_message")
        conversation = tx.conversations.get(workspace, conversation_id_of(conversation_id))
        acting.may_see(conversation, "post_message")
        now = self.clock.now()
        message = Message(
            workspace_id=workspace,
            conversation_id=conversation.id,
            position=conversation.message_count + 1,
            role=role,
            content=content,
            agent=agent,
            metadata_={} if metadata is None else metadata,
            created_at=now,
        )
        conversation.next_positions(1, now)
        tx.conversations.update(conversation)
        tx.messages.add(message)
        return message_result(message)

    @transaction
    def list_messages(
        self,
        tx: ConversationsUnitOfWork,
        /,
        workspace_id: IdLike,
        conversation_id: IdLike,
        page: Page | None = None,
        *,
        actor: ActorLike,
    ) -> list[MessageResult]:
        """One page of the conversation's messages in the order they were posted."""
        workspace = workspace_id_of(workspace_id)
        acting = self._acting(workspace, actor, Access.READ, "list_messages")
        conversation = tx.conversations.get(workspace, conversation_id_of(conversation_id))
        acting.may_see(conversation, "list_messages")
        page = page or Page()
        return self.queries.messages(workspace, conversation.id, page.limit, page.offset)
