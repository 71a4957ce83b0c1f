"""Use cases on saved graph views: save (create or update), list, get, delete. A private view
is visible to its creator only; others get "not found", as for a view that does not exist."""

from __future__ import annotations

from typing import Any

from nexus.knowledge.application.ports import KnowledgeUnitOfWork
from nexus.knowledge.application.results import GraphViewResult
from nexus.knowledge.application.support import (
    ROLES,
    ActorLike,
    IdLike,
    KnowledgeUseCases,
    Need,
    parsed,
    workspace_id_of,
)
from nexus.knowledge.domain.ids import GraphViewId
from nexus.knowledge.domain.views import DEFAULT_KIND, DEFAULT_VIEW_TYPE, GraphView, Visibility
from nexus.shared.errors import NotFoundError, PermissionDeniedError
from nexus.shared.ids import UserId, WorkspaceId
from nexus.shared.usecases import transaction


class Views(KnowledgeUseCases):
    def _visible(
        self, tx: KnowledgeUnitOfWork, ws: WorkspaceId, view_id: IdLike, user: UserId | None
    ) -> GraphView:
        view = tx.views.get(ws, GraphViewId(parsed(view_id, "view_id")))
        if not view.visible_to(user):
            raise NotFoundError("graph view", view.id)
        return view

    def _may_change(self, ws: WorkspaceId, view: GraphView, user: UserId | None) -> None:
        """The creator changes a view; owners and admins also change workspace views."""
        if user is None or user == view.creator_id:
            return
        if self.access.role_of(ws, user) not in ROLES[Need.MANAGE]:
            raise PermissionDeniedError(
                "graph_views: only the view's creator, or an owner or admin, may change it"
            )

    @transaction
    def save_view(
        self,
        tx: KnowledgeUnitOfWork,
        workspace_id: IdLike,
        *,
        name: str,
        state: dict[str, Any] | None = None,
        view_type: str = DEFAULT_VIEW_TYPE,
        kind: str = DEFAULT_KIND,
        visibility: str = Visibility.WORKSPACE.value,
        graph_id: str | None = None,
        graph_uri: str | None = None,
        view_id: IdLike | None = None,
        actor: ActorLike,
    ) -> GraphViewResult:
        """A new view (the actor is its creator), or, with `view_id`, that view replaced."""
        ws = workspace_id_of(workspace_id)
        user = self.authorize(ws, actor, Need.WRITE, "save_view")
        now = self.clock.now()
        values: dict[str, Any] = {
            "name": name,
            "state": {} if state is None else state,
            "view_type": view_type,
            "kind": kind,
            "visibility": visibility,
            "graph_id": graph_id,
            "graph_uri": graph_uri,
        }
        if view_id is None:
            view = GraphView(
                workspace_id=ws, creator_id=user, created_at=now, updated_at=now, **values
            )
            tx.views.add(view)
            return GraphViewResult.of(view)
        view = self._visible(tx, ws, view_id, user)
        self._may_change(ws, view, user)
        for field, value in values.items():
            setattr(view, field, value)
        view.updated_at = now
        tx.views.update(view)
        return GraphViewResult.of(view)

    @transaction
    def list_views(
        self, tx: KnowledgeUnitOfWork, workspace_id: IdLike, *, actor: ActorLike
    ) -> list[GraphViewResult]:
        """The workspace's views the actor may see, by name."""
        ws = workspace_id_of(workspace_id)
        user = self.authorize(ws, actor, Need.READ, "list_views")
        return [GraphViewResult.of(v) for v in tx.views.of_workspace(ws) if v.visible_to(user)]

    @transaction
    def get_view(
        self, tx: KnowledgeUnitOfWork, workspace_id: IdLike, view_id: IdLike, *, actor: ActorLike
    ) -> GraphViewResult:
        ws = workspace_id_of(workspace_id)
        user = self.authorize(ws, actor, Need.READ, "get_view")
        return GraphViewResult.of(self._visible(tx, ws, view_id, user))

    @transaction
    def delete_view(
        self, tx: KnowledgeUnitOfWork, workspace_id: IdLike, view_id: IdLike, *, actor: ActorLike
    ) -> None:
        ws = workspace_id_of(workspace_id)
        user = self.authorize(ws, actor, Need.READ, "delete_view")
        view = self._visible(tx, ws, view_id, user)
        self._may_change(ws, view, user)
        tx.views.remove(ws, view.id)
