"""`app.knowledge`: the union of knowledge's use-case groups."""

from __future__ import annotations

from nexus.knowledge.application.graph import Graph
from nexus.knowledge.application.ontologies import Ontologies
from nexus.knowledge.application.transfer import Transfer
from nexus.knowledge.application.traversals import Traversals
from nexus.knowledge.application.views import Views
from nexus.shared.arguments import checked_facade


@checked_facade
class KnowledgeFacade(Ontologies, Graph, Traversals, Transfer, Views):
    """Ontologies, nodes and edges, traversals, import/export and graph views of a workspace;
    every method takes `actor=` (a user id, or OPERATOR) and checks the workspace's roles."""
