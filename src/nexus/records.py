"""Every context's ORM records on the one MetaData: what Alembic and the schema tests see."""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import Table

import nexus.conversations.infrastructure.records
import nexus.documents.infrastructure.records
import nexus.identity.infrastructure.records
import nexus.knowledge.infrastructure.records
import nexus.lab.infrastructure.records
import nexus.workspaces.infrastructure.records  # noqa: F401
from nexus.persistence.base import Base, metadata

CONTEXTS = ("identity", "lab", "workspaces", "conversations", "knowledge", "documents")


def context_tables() -> dict[str, list[Table]]:
    """Context name -> its tables, from the module each record is defined in."""
    found: dict[str, list[Table]] = defaultdict(list)
    for mapper in Base.registry.mappers:
        context = mapper.class_.__module__.split(".")[1]
        table = mapper.local_table
        if isinstance(table, Table):
            found[context].append(table)
    return {c: sorted(found.get(c, []), key=lambda t: t.name) for c in CONTEXTS}


__all__ = ["CONTEXTS", "context_tables", "metadata"]
