"""Use cases on a workspace's ontology: save (create or replace), get, delete."""

from __future__ import annotations

from typing import Any

from nexus.knowledge.application.ports import KnowledgeUnitOfWork
from nexus.knowledge.application.results import OntologyResult
from nexus.knowledge.application.support import (
    ActorLike,
    IdLike,
    KnowledgeUseCases,
    Need,
    workspace_id_of,
)
from nexus.knowledge.domain.ontology import Ontology, OntologySchema
from nexus.shared.errors import NotFoundError
from nexus.shared.ids import WorkspaceId
from nexus.shared.usecases import transaction


def ontology_rules(tx: KnowledgeUnitOfWork, workspace_id: WorkspaceId) -> OntologySchema | None:
    """The workspace's ontology as rules, or None when it has none (anything goes)."""
    ontology = tx.ontologies.of_workspace(workspace_id)
    return None if ontology is None else ontology.rules


class Ontologies(KnowledgeUseCases):
    @transaction
    def save_ontology(
        self,
        tx: KnowledgeUnitOfWork,
        workspace_id: IdLike,
        *,
        name: str,
        schema: dict[str, Any],
        description: str | None = None,
        actor: ActorLike,
    ) -> OntologyResult:
        """Create the workspace's ontology or replace it; the schema is checked first. Nodes
        and edges already stored are not re-checked (docs/knowledge.md)."""
        ws = workspace_id_of(workspace_id)
        self.authorize(ws, actor, Need.MANAGE, "save_ontology")
        now = self.clock.now()
        ontology = tx.ontologies.of_workspace(ws)
        if ontology is None:
            ontology = Ontology(
                workspace_id=ws,
                name=name,
                description=description,
                schema_=schema,
                created_at=now,
                updated_at=now,
            )
            tx.ontologies.add(ontology)
        else:
            ontology.name = name
            ontology.description = description
            ontology.schema_ = schema
            ontology.updated_at = now
            tx.ontologies.update(ontology)
        return OntologyResult.of(ontology)

    @transaction
    def get_ontology(
        self, tx: KnowledgeUnitOfWork, workspace_id: IdLike, *, actor: ActorLike
    ) -> OntologyResult:
        ws = workspace_id_of(workspace_id)
        self.authorize(ws, actor, Need.READ, "get_ontology")
        ontology = tx.ontologies.of_workspace(ws)
        if ontology is None:
            raise NotFoundError("ontology", ws)
        return OntologyResult.of(ontology)

    @transaction
    def delete_ontology(
        self, tx: KnowledgeUnitOfWork, workspace_id: IdLike, *, actor: ActorLike
    ) -> None:
        ws = workspace_id_of(workspace_id)
        self.authorize(ws, actor, Need.MANAGE, "delete_ontology")
        ontology = tx.ontologies.of_workspace(ws)
        if ontology is None:
            raise NotFoundError("ontology", ws)
        tx.ontologies.remove(ws, ontology.id)
